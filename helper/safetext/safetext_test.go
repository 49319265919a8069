package safetext

import (
	"bytes"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestLine(t *testing.T) {
	tests := []struct{ in, want string }{
		{"plain text, paths /a/b and C:\\x stay", "plain text, paths /a/b and C:\\x stay"},
		{"unicode stays: é ✓ 日本", "unicode stays: é ✓ 日本"},
		{"", ""},
		{"title \x1b]0;owned\x07 erase \x1b[2K", `title \x1b]0;owned\x07 erase \x1b[2K`},
		{"tab\tnewline\ncr\r", `tab\x09newline\x0acr\x0d`},
		{"del\x7f nul\x00", `del\x7f nul\x00`},
		{"c1 \u0085 \u009b31m", `c1 \u0085 \u009b31m`},
		{"not utf-8 \x9b\xff\xe2\x80", `not utf-8 \x9b\xff\xe2\x80`},
		{"bidi \u202egnp.exe\u202c \u2066x\u2069 \u200e\u200f", `bidi \u202egnp.exe\u202c \u2066x\u2069 \u200e\u200f`},
		{"zero width \u200b\ufeff, separators \u2028\u2029", `zero width \u200b\ufeff, separators \u2028\u2029`},
		{"tag \U000e0041", `tag \U000e0041`},
		{"see https://u:pw@h/p?sig=s", "see https://REDACTED@h/p?sig=REDACTED"},
	}
	for _, tt := range tests {
		if got := Line(tt.in); got != tt.want {
			t.Errorf("Line(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLineCutsLongText(t *testing.T) {
	tests := []struct {
		name, in string
		wantLen  int
	}{
		{"exactly the limit", strings.Repeat("a", MaxLine), MaxLine},
		{"one over", strings.Repeat("a", MaxLine+1), MaxLine},
		{"escapes count", strings.Repeat("\x1b", MaxLine), MaxLine},
		{"far too long", strings.Repeat("\x1b", 100*MaxLine), MaxLine},
		{"runes stay whole", strings.Repeat("é", MaxLine), MaxLine - 1},
	}
	for _, tt := range tests {
		got := Line(tt.in)
		if len(got) != tt.wantLen || !utf8.ValidString(got) {
			t.Errorf("%s: Line gave %d bytes (valid UTF-8 %v), want %d", tt.name, len(got), utf8.ValidString(got), tt.wantLen)
		}
		if len(tt.in) > MaxLine && !strings.Contains(got, "…") {
			t.Errorf("%s: a shortened line does not show where with …", tt.name)
		}
	}
}

func TestCut(t *testing.T) {
	tests := []struct {
		in   string
		max  int
		want string
	}{
		{"short", 10, "short"},
		{"abcdef", 3, "abc…"},
		{"éé", 3, "é…"}, // never half a rune
		{"", 0, ""},
	}
	for _, tt := range tests {
		if got := Cut(tt.in, tt.max); got != tt.want {
			t.Errorf("Cut(%q, %d) = %q, want %q", tt.in, tt.max, got, tt.want)
		}
	}
}

func TestURL(t *testing.T) {
	tests := []struct{ in, want string }{
		{"https://d-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/r/", "https://d-111122223333.d.codeartifact.eu-west-1.amazonaws.com/maven/r/"},
		{"http://127.0.0.1:8080", "http://127.0.0.1:8080"},
		{"https://u:EPSECRET@h:1/p", "https://REDACTED@h:1/p"},
		{"https://tokenonly@h", "https://REDACTED@h"},
		{"https://u:p@ss@h/", "https://REDACTED@h/"},
		{"https://h/?X-Amz-Signature=S&X-Amz-Credential=C&empty=&bare", "https://h/?X-Amz-Signature=REDACTED&X-Amz-Credential=REDACTED&empty=&REDACTED"},
		{"https://h/p?a=1;b=2#frag", "https://h/p?a=REDACTED;b=REDACTED#REDACTED"},
		{"https://h/p?", "https://h/p?"},
		{"https://h/p#", "https://h/p#"},
		{"https://h/npm/r/@scope/pkg", "https://h/npm/r/@scope/pkg"}, // an @ in the path is no userinfo
		{"h:1?token=t", "h:1?token=REDACTED"},
	}
	for _, tt := range tests {
		if got := URL(tt.in); got != tt.want {
			t.Errorf("URL(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"no urls here: a://", "no urls here: a://"},
		{"bare :// is no url", "bare :// is no url"},
		{`Post "https://u:***@h/?sig=S": dial tcp`, `Post "https://REDACTED@h/?sig=REDACTED": dial tcp`},
		{"two: http://a/?x=1 and s3://u:p@b/k end", "two: http://a/?x=REDACTED and s3://REDACTED@b/k end"},
		{"nested https://h/?next=https://x/?y=z", "nested https://h/?next=REDACTED"},
		{"(https://h/?k=v)", "(https://h/?k=REDACTED)"},
		{"nothing at http://h/?t=S: start it, or http://u:p@h.", "nothing at http://h/?t=REDACTED: start it, or http://REDACTED@h."},
		{"endpoint http://127.0.0.1:1 (env X)", "endpoint http://127.0.0.1:1 (env X)"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestWriter(t *testing.T) {
	tests := []struct {
		name   string
		writes []string
		want   string
	}{
		{"plain lines pass", []string{"ca-helper: error: x\n", "ca-helper: hint: y\n"}, "ca-helper: error: x\nca-helper: hint: y\n"},
		{"controls inside a line", []string{"a\x1b[8mb\r\tc\n"}, `a\x1b[8mb\x0d\x09c` + "\n"},
		{"a rune split across writes", []string{"x\xe2\x80", "\xaey\n"}, `x\u202ey` + "\n"},
		{"é split across writes", []string{"\xc3", "\xa9\n"}, "é\n"},
		{"urls", []string{"at http://u:p@h/?s=1\n"}, "at http://REDACTED@h/?s=REDACTED\n"},
		{"a line without newline", []string{"no end"}, "no end"},
	}
	for _, tt := range tests {
		var out bytes.Buffer
		w := NewWriter(&out)
		for _, s := range tt.writes {
			if n, err := w.Write([]byte(s)); n != len(s) || err != nil {
				t.Errorf("%s: Write(%q) = %d, %v", tt.name, s, n, err)
			}
		}
		if out.String() != tt.want {
			t.Errorf("%s: wrote %q, want %q", tt.name, out.String(), tt.want)
		}
	}
}

func TestWriterCutsEachLine(t *testing.T) {
	var out bytes.Buffer
	w := NewWriter(&out)
	long := strings.Repeat("a", MaxLine)
	w.Write([]byte(long[:MaxLine/2]))
	w.Write([]byte(long[MaxLine/2:] + "tail\nnext\n"))
	lines := strings.Split(out.String(), "\n")
	if len(lines[0]) > MaxLine || !strings.HasSuffix(lines[0], "…") || lines[1] != "next" {
		t.Errorf("got lines of %d bytes and %q", len(lines[0]), lines[1:])
	}
}

func TestRaw(t *testing.T) {
	var out bytes.Buffer
	if Raw(NewWriter(&out)) != &out || Raw(&out) != &out {
		t.Error("Raw does not return the writer under a Writer")
	}
}
