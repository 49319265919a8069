// Command testsum runs `go test -json …` and turns its event stream into what
// a person reads: a line per package, the output of each failed test, the
// skipped tests with their reasons, and one closing line
// "tests: N passed, N failed, N skipped". ./test.sh runs it.
//
//	testsum [-no-skips] go test -json ./...
//
// It exits non-zero when the command did, when a test failed, or with
// -no-skips (CI) when a test skipped.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
)

func main() {
	noSkips := flag.Bool("no-skips", false, "fail when any test skipped (CI: every test must run here)")
	flag.Parse()
	if flag.NArg() == 0 {
		fmt.Fprintln(os.Stderr, "testsum: error: no command to run")
		fmt.Fprintln(os.Stderr, "testsum: hint: testsum [-no-skips] go test -json ./...")
		os.Exit(2)
	}
	os.Exit(run(flag.Args(), *noSkips, os.Stdout, os.Stderr))
}

func run(argv []string, noSkips bool, stdout, stderr io.Writer) int {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Stderr = stderr
	events, err := cmd.StdoutPipe()
	if err != nil {
		fmt.Fprintf(stderr, "testsum: error: %v\n", err)
		return 2
	}
	if err := cmd.Start(); err != nil {
		fmt.Fprintf(stderr, "testsum: error: start %s: %v\n", argv[0], err)
		return 2
	}
	s := newSummary(stdout)
	readErr := s.read(events)
	waitErr := cmd.Wait()
	s.report(stdout, noSkips)
	switch {
	case readErr != nil:
		fmt.Fprintf(stderr, "testsum: error: read test events: %v\n", readErr)
		return 2
	case s.failed() > 0 || (noSkips && len(s.skipped) > 0):
		return 1
	case waitErr != nil:
		fmt.Fprintf(stderr, "testsum: error: %s: %v (no test failed: a build or vet error above?)\n", argv[0], waitErr)
		return 1
	}
	return 0
}
