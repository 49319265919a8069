package maven

import (
	"strings"
	"testing"
)

func TestProfileProperties(t *testing.T) {
	tests := []struct {
		name    string
		s       Server
		want    []string
		wantNot []string
	}{
		{
			name: "preemptive auth for both resolvers, scoped to the id",
			s:    releases,
			want: []string{
				"<aether.connector.http.preemptiveAuth.releases>true</aether.connector.http.preemptiveAuth.releases>",
				"<aether.transport.http.preemptiveAuth.releases>true</aether.transport.http.preemptiveAuth.releases>",
				"<aether.priority.JdkTransporterFactory>1</aether.priority.JdkTransporterFactory>",
			},
			wantNot: []string{"<aether.connector.http.preemptiveAuth>", "altDeploymentRepository"},
		},
		{
			name:    "an id that cannot end an element name gets no properties",
			s:       Server{ID: "a+b", URL: caURL},
			wantNot: []string{"<properties>", "preemptiveAuth", "JdkTransporterFactory"},
		},
		{
			name: "publish names the repository as the deployment target, escaped",
			s:    Server{ID: "releases", URL: "https://r.example/m/?a=1&b=2", Publish: true},
			want: []string{"<altDeploymentRepository>releases::https://r.example/m/?a=1&amp;b=2</altDeploymentRepository>"},
		},
		{
			name:    "publish with an unsafe id still gets the deployment target",
			s:       Server{ID: "a+b", URL: caURL, Publish: true},
			want:    []string{"<properties>", "<altDeploymentRepository>a+b::" + caURL + "</altDeploymentRepository>"},
			wantNot: []string{"preemptiveAuth"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			out, err := Merge(nil, tt.s)
			if err != nil {
				t.Fatalf("Merge: %v", err)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(out), w) {
					t.Errorf("missing %s in:\n%s", w, out)
				}
			}
			for _, w := range tt.wantNot {
				if strings.Contains(string(out), w) {
					t.Errorf("unexpected %s in:\n%s", w, out)
				}
			}
			// Running without --publish afterwards takes the target away again.
			if tt.s.Publish {
				s := tt.s
				s.Publish = false
				again, err := Merge(out, s)
				if err != nil || strings.Contains(string(again), "altDeploymentRepository") {
					t.Errorf("merge without Publish kept the deployment target (err %v):\n%s", err, again)
				}
			}
		})
	}
}
