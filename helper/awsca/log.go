package awsca

import (
	"context"
	"fmt"
	"io"
	"strings"
	"sync"

	"github.com/aws/smithy-go/logging"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// The SDK logs warnings (a fallback to IMDSv1, a response body it could not
// drain) to stderr by default, as raw "SDK 2026/12/03 … WARN …" lines that
// would break ca-helper's error-and-hint shape. loadConfig gives it the
// logger carried by the request's context instead: with --debug, each line
// becomes a "ca-helper: debug:" line; without, it is dropped.

type loggerKey struct{}

// withDebugLog returns ctx whose SDK log lines go to w; ctx alone drops them.
func withDebugLog(ctx context.Context, w io.Writer) context.Context {
	return context.WithValue(ctx, loggerKey{}, &debugLogger{w: w})
}

// sdkLogger is the logger for SDK clients made under ctx.
func sdkLogger(ctx context.Context) logging.Logger {
	if l, ok := ctx.Value(loggerKey{}).(*debugLogger); ok {
		return l
	}
	return logging.Nop{}
}

// debugLogger writes each SDK log entry as one debug line.
type debugLogger struct {
	mu sync.Mutex
	w  io.Writer
}

func (l *debugLogger) Logf(c logging.Classification, format string, v ...any) {
	msg := failure.OneLine(fmt.Sprintf(format, v...))
	l.mu.Lock()
	defer l.mu.Unlock()
	fmt.Fprintf(l.w, "ca-helper: debug: aws sdk %s: %s\n", strings.ToLower(string(c)), msg)
}
