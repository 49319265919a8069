//go:build !unix

package target

// openNonBlocking is 0 where opening a file never waits for a writer.
const openNonBlocking = 0
