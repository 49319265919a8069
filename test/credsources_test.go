package test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

// `ca-helper get` with each real credential source. The fake CodeArtifact
// verifies every signature with the secret of the source under test and
// records the access key id, so each test shows which credentials were used.

func TestCredSourceAssumeRoleProfileViaMoto(t *testing.T) {
	moto := startMoto(t)
	const roleARN = "arn:aws:iam::123456789012:role/ca-helper-ci"
	base := awsKeys{"AKIDBASEPROFILE", "base-profile-secret"}
	// moto draws the keys it issues from a seedable generator: probe once to
	// learn the pair the next AssumeRole returns, so the fake can verify the
	// signature made with the assumed role's secret.
	moto.seed(t, 42)
	assumed := moto.assumeRole(t, roleARN)
	moto.seed(t, 42)
	if !strings.HasPrefix(assumed.keyID, "ASIA") {
		t.Fatalf("moto issued %q, want a temporary ASIA… key", assumed.keyID)
	}
	sts := recordKeys(t, moto.url)
	h := newHarness(t, fake.Options{Secrets: map[string]string{base.keyID: base.secret, assumed.keyID: assumed.secret}})
	h.useProfiles(
		"[profile base]\n\n[profile ci]\nrole_arn = "+roleARN+"\nsource_profile = base\n",
		"[base]\naws_access_key_id = "+base.keyID+"\naws_secret_access_key = "+base.secret+"\n")
	h.env["AWS_ENDPOINT_URL_STS"] = sts.url

	roleTok := h.mustGet("--profile", "ci")
	if got := tokenCallers(h.fake); !slices.Equal(got, []string{assumed.keyID}) {
		t.Fatalf("CodeArtifact calls signed by %v, want only the assumed role's %s", got, assumed.keyID)
	}
	if got := sts.keyIDs(); !slices.Equal(got, []string{base.keyID}) {
		t.Fatalf("STS calls signed by %v, want one, by the source profile's %s", got, base.keyID)
	}
	issued := false
	for _, r := range moto.assumedRoles(t) {
		issued = issued || (r.SessionName != "probe" && r.RoleARN == roleARN && r.KeyID == assumed.keyID)
	}
	if !issued {
		t.Fatalf("moto has no AssumeRole of %s by ca-helper issuing %s: %+v", roleARN, assumed.keyID, moto.assumedRoles(t))
	}

	// A cache hit needs no credentials, so no second AssumeRole.
	if again := h.mustGet("--profile", "ci"); again != roleTok || h.fake.TokenCalls() != 1 || len(sts.keyIDs()) != 1 {
		t.Fatalf("second get: same token %v, API calls %d, STS calls %d; want a cache hit", again == roleTok, h.fake.TokenCalls(), len(sts.keyIDs()))
	}
	// The source profile is another identity: its own call, token and cache entry.
	baseTok := h.mustGet("--profile", "base")
	if got := tokenCallers(h.fake); baseTok == roleTok || !slices.Equal(got, []string{assumed.keyID, base.keyID}) {
		t.Fatalf("get --profile base: new token %v, callers %v; want a second call signed by %s", baseTok != roleTok, got, base.keyID)
	}
	if files := h.cacheFiles(); len(files) != 2 {
		t.Fatalf("cache files %v, want one for the role profile and one for its source", files)
	}
}

func TestCredSourceEC2InstanceRoleIMDSv2(t *testing.T) {
	role := awsKeys{"ASIAIMDSROLETEST", "imds-role-secret"}
	imds := startIMDSMock(t, role)
	h := newHarness(t, fake.Options{Secrets: map[string]string{role.keyID: role.secret}})
	h.noEnvKeys()
	h.env["AWS_EC2_METADATA_DISABLED"] = ""
	h.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = imds
	h.mustGet()
	if got := tokenCallers(h.fake); !slices.Equal(got, []string{role.keyID}) {
		t.Fatalf("CodeArtifact calls signed by %v, want the instance role's %s", got, role.keyID)
	}
}

func TestCredSourceContainerEndpoint(t *testing.T) {
	const authToken = "container-authorization-token"
	task := awsKeys{"AKIDCONTAINER", "container-secret"}
	var mu sync.Mutex
	var asked []string // "PATH AUTHORIZATION" of each request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		asked = append(asked, r.URL.Path+" "+r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path != "/creds" || r.Header.Get("Authorization") != authToken {
			w.WriteHeader(http.StatusUnauthorized)
			json.NewEncoder(w).Encode(map[string]string{"code": "AccessDenied", "message": "bad authorization token"})
			return
		}
		json.NewEncoder(w).Encode(map[string]string{
			"AccessKeyId": task.keyID, "SecretAccessKey": task.secret, "Token": "container-session-token",
			"Expiration": time.Now().Add(6 * time.Hour).UTC().Format(time.RFC3339),
		})
	}))
	t.Cleanup(srv.Close)
	asks := func() []string {
		mu.Lock()
		defer mu.Unlock()
		return append([]string(nil), asked...)
	}

	h := newHarness(t, fake.Options{Secrets: map[string]string{task.keyID: task.secret}})
	h.noEnvKeys()
	h.env["AWS_CONTAINER_CREDENTIALS_FULL_URI"] = srv.URL + "/creds"
	h.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = authToken
	h.mustGet()
	if got := tokenCallers(h.fake); !slices.Equal(got, []string{task.keyID}) {
		t.Fatalf("CodeArtifact calls signed by %v, want the container's %s", got, task.keyID)
	}
	if got := asks(); !slices.Equal(got, []string{"/creds " + authToken}) {
		t.Fatalf("credential endpoint saw %q, want one request carrying the authorization token", got)
	}

	t.Run("wrong authorization token", func(t *testing.T) {
		h.env["AWS_CONTAINER_AUTHORIZATION_TOKEN"] = "stale"
		r := h.run("ca-helper", "get", "--refresh")
		wantFailure(t, r, 3, "get AWS credentials")
		if n := h.fake.TokenCalls(); n != 1 {
			t.Errorf("%d CodeArtifact calls, want none after the first get", n)
		}
	})
}

// A laptop: no keys, no profile, IMDS enabled but nothing answering it. The
// SDK's own IMDS client retries for 4–5 s; ca-helper must give up quickly.
func TestCredSourceNoIMDSFailsFast(t *testing.T) {
	cases := []struct{ name, endpoint string }{
		{"connection refused", "http://127.0.0.1:1"},
		{"accepts but never answers", silentEndpoint(t)},
		// Unroutable, so the connect times out (a sandbox's proxy may answer it).
		{"unroutable address", "http://10.255.255.1"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			h := newHarness(t, fake.Options{})
			h.noEnvKeys()
			h.env["AWS_EC2_METADATA_DISABLED"] = ""
			h.env["AWS_EC2_METADATA_SERVICE_ENDPOINT"] = tc.endpoint
			r := h.run("ca-helper", "get")
			wantFailure(t, r, 3, "no credentials")
			if r.took > 1500*time.Millisecond {
				t.Errorf("failing took %s, want well under 2 s", r.took.Round(time.Millisecond))
			}
			for _, fix := range []string{"AWS_PROFILE", "aws configure", "aws sso login"} {
				if !strings.Contains(r.stderr, fix) {
					t.Errorf("hint does not suggest %q:\n%s", fix, r.stderr)
				}
			}
			if n := len(h.fake.Requests()); n != 0 {
				t.Errorf("%d requests reached CodeArtifact without credentials", n)
			}
			if files := h.cacheFiles(); len(files) != 0 {
				t.Errorf("a failure left cache entries: %v", files)
			}
		})
	}
}

// Two identities never share a cached token; the same identity named two ways
// (--profile, AWS_PROFILE) does.
func TestCredSourceCacheKeyPerIdentity(t *testing.T) {
	alpha := awsKeys{"AKIDALPHAPROFILE", "alpha-secret"}
	beta := awsKeys{"AKIDBETAPROFILE", "beta-secret"}
	h := newHarness(t, fake.Options{Secrets: map[string]string{
		alpha.keyID: alpha.secret, beta.keyID: beta.secret, testKeyID: testSecret}})
	h.useProfiles("[profile alpha]\n\n[profile beta]\n",
		"[alpha]\naws_access_key_id = "+alpha.keyID+"\naws_secret_access_key = "+alpha.secret+"\n"+
			"[beta]\naws_access_key_id = "+beta.keyID+"\naws_secret_access_key = "+beta.secret+"\n")

	a := h.mustGet("--profile", "alpha")
	b := h.mustGet("--profile", "beta")
	if got := tokenCallers(h.fake); a == b || !slices.Equal(got, []string{alpha.keyID, beta.keyID}) {
		t.Fatalf("profiles alpha, beta: distinct tokens %v, callers %v; want one call each", a != b, got)
	}
	files := h.cacheFiles()
	if len(files) != 2 || !strings.Contains(files[0], "_alpha_") || !strings.Contains(files[1], "_beta_") {
		t.Fatalf("cache files %v, want one per profile, named after it", files)
	}

	h.env["AWS_PROFILE"] = "alpha"
	if again := h.mustGet(); again != a || h.fake.TokenCalls() != 2 {
		t.Fatalf("AWS_PROFILE=alpha after --profile alpha: same token %v, %d calls; want alpha's cached token", again == a, h.fake.TokenCalls())
	}
	h.env["AWS_PROFILE"] = ""

	// Keys in the environment and no profile: one entry per access key id.
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = testKeyID, testSecret
	c := h.mustGet()
	h.env["AWS_ACCESS_KEY_ID"], h.env["AWS_SECRET_ACCESS_KEY"] = alpha.keyID, alpha.secret
	d := h.mustGet()
	want := []string{alpha.keyID, beta.keyID, testKeyID, alpha.keyID}
	if got := tokenCallers(h.fake); !slices.Equal(got, want) || c == d || c == a || d == a {
		t.Fatalf("env keys: callers %v, want %v, each with its own token", got, want)
	}
	if files := h.cacheFiles(); len(files) != 4 {
		t.Fatalf("cache files %v, want 4 identities", files)
	}
}
