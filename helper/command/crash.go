package command

import (
	"fmt"
	"path/filepath"
	"runtime"
	"strings"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// crashHint is the hint line of an internal error.
const crashHint = "this is a bug in ca-helper: please report this line with the output of `ca-helper version`"

// recovered runs f and turns a panic in it into an internal error, exit 1:
// one line instead of a goroutine dump, and not the exit code 2 that the Go
// runtime gives a crash, which means a usage error here. The panic's value is
// not printed, only its type: it may hold anything, a token included.
func recovered(f func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = failure.Wrap(failure.Runtime, crashHint, fmt.Errorf("internal error: %s", describePanic(v)))
		}
	}()
	return f()
}

// describePanic names a panic by what and where: a runtime error's own
// message (the runtime writes it, with no data of ours in it) or else the
// value's type, and the function and line that panicked.
func describePanic(v any) string {
	what := fmt.Sprintf("panic(%T)", v)
	if re, ok := v.(runtime.Error); ok && isRuntimeType(v) {
		what = re.Error()
	}
	if where := panicSite(); where != "" {
		what += " in " + where
	}
	return what
}

// isRuntimeType says whether v is one of the runtime's own error types, not
// a type of ours or of a dependency that happens to implement runtime.Error.
func isRuntimeType(v any) bool {
	t := fmt.Sprintf("%T", v)
	return strings.HasPrefix(t, "runtime.") || strings.HasPrefix(t, "*runtime.")
}

// panicSite is "pkg.Func (file.go:line)" of the frame that panicked: the
// first frame outside the runtime after runtime.gopanic. It must be called
// in the deferred function that recovers.
func panicSite() string {
	pcs := make([]uintptr, 32)
	n := runtime.Callers(1, pcs)
	frames := runtime.CallersFrames(pcs[:n])
	seenPanic := false
	for {
		fr, more := frames.Next()
		if fr.Function == "runtime.gopanic" {
			seenPanic = true
		} else if seenPanic && !strings.HasPrefix(fr.Function, "runtime.") {
			fn := fr.Function[strings.LastIndex(fr.Function, "/")+1:]
			return fmt.Sprintf("%s (%s:%d)", fn, filepath.Base(fr.File), fr.Line)
		}
		if !more {
			return ""
		}
	}
}
