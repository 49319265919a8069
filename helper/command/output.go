package command

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/ca-helper/ca-helper/helper/command/cmdenv"
	"github.com/ca-helper/ca-helper/helper/safetext"
	"github.com/ca-helper/ca-helper/keyring"
)

// writeJSON prints v as one line of JSON.
func writeJSON(w io.Writer, v any) error {
	return json.NewEncoder(w).Encode(v)
}

// statusJSON is `status --format json`: what is cached, never a token.
type statusJSON struct {
	Storage string       `json:"storage"`
	Tokens  []statusItem `json:"tokens"`
}

type statusItem struct {
	Label       string `json:"label"`
	Backend     string `json:"backend"`
	Expiration  string `json:"expiration"` // RFC 3339, UTC
	SecondsLeft int64  `json:"seconds_left"`
}

func writeStatusJSON(w io.Writer, storage string, items []keyring.Item, now time.Time) error {
	doc := statusJSON{Storage: storage, Tokens: []statusItem{}}
	for _, it := range items {
		left := int64(it.Expiration.Sub(now) / time.Second)
		doc.Tokens = append(doc.Tokens, statusItem{Label: it.Key.Label, Backend: it.Backend,
			Expiration: it.Expiration.UTC().Format(time.RFC3339), SecondsLeft: max(left, 0)})
	}
	return writeJSON(w, doc)
}

// writeStatusText prints one tab-separated line per token, under a header
// when a person reads it on a terminal; scripts get the lines alone.
func writeStatusText(e *cmdenv.Env, storage string, items []keyring.Item) error {
	if len(items) == 0 {
		fmt.Fprintf(e.Stderr, "ca-helper: no cached tokens (storage: %s)\n", storage)
		return nil
	}
	if isTerminal(e.Stdout) {
		if _, err := fmt.Fprintln(e.Stdout, "TARGET\tSTORAGE\tEXPIRES"); err != nil {
			return err
		}
	}
	for _, it := range items {
		// The label was read back from the cache: print it safe.
		if _, err := fmt.Fprintf(e.Stdout, "%s\t%s\t%s\n", safetext.Line(it.Key.Label), it.Backend, timeLeft(it.Expiration, e.Now())); err != nil {
			return err
		}
	}
	return nil
}

func timeLeft(exp, now time.Time) string {
	d := exp.Sub(now)
	if d <= 0 {
		return "expired"
	}
	return "expires in " + d.Round(time.Minute).String()
}

// erasedJSON is `erase --format json`: the labels of the erased entries.
type erasedJSON struct {
	Storage string   `json:"storage"`
	Erased  []string `json:"erased"`
}

// writeErased prints nothing as text (erase is silent, as before) and the
// erased labels as JSON.
func writeErased(w io.Writer, format, storage string, labels []string) error {
	if format != "json" {
		return nil
	}
	if labels == nil {
		labels = []string{}
	}
	return writeJSON(w, erasedJSON{Storage: storage, Erased: labels})
}

// statter is what a terminal check needs of stdout: *os.File has it.
type statter interface {
	Stat() (os.FileInfo, error)
}

// isTerminal says whether w is a character device, as a terminal is; a
// pipe, a file or a buffer is not.
func isTerminal(w io.Writer) bool {
	f, ok := w.(statter)
	if !ok {
		return false
	}
	st, err := f.Stat()
	return err == nil && st.Mode()&os.ModeCharDevice != 0
}
