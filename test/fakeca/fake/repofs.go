package fake

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"encoding/hex"
	"fmt"
	"hash"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// checksumKinds are the checksum files Maven asks for next to an artifact.
var checksumKinds = map[string]func() hash.Hash{
	".sha1":   sha1.New,
	".md5":    md5.New,
	".sha256": sha256.New,
	".sha512": sha512.New,
}

// storePath is where repository repo keeps rel; rel is checked by
// splitRepoPath.
func (s *Server) storePath(repo, rel string) string {
	return filepath.Join(s.StoreDir(), repo, filepath.FromSlash(rel))
}

func (s *Server) upstreamPath(rel string) string {
	return filepath.Join(s.opts.UpstreamDir, filepath.FromSlash(rel))
}

// openRegular opens name, following symlinks, and treats anything but a
// regular file (a directory, say) as missing.
func openRegular(name string) (*os.File, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	st, err := f.Stat()
	if err != nil || !st.Mode().IsRegular() {
		f.Close()
		return nil, fs.ErrNotExist
	}
	return f, nil
}

// writeFileAtomic writes r to name through a temporary file in the same
// directory, so readers see the old file or the whole new one.
func writeFileAtomic(name string, r io.Reader) error {
	dir := filepath.Dir(name)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", dir, err)
	}
	tmp, err := os.CreateTemp(dir, ".upload-*")
	if err != nil {
		return fmt.Errorf("create temporary file: %w", err)
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := io.Copy(tmp, r); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", name, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("chmod %s: %w", name, err)
	}
	if err := os.Rename(tmp.Name(), name); err != nil {
		return fmt.Errorf("rename into %s: %w", name, err)
	}
	return nil
}

// computedChecksum answers a checksum file (.sha1, .md5, .sha256, .sha512)
// that neither the store nor the upstream has, from the artifact it sums.
func (s *Server) computedChecksum(repo, rel string) (string, bool) {
	ext := filepath.Ext(rel)
	newHash, ok := checksumKinds[ext]
	if !ok {
		return "", false
	}
	f, err := s.openArtifact(repo, strings.TrimSuffix(rel, ext))
	if err != nil {
		return "", false
	}
	defer f.Close()
	h := newHash()
	if _, err := io.Copy(h, f); err != nil {
		return "", false
	}
	return hex.EncodeToString(h.Sum(nil)), true
}
