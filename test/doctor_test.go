package test

import (
	"crypto/sha1"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// doctorLine is one check of `ca-helper doctor`'s text report.
type doctorLine struct {
	status, detail, fix string
}

// parseDoctor reads the text report: "STATUS NAME DETAIL" in columns of 6 and
// 14, each fix on the next line as "      fix: …".
func parseDoctor(t *testing.T, out string) (map[string]doctorLine, []string) {
	t.Helper()
	checks := map[string]doctorLine{}
	var order []string
	for _, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		if fix, ok := strings.CutPrefix(line, "      fix: "); ok && len(order) > 0 {
			last := order[len(order)-1]
			c := checks[last]
			c.fix = fix
			checks[last] = c
			continue
		}
		if len(line) < 20 {
			t.Fatalf("not a report line: %q\n%s", line, out)
		}
		name := strings.TrimSpace(line[6:20])
		checks[name] = doctorLine{status: strings.TrimSpace(line[:6]), detail: line[20:]}
		order = append(order, name)
	}
	return checks, order
}

// assertNoIssuedToken checks that no token the fake issued reached the
// output or the cache dir: doctor fetches one with --no-cache semantics.
func assertNoIssuedToken(t *testing.T, h *harness, r result) {
	t.Helper()
	for _, tok := range h.fake.IssuedTokens() {
		if strings.Contains(r.stdout, tok) || strings.Contains(r.stderr, tok) {
			t.Fatalf("an issued token is in doctor's output")
		}
		filepath.WalkDir(h.cache, func(p string, d os.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				if b, _ := os.ReadFile(p); strings.Contains(string(b), tok) {
					t.Errorf("doctor stored the token in %s", p)
				}
			}
			return nil
		})
	}
}

const allChecks = "config target credentials region endpoint permissions repository repo-read cache clock maven git"

func TestDoctorAllOK(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.env["CODEARTIFACT_REPOSITORY"] = "releases"
	r := h.run("ca-helper", "doctor")
	t.Logf("ca-helper doctor (exit %d):\n%s", r.code, r.stdout)
	if r.code != 0 || r.stderr != "" {
		t.Fatalf("all-ok doctor: %s", r)
	}
	checks, order := parseDoctor(t, r.stdout)
	if got := strings.Join(order, " "); got != allChecks {
		t.Errorf("checks %q, want %q", got, allChecks)
	}
	for name, c := range checks {
		if c.status != "ok" && name != "maven" && name != "git" {
			t.Errorf("%s: %s %q", name, c.status, c.detail)
		}
	}
	// This user has no settings.xml: nothing for the maven check to look at.
	if c, want := checks["maven"], "no "+filepath.Join(h.home, ".m2", "settings.xml"); c.status != "skip" || c.detail != want {
		t.Errorf("maven: %s %q, want skip %q", c.status, c.detail, want)
	}
	// Nor has it a git credential helper.
	if c := checks["git"]; c.status != "skip" {
		t.Errorf("git: %s %q, want skip", c.status, c.detail)
	}
	if !strings.HasPrefix(checks["credentials"].detail, "env (AWS_ACCESS_KEY_ID AKID…TEST)") {
		t.Errorf("credentials: %q", checks["credentials"].detail)
	}
	if h.fake.TokenCalls() != 1 || h.fake.Calls(fake.OpMaven) != 1 {
		t.Errorf("token calls %d, maven requests %d; want 1 and 1", h.fake.TokenCalls(), h.fake.Calls(fake.OpMaven))
	}
	assertNoIssuedToken(t, h, r)
	if files, _ := filepath.Glob(filepath.Join(h.cache, "*.json")); len(files) != 0 {
		t.Errorf("doctor wrote cache files: %v", files)
	}
}

// writeSSOProfile configures profile sso-dev (legacy SSO) whose cached
// session expired yesterday.
func writeSSOProfile(t *testing.T, h *harness) {
	t.Helper()
	const start = "https://example.awsapps.com/start"
	config := filepath.Join(h.home, "aws-config")
	sum := sha1.Sum([]byte(start))
	cache := filepath.Join(h.home, ".aws", "sso", "cache", hex.EncodeToString(sum[:])+".json")
	if err := os.MkdirAll(filepath.Dir(cache), 0o700); err != nil {
		t.Fatal(err)
	}
	expired := time.Now().Add(-24 * time.Hour).UTC().Format(time.RFC3339)
	for path, text := range map[string]string{
		config: "[profile sso-dev]\nsso_start_url = " + start + "\nsso_region = us-east-1\n" +
			"sso_account_id = " + testOwner + "\nsso_role_name = Dev\nregion = us-east-1\n",
		cache: `{"accessToken":"expired","expiresAt":"` + expired + `","region":"us-east-1","startUrl":"` + start + `"}`,
	} {
		if err := os.WriteFile(path, []byte(text), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	h.env["AWS_CONFIG_FILE"] = config
	h.env["AWS_PROFILE"] = "sso-dev"
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = "", ""
}

func TestDoctorFailures(t *testing.T) {
	noKeyring := "unix:path=/nonexistent/ca-helper-test-bus"
	tests := []struct {
		name   string
		env    map[string]string
		setup  func(t *testing.T, h *harness)
		args   []string
		check  string // the check that must not pass
		status string // fail or warn
		detail []string
		fix    []string
		code   int
		ok     []string // checks that must still pass
		skip   []string // checks that must not run
	}{
		{name: "no credentials", env: map[string]string{"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": ""},
			check: "credentials", status: "fail", detail: []string{"none found in env, profile default, web identity, container or EC2 instance profile"},
			fix: []string{"export AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY", "aws configure"}, code: 3,
			ok: []string{"config", "target", "region", "endpoint", "cache", "clock"}, skip: []string{"permissions", "repository", "repo-read"}},
		{name: "expired session token", setup: func(t *testing.T, h *harness) { h.fake.SetFault(fake.Fault{Kind: fake.ExpiredToken}) },
			check: "credentials", status: "fail",
			detail: []string{"env (AWS_ACCESS_KEY_ID AKID…TEST): credentials expired: The security token included in the request is expired"},
			fix:    []string{"export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN"}, code: 3,
			ok: []string{"region", "endpoint"}, skip: []string{"permissions", "repository"}},
		{name: "SSO session expired", setup: writeSSOProfile,
			check: "credentials", status: "fail", detail: []string{"SSO session expired"},
			fix: []string{"run `aws sso login --profile sso-dev`"}, code: 3, skip: []string{"permissions"}},
		{name: "wrong secret key", env: map[string]string{"AWS_SECRET_ACCESS_KEY": "wrong"},
			check: "credentials", status: "fail", detail: []string{"bad signature"}, fix: []string{"clock"}, code: 3,
			ok: []string{"clock"}},
		{name: "access denied", setup: func(t *testing.T, h *harness) { h.fake.SetFault(fake.Fault{Kind: fake.AccessDenied}) },
			check: "permissions", status: "fail",
			detail: []string{"access denied: User: arn:aws:iam::111122223333:user/fake is not authorized to perform: codeartifact:GetAuthorizationToken"},
			fix: []string{"codeartifact:GetAuthorizationToken on arn:aws:codeartifact:us-east-1:111122223333:domain/demo",
				"sts:GetServiceBearerToken on * with the condition sts:AWSServiceName = codeartifact.amazonaws.com"},
			code: 3, ok: []string{"credentials", "endpoint"}, skip: []string{"repository", "repo-read"}},
		{name: "unknown domain", env: map[string]string{"CODEARTIFACT_DOMAIN": "missing"},
			check: "permissions", status: "fail", detail: []string{"not found: domain missing not found"},
			fix: []string{`domain "missing" (from env CODEARTIFACT_DOMAIN)`, "domain owner 111122223333 (from env CODEARTIFACT_DOMAIN_OWNER)",
				"region us-east-1 (from env AWS_REGION)", "aws codeartifact list-domains --region us-east-1"}, code: 1},
		{name: "unreachable endpoint", env: map[string]string{"AWS_ENDPOINT_URL_CODEARTIFACT": "http://127.0.0.1:1"},
			check: "endpoint", status: "fail",
			detail: []string{"http://127.0.0.1:1 (env AWS_ENDPOINT_URL_CODEARTIFACT): cannot connect to 127.0.0.1:1: connect: connection refused"},
			fix:    []string{"nothing answers at http://127.0.0.1:1", "env AWS_ENDPOINT_URL_CODEARTIFACT"}, code: 1,
			ok: []string{"credentials", "region", "cache"}, skip: []string{"permissions", "clock"}},
		{name: "region typo", args: []string{"--region", "us-east1"},
			check: "target", status: "fail", detail: []string{`invalid region "us-east1" from flag --region`},
			fix: []string{"did you mean us-east-1?"}, code: 2, ok: []string{"config"}, skip: []string{"credentials", "region", "cache"}},
		{name: "repository not found", env: map[string]string{"CODEARTIFACT_REPOSITORY": "missing"},
			check: "repository", status: "fail", detail: []string{"not found: repository missing not found"},
			fix: []string{"aws codeartifact list-repositories-in-domain --domain demo --domain-owner 111122223333 --region us-east-1"}, code: 1,
			ok: []string{"permissions"}, skip: []string{"repo-read"}},
		// The fake refuses a token only once it expired, so the token lives 1s
		// and GetRepositoryEndpoint answers after 1.5s: the repository read
		// then carries an expired token, as after an AWS session ended.
		{name: "repository refuses the token", env: map[string]string{"CODEARTIFACT_REPOSITORY": "releases"},
			setup: func(t *testing.T, h *harness) {
				h.fake.SetFaults(
					fake.Fault{Kind: fake.ShortLived, Delay: time.Second, Op: fake.OpGetAuthorizationToken, Times: 1},
					fake.Fault{Kind: fake.Slow, Delay: 1500 * time.Millisecond, Op: fake.OpGetRepositoryEndpoint, Times: 1})
			},
			check: "repo-read", status: "fail", detail: []string{"/maven/releases/ refused the token: 401 Unauthorized"},
			fix: []string{"the token expired or is for another domain or account"}, code: 3, ok: []string{"repository", "cache", "clock"}},
		{name: "explicit keyring unavailable", env: map[string]string{"CA_HELPER_CACHE": "keyring", "DBUS_SESSION_BUS_ADDRESS": noKeyring},
			check: "cache", status: "fail", detail: []string{"keyring (chosen by env CA_HELPER_CACHE) does not work"},
			fix: []string{"Secret Service", "CA_HELPER_CACHE=auto"}, code: 1,
			ok: []string{"credentials", "permissions", "clock"}},
		{name: "auto without a working keyring", env: map[string]string{"CA_HELPER_CACHE": "auto", "DBUS_SESSION_BUS_ADDRESS": noKeyring},
			check: "cache", status: "warn", detail: []string{"auto chose file: the keyring did not work"},
			fix: []string{"CA_HELPER_CACHE=file"}, code: 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			for k, v := range tc.env {
				h.env[k] = v
			}
			if tc.setup != nil {
				tc.setup(t, h)
			}
			r := h.run("ca-helper", append([]string{"doctor"}, tc.args...)...)
			t.Logf("ca-helper doctor %s (exit %d):\n%s", strings.Join(tc.args, " "), r.code, r.stdout)
			if r.code != tc.code {
				t.Errorf("exit code %d, want %d\n%s", r.code, tc.code, r)
			}
			checks, order := parseDoctor(t, r.stdout)
			if got := strings.Join(order, " "); got != allChecks {
				t.Errorf("checks %q", got)
			}
			c := checks[tc.check]
			if c.status != tc.status {
				t.Errorf("%s: %s %q, want %s", tc.check, c.status, c.detail, tc.status)
			}
			for _, part := range tc.detail {
				if !strings.Contains(c.detail, part) {
					t.Errorf("%s detail %q lacks %q", tc.check, c.detail, part)
				}
			}
			if c.fix == "" {
				t.Errorf("%s has no fix line", tc.check)
			}
			for _, part := range tc.fix {
				if !strings.Contains(c.fix, part) {
					t.Errorf("%s fix %q lacks %q", tc.check, c.fix, part)
				}
			}
			for _, name := range tc.ok {
				if checks[name].status != "ok" {
					t.Errorf("%s: %s %q, want ok", name, checks[name].status, checks[name].detail)
				}
			}
			for _, name := range tc.skip {
				if checks[name].status != "skip" {
					t.Errorf("%s: %s %q, want skip", name, checks[name].status, checks[name].detail)
				}
			}
			assertNoIssuedToken(t, h, r)
		})
	}
}

func TestDoctorJSON(t *testing.T) {
	h := newHarness(t, fake.Options{})
	h.env["CODEARTIFACT_REPOSITORY"] = "releases"
	h.fake.SetFault(fake.Fault{Kind: fake.AccessDenied})
	r := h.run("ca-helper", "doctor", "--format", "json")
	if r.code != 3 {
		t.Errorf("exit %d, want 3: %s", r.code, r)
	}
	var doc struct {
		OK     bool `json:"ok"`
		Checks []struct {
			Name, Status, Detail, Fix string
		} `json:"checks"`
	}
	if err := json.Unmarshal([]byte(r.stdout), &doc); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, r.stdout)
	}
	if doc.OK || len(doc.Checks) != len(strings.Fields(allChecks)) || doc.Checks[5].Name != "permissions" || doc.Checks[5].Status != "fail" ||
		!strings.Contains(doc.Checks[5].Fix, "sts:GetServiceBearerToken") {
		t.Errorf("report: %+v", doc)
	}
	if r := h.run("ca-helper", "doctor", "--format", "xml"); r.code != 2 || !strings.Contains(r.stderr, `invalid format "xml"`) {
		t.Errorf("bad format: %s", r)
	}
}

// With a Secret Service in the session, auto uses it and doctor says so.
func TestDoctorKeyringAnswers(t *testing.T) {
	addr := requireSecretService(t)
	h := newHarness(t, fake.Options{})
	h.env["DBUS_SESSION_BUS_ADDRESS"] = addr
	h.env["CA_HELPER_CACHE"] = "auto"
	r := h.run("ca-helper", "doctor")
	t.Logf("ca-helper doctor (exit %d):\n%s", r.code, r.stdout)
	checks, _ := parseDoctor(t, r.stdout)
	if c := checks["cache"]; r.code != 0 || c.status != "ok" || !strings.HasPrefix(c.detail, "auto chose keyring (answered in ") {
		t.Errorf("cache with a Secret Service: %s\n%s", c.detail, r)
	}
	assertNoIssuedToken(t, h, r)
}
