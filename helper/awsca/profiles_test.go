package awsca

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/awsca/awscatest"
)

func TestProfileSections(t *testing.T) {
	const configText = "[default]\nregion = eu-west-1\n[profile dev]\n[ profile  prod ]\n[sso-session corp]\n[services local]\n[staging]\n# [profile commented]\n[profile bad name!]\n"
	const credsText = "[default]\naws_access_key_id = x\n[ci]\n[profile odd]\n"
	if got, want := profileSections(strings.NewReader(configText), true), []string{"default", "dev", "prod"}; !slices.Equal(got, want) {
		t.Errorf("config file profiles = %q, want %q", got, want)
	}
	if got, want := profileSections(strings.NewReader(credsText), false), []string{"default", "ci"}; !slices.Equal(got, want) {
		t.Errorf("credentials file profiles = %q, want %q", got, want)
	}
}

// A profile that is not in the files is a credential problem (exit 3), and
// the hint names the profile meant when one is close, from either file.
func TestMissingProfileSuggestion(t *testing.T) {
	tests := []struct {
		name, config, creds, ask string
		want                     []string
		notWant                  string
	}{
		{"typo of a config profile", "[profile dev]\nregion = eu-west-1\n", "", "dve",
			[]string{"did you mean dev?", "--profile dev", "AWS_PROFILE=dev"}, "ca-helper doctor"},
		{"typo of a credentials profile", "", "[ci-deploy]\naws_access_key_id = AKIDX\naws_secret_access_key = s\n", "ci-depoly",
			[]string{"did you mean ci-deploy?"}, ""},
		{"nothing close", "[profile dev]\n", "", "production",
			[]string{"`aws configure --profile production`", "run `ca-helper doctor`"}, "did you mean"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := awscatest.Env(t, nil)
			for name, text := range map[string]string{"config": tt.config, "credentials": tt.creds} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := sdkConfig(context.Background(), Request{Domain: "d1", Region: "eu-west-1", Profile: tt.ask})
			var e *Error
			if !errors.As(err, &e) {
				t.Fatalf("sdkConfig: %v, want an *Error", err)
			}
			if e.Code != 3 || !strings.Contains(e.Error(), `profile "`+tt.ask+`" is not in the AWS config`) {
				t.Errorf("got %d %q; want exit 3 naming the profile", e.Code, e.Error())
			}
			for _, w := range tt.want {
				if !strings.Contains(e.Hint(), w) {
					t.Errorf("hint %q does not mention %q", e.Hint(), w)
				}
			}
			if tt.notWant != "" && strings.Contains(e.Hint(), tt.notWant) {
				t.Errorf("hint %q mentions %q", e.Hint(), tt.notWant)
			}
		})
	}
}

// A profile's region is checked as ca-helper checks its own: a typo is a
// usage error naming the guess and the command that fixes the profile,
// unless an endpoint override makes the region a mere signing name.
func TestConfigRegionTypo(t *testing.T) {
	tests := []struct {
		name, region, override string
		wantHint               string // "" = accepted
	}{
		{"typo", "us-east1", "", "did you mean us-east-1? run `aws configure set region us-east-1 --profile dev`"},
		{"not a region", "mars", "", "give profile dev a region such as eu-west-1"},
		{"good region", "us-east-1", "", ""},
		{"any region with an override", "local", "http://127.0.0.1:1", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := awscatest.Env(t, map[string]string{"AWS_ENDPOINT_URL_CODEARTIFACT": tt.override})
			for name, text := range map[string]string{
				"config":      "[profile dev]\nregion = " + tt.region + "\n",
				"credentials": "[dev]\naws_access_key_id = AKIDX\naws_secret_access_key = s\n",
			} {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o600); err != nil {
					t.Fatal(err)
				}
			}
			_, err := sdkConfig(context.Background(), Request{Domain: "d1", Profile: "dev"})
			if tt.wantHint == "" {
				if err != nil {
					t.Fatalf("region %q refused: %v", tt.region, err)
				}
				return
			}
			var e *Error
			if !errors.As(err, &e) || e.Code != 2 || !strings.HasPrefix(e.Hint(), tt.wantHint) ||
				!strings.Contains(e.Error(), `"`+tt.region+`" from the AWS config of profile dev is not a region name`) {
				t.Fatalf("got %v (hint %q); want exit 2 and hint %q", err, hintOf(err), tt.wantHint)
			}
		})
	}
}

func hintOf(err error) string {
	var e *Error
	if errors.As(err, &e) {
		return e.Hint()
	}
	return ""
}
