package doctor

import (
	"io/fs"
	"strings"
	"testing"
	"time"
)

func TestHuman(t *testing.T) {
	tests := []struct {
		d    time.Duration
		want string
	}{
		{0, "0s"}, {-time.Second, "0s"}, {400 * time.Millisecond, "0s"}, {42 * time.Second, "42s"},
		{5*time.Minute + 20*time.Second, "5m"}, {59*time.Minute + 50*time.Second, "1h"},
		{12 * time.Hour, "12h"}, {11*time.Hour + 59*time.Minute, "11h59m"},
	}
	for _, tt := range tests {
		if got := human(tt.d); got != tt.want {
			t.Errorf("human(%v) = %q, want %q", tt.d, got, tt.want)
		}
	}
}

func TestDescribeCredentials(t *testing.T) {
	tests := []struct {
		c    Credentials
		want string
	}{
		{Credentials{Source: "env", AccessKeyID: "AKIDCAHELPERTEST"}, "env (AWS_ACCESS_KEY_ID AKID…TEST)"},
		{Credentials{Source: "env", AccessKeyID: "ASIAEXAMPLE12345", Session: true}, "env (AWS_ACCESS_KEY_ID ASIA…2345, with AWS_SESSION_TOKEN)"},
		{Credentials{Source: "profile", File: "/h/.aws/credentials", AccessKeyID: "AKIAEXAMPLE12345"}, "profile dev (/h/.aws/credentials, AKIA…2345)"},
		{Credentials{Source: "SSO", AccessKeyID: "ASIAEXAMPLE12345"}, "SSO (profile dev, ASIA…2345)"},
		{Credentials{Source: "assumed role", AccessKeyID: "ASIAEXAMPLE12345"}, "assumed role (profile dev, ASIA…2345)"},
		{Credentials{Source: "EC2 instance profile", AccessKeyID: "ASIAEXAMPLE12345"}, "EC2 instance profile (ASIA…2345)"},
		{Credentials{Source: "container", AccessKeyID: "short"}, "container (shor…)"},
		{Credentials{Source: "web identity"}, "web identity (no key id)"},
	}
	for _, tt := range tests {
		if got := describeCredentials(tt.c, "dev"); got != tt.want {
			t.Errorf("describeCredentials(%+v) = %q, want %q", tt.c, got, tt.want)
		}
	}
}

func TestCredentialsShowExpiry(t *testing.T) {
	w := good()
	w.setup.Target.Profile = "dev"
	w.aws.creds = Credentials{Source: "SSO", AccessKeyID: "ASIAEXAMPLE12345", CanExpire: true, Expires: now.Add(7*time.Hour + 30*time.Minute)}
	if got := w.run().byName("credentials"); got.Status != OK || got.Detail != "SSO (profile dev, ASIA…2345), expires in 7h30m" {
		t.Errorf("credentials: %s %q", got.Status, got.Detail)
	}
}

func TestTargetDetailNamesSources(t *testing.T) {
	w := good()
	w.setup.Target.Name = "work"
	w.setup.Target.Sources["domain"] = "config /c.toml:3 (targets.work.domain)"
	got := w.run().byName("target").Detail
	for _, part := range []string{"target work: demo-111122223333 (us-east-1), repository releases",
		"domain from config /c.toml:3 (targets.work.domain)", "domain-owner from env CODEARTIFACT_DOMAIN_OWNER", "region from env AWS_REGION"} {
		if !strings.Contains(got, part) {
			t.Errorf("target detail %q lacks %q", got, part)
		}
	}
}

func TestCacheDetails(t *testing.T) {
	tests := []struct {
		name  string
		kind  string
		st    CacheState
		state Status
		want  string
	}{
		{"none", "none", CacheState{}, OK, "none: tokens are not cached"},
		{"file, dir to be made", "file", CacheState{Backend: "file", Dir: "/c"}, OK, "file: /c (not there yet; created 0700 on first use); no token cached for this target"},
		{"file with a cached token", "file", CacheState{Backend: "file", Dir: "/c", DirExists: true, DirMode: fs.ModeDir | 0o700, Cached: now.Add(5 * time.Hour)},
			OK, "file: /c (0700); a token for this target is cached, expires in 5h"},
		{"cached token expired", "file", CacheState{Backend: "file", Dir: "/c", Cached: now.Add(-time.Hour)}, OK, "the cached token for this target has expired"},
		{"explicit keyring answers", "keyring", CacheState{Backend: "keyring", Dir: "/c", Took: 6 * time.Millisecond}, OK, "keyring answered in 6ms"},
		{"auto chose keyring", "auto", CacheState{Backend: "keyring", Dir: "/c", Took: 6 * time.Millisecond}, OK, "auto chose keyring (answered in 6ms)"},
		{"auto without a bus", "auto", CacheState{Backend: "file", NoBus: true, Dir: "/c"}, OK, "auto chose file: no D-Bus session bus"},
		{"not a directory", "file", CacheState{Backend: "file", Dir: "/c", DirExists: true, DirMode: 0o600}, Fail, "/c is not a directory"},
		{"store cannot open", "file", CacheState{Err: "find cache dir: no home"}, Fail, "file: find cache dir: no home"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := good()
			w.setup.Cache = tt.kind
			w.cache.st = tt.st
			got := w.run().byName("cache")
			if got.Status != tt.state || !strings.Contains(got.Detail, tt.want) {
				t.Errorf("cache: %s %q, want %s containing %q", got.Status, got.Detail, tt.state, tt.want)
			}
		})
	}
}

func TestOpenDirIsFineOnWindows(t *testing.T) {
	w := good()
	w.cache.st.DirMode = fs.ModeDir | 0o777
	rep := Run(t.Context(), w.setup, Deps{AWS: w.aws, Net: w.net, Cache: w.cache, Now: func() time.Time { return now }, GOOS: "windows"})
	if got := rep.byName("cache"); got.Status != OK {
		t.Errorf("cache on windows: %s %q", got.Status, got.Detail)
	}
}

func TestClockUsesRepositoryDateWhenEndpointHasNone(t *testing.T) {
	w := good()
	w.net.reach.Date = time.Time{}
	w.net.resp.Date = now.Add(-10 * time.Minute)
	if got := w.run().byName("clock"); got.Status != Fail || !strings.Contains(got.Detail, "local clock 10m ahead of the service's Date header") {
		t.Errorf("clock: %s %q", got.Status, got.Detail)
	}
	w = good()
	w.net.reach.Date = now.Add(30 * time.Second)
	if got := w.run().byName("clock"); got.Status != OK || got.Detail != "local clock 29s behind the service's Date header" {
		t.Errorf("clock: %s %q", got.Status, got.Detail)
	}
}

func TestDependentChecksSkip(t *testing.T) {
	w := good()
	w.aws.credsErr = &CallError{Cause: CauseNoCredentials, Detail: "no credentials", Code: 3}
	rep := w.run()
	if got := rep.byName("permissions").Detail; got != "not checked: credentials failed" {
		t.Errorf("permissions detail %q", got)
	}
	if got := rep.byName("repo-read").Detail; got != "not checked: repository was not checked" {
		t.Errorf("repo-read detail %q", got)
	}
	for _, c := range w.aws.calls {
		if c == "token" || strings.HasPrefix(c, "repository") {
			t.Errorf("%s was called after credentials failed", c)
		}
	}
}

func TestServiceMessagesStayOnOneLine(t *testing.T) {
	w := good()
	w.aws.tokenErr = &CallError{Cause: CauseOther, Detail: "service error:\nline two\x1b[31m red", Hint: "retry\r\nlater", Code: 1}
	rep := w.run()
	got := rep.byName("permissions")
	if strings.ContainsAny(got.Detail+got.Fix, "\n\r\x1b") {
		t.Errorf("control characters survived: %q / %q", got.Detail, got.Fix)
	}
}
