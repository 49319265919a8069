package setupcmd

import (
	"archive/zip"
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/urfave/cli/v2"

	"github.com/ca-helper/ca-helper/helper/failure"
)

// stampEntry is the resource the Maven extension reads for the ca-helper it
// runs when PATH lacks one (TokenCommand.builtPath).
const stampEntry = "io/github/cahelper/maven/ca-helper.properties"

// mavenStamp is the hidden `ca-helper maven stamp --path P IN OUT`: install.sh,
// installing from a release, gives the prebuilt jar the path of the installed
// ca-helper, as maven-extension/build.sh CA_HELPER_PATH does for a source build.
func mavenStamp() *cli.Command {
	return &cli.Command{
		Name:      "stamp",
		Hidden:    true,
		Usage:     "copy the extension jar IN to OUT, remembering the ca-helper at --path (install.sh runs it)",
		UsageText: "ca-helper maven stamp --path PATH IN OUT",
		Flags:     []cli.Flag{&cli.StringFlag{Name: "path", Usage: "the ca-helper the extension runs when PATH has none"}},
		Action: func(c *cli.Context) error {
			if c.NArg() != 2 {
				return failure.Usagef("run `ca-helper maven stamp --path PATH IN OUT`", "want 2 arguments, IN and OUT, got %d", c.NArg())
			}
			return stampJar(c.Args().Get(0), c.Args().Get(1), c.String("path"))
		},
	}
}

// stampJar writes out, a copy of the jar in with stampEntry set to path.
func stampJar(in, out, path string) error {
	if path == "" {
		return failure.Usagef("pass --path with the installed ca-helper", "--path is empty")
	}
	src, err := os.ReadFile(in)
	if err != nil {
		return failure.Usagef("pass the extension jar of the release (share/ca-helper)", "read %s: %w", failure.Printable(in), err)
	}
	data, err := stamp(src, path)
	if err != nil {
		return failure.Usagef("pass the extension jar of the release (share/ca-helper)", "%s: %w", failure.Printable(in), err)
	}
	if err := writeAtomic(out, data, 0o644); err != nil {
		return failure.Wrap(failure.Runtime, "check that the directory is writable", err)
	}
	return nil
}

// stamp copies every entry of the zip src unchanged, in order, and replaces
// (or adds, at the end) stampEntry with `path=P`.
func stamp(src []byte, path string) ([]byte, error) {
	r, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		return nil, fmt.Errorf("not a jar: %w", err)
	}
	var buf bytes.Buffer
	w := zip.NewWriter(&buf)
	props := []byte("path=" + propertiesEscape(path) + "\n")
	replaced := false
	for _, f := range r.File {
		if f.Name == stampEntry {
			if replaced {
				continue
			}
			replaced = true
			if err := addEntry(w, f.Name, f.Modified, props); err != nil {
				return nil, err
			}
			continue
		}
		if strings.HasSuffix(f.Name, "/") {
			// The jar tool deflates directories to 2 bytes, which
			// zip.Writer.Copy refuses to write: a directory has no data.
			_, err = w.CreateHeader(&zip.FileHeader{Name: f.Name, Modified: f.Modified, Extra: f.Extra,
				CreatorVersion: f.CreatorVersion, ExternalAttrs: f.ExternalAttrs, Method: zip.Store})
		} else {
			err = w.Copy(f)
		}
		if err != nil {
			return nil, fmt.Errorf("copy %s: %w", f.Name, err)
		}
	}
	if !replaced {
		if err := addEntry(w, stampEntry, time.Time{}, props); err != nil {
			return nil, err
		}
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func addEntry(w *zip.Writer, name string, modified time.Time, data []byte) error {
	f, err := w.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: modified})
	if err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	_, err = f.Write(data)
	return err
}

// propertiesEscape makes s a java.util.Properties value that reads back as s:
// backslashes doubled (Windows paths, as build.sh does), line breaks and tabs
// escaped, and what is not ASCII as \uXXXX (Properties.load reads ISO-8859-1).
func propertiesEscape(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case r == '\\':
			b.WriteString(`\\`)
		case r == '\n':
			b.WriteString(`\n`)
		case r == '\r':
			b.WriteString(`\r`)
		case r == '\t':
			b.WriteString(`\t`)
		case r < 0x20 || r > 0x7e:
			for _, u := range utf16.Encode([]rune{r}) {
				fmt.Fprintf(&b, `\u%04x`, u)
			}
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}

// writeAtomic replaces path with data through a temp file in its directory,
// so a running Maven never reads half a jar.
func writeAtomic(path string, data []byte, mode os.FileMode) error {
	dir := filepath.Dir(path)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, bytes.NewReader(data)); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(mode); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), path)
}
