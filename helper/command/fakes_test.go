package command

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/ca-helper/ca-helper/helper/awsproc"
	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/helper/failure"
)

// writeFile writes content to name in a new temp dir and returns the path.
func writeFile(t *testing.T, name, content string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

// refusingAWS stands in for ca-helper-aws in in-process command tests: every
// call fails as a missing credential source would, naming the profile it was
// asked for, so a test sees that (and as whom) AWS would have been called.
type refusingAWS struct{}

var _ cmdenv.AWS = refusingAWS{}

func (refusingAWS) refuse(r awsproc.Request) error {
	return &awsproc.Error{Code: failure.Auth, Reason: "no credentials",
		Message: "get AWS credentials: no credentials for profile, " + r.Profile, HintText: "configure AWS credentials"}
}

func (a refusingAWS) Token(_ context.Context, r awsproc.Request) (awsproc.Token, error) {
	return awsproc.Token{}, a.refuse(r)
}

func (a refusingAWS) Endpoint(_ context.Context, r awsproc.Request, _, _ string) (string, error) {
	return "", a.refuse(r)
}

func (a refusingAWS) Account(_ context.Context, r awsproc.Request) (string, error) {
	return "", a.refuse(r)
}

func (a refusingAWS) Doctor(_ context.Context, req awsproc.DoctorRequest) (doctor.Report, error) {
	return doctor.Report{}, a.refuse(awsproc.Request{Profile: req.Setup.Target.Profile})
}
