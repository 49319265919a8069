package target

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/BurntSushi/toml"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// A config file names a few targets in a few hundred bytes. These limits
// keep whatever else a path may name (a device, a pipe, a credentials file,
// a hostile file) from hanging, exhausting or quoting through ca-helper.
const (
	// maxConfigSize is the most of a config file ca-helper reads.
	maxConfigSize = 64 << 10
	// maxConfigDepth bounds nesting: arrays and inline tables inside each
	// other, and the parts of one dotted key or table header. ca-helper needs
	// 3 (targets.NAME.key); the TOML library's time grows with the square of
	// the depth, minutes for 64 KiB of braces.
	maxConfigDepth = 16
)

const configFileHint = "point --config / CA_HELPER_CONFIG at a TOML file of [targets.NAME] tables (at most 64 KiB)"

// readConfigFile reads path, which must be a regular file of at most
// maxConfigSize bytes. A missing file is (nil, nil). It opens without
// blocking, so a named pipe is refused rather than waited on.
func readConfigFile(path string) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|openNonBlocking, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, failure.Wrap(failure.Runtime, configHint, fmt.Errorf("read config: %w", err))
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, failure.Wrap(failure.Runtime, configHint, fmt.Errorf("read config: %w", err))
	}
	if !fi.Mode().IsRegular() {
		return nil, failure.Usagef(configFileHint, "config %s: not a regular file (%s)", path, fileKind(fi.Mode()))
	}
	tooBig := failure.Usagef(configFileHint, "config %s: larger than the %d KiB limit", path, maxConfigSize>>10)
	if fi.Size() > maxConfigSize {
		return nil, tooBig
	}
	data, err := io.ReadAll(io.LimitReader(f, maxConfigSize+1)) // it may have grown since
	if err != nil {
		return nil, failure.Wrap(failure.Runtime, configHint, fmt.Errorf("read config: %w", err))
	}
	if len(data) > maxConfigSize {
		return nil, tooBig
	}
	return data, nil
}

func fileKind(m fs.FileMode) string {
	switch {
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a file"
}

// parseError explains a TOML syntax error by line, column and key name. The
// library's own message often quotes the text it stumbled on, which in a
// file given by mistake (~/.aws/credentials) is a secret; it is never shown.
func parseError(path string, pe toml.ParseError) error {
	msg := fmt.Sprintf("config %s:%d: not valid TOML", path, pe.Position.Line)
	if pe.Position.Col > 0 {
		msg += fmt.Sprintf(" at column %d", pe.Position.Col)
	}
	if what := syntaxProblem(pe.Message); what != "" {
		msg += ": " + what
	}
	if pe.LastKey != "" {
		msg += fmt.Sprintf(" (after key %q)", failure.Printable(pe.LastKey))
	}
	return failure.Usagef(configHint, "%s", msg)
}

// syntaxProblem names the kind of mistake behind a library message in words
// of its own, so none of the file's text comes along; "" when unknown.
func syntaxProblem(msg string) string {
	for _, p := range []struct{ in, out string }{
		{"already been defined", "a key is defined twice"},
		{"already created", "a key is defined twice"},
		{"unexpected EOF", "the file ends too early"},
		{"expected value", "a value must be quoted, a number, true/false, an array or a table"},
		{"newline", "a value or header is not closed before the end of the line"},
		{"unterminated", "a string or header is not closed"},
		{"bare key", "a key holds a character that needs quotes"},
	} {
		if strings.Contains(msg, p.in) {
			return p.out
		}
	}
	return ""
}
