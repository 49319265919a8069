package main

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/awsca"
	"github.com/ca-helper/ca-helper/helper/awsca/awscatest"
	"github.com/ca-helper/ca-helper/helper/doctor"
	"github.com/ca-helper/ca-helper/test/fakeca/fake"
)

func testCtx(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	t.Cleanup(cancel)
	return ctx
}

func TestDoctorErrorCauses(t *testing.T) {
	tests := []struct {
		reason string
		want   doctor.Cause
	}{
		{"no credentials", doctor.CauseNoCredentials},
		{"SSO session expired", doctor.CauseSSOExpired},
		{"credentials expired", doctor.CauseExpired},
		{"credentials not recognised", doctor.CauseBadCredentials},
		{"bad signature", doctor.CauseBadCredentials},
		{"access denied", doctor.CauseAccessDenied},
		{"not found", doctor.CauseNotFound},
		{"no region", doctor.CauseNoRegion},
		{"network", doctor.CauseNetwork},
		{"timeout", doctor.CauseTimeout},
		{"throttled", doctor.CauseOther},
	}
	for _, tt := range tests {
		err := &awsca.Error{Code: 3, Reason: tt.reason}
		var ce *doctor.CallError
		if !errors.As(doctorError(err), &ce) || ce.Cause != tt.want || ce.Code != 3 {
			t.Errorf("%s: doctor sees %+v, want cause %v", tt.reason, ce, tt.want)
		}
	}
	var ce *doctor.CallError
	if !errors.As(doctorError(errors.New("boom")), &ce) || ce.Cause != doctor.CauseOther || ce.Code != 1 {
		t.Errorf("a plain error: %+v", ce)
	}
}

func TestDoctorAWSAgainstFake(t *testing.T) {
	f := fake.New(fake.Options{Secrets: map[string]string{"AKIDPROBETEST": "secret"}})
	url, err := f.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(f.Close)
	awscatest.Env(t, map[string]string{"AWS_ACCESS_KEY_ID": "AKIDPROBETEST", "AWS_SECRET_ACCESS_KEY": "secret",
		"AWS_ENDPOINT_URL_CODEARTIFACT": url})
	a := &doctorAWS{r: awsca.Request{Domain: "demo", Owner: fake.DefaultOwner, Region: "us-east-1"}}
	ctx := testCtx(t)
	if c, err := a.Credentials(ctx); err != nil || c.Source != "env" {
		t.Fatalf("credentials %+v, %v", c, err)
	}
	if ep, err := a.Endpoint(ctx); err != nil || ep.URL != url || ep.Source != "env AWS_ENDPOINT_URL_CODEARTIFACT" {
		t.Errorf("endpoint %+v, %v", ep, err)
	}
	tok, exp, err := a.Token(ctx, time.Hour)
	if err != nil || !f.ValidToken(tok.Reveal()) || time.Until(exp) < 59*time.Minute {
		t.Fatalf("token valid %v, expires %v, %v", f.ValidToken(tok.Reveal()), exp, err)
	}
	if u, err := a.RepositoryEndpoint(ctx, "releases"); err != nil || u != url+"/maven/releases/" {
		t.Errorf("repository endpoint %q, %v", u, err)
	}
	for _, tt := range []struct {
		fault  fake.FaultKind
		cause  doctor.Cause
		prefix string
	}{
		{fake.AccessDenied, doctor.CauseAccessDenied, "access denied: User: arn:aws:iam::"},
		{fake.ExpiredToken, doctor.CauseExpired, "credentials expired: "},
		{fake.NotFound, doctor.CauseNotFound, "not found: "},
	} {
		f.SetFault(fake.Fault{Kind: tt.fault})
		_, _, err := a.Token(ctx, time.Hour)
		var ce *doctor.CallError
		if !errors.As(err, &ce) || ce.Cause != tt.cause || !strings.HasPrefix(ce.Detail, tt.prefix) {
			t.Errorf("%s: %+v", tt.fault, err)
		}
	}
}
