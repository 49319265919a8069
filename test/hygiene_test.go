package test

import (
	"encoding/base64"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// hygieneRow is one command run with --debug. Its stdout may hold a token only
// when tokenOut is set; its stderr never may.
type hygieneRow struct {
	name     string
	prog     string // "" = ca-helper
	args     []string
	stdin    string // "{TOKEN}" stands for the newest issued token
	env      map[string]string
	fault    fake.Fault
	code     int
	tokenOut bool   // stdout is where the token belongs, and must hold it
	wantOut  string // stdout must contain this, proving the command did its job
}

// badJSONFragment is the token fragment fake.BadJSON sends in its truncated body.
const badJSONFragment = "eyJ2ZXIiOjEsIm"

// TestHygieneTokenOnlyWhereItBelongs runs every command, failures included,
// with --debug, then looks for every token the fake issued, or a piece of one
// (leakNeedles), in every stream but the answers, every file but the cache
// entries, and the argv and environment of every process it started.
func TestHygieneTokenOnlyWhereItBelongs(t *testing.T) {
	h := newHarness(t, fake.Options{})
	work, tmp, out := t.TempDir(), t.TempDir(), t.TempDir()
	childFile := filepath.Join(out, "child-token")
	h.env["CA_HELPER_DEBUG"] = "1"
	h.env["TMPDIR"] = tmp
	gitReq := "protocol=https\nhost=" + caHost + "\n\n"
	cargoReq := `{"v":1,"registry":{"index-url":"sparse+https://` + caHost + `/cargo/releases/","name":"ca"},"kind":"get","operation":"read","args":[]}` + "\n"
	bazelReq := `{"uri":"https://` + caHost + `/maven/releases/a/b.jar"}`
	noCache := map[string]string{"CA_HELPER_CACHE": "none"}
	denied := fake.Fault{Kind: fake.AccessDenied}
	rows := []hygieneRow{
		{name: "get cold", args: []string{"get", "--debug"}, tokenOut: true},
		{name: "get json", args: []string{"get", "--debug", "--format", "json"}, tokenOut: true, wantOut: `"token":`},
		{name: "get env", args: []string{"get", "--debug", "--format", "env"}, tokenOut: true, wantOut: "export "},
		{name: "get env fish", args: []string{"get", "--debug", "--format", "env", "--shell", "fish"}, tokenOut: true, wantOut: "set -gx "},
		{name: "get env powershell", args: []string{"get", "--debug", "--format", "env", "--shell", "powershell"}, tokenOut: true, wantOut: "$env:"},
		{name: "get --refresh, slow service", args: []string{"get", "--debug", "--refresh"}, tokenOut: true,
			fault: fake.Fault{Kind: fake.Slow, Delay: 500 * time.Millisecond}},
		{name: "get --no-cache", args: []string{"get", "--debug", "--no-cache"}, tokenOut: true},
		{name: "status", args: []string{"status", "--debug"}, wantOut: "CodeArtifact token demo-"},
		{name: "status json", args: []string{"status", "--debug", "--format", "json"}, wantOut: `"seconds_left":`},
		{name: "version json", args: []string{"version", "--format", "json"}, wantOut: `"version":`},
		{name: "get env bash", args: []string{"get", "--debug", "--format", "env", "--shell", "bash"}, tokenOut: true, wantOut: "export "},
		{name: "complete get", args: []string{"__complete", "--current=--", "get"}, wantOut: "--min-ttl"},
		{name: "policy", args: []string{"policy", "--debug", "--repository", "releases"}, wantOut: "GetAuthorizationToken"},
		{name: "exec child env", args: []string{"exec", "--debug", "--", "sh", "-c", `printf %s "$CODEARTIFACT_AUTH_TOKEN" > "$1"`, "sh", childFile}},
		{name: "exec long-lived child", args: []string{"exec", "--debug", "--", "sleep", "0.5"}},
		{name: "exec failing child", args: []string{"exec", "--debug", "--", "sh", "-c", "echo child failed >&2; exit 3"}, code: 3},
		{name: "exec missing command", args: []string{"exec", "--debug", "--", "no-such-command-xyz"}, code: 127},
		{name: "exec a directory", args: []string{"exec", "--debug", "--", "/"}, code: 126},
		{name: "settings --dry-run", args: []string{"settings", "--debug", "--repository", "releases", "--dry-run"}, wantOut: "${env.CODEARTIFACT_AUTH_TOKEN}"},
		{name: "settings --dry-run json", args: []string{"settings", "--debug", "--repository", "releases", "--dry-run", "--format", "json"}, wantOut: `"settings_file":`},
		{name: "endpoint", args: []string{"endpoint", "--debug", "--package-format", "npm", "--repository", "releases"}, wantOut: "/npm/releases/"},
		{name: "setup --dry-run", args: []string{"setup", "--debug", "--tool", "npm", "--repository", "releases", "--dry-run"},
			wantOut: ":_authToken=${CODEARTIFACT_AUTH_TOKEN}"},
		{name: "setup writes", args: []string{"setup", "--debug", "--tool", "npm", "--repository", "releases"}, wantOut: ".npmrc"},
		{name: "exec --tool npm", args: []string{"exec", "--debug", "--tool", "npm", "--", "true"}},
		{name: "exec --tool pip", args: []string{"exec", "--debug", "--tool", "pip", "--repository", "releases", "--", "true"}},
		{name: "settings writes", args: []string{"settings", "--debug", "--repository", "releases"}, wantOut: "settings.xml"},
		{name: "settings --mirror rewrites", args: []string{"settings", "--debug", "--repository", "releases", "--mirror"}, wantOut: "settings.xml"},
		{name: "doctor, slow service", args: []string{"doctor", "--debug", "--repository", "releases"}, wantOut: "repo-read",
			fault: fake.Fault{Kind: fake.Slow, Delay: 300 * time.Millisecond, Times: 1}},
		{name: "doctor json", args: []string{"doctor", "--debug", "--repository", "releases", "--format", "json"}, wantOut: `"checks"`},
		{name: "credential get", args: []string{"credential", "--debug", "get"}, stdin: gitReq, tokenOut: true, wantOut: "password="},
		{name: "git credential fill", prog: "git", args: []string{"-c", "credential.helper=", "-c", "credential.helper=codeartifact", "credential", "fill"},
			stdin: gitReq, env: map[string]string{"GIT_TERMINAL_PROMPT": "0", "GIT_CONFIG_NOSYSTEM": "1"}, tokenOut: true, wantOut: "password="},
		{name: "cargo get", args: []string{"--cargo-plugin", "--debug"}, stdin: cargoReq, tokenOut: true, wantOut: `"token":`},
		{name: "bazel get", args: []string{"bazel-credential", "--debug", "get"}, stdin: bazelReq, tokenOut: true, wantOut: "Basic "},
		{name: "bazel other host", args: []string{"bazel-credential", "--debug", "get"}, stdin: `{"uri":"https://example.com/x.jar"}`, wantOut: "{}"},
		{name: "credential get other host", args: []string{"credential", "--debug", "get"}, stdin: "protocol=https\nhost=github.com\n\n"},
		{name: "credential erase with the token", args: []string{"credential", "--debug", "erase"},
			stdin: "protocol=https\nhost=" + caHost + "\nusername=aws\npassword={TOKEN}\n\n"},
		{name: "credential get denied", args: []string{"credential", "--debug", "get"}, stdin: gitReq, env: noCache, fault: denied, code: 3},
		{name: "cargo get denied", args: []string{"--cargo-plugin", "--debug"}, stdin: cargoReq, env: noCache, fault: denied, wantOut: `"Err"`},
		{name: "exec denied", args: []string{"exec", "--debug", "--", "true"}, env: noCache, fault: denied, code: 3},
		{name: "doctor denied", args: []string{"doctor", "--debug", "--repository", "releases"}, fault: denied, code: 3, wantOut: "access denied"},
		{name: "get denied", args: []string{"get", "--debug", "--refresh"}, fault: denied, code: 3},
		{name: "get expired credentials", args: []string{"get", "--debug", "--refresh"}, fault: fake.Fault{Kind: fake.ExpiredToken}, code: 3},
		{name: "get bad flag", args: []string{"get", "--debug", "--bogus"}, code: 2},
		{name: "get hung service", args: []string{"get", "--debug", "--refresh", "--timeout", "1s"}, fault: fake.Fault{Kind: fake.Hang}, code: 1},
		{name: "get control-character token", args: []string{"get", "--debug", "--refresh"}, fault: fake.Fault{Kind: fake.ControlCharToken}, code: 1},
		{name: "get bad json", args: []string{"get", "--debug", "--refresh"}, fault: fake.Fault{Kind: fake.BadJSON}, code: 1},
		{name: "get huge body", args: []string{"get", "--debug", "--refresh"}, fault: fake.Fault{Kind: fake.HugeBody}, code: 1},
		{name: "erase json", args: []string{"erase", "--debug", "--format", "json"}, wantOut: `"erased":`},
		{name: "erase", args: []string{"erase", "--debug"}},
		{name: "erase --all", args: []string{"erase", "--debug", "--all"}},
		{name: "get after erase", args: []string{"get", "--debug"}, tokenOut: true},
	}

	watch := watchProcesses(t)
	start := time.Now()
	results := make([]result, len(rows))
	for i, row := range rows {
		results[i] = h.runRow(work, row)
	}
	watch.stop()
	t.Logf("%d commands in %s", len(rows), time.Since(start).Round(time.Millisecond))

	needles := leakNeedles(h.fake.IssuedTokens())
	for i, row := range rows {
		r := results[i]
		if r.code != row.code || !strings.Contains(r.stdout, row.wantOut) {
			t.Errorf("%s: want exit %d and stdout with %q: %s", row.name, row.code, row.wantOut, r)
		}
		if leak := findLeak(r.stderr, needles); leak != "" {
			t.Errorf("%s: stderr holds token text %q:\n%s", row.name, leak, r.stderr)
		}
		switch leak := findLeak(r.stdout, needles); {
		case row.tokenOut && !holdsIssued(h, r.stdout):
			t.Errorf("%s: stdout holds no issued token: %s", row.name, r)
		case !row.tokenOut && leak != "":
			t.Errorf("%s: stdout holds token text %q", row.name, leak)
		}
	}
	if b, err := os.ReadFile(childFile); err != nil || !h.fake.ValidToken(string(b)) {
		t.Errorf("the exec child did not see a valid token in its environment (%v)", err)
	}
	if !fileExists(filepath.Join(h.home, ".m2", "settings.xml.bak")) {
		t.Error("settings did not write ~/.m2/settings.xml twice")
	}
	if !fileExists(filepath.Join(h.home, ".npmrc")) {
		t.Error("setup did not write ~/.npmrc, so the file search did not cover it")
	}
	checkFiles(t, h, needles, childFile, h.home, work, tmp, out)
	watch.check(t, needles)
}

// runRow runs one row in dir with its fault and env, then restores both.
func (h *harness) runRow(dir string, row hygieneRow) result {
	h.t.Helper()
	saved := map[string]string{}
	for k, v := range row.env {
		saved[k] = h.env[k]
		h.env[k] = v
	}
	h.fake.SetFault(row.fault)
	defer func() {
		h.fake.SetFault(fake.Fault{})
		for k, v := range saved {
			h.env[k] = v
		}
	}()
	var stdin []byte
	if row.stdin != "" {
		newest := ""
		if issued := h.fake.IssuedTokens(); len(issued) > 0 {
			newest = issued[len(issued)-1]
		}
		stdin = []byte(strings.ReplaceAll(row.stdin, "{TOKEN}", newest))
	}
	prog := row.prog
	if prog == "" {
		prog = "ca-helper"
	}
	return h.runIn(dir, stdin, prog, row.args...)
}

// leakNeedles returns what counts as a leak of tokens: the first and last 64
// characters of each token, of its "aws:TOKEN" base64 form (Bazel's header)
// and of each run of 16 or more base64url characters in it, and every
// 32-character window at a stride of 16, so that a truncated, split, quoted
// or cut-out piece of 47 characters or more is found too.
func leakNeedles(tokens []string) []string {
	set := map[string]bool{badJSONFragment: true}
	add := func(s string) {
		if n := min(len(s), 64); n >= 16 {
			set[s[:n]], set[s[len(s)-n:]] = true, true
		}
	}
	for _, tok := range tokens {
		add(tok)
		add(base64.StdEncoding.EncodeToString([]byte("aws:" + tok)))
		for _, seg := range strings.FieldsFunc(tok, func(r rune) bool {
			return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_')
		}) {
			add(seg)
		}
		for i := 0; i+32 <= len(tok); i += 16 {
			set[tok[i:i+32]] = true
		}
	}
	needles := make([]string, 0, len(set))
	for s := range set {
		needles = append(needles, s)
	}
	return needles
}

// findLeak returns the first needle in text, or "".
func findLeak(text string, needles []string) string {
	for _, n := range needles {
		if strings.Contains(text, n) {
			return n
		}
	}
	return ""
}

// holdsIssued reports whether text holds a whole issued token, as is or as
// Bazel's base64 "aws:TOKEN".
func holdsIssued(h *harness, text string) bool {
	for _, tok := range h.fake.IssuedTokens() {
		if strings.Contains(text, tok) || strings.Contains(text, base64.StdEncoding.EncodeToString([]byte("aws:"+tok))) {
			return true
		}
	}
	return false
}

// checkFiles reads every file under roots. Only the cache entry files (not
// index.json, not lock files) and the exec child's own file may hold a token;
// a cache entry must, or the search proves nothing.
func checkFiles(t *testing.T, h *harness, needles []string, childFile string, roots ...string) {
	t.Helper()
	cached := false
	for _, root := range roots {
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Errorf("walk %s: %v", p, err)
				return nil
			}
			if !d.Type().IsRegular() {
				return nil
			}
			b, err := os.ReadFile(p)
			if err != nil {
				t.Errorf("read %s: %v", p, err)
				return nil
			}
			isEntry := filepath.Dir(p) == h.cache && strings.HasSuffix(p, ".json") && filepath.Base(p) != "index.json"
			switch {
			case isEntry:
				cached = cached || holdsIssued(h, string(b))
			case p == childFile:
			default:
				if leak := findLeak(string(b), needles); leak != "" {
					t.Errorf("file %s holds token text %q", p, leak)
				}
			}
			return nil
		})
	}
	if !cached {
		t.Errorf("no cache entry in %s holds a token: the file search cannot be trusted", h.cache)
	}
}
