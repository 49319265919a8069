package test

import (
	"reflect"
	"strings"
	"testing"
)

// docBlock is one shell block of a page that its info string marks runnable:
// ```sh runnable [in=project].
type docBlock struct {
	line int    // of the opening fence, 1-based
	in   string // "" (the checkout) or "project" (the sample Maven project)
	body string
}

// runnableBlocks returns the runnable blocks of a Markdown page, in order. A
// fence is a run of three or more backticks; it closes on a line of at least
// as many backticks and nothing else, so a block shown inside a longer fence
// (as docs/contributing.md does) is not run.
func runnableBlocks(page string) []docBlock {
	var blocks []docBlock
	var cur *docBlock
	fence := ""
	for i, line := range strings.Split(page, "\n") {
		trimmed := strings.TrimRight(line, " \t\r")
		if fence == "" {
			ticks := len(trimmed) - len(strings.TrimLeft(trimmed, "`"))
			if ticks < 3 {
				continue
			}
			fence = trimmed[:ticks]
			cur = parseInfo(strings.TrimSpace(trimmed[ticks:]), i+1)
			continue
		}
		if strings.HasPrefix(trimmed, fence) && strings.Trim(trimmed, "`") == "" {
			if cur != nil {
				blocks = append(blocks, *cur)
			}
			fence, cur = "", nil
			continue
		}
		if cur != nil {
			cur.body += line + "\n"
		}
	}
	return blocks
}

// parseInfo reads an info string: nil unless it is "sh runnable" with
// optional words after it.
func parseInfo(info string, line int) *docBlock {
	words := strings.Fields(info)
	if len(words) < 2 || words[0] != "sh" || words[1] != "runnable" {
		return nil
	}
	b := &docBlock{line: line}
	for _, w := range words[2:] {
		if v, ok := strings.CutPrefix(w, "in="); ok {
			b.in = v
		}
	}
	return b
}

func TestRunnableBlocks(t *testing.T) {
	tests := []struct {
		name, page string
		want       []docBlock
	}{
		{"plain sh is not run", "```sh\nls\n```\n", nil},
		{"runnable", "x\n```sh runnable\nls\npwd\n```\n", []docBlock{{line: 2, body: "ls\npwd\n"}}},
		{"in a project", "```sh runnable in=project\nmvn package\n```\n",
			[]docBlock{{line: 1, in: "project", body: "mvn package\n"}}},
		{"shown inside a longer fence", "````md\n```sh runnable\nrm -rf /\n```\n````\n", nil},
		{"a shorter fence does not close", "````sh runnable\na\n```\nb\n````\n",
			[]docBlock{{line: 1, body: "a\n```\nb\n"}}},
		{"two in a row", "```sh runnable\na\n```\n```sh\nb\n```\n```sh runnable\nc\n```\n",
			[]docBlock{{line: 1, body: "a\n"}, {line: 7, body: "c\n"}}},
		{"unclosed is not run", "```sh runnable\na\n", nil},
		{"another language", "```bash runnable\na\n```\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := runnableBlocks(tt.page); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("runnableBlocks = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func FuzzRunnableBlocks(f *testing.F) {
	f.Add("```sh runnable in=project\nmvn package\n```\n````md\n```sh runnable\nx\n```\n````\n")
	f.Fuzz(func(t *testing.T, page string) {
		for _, b := range runnableBlocks(page) {
			if b.line < 1 || !strings.Contains(page, b.body) {
				t.Fatalf("block %+v is not from the page", b)
			}
		}
	})
}
