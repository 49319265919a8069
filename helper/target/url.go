package target

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"sync"

	"github.com/ca-helper/ca-helper/helper/names"
	"github.com/ca-helper/ca-helper/helper/safetext"
)

// Endpoint is what a CodeArtifact repository URL or host names.
type Endpoint struct {
	Domain, Owner, Region string
	Format, Repository    string // empty when only a host was given
}

// hostPattern matches DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com and the
// China partition. The owner is the last 12 digits of the first label, so domains
// with dashes (and digits) split correctly.
// It is compiled on first use: a cached `get` never parses a host.
var hostPattern = sync.OnceValue(func() *regexp.Regexp {
	return regexp.MustCompile(`^([a-z0-9-]+)-([0-9]{12})\.d\.codeartifact\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$`)
})

// ParseHost splits a CodeArtifact repository host into domain, owner and region.
// Host names are case-insensitive; anything that is not exactly a CodeArtifact
// host (extra labels, ports, look-alike suffixes) is an error.
func ParseHost(host string) (Endpoint, error) {
	h := strings.ToLower(strings.TrimSuffix(host, "."))
	m := hostPattern().FindStringSubmatch(h)
	if m == nil {
		return Endpoint{}, fmt.Errorf("%q is not a CodeArtifact host (DOMAIN-OWNER.d.codeartifact.REGION.amazonaws.com)", host)
	}
	ep := Endpoint{Domain: m[1], Owner: m[2], Region: m[3]}
	if !names.Domain(ep.Domain) {
		return Endpoint{}, fmt.Errorf("host %q: %q is not a valid domain name", host, ep.Domain)
	}
	if !names.Region(ep.Region) {
		return Endpoint{}, fmt.Errorf("host %q: %q is not a valid region", host, ep.Region)
	}
	if ep.Host() != h { // a China region under .amazonaws.com, or the reverse
		return Endpoint{}, fmt.Errorf("host %q: region %q is served at %s, not under this suffix", host, ep.Region, ep.Host())
	}
	return ep, nil
}

// ParseURL reads a repository endpoint such as
// https://my-domain-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/releases/.
// The path, when present, gives the package format and the repository.
func ParseURL(raw string) (Endpoint, error) {
	u, err := url.Parse(strings.TrimSpace(raw))
	if err != nil {
		return Endpoint{}, fmt.Errorf("not a URL: %w", errors.Unwrap(err)) // *url.Error quotes the URL, password included
	}
	if u.Scheme != "https" {
		return Endpoint{}, fmt.Errorf("%q: scheme must be https", safetext.URL(raw))
	}
	if u.User != nil {
		return Endpoint{}, fmt.Errorf("%q: URL must not carry credentials", safetext.URL(raw))
	}
	if u.Port() != "" {
		return Endpoint{}, fmt.Errorf("%q: a CodeArtifact URL has no port", safetext.URL(raw))
	}
	ep, err := ParseHost(u.Hostname())
	if err != nil {
		return Endpoint{}, err
	}
	parts := strings.Split(strings.Trim(u.Path, "/"), "/")
	if len(parts) >= 2 && parts[0] != "" {
		ep.Format, ep.Repository = parts[0], parts[1]
		if !names.Repository(ep.Repository) {
			return Endpoint{}, fmt.Errorf("%q: %q is not a valid repository name", safetext.URL(raw), ep.Repository)
		}
	}
	return ep, nil
}

// Host is the repository host for the endpoint's domain, owner and region.
func (e Endpoint) Host() string {
	suffix := ".amazonaws.com"
	if strings.HasPrefix(e.Region, "cn-") {
		suffix += ".cn"
	}
	return fmt.Sprintf("%s-%s.d.codeartifact.%s%s", e.Domain, e.Owner, e.Region, suffix)
}
