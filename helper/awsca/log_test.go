package awsca

import (
	"bytes"
	"context"
	"testing"

	"github.com/aws/smithy-go/logging"
)

func TestSDKLogger(t *testing.T) {
	var buf bytes.Buffer
	sdkLogger(context.Background()).Logf(logging.Warn, "falling back to IMDSv1: %v", "403")
	sdkLogger(withDebugLog(context.Background(), &buf)).Logf(logging.Warn, "failed to discard\nremaining body: %v", "reset")
	if got, want := buf.String(), "ca-helper: debug: aws sdk warn: failed to discard remaining body: reset\n"; got != want {
		t.Errorf("debug log = %q, want %q", got, want)
	}
	if _, ok := sdkLogger(context.Background()).(logging.Nop); !ok {
		t.Errorf("without --debug the SDK logs to %T, want nowhere", sdkLogger(context.Background()))
	}
}
