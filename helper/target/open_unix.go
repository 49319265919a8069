//go:build unix

package target

import "syscall"

// openNonBlocking makes opening a named pipe return at once instead of
// waiting for a writer; reads of a regular file are unaffected.
const openNonBlocking = syscall.O_NONBLOCK
