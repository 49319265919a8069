package credproto

import (
	"bytes"
	"context"
	"reflect"
	"strings"
	"testing"
)

// Requests as Cargo serialises them (cargo-credential's CredentialRequest:
// v, registry, then the flattened action; args only when not empty).
const (
	ourIndex   = "sparse+https://" + ourHost + "/cargo/my-repo/"
	cargoRead  = `{"v":1,"registry":{"index-url":"` + ourIndex + `","name":"my-registry"},"kind":"get","operation":"read"}` + "\n"
	cargoPub   = `{"v":1,"registry":{"index-url":"` + ourIndex + `","name":"my-registry"},"kind":"get","operation":"publish","name":"sample","vers":"0.1.0","cksum":"d2a5ab8c0c4b9c45b7a6e3f1a1e7f5d3f8a3a4b2e1c9d8f7e6a5b4c3d2e1f0a9"}` + "\n"
	cargo401   = `{"v":1,"registry":{"index-url":"` + ourIndex + `","name":"my-registry","headers":["HTTP/1.1 401 Unauthorized","www-authenticate: Cargo login_url=\"https://example.com/\""]},"kind":"get","operation":"read","args":["cargo-credential"]}` + "\n"
	cargoLogin = `{"v":1,"registry":{"index-url":"` + ourIndex + `","name":"my-registry"},"kind":"login","token":"<the token value>","login-url":"http://registry-url/login","args":[]}` + "\n"
	cargoOut   = `{"v":1,"registry":{"index-url":"` + ourIndex + `","name":"my-registry"},"kind":"logout"}` + "\n"

	hello         = `{"v":[1]}` + "\n"
	tokenAnswer   = `{"Ok":{"kind":"get","token":"` + secret + `","cache":"expires","expiration":1767225600,"operation_independent":true}}` + "\n"
	cargoLogout   = `{"Ok":{"kind":"logout"}}` + "\n"
	notSupported  = `{"Err":{"kind":"url-not-supported"}}` + "\n"
	opUnsupported = `{"Err":{"kind":"operation-not-supported"}}` + "\n"
)

func cargoGet(indexURL string) string {
	return `{"v":1,"registry":{"index-url":"` + indexURL + `"},"kind":"get","operation":"read"}` + "\n"
}

func cargoErrOther(msg string) string {
	return `{"Err":{"kind":"other","message":"` + msg + `","caused-by":[]}}` + "\n"
}

func TestCargo(t *testing.T) {
	tests := []struct {
		name   string
		in     string
		fake   fake
		want   string // after the hello
		looked []string
		erased []string
	}{
		{name: "hello only", in: ""},
		{name: "read", in: cargoRead, want: tokenAnswer, looked: []string{ourHost}},
		{name: "publish", in: cargoPub, want: tokenAnswer, looked: []string{ourHost}},
		{name: "after a 401, with args", in: cargo401, want: tokenAnswer, looked: []string{ourHost}},
		{name: "several requests in one stream",
			in:     cargoRead + cargoPub + cargoOut + cargoLogin + cargoGet("sparse+https://index.crates.io/"),
			want:   tokenAnswer + tokenAnswer + cargoLogout + opUnsupported + notSupported,
			looked: []string{ourHost, ourHost, ourHost, "index.crates.io"}, erased: []string{ourHost}},
		{name: "last line without newline", in: strings.TrimSuffix(cargoRead, "\n"), want: tokenAnswer, looked: []string{ourHost}},
		{name: "no expiry known", in: cargoRead, fake: fake{noExpiry: true},
			want:   `{"Ok":{"kind":"get","token":"` + secret + `","cache":"never","operation_independent":true}}` + "\n",
			looked: []string{ourHost}},
		{name: "index without sparse+", in: cargoGet("https://" + ourHost + "/cargo/my-repo/"), want: tokenAnswer, looked: []string{ourHost}},
		{name: "uppercase host", in: cargoGet("sparse+https://" + strings.ToUpper(ourHost) + "/cargo/r/"), want: tokenAnswer, looked: []string{ourHost}},
		{name: "crates.io", in: cargoGet("sparse+https://index.crates.io/"), want: notSupported, looked: []string{"index.crates.io"}},
		{name: "git index", in: cargoGet("https://github.com/rust-lang/crates.io-index"), want: notSupported, looked: []string{"github.com"}},
		{name: "look-alike host", in: cargoGet("sparse+https://" + ourHost + ".evil.com/cargo/r/"), want: notSupported, looked: []string{ourHost + ".evil.com"}},
		{name: "host with port", in: cargoGet("sparse+https://" + ourHost + ":8443/cargo/r/"), want: notSupported, looked: []string{ourHost + ":8443"}},
		{name: "http", in: cargoGet("sparse+http://" + ourHost + "/cargo/r/"), want: notSupported},
		{name: "user in URL", in: cargoGet("sparse+https://aws@" + ourHost + "/cargo/r/"), want: notSupported},
		{name: "not a URL", in: cargoGet("sparse+https://[::1"), want: notSupported},
		{name: "login for our host", in: cargoLogin, want: opUnsupported, looked: []string{ourHost}},
		{name: "login for another host", in: `{"v":1,"registry":{"index-url":"sparse+https://index.crates.io/","name":"crates-io"},"kind":"login"}` + "\n",
			want: notSupported, looked: []string{"index.crates.io"}},
		{name: "unknown kind", in: `{"v":1,"registry":{"index-url":"` + ourIndex + `"},"kind":"rotate"}` + "\n", want: opUnsupported, looked: []string{ourHost}},
		{name: "logout of another host", in: `{"v":1,"registry":{"index-url":"sparse+https://index.crates.io/"},"kind":"logout"}` + "\n", want: notSupported},
		{name: "lookup error", in: cargoRead + cargoRead, fake: fake{err: errLookup},
			want: cargoErrOther("no AWS credentials found") + cargoErrOther("no AWS credentials found"), looked: []string{ourHost, ourHost}},
		{name: "erase error", in: cargoOut, fake: fake{err: errLookup}, want: cargoErrOther("no AWS credentials found")},
		{name: "token with a newline", in: cargoRead, fake: fake{token: "a\nb"},
			want: cargoErrOther(errBadToken.Error()), looked: []string{ourHost}},
		{name: "malformed JSON ends the session", in: "{\"v\":1,\n" + cargoRead,
			want: cargoErrOther("malformed request: unexpected end of JSON input")},
		{name: "blank line ends the session", in: "\n" + cargoRead,
			want: cargoErrOther("malformed request: unexpected end of JSON input")},
		{name: "missing v", in: `{"registry":{"index-url":"` + ourIndex + `"},"kind":"get"}` + "\n" + cargoRead,
			want: cargoErrOther("malformed request: missing field `v`")},
		{name: "protocol version 2", in: `{"v":2,"registry":{"index-url":"` + ourIndex + `"},"kind":"get"}` + "\n" + cargoRead,
			want: cargoErrOther("unsupported protocol version 2")},
		{name: "missing registry", in: `{"v":1,"kind":"get","operation":"read"}` + "\n" + cargoRead,
			want: cargoErrOther("malformed request: missing field `registry.index-url`")},
		{name: "oversized line", in: `{"v":1,"x":"` + strings.Repeat("a", 70000) + `"}` + "\n" + cargoRead,
			want: cargoErrOther("bad input: request line longer than 65536 bytes")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake
			var out bytes.Buffer
			if err := Cargo(context.Background(), strings.NewReader(tt.in), &out, f.lookup, f.erase); err != nil {
				t.Fatalf("Cargo() error = %v", err)
			}
			if got, want := out.String(), hello+tt.want; got != want {
				t.Errorf("output:\n%s\nwant:\n%s", got, want)
			}
			if !reflect.DeepEqual(f.looked, tt.looked) {
				t.Errorf("lookups = %q, want %q", f.looked, tt.looked)
			}
			if !reflect.DeepEqual(f.erased, tt.erased) {
				t.Errorf("erased = %q, want %q", f.erased, tt.erased)
			}
		})
	}
}

func TestCargoWriteError(t *testing.T) {
	f := fake{}
	if err := Cargo(context.Background(), strings.NewReader(cargoRead), errWriter{}, f.lookup, f.erase); err == nil {
		t.Fatal("Cargo() error = nil, want the write error")
	}
	if len(f.looked) != 0 {
		t.Errorf("lookups = %q after the hello failed", f.looked)
	}
}
