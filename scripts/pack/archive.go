package main

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"compress/flate"
	"compress/gzip"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
)

// writeTarGz writes entries as a gzip'd tar: a gzip header with neither a
// name nor a time, tar headers with owner 0/0, no user or group names.
func writeTarGz(w io.Writer, dir string, entries []entry, when time.Time) error {
	gz, err := gzip.NewWriterLevel(w, gzip.BestCompression)
	if err != nil {
		return err
	}
	tw := tar.NewWriter(gz)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Mode: int64(e.mode.Perm()), ModTime: when}
		switch {
		case e.mode.IsDir():
			h.Typeflag, h.Name = tar.TypeDir, e.name+"/"
		case e.mode&fs.ModeSymlink != 0:
			h.Typeflag, h.Linkname = tar.TypeSymlink, e.link
		default:
			h.Typeflag = tar.TypeReg
			data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.name)))
			if err != nil {
				return err
			}
			h.Size = int64(len(data))
			if err := tw.WriteHeader(h); err != nil {
				return fmt.Errorf("%s: %w", e.name, err)
			}
			if _, err := tw.Write(data); err != nil {
				return err
			}
			continue
		}
		if err := tw.WriteHeader(h); err != nil {
			return fmt.Errorf("%s: %w", e.name, err)
		}
	}
	if err := tw.Close(); err != nil {
		return err
	}
	return gz.Close()
}

// writeZip writes entries as a zip; it holds no symlinks (Windows gets copies).
func writeZip(w io.Writer, dir string, entries []entry, when time.Time) error {
	zw := newZip(w)
	for _, e := range entries {
		if e.mode&fs.ModeSymlink != 0 {
			return fmt.Errorf("%s: a zip holds no symlinks", e.name)
		}
		var data []byte
		if !e.mode.IsDir() {
			var err error
			if data, err = os.ReadFile(filepath.Join(dir, filepath.FromSlash(e.name))); err != nil {
				return err
			}
		}
		if err := addZip(zw, e.name, e.mode, data, when); err != nil {
			return err
		}
	}
	return zw.Close()
}

func newZip(w io.Writer) *zip.Writer {
	zw := zip.NewWriter(w)
	zw.RegisterCompressor(zip.Deflate, func(out io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(out, flate.BestCompression)
	})
	return zw
}

// addZip adds one entry: a directory (name gets a trailing slash, stored) or a
// deflated file, with the time when (also in the extended-timestamp field).
func addZip(zw *zip.Writer, name string, mode fs.FileMode, data []byte, when time.Time) error {
	h := &zip.FileHeader{Name: name, Method: zip.Deflate, Modified: when}
	if mode.IsDir() {
		h.Name, h.Method = strings.TrimSuffix(name, "/")+"/", zip.Store
	}
	h.SetMode(mode)
	f, err := zw.CreateHeader(h)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	_, err = f.Write(data)
	return err
}

// repackJar copies the entries of the jar in, which `jar` stamped with the
// clock, into w: the manifest first as Java expects, then the rest sorted,
// every one with the time when and mode 0644 (directories 0755).
func repackJar(w io.Writer, in string, when time.Time) error {
	zr, err := zip.OpenReader(in)
	if err != nil {
		return fmt.Errorf("read %s: %w", in, err)
	}
	defer zr.Close()
	files := slices.Clone(zr.File)
	rank := func(name string) int {
		switch name {
		case "META-INF/":
			return 0
		case "META-INF/MANIFEST.MF":
			return 1
		}
		return 2
	}
	slices.SortFunc(files, func(a, b *zip.File) int {
		if ra, rb := rank(a.Name), rank(b.Name); ra != rb {
			return ra - rb
		}
		return strings.Compare(a.Name, b.Name)
	})
	zw := newZip(w)
	for _, f := range files {
		mode := fs.FileMode(0o644)
		var data []byte
		if strings.HasSuffix(f.Name, "/") {
			mode = fs.ModeDir | 0o755
		} else if data, err = readZipFile(f); err != nil {
			return err
		}
		if err := addZip(zw, f.Name, mode, data, when); err != nil {
			return err
		}
	}
	return zw.Close()
}

func readZipFile(f *zip.File) ([]byte, error) {
	r, err := f.Open()
	if err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	defer r.Close()
	var b bytes.Buffer
	if _, err := io.Copy(&b, r); err != nil {
		return nil, fmt.Errorf("%s: %w", f.Name, err)
	}
	return b.Bytes(), nil
}
