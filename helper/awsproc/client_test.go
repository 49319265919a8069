package awsproc

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// fakeHelper writes a shell script standing in for ca-helper-aws; it records
// the request it was sent and answers with body.
func fakeHelper(t *testing.T, body string) (path, request string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake helper is a shell script")
	}
	dir := t.TempDir()
	path, request = filepath.Join(dir, "ca-helper-aws"), filepath.Join(dir, "request")
	script := "#!/bin/sh\n[ \"$1\" = --serve ] || exit 9\ncat > '" + request + "'\n" + body + "\n"
	if err := os.WriteFile(path, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	return path, request
}

func TestClientCall(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		timeout  time.Duration
		wantTok  string
		wantCode int // 0: no error
		wantMsg  string
	}{
		{"token", `echo '{"token":"tok","expiration":"2030-01-01T00:00:00Z"}'`, time.Second, "tok", 0, ""},
		{"classified error", `echo '{"error":{"code":3,"reason":"access denied","message":"denied","hint":"allow it"}}'`, time.Second, "", 3, "denied"},
		{"error with code 0 is a runtime failure", `echo '{"error":{"code":0,"message":"broke"}}'`, time.Second, "", 1, "broke"},
		{"error with an unknown code is a runtime failure", `echo '{"error":{"code":99,"message":"broke"}}'`, time.Second, "", 1, "broke"},
		{"error without a message", `echo '{"error":{"code":3}}'`, time.Second, "", 3, "without a message"},
		{"no answer", `exit 2`, time.Second, "", 1, "gave no answer"},
		{"garbage", `echo 'not json'`, time.Second, "", 1, "gave no answer"},
		{"too large", `head -c 2000000 /dev/zero | tr '\0' a`, time.Second, "", 1, "gave no answer"},
		{"hangs past the timeout", `sleep 30`, 100 * time.Millisecond, "", 1, "did not finish in time"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path, reqFile := fakeHelper(t, tt.body)
			c := Client{Path: path}
			start := time.Now()
			tok, err := c.Token(context.Background(), Request{Domain: "d1", Timeout: tt.timeout})
			if time.Since(start) > tt.timeout+5*time.Second {
				t.Errorf("call took %s", time.Since(start))
			}
			var e *Error
			switch {
			case tt.wantCode == 0 && (err != nil || tok.Value.Reveal() != tt.wantTok || tok.Expiration.Year() != 2030):
				t.Fatalf("Token = %+v, %v", tok, err)
			case tt.wantCode != 0 && (!errors.As(err, &e) || e.ExitCode() != tt.wantCode || !strings.Contains(e.Error(), tt.wantMsg) || e.Hint() == ""):
				t.Fatalf("error %v, want code %d containing %q and a hint", err, tt.wantCode, tt.wantMsg)
			}
			var sent Request
			if b, err := os.ReadFile(reqFile); err == nil {
				if err := json.Unmarshal(b, &sent); err != nil || sent.Op != OpToken || sent.Domain != "d1" {
					t.Errorf("request sent %q (%v)", b, err)
				}
			}
		})
	}
}

func TestLocateHonoursOverride(t *testing.T) {
	t.Setenv("CA_HELPER_AWS_BIN", "/opt/x/ca-helper-aws")
	if p, err := Locate(); err != nil || p != "/opt/x/ca-helper-aws" {
		t.Fatalf("Locate = %q, %v", p, err)
	}
	t.Setenv("CA_HELPER_AWS_BIN", "")
	t.Setenv("PATH", t.TempDir())
	var e *Error
	if _, err := Locate(); !errors.As(err, &e) || !strings.Contains(e.Hint(), "install.sh") {
		t.Fatalf("Locate without a helper: %v", err)
	}
}

// --debug crosses to ca-helper-aws in the request, for doctor as for a token.
func TestClientSendsDebug(t *testing.T) {
	path, reqFile := fakeHelper(t, `echo '{"error":{"code":1,"message":"stop here","hint":"h"}}'`)
	c := Client{Path: path}
	for _, debug := range []bool{false, true} {
		c.Doctor(context.Background(), DoctorRequest{Timeout: time.Second, Debug: debug})
		var sent Request
		if b, err := os.ReadFile(reqFile); err != nil || json.Unmarshal(b, &sent) != nil || sent.Op != OpDoctor || sent.Debug != debug {
			t.Errorf("doctor with Debug %v sent %+v (%v)", debug, sent, err)
		}
	}
}
