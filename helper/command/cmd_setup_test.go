package command

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestSetupWithURLAsksNoAWS: an npm --url of exactly the target is the
// registry, so setup writes ~/.npmrc without GetRepositoryEndpoint (the
// fake system refuses every AWS call); a Maven URL is not taken for npm.
func TestSetupWithURLAsksNoAWS(t *testing.T) {
	const host = "my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com"
	sys := newSystem(t)
	code, out, errOut := sys.run("setup", "--tool", "npm", "--url", "https://"+host+"/npm/releases")
	npmrc := filepath.Join(sys.getenv("HOME"), ".npmrc")
	b, _ := os.ReadFile(npmrc)
	want := "registry=https://" + host + "/npm/releases/\n//" + host + "/npm/releases/:_authToken=${CODEARTIFACT_AUTH_TOKEN}\n"
	if code != 0 || out != npmrc+"\n" || string(b) != want {
		t.Fatalf("exit %d, stdout %q, stderr %q\n%s holds %q, want %q", code, out, errOut, npmrc, b, want)
	}
	code, _, errOut = sys.run("setup", "--tool", "npm", "--url", "https://"+host+"/maven/releases/", "--dry-run")
	if code != 3 || !strings.Contains(errOut, "no credentials") {
		t.Errorf("a Maven --url did not lead to an endpoint lookup: exit %d, %q", code, errOut)
	}
}
