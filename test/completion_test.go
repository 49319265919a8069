package test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ca-helper/ca-helper/test/fakeca/fake"
	"github.com/ca-helper/ca-helper/test/testenv"
)

// completionCases are command lines being completed (the last word is the one
// under the cursor) and a candidate each must offer.
var completionCases = []struct {
	words []string
	want  string
}{
	{[]string{"ca-helper", "ge"}, "get"},
	{[]string{"ca-helper", "get", "--min"}, "--min-ttl"},
	{[]string{"ca-helper", "status", "--ca"}, "--cache"},
	{[]string{"ca-helper", "maven", "ins"}, "install"},
	{[]string{"ca-helper", "completion", "fi"}, "fish"},
}

// checkNoFetch fails when completing reached AWS or wrote a cache.
func checkNoFetch(t *testing.T, h *harness) {
	t.Helper()
	if n := h.fake.TokenCalls(); n != 0 {
		t.Errorf("completion asked for %d tokens", n)
	}
	if entries, _ := os.ReadDir(h.cache); len(entries) != 0 {
		t.Errorf("completion wrote the cache dir: %v", entries)
	}
}

func candidates(out string) []string {
	var got []string
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		word, _, _ := strings.Cut(line, "\t") // fish: candidate<TAB>description
		got = append(got, word)
	}
	return got
}

// shellWords quotes words for a bash or zsh array.
func shellWords(words []string) string {
	quoted := make([]string, len(words))
	for i, w := range words {
		quoted[i] = "'" + w + "'"
	}
	return strings.Join(quoted, " ")
}

func TestBashCompletion(t *testing.T) {
	testenv.Tool(t, "bash", "apt-get install bash")
	h := newHarness(t, fake.Options{})
	for _, c := range completionCases {
		script := `source <(ca-helper completion bash) || exit 9
COMP_WORDS=(` + shellWords(c.words) + `); COMP_CWORD=$((${#COMP_WORDS[@]} - 1))
_ca_helper; printf '%s\n' "${COMPREPLY[@]}"`
		r := h.run("bash", "--norc", "--noprofile", "-c", script)
		if r.code != 0 || r.stderr != "" || !slices.Contains(candidates(r.stdout), c.want) {
			t.Errorf("%v: want %s offered\n%s", c.words, c.want, r)
		}
	}
	checkNoFetch(t, h)
}

func TestZshCompletion(t *testing.T) {
	testenv.Tool(t, "zsh", "apt-get install zsh", "-f", "-c", "true")
	h := newHarness(t, fake.Options{})
	// compadd works only inside a completion widget: a function of the same
	// name stands in for it and prints what the completion offers.
	const fakeCompadd = `compadd() { while (( $# )) && [[ $1 != -- ]]; do shift; done; shift; print -l -- "$@"; }
_files() { print -- '<files>'; }
`
	sourced := `autoload -U compinit && compinit -D
source <(ca-helper completion zsh) || exit 9
[[ ${_comps[ca-helper]} == _ca_helper ]] || { print -u2 "compdef did not register: ${_comps[ca-helper]}"; exit 8; }
` + fakeCompadd
	// Installed as _ca-helper in a directory of fpath, compinit loads it by its #compdef line.
	dir := t.TempDir()
	r := h.run("ca-helper", "completion", "zsh")
	if err := os.WriteFile(filepath.Join(dir, "_ca-helper"), []byte(r.stdout), 0o644); err != nil {
		t.Fatal(err)
	}
	fromFpath := `fpath=(` + dir + ` $fpath); autoload -U compinit && compinit -D
[[ ${_comps[ca-helper]} == _ca-helper ]] || { print -u2 "compinit did not pick up _ca-helper: ${_comps[ca-helper]}"; exit 8; }
` + fakeCompadd
	for name, setup := range map[string]string{"sourced": sourced, "fpath": fromFpath} {
		for _, c := range completionCases {
			script := setup + `words=(` + shellWords(c.words) + `); CURRENT=${#words}; ${_comps[ca-helper]}`
			r := h.run("zsh", "-f", "-c", script)
			if r.code != 0 || r.stderr != "" || !slices.Contains(candidates(r.stdout), c.want) {
				t.Errorf("%s: %v: want %s offered\n%s", name, c.words, c.want, r)
			}
		}
	}
	checkNoFetch(t, h)
}

func TestFishCompletion(t *testing.T) {
	testenv.Tool(t, "fish", "apt-get install fish", "--version")
	h := newHarness(t, fake.Options{})
	for _, c := range completionCases {
		line := strings.Join(c.words, " ")
		r := h.run("fish", "--no-config", "-c", `ca-helper completion fish | source; or exit 9; complete -C "`+line+`"`)
		if r.code != 0 || !slices.Contains(candidates(r.stdout), c.want) {
			t.Errorf("%q: want %s offered\n%s", line, c.want, r)
		}
	}
	checkNoFetch(t, h)
}

func TestCompletionCommand(t *testing.T) {
	h := newHarness(t, fake.Options{})
	for _, shell := range []string{"bash", "zsh", "fish", "powershell"} {
		r := h.run("ca-helper", "completion", shell)
		if r.code != 0 || r.stderr != "" || !strings.Contains(r.stdout, "ca-helper __complete") {
			t.Errorf("completion %s:\n%s", shell, r)
		}
	}
	wantFailure(t, h.run("ca-helper", "completion", "tcsh"), 2, "completion wants one shell")
}
