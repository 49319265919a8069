package doctor

import (
	"context"
	"io/fs"
	"net/http"
	"time"

	"github.com/ca-helper/ca-helper/keyring"
)

var now = time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)

const secretToken = "eyJ2ZXIiOjF9.SECRET-TOKEN-THAT-MUST-NOT-PRINT"

// fakeAWS answers each AWS question with a canned value or error.
type fakeAWS struct {
	creds       Credentials
	credsErr    error
	region      string
	regionErr   error
	endpoint    Endpoint
	endpointErr error
	exp         time.Time
	tokenErr    error
	repoURL     string
	repoErr     error
	calls       []string
}

var _ AWS = (*fakeAWS)(nil)

func (f *fakeAWS) Credentials(context.Context) (Credentials, error) {
	f.calls = append(f.calls, "credentials")
	return f.creds, f.credsErr
}

func (f *fakeAWS) Region(context.Context) (string, error) {
	f.calls = append(f.calls, "region")
	return f.region, f.regionErr
}

func (f *fakeAWS) Endpoint(context.Context) (Endpoint, error) {
	f.calls = append(f.calls, "endpoint")
	return f.endpoint, f.endpointErr
}

func (f *fakeAWS) Token(context.Context, time.Duration) (keyring.Token, time.Time, error) {
	f.calls = append(f.calls, "token")
	if f.tokenErr != nil {
		return "", time.Time{}, f.tokenErr
	}
	return secretToken, f.exp, nil
}

func (f *fakeAWS) RepositoryEndpoint(_ context.Context, repo string) (string, error) {
	f.calls = append(f.calls, "repository "+repo)
	return f.repoURL, f.repoErr
}

// fakeNet reaches whatever it is told to and records the token it was given.
type fakeNet struct {
	reach    Reach
	reachErr error
	resp     Response
	getErr   error
	gotURL   string
	gotToken keyring.Token
}

var _ Network = (*fakeNet)(nil)

func (f *fakeNet) Reach(context.Context, string) (Reach, error) { return f.reach, f.reachErr }

func (f *fakeNet) Get(_ context.Context, url string, tok keyring.Token) (Response, error) {
	f.gotURL, f.gotToken = url, tok
	return f.resp, f.getErr
}

type fakeCache struct {
	st   CacheState
	kind string
}

func (f *fakeCache) Probe(_ context.Context, kind string) CacheState {
	f.kind = kind
	return f.st
}

// world is one machine as the checks see it; good() is one where all pass.
type world struct {
	setup Setup
	aws   *fakeAWS
	net   *fakeNet
	cache *fakeCache
}

func good() *world {
	return &world{
		setup: Setup{
			ConfigPath: "/home/u/.config/ca-helper/config.toml", ConfigSource: "default", ConfigNote: "no file (it is optional)",
			Target: Target{Domain: "demo", Owner: "111122223333", Region: "us-east-1", Repository: "releases",
				Sources: map[string]string{"domain": "env CODEARTIFACT_DOMAIN", "domain-owner": "env CODEARTIFACT_DOMAIN_OWNER",
					"region": "env AWS_REGION", "repository": "env CODEARTIFACT_REPOSITORY"}},
			Duration: 12 * time.Hour, MinTTL: time.Hour, Cache: "file", CacheSource: "env CA_HELPER_CACHE",
			Maven: Maven{SettingsPath: "/home/u/.m2/settings.xml", Markers: []string{"releases"},
				LibExt: "/opt/maven/lib/ext/ca-helper-maven-extension.jar"},
			Git: Git{Host: "demo-111122223333.d.codeartifact.us-east-1.amazonaws.com", Helpers: []GitHelper{{"codeartifact", "global"}}},
		},
		aws: &fakeAWS{
			creds:    Credentials{Source: "env", AccessKeyID: "AKIDCAHELPERTEST"},
			region:   "us-east-1",
			endpoint: Endpoint{URL: "https://codeartifact.us-east-1.amazonaws.com", Source: "default"},
			exp:      now.Add(12 * time.Hour),
			repoURL:  "https://demo-111122223333.d.codeartifact.us-east-1.amazonaws.com/maven/releases/",
		},
		net: &fakeNet{
			reach: Reach{Steps: []Step{{"DNS", 3 * time.Millisecond}, {"TCP", 20 * time.Millisecond}, {"TLS", 40 * time.Millisecond}},
				Date: now, Received: now},
			resp: Response{Status: http.StatusNotFound, Date: now, Received: now},
		},
		cache: &fakeCache{st: CacheState{Backend: "file", Dir: "/run/user/1000/ca-helper", DirExists: true, DirMode: fs.ModeDir | 0o700}},
	}
}

func (w *world) run() Report {
	return Run(context.Background(), w.setup, Deps{AWS: w.aws, Net: w.net, Cache: w.cache,
		Now: func() time.Time { return now }, Timeout: time.Second, GOOS: "linux"})
}

// byName returns the result of the check called name.
func (r Report) byName(name string) Result {
	for _, c := range r.Checks {
		if c.Name == name {
			return c
		}
	}
	return Result{Name: name, Status: "missing"}
}
