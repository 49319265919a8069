package names

import (
	"regexp"
	"sort"
	"strings"
	"sync"
)

// guess holds the patterns of SuggestRegion, compiled on its first call: it
// runs only after a name was refused, and a package-level pattern (or even a
// sync.OnceValue) would cost every cached get an init.
var guess struct {
	once                                              sync.Once
	azSuffix, lettersDigits, twoLetters, dashes, trim *regexp.Regexp
	digitsOnly, pattern                               *regexp.Regexp
}

func compileGuess() {
	guess.azSuffix = regexp.MustCompile(`([0-9])[a-z]$`)           // eu-west-1a: an availability zone
	guess.lettersDigits = regexp.MustCompile(`([a-z])-?([0-9]+)$`) // us-east1
	guess.twoLetters = regexp.MustCompile(`^([a-z]{2})-?([a-z])`)  // useast-1
	guess.dashes = regexp.MustCompile(`[-_ .]+`)                   // us_east_1, us--east-1
	guess.trim = regexp.MustCompile(`^[-_ .]+|[-_ .]+$`)           // -us-east-1-
	guess.digitsOnly = regexp.MustCompile(`^[a-z]{2}-[0-9]+$`)     // never a guess
	guess.pattern = regexp.MustCompile(`^[a-z]{2}(-[a-z]+)+-[0-9]{1,2}$`)
}

// SuggestRegion guesses the region meant by a mistyped name such as
// "us-east1", "US_EAST_1", "useast-1" or the zone "eu-west-1a"; "" when
// it cannot tell.
func SuggestRegion(r string) string {
	guess.once.Do(compileGuess)
	s := strings.ToLower(strings.TrimSpace(r))
	s = guess.trim.ReplaceAllString(guess.dashes.ReplaceAllString(s, "-"), "")
	s = guess.azSuffix.ReplaceAllString(s, "$1")
	s = guess.lettersDigits.ReplaceAllString(s, "$1-$2")
	s = guess.twoLetters.ReplaceAllString(s, "$1-$2")
	if s == r || guess.digitsOnly.MatchString(s) || !guess.pattern.MatchString(s) {
		return ""
	}
	return s
}

// Suggest returns the name of known closest to name, a mistyped one such
// as "dve" for "dev": within one edit (a letter added, dropped, changed, or
// two swapped) per three letters of name, at least one, ignoring case. It
// returns "" when name is itself known or nothing is that close; of equally
// close names, the first in sorted order.
func Suggest(name string, known []string) string {
	sorted := append([]string(nil), known...)
	sort.Strings(sorted)
	limit := max(1, len(name)/3)
	best, bestDist := "", limit+1
	for _, k := range sorted {
		if k == name {
			return ""
		}
		if d := Distance(strings.ToLower(name), strings.ToLower(k)); d < bestDist {
			best, bestDist = k, d
		}
	}
	return best
}

// Distance is the optimal string alignment distance between a and b, in
// bytes: insertions, deletions, substitutions and swaps of neighbours, each
// one edit. The typo suggestions for names, commands and flags all use it.
func Distance(a, b string) int {
	prev2 := make([]int, len(b)+1)
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				cur[j] = min(cur[j], prev2[j-2]+1)
			}
		}
		prev2, prev, cur = prev, cur, prev2
	}
	return prev[len(b)]
}
