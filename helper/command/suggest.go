package command

import (
	"strings"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/names"
)

// closest is the candidate a typo of word most likely meant: the nearest by
// edit distance (a swap of two neighbours counts as one edit), if it is near
// enough to be a typo rather than another word; else "". A unique candidate
// that word is the start of also counts ("stat" for status).
func closest(word string, candidates []string) string {
	best, bestDist := "", -1
	var prefixed []string
	for _, c := range candidates {
		if len(word) >= 2 && strings.HasPrefix(c, word) {
			prefixed = append(prefixed, c)
		}
		d := names.Distance(word, c)
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if bestDist >= 0 && bestDist <= maxTypos(word) {
		return best
	}
	if len(prefixed) == 1 {
		return prefixed[0]
	}
	return ""
}

// maxTypos is how many edits still look like a typo of a word this long.
func maxTypos(word string) int {
	switch n := len(word); {
	case n <= 2:
		return 0
	case n <= 5:
		return 1
	default:
		return 2
	}
}

// commandNames are the names a user may type at this level, hidden ones left out.
func commandNames(cmds []*cli.Command) []string {
	var names []string
	for _, c := range cmds {
		if !c.Hidden {
			names = append(names, c.Names()...)
		}
	}
	return names
}

// flagNames are the flags' names as typed: --long and -s.
func flagNames(flags []cli.Flag) []string {
	var names []string
	for _, f := range flags {
		if h, ok := f.(interface{ IsVisible() bool }); ok && !h.IsVisible() {
			continue
		}
		for _, n := range f.Names() {
			names = append(names, dashed(n))
		}
	}
	return names
}

func dashed(name string) string {
	if len(name) == 1 {
		return "-" + name
	}
	return "--" + name
}
