package command

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/helper/awsproc"
)

// askingAWS records whether each request asked for the SDK's log lines.
type askingAWS struct {
	refusingAWS
	debug *[]bool
}

func (a askingAWS) Token(ctx context.Context, r awsproc.Request) (awsproc.Token, error) {
	*a.debug = append(*a.debug, r.Debug)
	return a.refusingAWS.Token(ctx, r)
}

// ca-helper-aws sends the SDK's log lines to stderr only when asked, and
// ca-helper asks exactly when the run has --debug.
func TestGetPassesDebugToAWS(t *testing.T) {
	tests := []struct {
		name string
		args []string
		want bool
	}{
		{"no debug", []string{"get", "--domain", "d1", "--region", "eu-west-1", "--cache", "none"}, false},
		{"--debug", []string{"get", "--debug", "--domain", "d1", "--region", "eu-west-1", "--cache", "none"}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var asked []bool
			s := newSystem(t)
			s.aws = askingAWS{debug: &asked}
			s.run(tt.args...)
			if len(asked) != 1 || asked[0] != tt.want {
				t.Errorf("requests asked for debug %v, want one asking %v", asked, tt.want)
			}
		})
	}
}

// plainAWS fails with an error that carries no hint.
type plainAWS struct{ refusingAWS }

func (plainAWS) Token(context.Context, awsproc.Request) (awsproc.Token, error) {
	return awsproc.Token{}, errors.New("something unforeseen")
}

// Every failure of get prints an error line and a hint line, even for an
// error made without a hint.
func TestGetFailureAlwaysHasAHint(t *testing.T) {
	s := newSystem(t)
	s.aws = plainAWS{}
	code, stdout, stderr := s.run("get", "--domain", "d1", "--region", "eu-west-1", "--cache", "none")
	lines := strings.Split(strings.TrimSuffix(stderr, "\n"), "\n")
	if code != 1 || stdout != "" || len(lines) != 2 || !strings.Contains(lines[0], "error: ") ||
		lines[1] != "ca-helper: hint: "+fallbackHint {
		t.Errorf("exit %d, stdout %q, stderr:\n%s\nwant exit 1, an error line and the fallback hint", code, stdout, stderr)
	}
}

// doctor asks for the SDK's log lines exactly when it runs with --debug.
func TestDoctorPassesDebugToAWS(t *testing.T) {
	for _, debug := range []bool{false, true} {
		args := []string{"--domain", "my-domain", "--region", "eu-west-1"}
		if debug {
			args = append(args, "--debug")
		}
		f := &sdkFake{}
		runDoctor(newSystem(t), f, args...)
		if f.got.Debug != debug {
			t.Errorf("doctor %v: request Debug = %v", args, f.got.Debug)
		}
	}
}
