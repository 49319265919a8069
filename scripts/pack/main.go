// Command pack writes the release files of scripts/release byte for byte the
// same on every machine: tar.gz and zip archives of a staged directory, a
// re-packed jar, SHA256SUMS, and the Homebrew formula and Scoop manifest.
// Every entry has the time -mtime (SOURCE_DATE_EPOCH), owner 0/0 and no user
// names, mode 0755 (directories, executables) or 0644, and the entries are in
// lexical order, each directory before what it holds.
//
//	go run ./scripts/pack tar -mtime N -o OUT.tar.gz -C DIR TOP
//	go run ./scripts/pack zip -mtime N -o OUT.zip -C DIR TOP
//	go run ./scripts/pack jar -mtime N -o OUT.jar IN.jar
//	go run ./scripts/pack sums -o SHA256SUMS FILE...
//	go run ./scripts/pack manifests -version V -base URL -sums SHA256SUMS -o DIR
package main

import (
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "pack: error:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	if len(args) == 0 {
		return errors.New("usage: pack tar|zip|jar|sums|manifests ...")
	}
	fl := flag.NewFlagSet("pack "+args[0], flag.ContinueOnError)
	mtime := fl.Int64("mtime", -1, "every entry's time, in seconds since 1970 (SOURCE_DATE_EPOCH)")
	out := fl.String("o", "", "the file (or, for manifests, the directory) to write")
	dir := fl.String("C", ".", "the directory TOP is in")
	version := fl.String("version", "", "the release's version, without v")
	base := fl.String("base", "", "the URL the archives are downloaded from")
	sums := fl.String("sums", "", "the SHA256SUMS the manifests take checksums from")
	if err := fl.Parse(args[1:]); err != nil {
		return err
	}
	if *out == "" {
		return errors.New("-o is required")
	}
	when := time.Unix(*mtime, 0).UTC()
	needTime := func() error {
		if *mtime < 315532800 { // 1980-01-01: zip cannot say earlier
			return errors.New("-mtime must be a time after 1980 (SOURCE_DATE_EPOCH)")
		}
		return nil
	}
	switch cmd, rest := args[0], fl.Args(); cmd {
	case "tar", "zip":
		if err := needTime(); err != nil {
			return err
		}
		if len(rest) != 1 {
			return fmt.Errorf("%s wants one TOP directory", cmd)
		}
		entries, err := walk(*dir, rest[0])
		if err != nil {
			return err
		}
		return writeFile(*out, func(f *os.File) error {
			if cmd == "tar" {
				return writeTarGz(f, *dir, entries, when)
			}
			return writeZip(f, *dir, entries, when)
		})
	case "jar":
		if err := needTime(); err != nil {
			return err
		}
		if len(rest) != 1 {
			return errors.New("jar wants one input jar")
		}
		return writeFile(*out, func(f *os.File) error { return repackJar(f, rest[0], when) })
	case "sums":
		return writeFile(*out, func(f *os.File) error { return writeSums(f, rest) })
	case "manifests":
		if *version == "" || *base == "" || *sums == "" {
			return errors.New("manifests needs -version, -base and -sums")
		}
		return writeManifests(*out, *version, *base, *sums)
	default:
		return fmt.Errorf("unknown command %q", cmd)
	}
}

// entry is one file, directory or symlink of an archive: its slash-separated
// name under the staging directory, and what it is there.
type entry struct {
	name string
	mode fs.FileMode // fs.ModeDir, fs.ModeSymlink or 0, plus 0755 or 0644 (0777 for links)
	link string      // a symlink's target
}

// walk lists TOP and everything under it in dir, in lexical order per
// directory (WalkDir's), with the modes normalized.
func walk(dir, top string) ([]entry, error) {
	var entries []entry
	err := filepath.WalkDir(filepath.Join(dir, top), func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		e := entry{name: filepath.ToSlash(rel)}
		switch {
		case d.IsDir():
			e.mode = fs.ModeDir | 0o755
		case d.Type()&fs.ModeSymlink != 0:
			e.mode = fs.ModeSymlink | 0o777
			if e.link, err = os.Readlink(p); err != nil {
				return err
			}
		case d.Type().IsRegular():
			info, err := d.Info()
			if err != nil {
				return err
			}
			e.mode = 0o644
			if info.Mode()&0o100 != 0 {
				e.mode = 0o755
			}
		default:
			return fmt.Errorf("%s: not a file, directory or symlink", p)
		}
		entries = append(entries, e)
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("list %s: %w", top, err)
	}
	return entries, nil
}

// writeFile writes path through a temporary file in its directory, renamed
// into place only when write succeeded.
func writeFile(path string, write func(*os.File) error) error {
	f, err := os.CreateTemp(filepath.Dir(path), ".pack-*")
	if err != nil {
		return fmt.Errorf("create %s: %w", path, err)
	}
	defer os.Remove(f.Name())
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Chmod(0o644); err != nil {
		f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return os.Rename(f.Name(), path)
}
