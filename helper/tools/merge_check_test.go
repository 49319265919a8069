package tools

import (
	"strings"
	"testing"
)

// checkMerge is one row of a Merge table: f merges r into existing (nil: no
// file); the file must be want and the report must count changes, say
// literal, and never hold secret ("": nothing to look for); a second merge
// must change nothing.
func checkMerge(t *testing.T, f ConfigFile, existing []byte, r Registry, want string, changes int, literal bool, secret string) {
	t.Helper()
	out, rep, err := f.Merge(existing, r)
	if err != nil || string(out) != want || len(rep.Changes) != changes || rep.LiteralToken != literal {
		t.Fatalf("Merge = %v, literal %v, %d changes %+v\n got %q\nwant %q (%d changes, literal %v)",
			err, rep.LiteralToken, len(rep.Changes), rep.Changes, out, want, changes, literal)
	}
	if secret != "" && strings.Contains(strings.Join(changeLines(rep), "\n"), secret) {
		t.Errorf("the report holds the token: %+v", rep.Changes)
	}
	again, rep, err := f.Merge(out, r)
	if err != nil || string(again) != string(out) || len(rep.Changes) != 0 {
		t.Errorf("second merge changed the file (%v, %+v):\n%q", err, rep.Changes, again)
	}
}

// existingFile is a table's existing file: "<nil>" for none.
func existingFile(s string) []byte {
	if s == "<nil>" {
		return nil
	}
	return []byte(s)
}
