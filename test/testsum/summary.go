package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"sort"
	"strings"
)

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action     string
	Package    string
	ImportPath string // build-output and build-fail events
	Test       string
	Output     string
	Elapsed    float64
}

// summary collects the stream; live gets the per-package lines and the output
// of each failure as it happens.
type summary struct {
	live         io.Writer
	output       map[string]*strings.Builder // by package and test
	passed       int
	failedTests  []string
	failedPkgs   []string // failed with no failing test: build error, panic, TestMain
	skipped      []string // "pkg TestName: reason"
	pkgHadFailed map[string]bool
	running      map[string]bool // "pkg TestName" started and not yet ended
	durations    []timing        // of top-level tests that ended
}

// timing is how long one top-level test ran.
type timing struct {
	key     string
	elapsed float64
}

// slowest is how many of the longest tests report lists: where CI's time goes.
const slowest = 10

func newSummary(live io.Writer) *summary {
	return &summary{live: live, output: map[string]*strings.Builder{}, pkgHadFailed: map[string]bool{}, running: map[string]bool{}}
}

func (s *summary) read(r io.Reader) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16*1024*1024)
	for sc.Scan() {
		line := sc.Bytes()
		var e event
		if len(line) == 0 || line[0] != '{' || json.Unmarshal(line, &e) != nil {
			fmt.Fprintf(s.live, "%s\n", line) // not an event: show it as it is
			continue
		}
		s.add(e)
	}
	return sc.Err()
}

func (s *summary) add(e event) {
	key := e.Package + " " + e.Test
	switch e.Action {
	case "run":
		s.running[key] = true
	case "pass", "fail", "skip":
		delete(s.running, key)
		if e.Test != "" && !strings.Contains(e.Test, "/") && e.Action != "skip" {
			s.durations = append(s.durations, timing{key, e.Elapsed})
		}
	}
	switch e.Action {
	case "output":
		b := s.output[key]
		if b == nil {
			b = &strings.Builder{}
			s.output[key] = b
		}
		b.WriteString(e.Output)
	case "build-output":
		fmt.Fprint(s.live, e.Output)
	case "pass":
		if e.Test != "" {
			s.passed++
		} else {
			fmt.Fprintf(s.live, "ok   %s %.1fs\n", e.Package, e.Elapsed)
		}
	case "skip":
		if e.Test != "" {
			s.skipped = append(s.skipped, key+": "+skipReason(s.text(key)))
		} else {
			fmt.Fprintf(s.live, "?    %s [no test files]\n", e.Package)
		}
	case "fail":
		if e.Test != "" {
			s.failedTests = append(s.failedTests, key)
			s.pkgHadFailed[e.Package] = true
			fmt.Fprintf(s.live, "--- FAIL: %s\n%s", key, s.text(key))
			return
		}
		fmt.Fprintf(s.live, "FAIL %s %.1fs\n", e.Package, e.Elapsed)
		if !s.pkgHadFailed[e.Package] {
			s.failedPkgs = append(s.failedPkgs, e.Package)
			fmt.Fprint(s.live, s.text(e.Package+" "))
			s.showUnfinished(e.Package)
		}
	}
}

// showUnfinished prints the tests of pkg that never ended, with their
// output: where a package that timed out or crashed was when it died.
func (s *summary) showUnfinished(pkg string) {
	var keys []string
	for key := range s.running {
		if strings.HasPrefix(key, pkg+" ") {
			keys = append(keys, key)
		}
	}
	sort.Strings(keys)
	for _, key := range keys {
		fmt.Fprintf(s.live, "--- UNFINISHED: %s\n%s", key, s.text(key))
	}
}

func (s *summary) text(key string) string {
	if b := s.output[key]; b != nil {
		return b.String()
	}
	return ""
}

// skipReason keeps what the test said, without go test's own framing lines.
func skipReason(out string) string {
	var said []string
	for _, l := range strings.Split(out, "\n") {
		l = strings.TrimSpace(l)
		if l == "" || strings.HasPrefix(l, "=== ") || strings.HasPrefix(l, "--- SKIP") {
			continue
		}
		said = append(said, l)
	}
	if len(said) == 0 {
		return "(no reason given)"
	}
	return strings.Join(said, " ")
}

func (s *summary) failed() int { return len(s.failedTests) + len(s.failedPkgs) }

// report prints the lists and the closing line.
func (s *summary) report(w io.Writer, noSkips bool) {
	if len(s.skipped) > 0 {
		if noSkips {
			fmt.Fprintln(w, "skipped in CI, where every test must run (.ci/run installs what each needs):")
		} else {
			fmt.Fprintln(w, "skipped:")
		}
		for _, sk := range s.skipped {
			fmt.Fprintln(w, "  "+sk)
		}
	}
	if s.failed() > 0 {
		fmt.Fprintln(w, "failed:")
		for _, name := range append(append([]string{}, s.failedTests...), s.failedPkgs...) {
			fmt.Fprintln(w, "  "+strings.TrimSpace(name))
		}
	}
	if len(s.durations) > 0 {
		sort.SliceStable(s.durations, func(i, j int) bool { return s.durations[i].elapsed > s.durations[j].elapsed })
		fmt.Fprintln(w, "slowest tests:")
		for _, d := range s.durations[:min(slowest, len(s.durations))] {
			fmt.Fprintf(w, "  %6.1fs %s\n", d.elapsed, d.key)
		}
	}
	fmt.Fprintf(w, "tests: %d passed, %d failed, %d skipped\n", s.passed, s.failed(), len(s.skipped))
}
