package doctor

import (
	"bytes"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"
)

func TestAllOK(t *testing.T) {
	w := good()
	rep := w.run()
	var names []string
	for _, c := range rep.Checks {
		names = append(names, c.Name)
		if c.Status != OK {
			t.Errorf("%s: %s %q (fix %q)", c.Name, c.Status, c.Detail, c.Fix)
		}
	}
	want := "config target credentials region endpoint permissions repository repo-read cache clock maven git"
	if got := strings.Join(names, " "); got != want {
		t.Errorf("checks %q, want %q", got, want)
	}
	if !rep.OK || rep.ExitCode() != 0 {
		t.Errorf("OK %v, exit %d", rep.OK, rep.ExitCode())
	}
	if w.net.gotToken != secretToken || !strings.HasSuffix(w.net.gotURL, "/maven/releases/"+ProbePath) {
		t.Errorf("repository read got token %v at %q", w.net.gotToken == secretToken, w.net.gotURL)
	}
	if got := rep.byName("credentials").Detail; got != "env (AWS_ACCESS_KEY_ID AKID…TEST)" {
		t.Errorf("credentials detail %q", got)
	}
	if got := rep.byName("endpoint").Detail; got != "https://codeartifact.us-east-1.amazonaws.com (default): DNS 3ms, TCP 20ms, TLS 40ms" {
		t.Errorf("endpoint detail %q", got)
	}
	if w.cache.kind != "file" {
		t.Errorf("cache probed as %q", w.cache.kind)
	}
}

// TestFailures runs one broken world per case and checks the verdict of each
// named check, the fix of the failing one, and the exit code.
func TestFailures(t *testing.T) {
	callErr := func(c Cause, detail, hint string, code int) error {
		return &CallError{Cause: c, Detail: detail, Hint: hint, Code: code}
	}
	tests := []struct {
		name     string
		breakIt  func(w *world)
		want     map[string]Status
		failing  string // the check whose fix is checked
		fix      []string
		wantCode int
	}{
		{name: "config does not parse",
			breakIt: func(w *world) {
				w.setup.ConfigErr = &Problem{Detail: "config /c.toml:3: expected '='", Fix: "fix the config file", Code: 2}
			},
			want:    map[string]Status{"config": Fail, "target": Skip, "credentials": Skip, "cache": Skip, "clock": Skip},
			failing: "config", fix: []string{"fix the config file"}, wantCode: 2},
		{name: "region typo in a flag",
			breakIt: func(w *world) {
				w.setup.Target.Region = "us-east1"
				w.setup.TargetErr = &Problem{Detail: `invalid region "us-east1" from flag --region`, Fix: "region must be a region such as eu-west-1", Code: 2}
			},
			want:    map[string]Status{"target": Fail, "credentials": Skip, "region": Skip},
			failing: "target", fix: []string{`did you mean us-east-1? ("us-east1" is not a region name`}, wantCode: 2},
		{name: "no credentials",
			breakIt: func(w *world) {
				w.aws.credsErr = callErr(CauseNoCredentials, "no credentials: failed to refresh cached credentials", "configure AWS credentials: …", 3)
			},
			want:    map[string]Status{"credentials": Fail, "region": OK, "endpoint": OK, "permissions": Skip, "repository": Skip, "repo-read": Skip, "cache": OK, "clock": OK},
			failing: "credentials", fix: []string{"export AWS_ACCESS_KEY_ID", "aws configure"}, wantCode: 3},
		{name: "no credentials in the named profile",
			breakIt: func(w *world) {
				w.setup.Target.Profile = "dev"
				w.aws.credsErr = callErr(CauseNoCredentials, "no credentials: …", "configure AWS credentials: …", 3)
			},
			failing: "credentials", fix: []string{"aws configure --profile dev", "aws sso login --profile dev"}, wantCode: 3},
		{name: "SSO session expired",
			breakIt: func(w *world) {
				w.setup.Target.Profile = "dev"
				w.aws.credsErr = callErr(CauseSSOExpired, "SSO session expired: the SSO session has expired or is invalid", "run: aws sso login --profile dev", 3)
			},
			failing: "credentials", fix: []string{"run `aws sso login --profile dev`"}, wantCode: 3},
		{name: "credentials expired by their own clock",
			breakIt: func(w *world) {
				w.aws.creds = Credentials{Source: "assumed role", AccessKeyID: "ASIAEXAMPLEKEY1", CanExpire: true, Expires: now.Add(-5 * time.Minute)}
			},
			want:    map[string]Status{"credentials": Fail, "permissions": Skip},
			failing: "credentials", fix: []string{"refresh your AWS credentials"}, wantCode: 3},
		{name: "service says the session token expired",
			breakIt: func(w *world) {
				w.aws.tokenErr = callErr(CauseExpired, "credentials expired: The security token included in the request is expired", "refresh …", 3)
			},
			want:    map[string]Status{"credentials": Fail, "region": OK, "endpoint": OK, "permissions": Skip, "repository": Skip},
			failing: "credentials", fix: []string{"export fresh AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN"}, wantCode: 3},
		{name: "access denied on GetAuthorizationToken",
			breakIt: func(w *world) {
				w.aws.tokenErr = callErr(CauseAccessDenied, "access denied: User: arn:aws:iam::111122223333:user/u is not authorized to perform: codeartifact:GetAuthorizationToken on resource: …", "", 3)
			},
			want:    map[string]Status{"credentials": OK, "permissions": Fail, "repository": Skip, "repo-read": Skip},
			failing: "permissions",
			fix: []string{"codeartifact:GetAuthorizationToken on arn:aws:codeartifact:us-east-1:111122223333:domain/demo (the action denied)",
				"sts:GetServiceBearerToken on * with the condition sts:AWSServiceName = codeartifact.amazonaws.com"},
			wantCode: 3},
		{name: "access denied on sts:GetServiceBearerToken",
			breakIt: func(w *world) {
				w.aws.tokenErr = callErr(CauseAccessDenied, "access denied: User: … is not authorized to perform: sts:GetServiceBearerToken on resource: … with an explicit deny in a service control policy", "", 3)
			},
			failing:  "permissions",
			fix:      []string{"explicit Deny", "allow sts:GetServiceBearerToken on * with the condition sts:AWSServiceName = codeartifact.amazonaws.com (the action denied)"},
			wantCode: 3},
		{name: "domain not found",
			breakIt: func(w *world) {
				w.aws.tokenErr = callErr(CauseNotFound, "not found: domain demo not found", "", 1)
			},
			failing: "permissions",
			fix: []string{`domain "demo" (from env CODEARTIFACT_DOMAIN)`, "domain owner 111122223333 (from env CODEARTIFACT_DOMAIN_OWNER)",
				"region us-east-1 (from env AWS_REGION)", "aws codeartifact list-domains --region us-east-1"},
			wantCode: 1},
		{name: "domain not found without an owner",
			breakIt: func(w *world) {
				w.setup.Target.Owner = ""
				w.aws.tokenErr = callErr(CauseNotFound, "not found: domain demo not found", "", 1)
			},
			failing: "permissions", fix: []string{"pass --domain-owner"}, wantCode: 1},
		{name: "AWS config does not load",
			breakIt: func(w *world) {
				load := callErr(CauseNoCredentials, `no credentials: profile "nope" is not in the AWS config or credentials file`, "create it with `aws configure --profile nope`", 3)
				w.aws.credsErr, w.aws.regionErr = load, load
			},
			want:    map[string]Status{"credentials": Fail, "region": Skip, "endpoint": Skip, "cache": OK},
			failing: "credentials", fix: []string{"aws configure --profile nope"}, wantCode: 3},
		{name: "no region",
			breakIt: func(w *world) { w.aws.region = "" },
			want:    map[string]Status{"region": Fail, "endpoint": Skip, "permissions": Skip, "clock": Skip, "cache": OK},
			failing: "region", fix: []string{"pass --region", "aws configure set region"}, wantCode: 2},
		{name: "profile region is a typo",
			breakIt: func(w *world) {
				w.setup.Target.Region, w.setup.Target.Profile, w.aws.region = "", "dev", "eu-west1"
				delete(w.setup.Target.Sources, "region")
			},
			failing: "region", fix: []string{"did you mean eu-west-1?"}, wantCode: 2},
		{name: "unknown region does not resolve",
			breakIt: func(w *world) {
				w.aws.region, w.setup.Target.Region = "us-north-9", "us-north-9"
				w.aws.endpoint.URL = "https://codeartifact.us-north-9.amazonaws.com"
				w.net.reachErr = &NetError{Step: "DNS", Host: "codeartifact.us-north-9.amazonaws.com", Err: errors.New("no such host"), NotFound: true}
			},
			want:    map[string]Status{"endpoint": Fail, "permissions": Skip, "clock": Skip},
			failing: "endpoint", fix: []string{"check the region us-north-9 (from env AWS_REGION)"}, wantCode: 1},
		{name: "connection refused at an override",
			breakIt: func(w *world) {
				w.aws.endpoint = Endpoint{URL: "http://127.0.0.1:1", Source: "env AWS_ENDPOINT_URL_CODEARTIFACT"}
				w.net.reachErr = &NetError{Step: "TCP", Host: "127.0.0.1:1", Err: errors.New("connect: connection refused")}
			},
			failing: "endpoint", fix: []string{"nothing answers at http://127.0.0.1:1", "env AWS_ENDPOINT_URL_CODEARTIFACT"}, wantCode: 1},
		{name: "TLS intercepted",
			breakIt: func(w *world) {
				w.net.reachErr = &NetError{Step: "TLS", Host: "codeartifact.us-east-1.amazonaws.com", Err: errors.New("x509: certificate signed by unknown authority")}
			},
			failing: "endpoint", fix: []string{"AWS_CA_BUNDLE"}, wantCode: 1},
		{name: "network timeout",
			breakIt: func(w *world) {
				w.net.reachErr = &NetError{Step: "TCP", Host: "codeartifact.us-east-1.amazonaws.com:443", Err: errors.New("i/o timeout"), Timeout: true}
			},
			failing: "endpoint", fix: []string{"firewall or proxy"}, wantCode: 1},
		{name: "plain http to a remote host",
			breakIt: func(w *world) { w.aws.endpoint = Endpoint{URL: "http://ca.example.com", Source: "AWS config"} },
			want:    map[string]Status{"endpoint": Warn, "permissions": OK},
			failing: "endpoint", fix: []string{"https://"}, wantCode: 0},
		{name: "token shorter than min-ttl",
			breakIt: func(w *world) { w.aws.exp = now.Add(20 * time.Minute) },
			want:    map[string]Status{"permissions": Warn, "repo-read": OK},
			failing: "permissions", fix: []string{"outlive the AWS session"}, wantCode: 0},
		{name: "token already expired",
			breakIt: func(w *world) { w.aws.exp = now.Add(-time.Second) },
			want:    map[string]Status{"permissions": Fail, "repository": Skip},
			failing: "permissions", fix: []string{"system clock"}, wantCode: 1},
		{name: "no repository",
			breakIt:  func(w *world) { w.setup.Target.Repository = "" },
			want:     map[string]Status{"permissions": OK, "repository": Skip, "repo-read": Skip, "clock": OK},
			wantCode: 0},
		{name: "repository not found",
			breakIt: func(w *world) {
				w.aws.repoErr = callErr(CauseNotFound, "not found: repository releases not found", "", 1)
			},
			failing: "repository", fix: []string{"aws codeartifact list-repositories-in-domain --domain demo --domain-owner 111122223333 --region us-east-1"}, wantCode: 1},
		{name: "GetRepositoryEndpoint denied",
			breakIt: func(w *world) { w.aws.repoErr = callErr(CauseAccessDenied, "access denied: …", "", 3) },
			failing: "repository", fix: []string{"codeartifact:GetRepositoryEndpoint on arn:aws:codeartifact:us-east-1:111122223333:repository/demo/releases"}, wantCode: 3},
		{name: "repository refuses the token",
			breakIt: func(w *world) { w.net.resp.Status = 401 },
			failing: "repo-read", fix: []string{"--domain-owner match the repository URL"}, wantCode: 3},
		{name: "repository forbids reading",
			breakIt: func(w *world) { w.net.resp.Status = 403 },
			failing: "repo-read", fix: []string{"codeartifact:ReadFromRepository on arn:aws:codeartifact:us-east-1:111122223333:repository/demo/releases"}, wantCode: 3},
		{name: "repository fails",
			breakIt: func(w *world) { w.net.resp.Status = 503 },
			failing: "repo-read", fix: []string{"retry later"}, wantCode: 1},
		{name: "repository answers oddly",
			breakIt: func(w *world) { w.net.resp.Status = 400 },
			want:    map[string]Status{"repo-read": Warn}, wantCode: 0},
		{name: "explicit keyring does not answer",
			breakIt: func(w *world) {
				w.setup.Cache = "keyring"
				w.cache.st = CacheState{Backend: "keyring", KeyringErr: "keyring get: dial unix /nonexistent: connect: no such file or directory", Dir: "/c"}
			},
			want:    map[string]Status{"cache": Fail, "clock": OK},
			failing: "cache", fix: []string{"Secret Service", "CA_HELPER_CACHE=auto"}, wantCode: 1},
		{name: "auto falls back after a keyring error",
			breakIt: func(w *world) {
				w.setup.Cache = "auto"
				w.cache.st = CacheState{Backend: "file", KeyringErr: "the keyring did not answer (get) within 1s", Dir: "/c"}
			},
			want:    map[string]Status{"cache": Warn},
			failing: "cache", fix: []string{"CA_HELPER_CACHE=file"}, wantCode: 0},
		{name: "cache dir open to others",
			breakIt: func(w *world) { w.cache.st.DirMode = fs.ModeDir | 0o755 },
			failing: "cache", fix: []string{"chmod 700 /run/user/1000/ca-helper"}, wantCode: 1},
		{name: "cache dir refused by the store",
			breakIt: func(w *world) { w.cache.st.DirProblem = "owned by uid 0, not 1000" },
			failing: "cache", fix: []string{"make sure you own it"}, wantCode: 1},
		{name: "clock far off",
			breakIt: func(w *world) { w.net.reach.Date = now.Add(-7 * time.Minute) },
			want:    map[string]Status{"clock": Fail},
			failing: "clock", fix: []string{"timedatectl set-ntp true"}, wantCode: 1},
		{name: "clock drifting",
			breakIt: func(w *world) { w.net.reach.Date = now.Add(3 * time.Minute) },
			want:    map[string]Status{"clock": Warn},
			failing: "clock", fix: []string{"timedatectl"}, wantCode: 0},
		{name: "no Date header anywhere",
			breakIt: func(w *world) { w.net.reach.Date, w.net.resp.Date = time.Time{}, time.Time{} },
			want:    map[string]Status{"clock": Skip}, wantCode: 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := good()
			tt.breakIt(w)
			rep := w.run()
			for name, want := range tt.want {
				if got := rep.byName(name); got.Status != want {
					t.Errorf("%s: %s (%q), want %s", name, got.Status, got.Detail, want)
				}
			}
			if tt.failing != "" {
				got := rep.byName(tt.failing)
				if got.Status == OK || got.Status == Skip {
					t.Errorf("%s: %s (%q), want fail or warn", tt.failing, got.Status, got.Detail)
				}
				for _, part := range tt.fix {
					if !strings.Contains(got.Fix, part) {
						t.Errorf("%s fix %q lacks %q", tt.failing, got.Fix, part)
					}
				}
			}
			if code := rep.ExitCode(); code != tt.wantCode {
				t.Errorf("exit code %d, want %d", code, tt.wantCode)
			}
			if rep.OK != (tt.wantCode == 0) {
				t.Errorf("OK = %v with exit code %d", rep.OK, tt.wantCode)
			}
			assertNoToken(t, rep)
		})
	}
}

// assertNoToken checks both output formats for the token the fake issued.
func assertNoToken(t *testing.T, rep Report) {
	t.Helper()
	var text, js bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := rep.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(text.String()+js.String(), "SECRET-TOKEN") {
		t.Errorf("the token is in the report:\n%s", text.String())
	}
}
