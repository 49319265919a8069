package policy

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// One strict pattern per CodeArtifact resource type. Only the repository
// segment may be the wildcard (no repository given), and a package ARN ends
// in exactly one /*.
var arnPatterns = map[string]*regexp.Regexp{
	"domain":     regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:codeartifact:[a-z0-9-]+:[0-9]{12}:domain/[a-z][a-z0-9-]{0,48}[a-z0-9]$`),
	"repository": regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:codeartifact:[a-z0-9-]+:[0-9]{12}:repository/[a-z][a-z0-9-]{0,48}[a-z0-9]/([A-Za-z0-9][A-Za-z0-9._-]{1,99}|\*)$`),
	"package":    regexp.MustCompile(`^arn:aws(-cn|-us-gov)?:codeartifact:[a-z0-9-]+:[0-9]{12}:package/[a-z][a-z0-9-]{0,48}[a-z0-9]/([A-Za-z0-9][A-Za-z0-9._-]{1,99}|\*)/\*$`),
}

// wantStatement is what one statement must hold, exactly.
type wantStatement struct {
	actions  []string
	resource string
	arnType  string // key of arnPatterns; "" for "*"
}

func TestIdentity(t *testing.T) {
	const pre = "arn:aws:codeartifact:eu-west-1:111122223333:"
	token := wantStatement{[]string{"codeartifact:GetAuthorizationToken"}, pre + "domain/my-domain", "domain"}
	bearer := wantStatement{[]string{"sts:GetServiceBearerToken"}, "*", ""}
	read := func(res string) wantStatement {
		return wantStatement{[]string{"codeartifact:GetRepositoryEndpoint", "codeartifact:ReadFromRepository"}, res, "repository"}
	}
	publish := func(res string) wantStatement {
		return wantStatement{[]string{"codeartifact:PublishPackageVersion", "codeartifact:PutPackageMetadata"}, res, "package"}
	}
	base := Target{Region: "eu-west-1", Owner: "111122223333", Domain: "my-domain", Repository: "releases"}
	noRepo := base
	noRepo.Repository = ""
	tests := []struct {
		name    string
		target  Target
		publish bool
		want    map[string]wantStatement
	}{
		{name: "read", target: base, want: map[string]wantStatement{
			"GetAuthorizationToken": token, "GetServiceBearerToken": bearer,
			"ReadFromRepository": read(pre + "repository/my-domain/releases")}},
		{name: "publish", target: base, publish: true, want: map[string]wantStatement{
			"GetAuthorizationToken": token, "GetServiceBearerToken": bearer,
			"ReadFromRepository": read(pre + "repository/my-domain/releases"),
			"PublishPackages":    publish(pre + "package/my-domain/releases/*")}},
		{name: "no repository", target: noRepo, want: map[string]wantStatement{
			"GetAuthorizationToken": token, "GetServiceBearerToken": bearer,
			"ReadFromRepository": read(pre + "repository/my-domain/*")}},
		{name: "no repository, publish", target: noRepo, publish: true, want: map[string]wantStatement{
			"GetAuthorizationToken": token, "GetServiceBearerToken": bearer,
			"ReadFromRepository": read(pre + "repository/my-domain/*"),
			"PublishPackages":    publish(pre + "package/my-domain/*/*")}},
		{name: "china", target: Target{Region: "cn-north-1", Owner: "210987654321", Domain: "d1", Repository: "maven.central_2"}, publish: true,
			want: map[string]wantStatement{
				"GetAuthorizationToken": {token.actions, "arn:aws-cn:codeartifact:cn-north-1:210987654321:domain/d1", "domain"},
				"GetServiceBearerToken": bearer,
				"ReadFromRepository":    read("arn:aws-cn:codeartifact:cn-north-1:210987654321:repository/d1/maven.central_2"),
				"PublishPackages":       publish("arn:aws-cn:codeartifact:cn-north-1:210987654321:package/d1/maven.central_2/*")}},
		{name: "govcloud", target: Target{Region: "us-gov-west-1", Owner: "111122223333", Domain: "my-domain", Repository: "releases"},
			want: map[string]wantStatement{
				"GetAuthorizationToken": {token.actions, "arn:aws-us-gov:codeartifact:us-gov-west-1:111122223333:domain/my-domain", "domain"},
				"GetServiceBearerToken": bearer,
				"ReadFromRepository":    read("arn:aws-us-gov:codeartifact:us-gov-west-1:111122223333:repository/my-domain/releases")}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, err := Identity(tt.target, tt.publish)
			if err != nil {
				t.Fatal(err)
			}
			raw, err := d.JSON()
			if err != nil {
				t.Fatal(err)
			}
			got := statements(t, checkGrammar(t, raw, false))
			if len(got) != len(tt.want) {
				t.Errorf("got statements %v, want %d", keys(got), len(tt.want))
			}
			partition := Partition(tt.target.Region)
			for sid, w := range tt.want {
				s, ok := got[sid]
				if !ok {
					t.Errorf("no statement %s", sid)
					continue
				}
				actions := stringOrList(t, s["Action"], sid)
				if !slices.Equal(actions, w.actions) {
					t.Errorf("%s: actions %v, want exactly %v", sid, actions, w.actions)
				}
				res := stringOrList(t, s["Resource"], sid)
				if len(res) != 1 || res[0] != w.resource {
					t.Errorf("%s: resource %v, want %s", sid, res, w.resource)
				}
				if w.arnType != "" {
					if !arnPatterns[w.arnType].MatchString(res[0]) {
						t.Errorf("%s: %s is not a %s ARN", sid, res[0], w.arnType)
					}
					if !strings.HasPrefix(res[0], "arn:"+partition+":codeartifact:"+tt.target.Region+":"+tt.target.Owner+":") {
						t.Errorf("%s: %s has the wrong partition, region or owner", sid, res[0])
					}
				}
				wantCond := ""
				if sid == "GetServiceBearerToken" {
					wantCond = `{"StringEquals":{"sts:AWSServiceName":"codeartifact.amazonaws.com"}}`
				}
				if c, ok := s["Condition"]; (ok || wantCond != "") && asJSON(t, c) != wantCond {
					t.Errorf("%s: condition %s, want %s", sid, asJSON(t, c), wantCond)
				}
			}
		})
	}
}

func TestIdentityRejects(t *testing.T) {
	ok := Target{Region: "eu-west-1", Owner: "111122223333", Domain: "my-domain", Repository: "releases"}
	tests := []struct {
		name   string
		change func(*Target)
		want   string
	}{
		{"no region", func(t *Target) { t.Region = "" }, "region"},
		{"bad region", func(t *Target) { t.Region = "eu-west-*" }, "region"},
		{"no owner", func(t *Target) { t.Owner = "" }, "domain owner"},
		{"short owner", func(t *Target) { t.Owner = "12345" }, "domain owner"},
		{"no domain", func(t *Target) { t.Domain = "" }, "domain"},
		{"wildcard domain", func(t *Target) { t.Domain = "my-*" }, "domain"},
		{"wildcard repository", func(t *Target) { t.Repository = "rel?ases" }, "repository"},
		{"repository with slash", func(t *Target) { t.Repository = "a/b" }, "repository"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := ok
			tt.change(&target)
			d, err := Identity(target, true)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("Identity(%+v) = %v, %v; want an error about %s", target, d, err, tt.want)
			}
		})
	}
}

func keys[V any](m map[string]V) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	slices.Sort(out)
	return out
}
