package main

import (
	"strings"
	"testing"
)

func ev(action, pkg, test, output string) string {
	return `{"Action":"` + action + `","Package":"` + pkg + `","Test":"` + test + `","Output":` + quote(output) + `}`
}

func quote(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

func TestSummary(t *testing.T) {
	tests := []struct {
		name     string
		events   []string
		noSkips  bool
		want     []string // substrings of the whole output, in order
		notWant  string
		failures int
	}{
		{"all pass", []string{
			ev("run", "p", "TestA", ""), ev("pass", "p", "TestA", ""),
			ev("run", "p", "TestB/sub", ""), ev("pass", "p", "TestB/sub", ""), ev("pass", "p", "TestB", ""),
			ev("pass", "p", "", ""),
		}, false, []string{"ok   p", "tests: 3 passed, 0 failed, 0 skipped\n"}, "failed:", 0},
		{"a failure shows its output and name before the summary", []string{
			ev("output", "p", "TestA", "=== RUN   TestA\n"), ev("output", "p", "TestA", "    a_test.go:9: got 2, want 3\n"),
			ev("fail", "p", "TestA", ""), ev("output", "p", "", "FAIL\n"), ev("fail", "p", "", ""),
		}, false, []string{"a_test.go:9: got 2, want 3", "FAIL p", "failed:\n  p TestA\n", "tests: 0 passed, 1 failed, 0 skipped\n"}, "", 1},
		{"a skip keeps its reason", []string{
			ev("output", "p", "TestC", "=== RUN   TestC\n"), ev("output", "p", "TestC", "    c_test.go:3: cargo is not on PATH; fix: rustup default stable\n"),
			ev("output", "p", "TestC", "--- SKIP: TestC (0.00s)\n"), ev("skip", "p", "TestC", ""), ev("pass", "p", "", ""),
		}, false, []string{"skipped:\n  p TestC: c_test.go:3: cargo is not on PATH; fix: rustup default stable\n", "tests: 0 passed, 0 failed, 1 skipped\n"}, "failed:", 0},
		{"a package that fails with no failing test is a failure", []string{
			ev("output", "p", "", "panic: boom in TestMain\n"), ev("fail", "p", "", ""),
		}, false, []string{"panic: boom in TestMain", "failed:\n  p\n", "tests: 0 passed, 1 failed, 0 skipped\n"}, "", 1},
		{"a package that times out shows the tests that never ended", []string{
			ev("run", "p", "TestSlow", ""), ev("output", "p", "TestSlow", "=== RUN   TestSlow\n"),
			ev("run", "p", "TestDone", ""), ev("pass", "p", "TestDone", ""),
			ev("output", "p", "TestSlow", "panic: test timed out after 10m0s\n"), ev("fail", "p", "", ""),
		}, false, []string{"--- UNFINISHED: p TestSlow\n=== RUN   TestSlow\npanic: test timed out", "failed:\n  p\n"}, "UNFINISHED: p TestDone", 1},
		{"a line that is not an event is shown as it is", []string{
			"# build error: undefined: x", ev("pass", "p", "", ""),
		}, false, []string{"# build error: undefined: x\n", "tests: 0 passed, 0 failed, 0 skipped\n"}, "", 0},
		{"in CI a skip is called out", []string{
			ev("skip", "p", "TestC", ""),
		}, true, []string{"skipped in CI, where every test must run", "tests: 0 passed, 0 failed, 1 skipped\n"}, "", 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out strings.Builder
			s := newSummary(&out)
			if err := s.read(strings.NewReader(strings.Join(tt.events, "\n") + "\n")); err != nil {
				t.Fatal(err)
			}
			s.report(&out, tt.noSkips)
			got := out.String()
			rest := got
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("output lacks %q (in order):\n%s", w, got)
				}
				rest = rest[i+len(w):]
			}
			if tt.notWant != "" && strings.Contains(got, tt.notWant) {
				t.Errorf("output has %q:\n%s", tt.notWant, got)
			}
			if s.failed() != tt.failures {
				t.Errorf("failed() = %d, want %d", s.failed(), tt.failures)
			}
		})
	}
}

func TestRunExitCodes(t *testing.T) {
	tests := []struct {
		name    string
		script  string
		noSkips bool
		want    int
	}{
		{"passing run", `echo '{"Action":"pass","Package":"p","Test":"TestA"}'`, false, 0},
		{"failed test", `echo '{"Action":"fail","Package":"p","Test":"TestA"}'; exit 1`, false, 1},
		{"command failed with no test failing", `echo '{"Action":"pass","Package":"p","Test":"TestA"}'; exit 2`, false, 1},
		{"skip outside CI", `echo '{"Action":"skip","Package":"p","Test":"TestA"}'`, false, 0},
		{"skip in CI", `echo '{"Action":"skip","Package":"p","Test":"TestA"}'`, true, 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errOut strings.Builder
			if got := run([]string{"sh", "-c", tt.script}, tt.noSkips, &out, &errOut); got != tt.want {
				t.Errorf("run = %d, want %d\nstdout: %s\nstderr: %s", got, tt.want, out.String(), errOut.String())
			}
		})
	}
}

// TestSlowestTests: the report lists the longest top-level tests, longest
// first, at most slowest of them; subtests and skips are not listed.
func TestSlowestTests(t *testing.T) {
	var events []string
	for i := range slowest + 2 {
		name := "Test" + string(rune('A'+i))
		events = append(events, `{"Action":"pass","Package":"p","Test":"`+name+`","Elapsed":`+strings.Repeat("1", i+1)+`}`)
	}
	events = append(events, `{"Action":"pass","Package":"p","Test":"TestZ/sub","Elapsed":999999999999999}`,
		`{"Action":"skip","Package":"p","Test":"TestS","Elapsed":99999999999999}`)
	s := newSummary(&strings.Builder{})
	if err := s.read(strings.NewReader(strings.Join(events, "\n"))); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	s.report(&out, false)
	got := out.String()
	first, last := strings.Index(got, " p TestL\n"), strings.Index(got, " p TestC\n")
	if !strings.Contains(got, "slowest tests:\n") || first < 0 || last < 0 || first > last ||
		strings.Contains(got, "TestB\n") || strings.Contains(got, "TestZ/sub") || strings.Contains(got, "TestS\n") {
		t.Errorf("report:\n%s", got)
	}
}
