package credproto

import (
	"bytes"
	"context"
	"errors"
	"reflect"
	"strings"
	"testing"
)

const gitAnswer = "username=aws\npassword=" + secret + "\npassword_expiry_utc=1767225600\n"

func TestGit(t *testing.T) {
	oversized := "protocol=https\nhost=" + ourHost + "\n" + strings.Repeat("wwwauth[]="+strings.Repeat("a", 1000)+"\n", 66) + "\n"
	tests := []struct {
		name    string
		action  string
		in      string
		fake    fake
		want    string
		wantErr error // nil, ErrBadInput, or another sentinel matched with errors.Is
		looked  []string
		erased  []string
	}{
		{name: "get", action: "get",
			in:   "protocol=https\nhost=" + ourHost + "\n\n",
			want: gitAnswer, looked: []string{ourHost}},
		{name: "unknown keys are ignored", action: "get",
			in: "capability[]=authtype\ncapability[]=state\nprotocol=https\nhost=" + ourHost +
				"\npath=maven/releases/x.pom\nusername=aws\nwwwauth[]=Basic realm=\"x=y\"\nstate[]=a=b\n\n",
			want: gitAnswer, looked: []string{ourHost}},
		{name: "end of input without blank line", action: "get",
			in:   "protocol=https\nhost=" + ourHost,
			want: gitAnswer, looked: []string{ourHost}},
		{name: "CRLF line ends", action: "get",
			in:   "protocol=https\r\nhost=" + ourHost + "\r\n\r\n",
			want: gitAnswer, looked: []string{ourHost}},
		{name: "lines after the blank line are not read", action: "get",
			in:   "protocol=https\nhost=" + ourHost + "\n\nno equals sign\x00\n",
			want: gitAnswer, looked: []string{ourHost}},
		{name: "repeated key: the last wins, as in git", action: "get",
			in:   "protocol=https\nhost=evil.example\nhost=" + ourHost + "\n\n",
			want: gitAnswer, looked: []string{ourHost}},
		{name: "pinned host", action: "get",
			in:   "protocol=https\nhost=" + pinnedHost + "\n\n",
			want: gitAnswer, looked: []string{pinnedHost}},
		{name: "no expiry known", action: "get", fake: fake{noExpiry: true},
			in:   "protocol=https\nhost=" + ourHost + "\n\n",
			want: "username=aws\npassword=" + secret + "\n", looked: []string{ourHost}},
		{name: "line of exactly 4 KiB", action: "get",
			in:   "protocol=https\nhost=" + ourHost + "\nx=" + strings.Repeat("a", 4094) + "\n\n",
			want: gitAnswer, looked: []string{ourHost}},
		{name: "oversized total", action: "get", in: oversized, wantErr: ErrBadInput},
		{name: "oversized line", action: "get",
			in: "protocol=https\nhost=" + ourHost + "\nx=" + strings.Repeat("a", 4095) + "\n\n", wantErr: ErrBadInput},
		{name: "oversized line without newline", action: "get",
			in: "protocol=https\nhost=" + ourHost + "\nx=" + strings.Repeat("a", 10000), wantErr: ErrBadInput},
		{name: "NUL byte", action: "get",
			in: "protocol=https\nhost=" + ourHost + "\x00.evil.example\n\n", wantErr: ErrBadInput},
		{name: "line without =", action: "get",
			in: "protocol=https\nhost " + ourHost + "\n\n", wantErr: ErrBadInput},
		{name: "bad input on erase", action: "erase",
			in: "protocol=https\nhost=" + ourHost + "\ngarbage\n\n", wantErr: ErrBadInput},
		{name: "protocol=http", action: "get",
			in: "protocol=http\nhost=" + ourHost + "\n\n"},
		{name: "no protocol", action: "get",
			in: "host=" + ourHost + "\n\n"},
		{name: "no host", action: "get",
			in: "protocol=https\n\n"},
		{name: "empty input", action: "get"},
		{name: "look-alike host", action: "get",
			in:     "protocol=https\nhost=" + ourHost + ".evil.com\n\n",
			looked: []string{ourHost + ".evil.com"}},
		{name: "uppercase host", action: "get",
			in:   "protocol=https\nhost=" + strings.ToUpper(ourHost) + "\n\n",
			want: gitAnswer, looked: []string{ourHost}},
		{name: "host with port goes to the lookup whole", action: "get",
			in:     "protocol=https\nhost=" + ourHost + ":443\n\n",
			looked: []string{ourHost + ":443"}},
		{name: "lookup error", action: "get", fake: fake{err: errLookup},
			in: "protocol=https\nhost=" + ourHost + "\n\n", wantErr: errLookup, looked: []string{ourHost}},
		{name: "token with a newline", action: "get", fake: fake{token: "abc\nquit=1"},
			in: "protocol=https\nhost=" + ourHost + "\n\n", wantErr: errBadToken, looked: []string{ourHost}},
		{name: "token with NUL", action: "get", fake: fake{token: "abc\x00"},
			in: "protocol=https\nhost=" + ourHost + "\n\n", wantErr: errBadToken, looked: []string{ourHost}},
		{name: "erase calls the eraser", action: "erase",
			in:     "protocol=https\nhost=" + ourHost + "\nusername=aws\npassword=" + secret + "\n\n",
			erased: []string{ourHost}},
		{name: "erase of a host not ours", action: "erase",
			in: "protocol=https\nhost=github.com\n\n"},
		{name: "erase over http", action: "erase",
			in: "protocol=http\nhost=" + ourHost + "\n\n"},
		{name: "erase error", action: "erase", fake: fake{err: errLookup},
			in: "protocol=https\nhost=" + ourHost + "\n\n", wantErr: errLookup},
		{name: "store is a no-op", action: "store",
			in: "protocol=https\nhost=" + ourHost + "\nusername=aws\npassword=" + secret + "\n\n"},
		{name: "store ignores malformed input", action: "store", in: "no equals\x00\n"},
		{name: "unknown action is ignored, as gitcredentials(7) asks", action: "fill",
			in: "protocol=https\nhost=" + ourHost + "\n\n"},
		{name: "empty action", action: "",
			in: "protocol=https\nhost=" + ourHost + "\n\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := tt.fake
			var out bytes.Buffer
			err := Git(context.Background(), tt.action, strings.NewReader(tt.in), &out, f.lookup, f.erase)
			switch {
			case tt.wantErr == nil && err != nil:
				t.Fatalf("Git() error = %v", err)
			case tt.wantErr != nil && !errors.Is(err, tt.wantErr):
				t.Fatalf("Git() error = %v, want %v", err, tt.wantErr)
			case tt.wantErr != ErrBadInput && errors.Is(err, ErrBadInput):
				t.Fatalf("Git() error = %v, must not be ErrBadInput", err)
			}
			if got := out.String(); got != tt.want {
				t.Errorf("output = %q, want %q", got, tt.want)
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

// errWriter fails every write.
type errWriter struct{}

func (errWriter) Write([]byte) (int, error) { return 0, errors.New("broken pipe") }

func TestGitWriteError(t *testing.T) {
	f := fake{}
	err := Git(context.Background(), "get", strings.NewReader("protocol=https\nhost="+ourHost+"\n"), errWriter{}, f.lookup, f.erase)
	if err == nil || errors.Is(err, ErrBadInput) {
		t.Fatalf("Git() error = %v, want a write error", err)
	}
}
