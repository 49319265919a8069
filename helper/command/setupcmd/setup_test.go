package setupcmd

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/failure"
	"github.com/ca-helper/ca-helper/helper/target"
	"github.com/ca-helper/ca-helper/helper/tools"
)

const npmURL = "https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/npm/releases/"

func TestSetupNpm(t *testing.T) {
	auth := "//my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/npm/releases/:_authToken=${CODEARTIFACT_AUTH_TOKEN}\n"
	token := "eyJ2ZXIiOjEsImlzdSI6MTcwMDAwMDAwMH0.a-literal-token"
	tests := []struct {
		name      string
		existing  string // "" = no file
		dryRun    bool
		project   bool
		code      int
		want      string // the file afterwards
		stdout    string // contained in stdout
		stderr    string // contained in stderr
		noLookup  bool
		wantMode  os.FileMode
		literalIn bool
	}{
		{name: "new user file", want: "registry=" + npmURL + "\n" + auth, stdout: ".npmrc\n", stderr: "wrote", wantMode: 0o600},
		{name: "new project file", project: true, want: "registry=" + npmURL + "\n" + auth, stdout: ".npmrc\n", wantMode: 0o644},
		{name: "second run", existing: "registry=" + npmURL + "\n" + auth, want: "registry=" + npmURL + "\n" + auth,
			stderr: "unchanged", wantMode: 0o640},
		{name: "dry run writes nothing", existing: "# mine\n", dryRun: true, want: "# mine\n",
			stdout: "+" + strings.TrimSuffix(auth, "\n"), stderr: "dry run"},
		{name: "literal token replaced", existing: strings.Replace(auth, "${CODEARTIFACT_AUTH_TOKEN}", token, 1),
			want: auth + "registry=" + npmURL + "\n", stderr: "replaced the token", wantMode: 0o640, literalIn: true},
		{name: "dry run hides the literal token", existing: strings.Replace(auth, "${CODEARTIFACT_AUTH_TOKEN}", token, 1), dryRun: true,
			want: strings.Replace(auth, "${CODEARTIFACT_AUTH_TOKEN}", token, 1), stdout: ":_authToken=[redacted]", literalIn: true},
		{name: "binary file refused before any lookup", existing: "\x00\x01registry", want: "\x00\x01registry",
			code: failure.Usage, noLookup: true, wantMode: 0o640},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			home, project := t.TempDir(), t.TempDir()
			npm, _ := tools.Lookup("npm")
			path, mode := filepath.Join(home, ".npmrc"), os.FileMode(0o600)
			if tt.project {
				path, mode = filepath.Join(project, ".npmrc"), 0o644
			}
			if tt.existing != "" {
				if err := os.WriteFile(path, []byte(tt.existing), 0o640); err != nil {
					t.Fatal(err)
				}
			}
			var out, errOut bytes.Buffer
			e := &cmdenv.Env{System: cmdenv.System{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Now: time.Now}}
			api := &fakeEndpoints{url: npmURL}
			in := setupInput{tool: npm, config: npm.Config, path: path, newMode: mode, dryRun: tt.dryRun,
				query:    cmdenv.EndpointQuery{Target: target.Target{Domain: "my-domain", Repository: "releases"}, Timeout: time.Minute, Format: "npm"},
				registry: tools.Registry{EnvVar: "CODEARTIFACT_AUTH_TOKEN"}}
			err := setup(e, context.Background(), in, api)
			if code, _ := failure.Classify(err); code != tt.code {
				t.Fatalf("setup = %v (exit %d), want exit %d", err, code, tt.code)
			}
			if got := api.fmt != ""; got == tt.noLookup {
				t.Errorf("endpoint looked up: %v (format %q)", got, api.fmt)
			}
			b, _ := os.ReadFile(path)
			if string(b) != tt.want {
				t.Errorf("file:\n%q\nwant:\n%q", b, tt.want)
			}
			if !strings.Contains(out.String(), tt.stdout) || !strings.Contains(errOut.String(), tt.stderr) {
				t.Errorf("stdout %q, stderr %q; want %q and %q", out.String(), errOut.String(), tt.stdout, tt.stderr)
			}
			if tt.literalIn && strings.Contains(out.String()+errOut.String()+errString(err), token) {
				t.Error("the literal token was printed")
			}
			if st, err := os.Stat(path); tt.wantMode != 0 && runtime.GOOS != "windows" && (err != nil || st.Mode().Perm() != tt.wantMode) {
				t.Errorf("mode %v (%v), want %v", st.Mode().Perm(), err, tt.wantMode)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

func TestSetupLookupFailureWritesNothing(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".npmrc")
	npm, _ := tools.Lookup("npm")
	var out, errOut bytes.Buffer
	e := &cmdenv.Env{System: cmdenv.System{Stdout: &out, Stderr: &errOut, Getenv: func(string) string { return "" }, Now: time.Now}}
	in := setupInput{tool: npm, config: npm.Config, path: path, newMode: 0o600, registry: tools.Registry{EnvVar: "V"},
		query: cmdenv.EndpointQuery{Target: target.Target{Domain: "d", Repository: "r"}, Timeout: time.Minute, Format: "npm", EndpointType: "dualstack"}}
	api := &fakeEndpoints{err: errors.New("access denied")}
	if err := setup(e, context.Background(), in, api); err == nil || api.req.EndpointType != "dualstack" {
		t.Fatalf("setup = %v, request %+v", err, api.req)
	}
	if _, err := os.Stat(path); err == nil || out.Len() != 0 {
		t.Errorf("wrote %s or printed %q after a failed lookup", path, out.String())
	}
}
