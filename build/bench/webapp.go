package main

import (
	"archive/tar"
	"bytes"
	"compress/gzip"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
)

// webappBundle reads webapp/dist/main.js, or the copy in the plugin bundle
// when the tree has none (the bundle is what ships; they are the same file).
func webappBundle(root, bundle string) ([]byte, string, error) {
	path := filepath.Join(root, "webapp", "dist", "main.js")
	if b, err := os.ReadFile(path); err == nil {
		return b, "webapp/dist/main.js", nil
	}
	b, err := fileInBundle(bundle, "webapp/dist/main.js")
	return b, "main.js in " + filepath.Base(bundle), err
}

// fileInBundle finds <id>/<suffix> in a .tar.gz bundle.
func fileInBundle(bundle, suffix string) ([]byte, error) {
	f, err := os.Open(bundle)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	zr, err := gzip.NewReader(f)
	if err != nil {
		return nil, err
	}
	tr := tar.NewReader(zr)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil, errors.New(suffix + " is not in the bundle")
		}
		if err != nil {
			return nil, err
		}
		if h.Typeflag == tar.TypeReg && strings.HasSuffix(h.Name, "/"+suffix) {
			return io.ReadAll(io.LimitReader(tr, 64<<20))
		}
	}
}

// gzipSize is the size of data compressed as a web server would serve it.
func gzipSize(data []byte) (int, error) {
	var buf bytes.Buffer
	zw, err := gzip.NewWriterLevel(&buf, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := zw.Write(data); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	return buf.Len(), nil
}

// looksMinified is a rough check: a minified bundle has few, long lines.
func looksMinified(data []byte) bool {
	lines := bytes.Count(data, []byte("\n")) + 1
	return len(data)/lines > 200
}

// treeSize sums the sizes of the regular files under dir (apparent size, as
// `du -sb` counts it; symlinks are not followed) and counts them.
func treeSize(dir string) (bytes int64, files int, err error) {
	err = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.Type().IsRegular() {
			info, err := d.Info()
			if err != nil {
				return err
			}
			bytes += info.Size()
			files++
		}
		return nil
	})
	return bytes, files, err
}
