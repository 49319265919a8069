package maven

import (
	"errors"
	"strings"
	"testing"
)

func TestMarker(t *testing.T) {
	tests := []struct {
		args    []string
		want    string
		wantErr string
	}{
		{nil, "{[name=ca-helper,version=1]}", ""},
		{[]string{"--target", "work"}, "{[name=ca-helper,version=1]--target work}", ""},
		{[]string{"--domain", "d", "--domain-owner", "111122223333"}, "{[name=ca-helper,version=1]--domain d --domain-owner 111122223333}", ""},
		{[]string{"--profile", "my dev"}, "", "no blanks, braces or brackets"},
		{[]string{"--target", "a}b"}, "", "no blanks, braces or brackets"},
		{[]string{"--target", "a]b"}, "", "no blanks, braces or brackets"},
		{[]string{"--target", ""}, "", "no blanks, braces or brackets"},
		{[]string{"--profile", "x\ty"}, "", "no blanks, braces or brackets"},
	}
	for _, tt := range tests {
		got, err := Marker(tt.args)
		if tt.wantErr != "" {
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Errorf("Marker(%q) error = %v, want %q", tt.args, err, tt.wantErr)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Marker(%q) = %q, %v; want %q", tt.args, got, err, tt.want)
		}
	}
}

func TestIsMarker(t *testing.T) {
	for pw, want := range map[string]bool{
		"{[name=ca-helper,version=1]--target work}": true,
		" {[name=ca-helper,version=1]} ":            true,
		"{ca-helper}":                               true,
		"{ca-helper:--target work}":                 true,
		"{[name=other,version=1]x}":                 false,
		"{COQLCE6DU6GtcS5P=}":                       false,
		"${env.CODEARTIFACT_AUTH_TOKEN}":            false,
		"":                                          false,
	} {
		if got := IsMarker(pw); got != want {
			t.Errorf("IsMarker(%q) = %v, want %v", pw, got, want)
		}
	}
}

func TestMergeExtension(t *testing.T) {
	const ours = "<extension>\n    <groupId>io.github.ca-helper</groupId>\n    <artifactId>ca-helper-maven-extension</artifactId>\n    <version>1.0.0</version>\n  </extension>"
	tests := []struct {
		name, existing, want, wantErr string
	}{
		{name: "new file", existing: "", want: strings.Replace(extensionsSkeleton, "</extensions>", "  "+ours+"\n</extensions>", 1)},
		{name: "others kept byte for byte",
			existing: "<!-- team -->\n<extensions>\n  <extension><groupId>g</groupId><artifactId>a</artifactId><version>1</version></extension>\n</extensions>\n",
			want:     "<!-- team -->\n<extensions>\n  <extension><groupId>g</groupId><artifactId>a</artifactId><version>1</version></extension>\n  " + ours + "\n</extensions>\n"},
		{name: "old version replaced in place",
			existing: "<extensions>\n  <extension>\n    <groupId>io.github.ca-helper</groupId>\n    <artifactId>ca-helper-maven-extension</artifactId>\n    <version>0.9</version>\n  </extension>\n</extensions>\n",
			want:     "<extensions>\n  " + ours + "\n</extensions>\n"},
		{name: "empty root element", existing: "<extensions/>\n", want: "<extensions>\n  " + ours + "\n</extensions>\n"},
		{name: "wrong root", existing: "<settings/>", wantErr: "root element is <settings>, want <extensions>"},
		{name: "malformed", existing: "<extensions>\n<extension>\n</extensions>", wantErr: "line 3"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := MergeExtension([]byte(tt.existing))
			if tt.wantErr != "" {
				if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error = %v, want ErrInvalid with %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if string(got) != tt.want {
				t.Fatalf("got\n%s\nwant\n%s", got, tt.want)
			}
			again, err := MergeExtension(got)
			if err != nil || string(again) != string(got) {
				t.Fatalf("merging its own output changed it:\n%s", again)
			}
		})
	}
}
