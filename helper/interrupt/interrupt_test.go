//go:build unix

package interrupt

import (
	"context"
	"errors"
	"syscall"
	"testing"
	"time"

	"github.com/ca-helper/ca-helper/helper/failure"
)

func TestInterruptedCode(t *testing.T) {
	failed := errors.New("the AWS call did not finish in time")
	tests := []struct {
		name   string
		cause  error // of the cancelled context; nil = not cancelled
		err    error // what the command returned
		want   int
		wantOK bool
	}{
		{"SIGINT", interrupted{syscall.SIGINT}, failed, 130, true},
		{"SIGTERM", interrupted{syscall.SIGTERM}, failed, 143, true},
		{"SIGHUP", interrupted{syscall.SIGHUP}, failed, 129, true},
		{"finished despite the signal", interrupted{syscall.SIGINT}, nil, 0, false},
		{"exec passes the child's status on", interrupted{syscall.SIGINT}, failure.Status(0), 0, false},
		{"cancelled, not by a signal", context.Canceled, failed, 0, false},
		{"not cancelled", nil, failed, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithCancelCause(context.Background())
			defer cancel(nil)
			if tt.cause != nil {
				cancel(tt.cause)
			}
			got, ok := Code(ctx, tt.err)
			if got != tt.want || ok != tt.wantOK {
				t.Errorf("Code = %d, %v; want %d, %v", got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestSignalContextCancelsWithTheSignal(t *testing.T) {
	ctx, stop := SignalContext(context.Background())
	defer stop()
	Catch(ctx) // without it SIGTERM would end the test binary
	if err := syscall.Kill(syscall.Getpid(), syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	select {
	case <-ctx.Done():
	case <-time.After(10 * time.Second):
		t.Fatal("SIGTERM did not cancel the context")
	}
	if code, ok := Code(ctx, errors.New("stopped")); code != 143 || !ok {
		t.Errorf("Code after SIGTERM = %d, %v; want 143", code, ok)
	}
}

func TestCatchSignalsIgnoresOtherContexts(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	Catch(ctx) // must not panic or install anything
	if ctx.Value(signalsKey{}) != nil {
		t.Fatal("a plain context carries the signal state")
	}
}
