// Package interrupt turns SIGINT, SIGTERM and SIGHUP into the cancellation
// of a context, armed only when a command starts slow work, and into the exit
// code a shell expects (128+n).
package interrupt

import (
	"context"
	"errors"
	"os"
	"os/signal"
	"sync"
	"syscall"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// interrupted is the cause of a context that SignalContext cancelled.
type interrupted struct{ sig os.Signal }

func (i interrupted) Error() string { return i.sig.String() + " received" }

// SignalContext returns a context that SIGINT, SIGTERM or SIGHUP cancels,
// with the signal as its cause, so that Run stops what it is doing, releases
// its lock and ends with 128+n as shells do. After the first signal the
// default action is back: a second Ctrl-C kills at once.
//
// The handler is installed only when a command starts slow work (see
// Catch): a cached get takes about a millisecond, holds no lock and
// writes nothing, so the default action (die) is right for it, and
// signal.Notify would cost it an extra thread and a third of its run time.
func SignalContext(parent context.Context) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancelCause(parent)
	l := &lazySignals{}
	l.arm = func() {
		l.sigs = make(chan os.Signal, 1)
		signal.Notify(l.sigs, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
		go func() {
			select {
			case s := <-l.sigs:
				signal.Stop(l.sigs)
				cancel(interrupted{s})
			case <-ctx.Done():
			}
		}()
	}
	stop := func() {
		l.once.Do(func() {}) // no arming after this
		if l.sigs != nil {
			signal.Stop(l.sigs)
		}
		cancel(context.Canceled)
	}
	return context.WithValue(ctx, signalsKey{}, l), stop
}

type signalsKey struct{}

// lazySignals is SignalContext's handler, installed at most once.
type lazySignals struct {
	once sync.Once
	arm  func()
	sigs chan os.Signal
}

// Catch makes the signals of a SignalContext cancel ctx from now on;
// commands call it before they wait on a lock, the network or a child. It
// does nothing for a context SignalContext did not make.
func Catch(ctx context.Context) {
	if l, ok := ctx.Value(signalsKey{}).(*lazySignals); ok {
		l.once.Do(l.arm)
	}
}

// Code is the exit code of a command that failed because a signal
// cancelled ctx: 128+n (130 for SIGINT, 143 for SIGTERM). A command that
// finished anyway, or passes on its child's status (exec), keeps its code.
func Code(ctx context.Context, err error) (int, bool) {
	var i interrupted
	var st failure.Status
	if err == nil || errors.As(err, &st) || !errors.As(context.Cause(ctx), &i) {
		return 0, false
	}
	if n, ok := i.sig.(syscall.Signal); ok {
		return 128 + int(n), true
	}
	return 128 + 2, true
}
