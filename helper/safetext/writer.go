package safetext

import (
	"bytes"
	"io"
	"sync"
	"unicode/utf8"
)

// Writer passes what is written to it on as lines: every newline stays,
// every other line goes through the rules of Line. ca-helper puts one in
// front of its stderr, so no message, warning or debug line, nor the output
// of ca-helper-aws, can reach the terminal with a control in it, whoever
// formatted it. Each Write is redacted on its own: a URL split across two
// writes is not seen whole, which a fmt.Fprintf never does.
type Writer struct {
	mu   sync.Mutex
	w    io.Writer
	tail []byte // the start of a UTF-8 sequence the next Write completes
	col  int    // bytes printed on the current line
	cut  bool   // the current line reached MaxLine and was cut
}

// NewWriter returns a Writer printing to w.
func NewWriter(w io.Writer) *Writer { return &Writer{w: w} }

// Raw returns the writer under w when w is a Writer, else w: for a child
// process whose own output (a build's colours, its progress bars) is not
// ca-helper's to filter, and which should see the terminal itself.
func Raw(w io.Writer) io.Writer {
	if sw, ok := w.(*Writer); ok {
		return sw.w
	}
	return w
}

// Write prints p made safe. It reports all of p written when the writer
// under it took the safe form.
func (w *Writer) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	buf := append(w.tail, p...)
	w.tail = nil
	if n := partialRune(buf); n > 0 {
		w.tail = append([]byte(nil), buf[len(buf)-n:]...)
		buf = buf[:len(buf)-n]
	}
	var out []byte
	for len(buf) > 0 {
		line, rest, newline := bytes.Cut(buf, []byte{'\n'})
		out = w.appendLine(out, Redact(string(line)))
		if newline {
			out = append(out, '\n')
			w.col, w.cut = 0, false
		}
		buf = rest
	}
	if len(out) == 0 {
		return len(p), nil
	}
	if _, err := w.w.Write(out); err != nil {
		return 0, err
	}
	return len(p), nil
}

// appendLine appends the visible form of s, a piece of the current line,
// cutting the line at MaxLine.
func (w *Writer) appendLine(out []byte, s string) []byte {
	if w.cut {
		return out
	}
	if len(s) > 4*MaxLine {
		s = s[:4*MaxLine]
	}
	s = Redact(escape(s))
	if room := MaxLine - len(ellipsis) - w.col; len(s) > room {
		s, w.cut = Cut(s, max(room, 0)), true
	}
	w.col += len(s)
	return append(out, s...)
}

// partialRune is the length of an unfinished UTF-8 sequence ending b, 0 when
// b ends on a whole rune (or on bytes that will never be one).
func partialRune(b []byte) int {
	for n := 1; n <= utf8.UTFMax-1 && n <= len(b); n++ {
		if utf8.RuneStart(b[len(b)-n]) {
			if utf8.FullRune(b[len(b)-n:]) {
				return 0
			}
			return n
		}
	}
	return 0
}
