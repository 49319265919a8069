package credproto

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

// bazelToken is the answer for ourHost: base64("aws:" + secret), expiry in UTC.
const bazelToken = `{"headers":{"Authorization":["Basic YXdzOnRvazNuLlNFQ1JFVC12YWx1ZV9+Ky89"]},"expires":"2026-01-01T00:00:00Z"}` + "\n"

func TestBazel(t *testing.T) {
	tests := []struct {
		name    string
		in      string
		fake    fake
		want    string
		wantErr error
		looked  []string
	}{
		// What Bazel's CredentialHelper writes: GSON of GetCredentialsRequest.
		{name: "get", in: `{"uri":"https://` + ourHost + `/maven/releases/com/example/lib/1.0/lib-1.0.pom"}`,
			want: bazelToken, looked: []string{ourHost}},
		{name: "pretty-printed, extra properties", in: "{\n  \"uri\": \"https://" + ourHost + "/generic/r/x.tgz\",\n  \"extra\": [1, {}]\n}\n",
			want: bazelToken, looked: []string{ourHost}},
		{name: "uppercase host", in: `{"uri":"https://` + strings.ToUpper(ourHost) + `/x"}`, want: bazelToken, looked: []string{ourHost}},
		{name: "pinned host", in: `{"uri":"https://` + pinnedHost + `/x"}`, want: bazelToken, looked: []string{pinnedHost}},
		{name: "no expiry known", in: `{"uri":"https://` + ourHost + `/x"}`, fake: fake{noExpiry: true},
			want: `{"headers":{"Authorization":["Basic YXdzOnRvazNuLlNFQ1JFVC12YWx1ZV9+Ky89"]}}` + "\n", looked: []string{ourHost}},
		{name: "not ours", in: `{"uri":"https://github.com/bazelbuild/bazel/archive/x.tar.gz"}`, want: "{}\n", looked: []string{"github.com"}},
		{name: "look-alike host", in: `{"uri":"https://` + ourHost + `.evil.com/x"}`, want: "{}\n", looked: []string{ourHost + ".evil.com"}},
		{name: "host with port", in: `{"uri":"https://` + ourHost + `:443/x"}`, want: "{}\n", looked: []string{ourHost + ":443"}},
		{name: "http", in: `{"uri":"http://` + ourHost + `/x"}`, want: "{}\n"},
		{name: "grpcs", in: `{"uri":"grpcs://` + ourHost + `/x"}`, want: "{}\n"},
		{name: "user in URI", in: `{"uri":"https://aws@` + ourHost + `/x"}`, want: "{}\n"},
		{name: "relative URI", in: `{"uri":"x/y"}`, want: "{}\n"},
		{name: "malformed JSON", in: `{"uri":"https://` + ourHost, wantErr: ErrBadInput},
		{name: "empty input", in: "", wantErr: ErrBadInput},
		{name: "missing uri", in: `{"url":"https://` + ourHost + `/x"}`, wantErr: ErrBadInput},
		{name: "empty uri", in: `{"uri":""}`, wantErr: ErrBadInput},
		{name: "uri not a string", in: `{"uri":42}`, wantErr: ErrBadInput},
		{name: "null", in: `null`, wantErr: ErrBadInput},
		{name: "array", in: `[{"uri":"https://` + ourHost + `/x"}]`, wantErr: ErrBadInput},
		{name: "two objects", in: `{"uri":"https://github.com/"}{"uri":"https://` + ourHost + `/x"}`, wantErr: ErrBadInput},
		{name: "unparsable uri", in: `{"uri":"https://[::1"}`, wantErr: ErrBadInput},
		{name: "oversized", in: `{"uri":"https://` + ourHost + `/x","pad":"` + strings.Repeat("a", 64<<10) + `"}`, wantErr: ErrBadInput},
		{name: "lookup error", in: `{"uri":"https://` + ourHost + `/x"}`, fake: fake{err: errLookup}, wantErr: errLookup, looked: []string{ourHost}},
		{name: "token with a control character", in: `{"uri":"https://` + ourHost + `/x"}`, fake: fake{token: "a\x1bb"},
			wantErr: errBadToken, looked: []string{ourHost}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake
			var out bytes.Buffer
			err := Bazel(context.Background(), strings.NewReader(tt.in), &out, f.lookup)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("Bazel() error = %v", err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("Bazel() error = %v, want %v", err, tt.wantErr)
			case tt.wantErr != ErrBadInput && errors.Is(err, ErrBadInput):
				t.Fatalf("Bazel() error = %v, must not be ErrBadInput", err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("output = %q, want %q", got, tt.want)
			}
			if !reflect.DeepEqual(f.looked, tt.looked) {
				t.Errorf("lookups = %q, want %q", f.looked, tt.looked)
			}
		})
	}
}
