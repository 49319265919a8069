package target

import (
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/names"
)

const exampleHost = "my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com"

func TestParseHost(t *testing.T) {
	tests := []struct {
		host                  string
		domain, owner, region string // all empty: want an error
	}{
		{exampleHost, "my-domain", "111122223333", "eu-west-1"},
		{"a1-2b-3-123456789012.d.codeartifact.us-east-1.amazonaws.com", "a1-2b-3", "123456789012", "us-east-1"},
		{"team-42-111122223333.d.codeartifact.us-east-1.amazonaws.com", "team-42", "111122223333", "us-east-1"},
		{"dom2024-000000000001.d.codeartifact.ap-southeast-2.amazonaws.com", "dom2024", "000000000001", "ap-southeast-2"},
		{"ab-111122223333.d.codeartifact.us-gov-west-1.amazonaws.com", "ab", "111122223333", "us-gov-west-1"},
		{"my-domain-111122223333.d.codeartifact.cn-north-1.amazonaws.com.cn", "my-domain", "111122223333", "cn-north-1"},
		{"MY-Domain-111122223333.D.CodeArtifact.EU-WEST-1.AmazonAWS.com", "my-domain", "111122223333", "eu-west-1"},
		{exampleHost + ".", "my-domain", "111122223333", "eu-west-1"},
		{strings.Repeat("a", 50) + "-111122223333.d.codeartifact.eu-west-1.amazonaws.com", strings.Repeat("a", 50), "111122223333", "eu-west-1"},

		// look-alikes and extra labels
		{"x-111122223333.d.codeartifact.us-east-1.amazonaws.com.evil.com", "", "", ""},
		{"x-111122223333.d.codeartifact.us-east-1.amazonaws.com.cn.evil.com", "", "", ""},
		{"x-111122223333.d.codeartifact.us-east-1.amazonaws.com-evil.com", "", "", ""},
		{"x-111122223333.d.codeartifact.cn-north-1.amazonaws.com", "", "", ""}, // found by FuzzParseHost
		{"x-111122223333.d.codeartifact.us-east-1.amazonaws.com.cn", "", "", ""},
		{"x-111122223333.d.codeartifact.us-east-1.amazonaws.co", "", "", ""},
		{"evil.x-111122223333.d.codeartifact.us-east-1.amazonaws.com", "", "", ""},
		{"x-111122223333.codeartifact.us-east-1.amazonaws.com", "", "", ""},
		{"x-111122223333.d.codeartifact.us-east-1.amazonaws.com..", "", "", ""},
		{"x-111122223333.d.codeartifactXus-east-1.amazonaws.com", "", "", ""},
		{exampleHost + ":443", "", "", ""},
		{"", "", "", ""},
		// owner must be exactly the 12 digits after the last dash
		{"x-11112222333.d.codeartifact.us-east-1.amazonaws.com", "", "", ""},
		{"x-1111222233334.d.codeartifact.us-east-1.amazonaws.com", "", "", ""},
		{"x111122223333.d.codeartifact.us-east-1.amazonaws.com", "", "", ""},
		// domain and region must be valid on their own
		{"1dom-111122223333.d.codeartifact.us-east-1.amazonaws.com", "", "", ""},
		{"dom--111122223333.d.codeartifact.us-east-1.amazonaws.com", "", "", ""},
		{"a-111122223333.d.codeartifact.us-east-1.amazonaws.com", "", "", ""},
		{strings.Repeat("a", 51) + "-111122223333.d.codeartifact.eu-west-1.amazonaws.com", "", "", ""},
		{"x-111122223333.d.codeartifact.euwest1.amazonaws.com", "", "", ""},
		{"x-111122223333.d.codeartifact.eu-west.amazonaws.com", "", "", ""},
		{"x_y-111122223333.d.codeartifact.eu-west-1.amazonaws.com", "", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.host, func(t *testing.T) {
			ep, err := ParseHost(tt.host)
			if tt.domain == "" {
				if err == nil {
					t.Fatalf("ParseHost(%q) = %+v, want an error", tt.host, ep)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseHost(%q): %v", tt.host, err)
			}
			want := Endpoint{Domain: tt.domain, Owner: tt.owner, Region: tt.region}
			if ep != want {
				t.Errorf("ParseHost(%q) = %+v, want %+v", tt.host, ep, want)
			}
		})
	}
}

func TestParseURL(t *testing.T) {
	base := "https://" + exampleHost
	tests := []struct {
		name, raw    string
		format, repo string
		wantErr      string // non-empty: the error must contain it
	}{
		{name: "maven", raw: base + "/maven/releases/", format: "maven", repo: "releases"},
		{name: "no trailing slash", raw: base + "/maven/releases", format: "maven", repo: "releases"},
		{name: "artifact path", raw: base + "/maven/releases/com/acme/lib/1.0/lib-1.0.jar", format: "maven", repo: "releases"},
		{name: "npm", raw: base + "/npm/my.repo_2-x/", format: "npm", repo: "my.repo_2-x"},
		{name: "host only", raw: base},
		{name: "host and slash", raw: base + "/"},
		{name: "format only", raw: base + "/maven/"},
		{name: "spaces around", raw: "  " + base + "/maven/releases/\n", format: "maven", repo: "releases"},
		{name: "uppercase scheme and host", raw: "HTTPS://" + strings.ToUpper(exampleHost) + "/maven/Releases/", format: "maven", repo: "Releases"},
		{name: "query ignored", raw: base + "/maven/releases/?x=1", format: "maven", repo: "releases"},
		{name: "china", raw: "https://dd-111122223333.d.codeartifact.cn-northwest-1.amazonaws.com.cn/pypi/r1/", format: "pypi", repo: "r1"},

		{name: "http", raw: "http://" + exampleHost + "/maven/releases/", wantErr: "https"},
		{name: "no scheme", raw: exampleHost + "/maven/releases/", wantErr: "https"},
		{name: "user info", raw: "https://aws@" + exampleHost + "/maven/releases/", wantErr: "credentials"},
		{name: "user and password", raw: "https://aws:s3cretTOKEN@" + exampleHost + "/maven/releases/", wantErr: "credentials"},
		{name: "port 443", raw: base + ":443/maven/releases/", wantErr: "port"},
		{name: "port 8443", raw: base + ":8443/maven/releases/", wantErr: "port"},
		{name: "look-alike", raw: "https://x-111122223333.d.codeartifact.us-east-1.amazonaws.com.evil.com/maven/r/", wantErr: "not a CodeArtifact host"},
		{name: "repo starts with dash", raw: base + "/maven/-releases/", wantErr: "not a valid repository"},
		{name: "repo too short", raw: base + "/maven/r/", wantErr: "not a valid repository"},
		{name: "repo too long", raw: base + "/maven/" + strings.Repeat("r", 101) + "/", wantErr: "not a valid repository"},
		{name: "repo with space", raw: base + "/maven/re%20leases/", wantErr: "not a valid repository"},
		{name: "empty repo segment", raw: base + "/maven//releases/", wantErr: "not a valid repository"},
		{name: "bad escape", raw: base + "/maven/%zz/", wantErr: "not a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ep, err := ParseURL(tt.raw)
			if tt.wantErr != "" {
				if err == nil {
					t.Fatalf("ParseURL(%q) = %+v, want an error", tt.raw, ep)
				}
				if !strings.Contains(err.Error(), tt.wantErr) {
					t.Errorf("ParseURL(%q) error %q does not contain %q", tt.raw, err, tt.wantErr)
				}
				if strings.ContainsAny(err.Error(), "\n\r") {
					t.Errorf("error is not one line: %q", err)
				}
				return
			}
			if err != nil {
				t.Fatalf("ParseURL(%q): %v", tt.raw, err)
			}
			if ep.Domain == "" || ep.Owner == "" || ep.Region == "" {
				t.Errorf("ParseURL(%q) = %+v: missing domain, owner or region", tt.raw, ep)
			}
			if ep.Format != tt.format || ep.Repository != tt.repo {
				t.Errorf("ParseURL(%q) format, repo = %q, %q, want %q, %q", tt.raw, ep.Format, ep.Repository, tt.format, tt.repo)
			}
		})
	}
}

// A password in the URL (people paste https://aws:TOKEN@host/...) must not
// reach the error message, whatever else is wrong with the URL.
func TestParseURLNeverEchoesPassword(t *testing.T) {
	const secret = "eyJzZWNyZXQiOnRydWV9"
	for _, raw := range []string{
		"https://aws:" + secret + "@" + exampleHost + "/maven/releases/",
		"http://aws:" + secret + "@" + exampleHost + "/maven/releases/",
		"ftp://aws:" + secret + "@" + exampleHost + "/",
		"https://aws:" + secret + "@" + exampleHost + "/maven/%zz/",
		"https://aws:" + secret + "@evil.example.com/maven/releases/",
		"https://aws:" + secret + "@" + exampleHost + ":8443/",
	} {
		_, err := ParseURL(raw)
		if err == nil {
			t.Errorf("ParseURL(%q) succeeded, want an error", raw)
			continue
		}
		if strings.Contains(err.Error(), secret) {
			t.Errorf("ParseURL error leaks the password: %q", err)
		}
	}
}

func TestEndpointHostRoundTrip(t *testing.T) {
	for _, host := range []string{
		exampleHost,
		"my-domain-111122223333.d.codeartifact.cn-north-1.amazonaws.com.cn",
		"a1-2b-3-123456789012.d.codeartifact.us-gov-west-1.amazonaws.com",
	} {
		ep, err := ParseHost(host)
		if err != nil {
			t.Fatalf("ParseHost(%q): %v", host, err)
		}
		if got := ep.Host(); got != host {
			t.Errorf("Host() = %q, want %q", got, host)
		}
	}
}

func FuzzParseURL(f *testing.F) {
	for _, s := range []string{
		"https://" + exampleHost + "/maven/releases/",
		"https://a-b-1-111122223333.d.codeartifact.cn-north-1.amazonaws.com.cn/npm/x1/",
		"https://x-111122223333.d.codeartifact.us-east-1.amazonaws.com.evil.com/",
		"https://u:p@" + exampleHost + ":1/%zz",
		"HTTPS://" + strings.ToUpper(exampleHost) + "./maven/r2",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		ep, err := ParseURL(raw)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		if !names.Domain(ep.Domain) || !names.Account(ep.Owner) || !names.Region(ep.Region) {
			t.Fatalf("ParseURL(%q) = %+v: invalid field accepted", raw, ep)
		}
		if ep.Repository != "" && !names.Repository(ep.Repository) {
			t.Fatalf("ParseURL(%q) = %+v: invalid repository accepted", raw, ep)
		}
		again, err := ParseHost(ep.Host())
		if err != nil || again.Domain != ep.Domain || again.Owner != ep.Owner || again.Region != ep.Region {
			t.Fatalf("Host() %q of %+v does not parse back: %+v, %v", ep.Host(), ep, again, err)
		}
	})
}

// FuzzParseHost checks the gate in front of every credential answer: a host
// that parses names exactly one CodeArtifact endpoint, spelled the one way
// Host() spells it, so a token is never handed to a look-alike host.
func FuzzParseHost(f *testing.F) {
	for _, s := range []string{
		exampleHost,
		"a-b-1-111122223333.d.codeartifact.cn-north-1.amazonaws.com.cn",
		"x-111122223333.d.codeartifact.us-east-1.amazonaws.com.evil.com",
		"x-111122223333.d.codeartifact.us-east-1.amazonaws.com.",
		"evil.com/x-111122223333.d.codeartifact.us-east-1.amazonaws.com",
		"x-11112222333.d.codeartifact.us-east-1.amazonaws.com",
		strings.ToUpper(exampleHost),
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, host string) {
		ep, err := ParseHost(host)
		if err != nil {
			if strings.ContainsAny(err.Error(), "\n\r") {
				t.Fatalf("error is not one line: %q", err)
			}
			return
		}
		if !names.Domain(ep.Domain) || !names.Account(ep.Owner) || !names.Region(ep.Region) {
			t.Fatalf("ParseHost(%q) = %+v: invalid field accepted", host, ep)
		}
		if want := strings.ToLower(strings.TrimSuffix(host, ".")); ep.Host() != want {
			t.Fatalf("ParseHost(%q) accepted a host that is not %q", host, ep.Host())
		}
	})
}
