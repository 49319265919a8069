package keyring

import (
	"fmt"
	"sync"
)

// Event is something a store did that its caller may want to know or show.
// Stores hand events to Options.Report. A caller that only tells the user
// prints String(); a caller that acts on one (ca-helper doctor) switches on
// Kind and reads the fields, so rewording a warning cannot change what it
// decides.
type Event struct {
	Kind EventKind
	Dir  string // the cache dir concerned, when there is one (DirRefused)
	Key  Key    // the entry concerned, when there is one
	Err  error  // why
}

// EventKind says what a store did.
type EventKind int

const (
	// DirRefused: the cache dir is not a private directory owned by us, so
	// no file in it is read or written. Dir is the dir; Err is what is wrong
	// with it ("not a directory", "mode 0755 lets others in …").
	DirRefused EventKind = iota + 1
	// KeyringUnavailable: an "auto" store gave up the keyring after a call
	// that failed or did not answer, and caches in files for the rest of the
	// process. Err wraps ErrUnavailable. (An auto store that never tries the
	// keyring because there is no session bus reports nothing: its Name is
	// "file" from Open on.) String names the class of cause (CauseOf), not
	// the whole error, and how to choose files and end the warning;
	// OncePerDay keeps it to once a day per class.
	KeyringUnavailable
	// MovedToFile: the token of Key is too big for the keyring, so an "auto"
	// store cached it in a file. Err wraps ErrTooBig.
	MovedToFile
	// IndexNotUpdated: index.json could not be written; the entry itself is
	// stored, but List may describe it wrongly.
	IndexNotUpdated
	// KeyringCopyNotRemoved: an older keyring copy of Key, which Get would
	// find before the file copy just written, could not be deleted.
	KeyringCopyNotRemoved
	// StaleFileNotRemoved: a file copy of Key, left by a run without the
	// keyring, could not be deleted after the keyring took the token.
	StaleFileNotRemoved
	// LeftoversNotRemoved: temp files that killed writes left in the cache
	// dir Dir (they may hold a token) could not be removed.
	LeftoversNotRemoved
)

// String renders the event as the warning users see. It is the one place
// these warnings are worded; end-to-end tests grep for some of them.
func (e Event) String() string {
	switch e.Kind {
	case DirRefused:
		return fmt.Sprintf("ignoring cache dir %s: %v", e.Dir, e.Err)
	case KeyringUnavailable:
		return fallbackWarning(e.Err)
	case MovedToFile:
		return fmt.Sprintf("%s is too big for the keyring (%v); cached in a file instead", e.Key.Label, e.Err)
	case IndexNotUpdated:
		return fmt.Sprintf("cache index not updated: %v", e.Err)
	case KeyringCopyNotRemoved:
		return fmt.Sprintf("old keyring copy of %s not removed: %v", e.Key.ID, e.Err)
	case StaleFileNotRemoved:
		return fmt.Sprintf("stale cache file of %s not removed: %v", e.Key.ID, e.Err)
	case LeftoversNotRemoved:
		return fmt.Sprintf("in %s: %v", e.Dir, e.Err)
	}
	return fmt.Sprintf("cache event %d: %v", int(e.Kind), e.Err)
}

// onceEach wraps report so each distinct event is reported once: a store
// used for many keys in one run would otherwise repeat, say, a refused dir
// on every call. Events are told apart by their rendering, which covers
// kind, dir, key and cause.
func onceEach(report func(Event)) func(Event) {
	if report == nil {
		return func(Event) {}
	}
	var mu sync.Mutex
	seen := map[string]bool{}
	return func(ev Event) {
		msg := ev.String()
		mu.Lock()
		first := !seen[msg]
		seen[msg] = true
		mu.Unlock()
		if first {
			report(ev)
		}
	}
}
