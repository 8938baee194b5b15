package devhost

import (
	"archive/tar"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// installBundle puts the plugin at <pluginsDir>/<id>, as the server installs
// an upload: a .tar.gz with one top folder (whatever its name) is unpacked,
// a directory is copied. It returns the manifest.
func installBundle(bundle, pluginsDir string) (*model.Manifest, string, error) {
	st, err := os.Stat(bundle)
	if err != nil {
		return nil, "", fmt.Errorf("devhost: plugin bundle %q: %w", bundle, err)
	}
	staging, err := os.MkdirTemp(pluginsDir, ".staging-")
	if err != nil {
		return nil, "", err
	}
	defer os.RemoveAll(staging)

	root := staging
	if st.IsDir() {
		if err := copyTree(bundle, filepath.Join(staging, "bundle")); err != nil {
			return nil, "", err
		}
		root = filepath.Join(staging, "bundle")
	} else {
		if err := untarGz(bundle, staging); err != nil {
			return nil, "", fmt.Errorf("devhost: unpack %s: %w", bundle, err)
		}
		root, err = loneFolder(staging)
		if err != nil {
			return nil, "", fmt.Errorf("devhost: %s: %w", bundle, err)
		}
	}

	manifest, _, err := model.FindManifest(root)
	if err != nil {
		return nil, "", fmt.Errorf("devhost: no plugin manifest in %s: %w", bundle, err)
	}
	if !model.IsValidPluginId(manifest.Id) {
		return nil, "", fmt.Errorf("devhost: invalid plugin id %q", manifest.Id)
	}
	dest := filepath.Join(pluginsDir, manifest.Id)
	if err := os.RemoveAll(dest); err != nil {
		return nil, "", err
	}
	if err := os.Rename(root, dest); err != nil {
		return nil, "", err
	}
	return manifest, dest, nil
}

// loneFolder enters the single top-level folder of an unpacked archive.
func loneFolder(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	if len(entries) != 1 || !entries[0].IsDir() {
		return "", errors.New("the archive must hold exactly one top folder")
	}
	return filepath.Join(dir, entries[0].Name()), nil
}

func untarGz(archive, dest string) error {
	f, err := os.Open(archive)
	if err != nil {
		return err
	}
	defer f.Close()
	gz, err := gzip.NewReader(f)
	if err != nil {
		return err
	}
	tr := tar.NewReader(gz)
	for {
		hdr, err := tr.Next()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return err
		}
		name := filepath.Clean(hdr.Name)
		if filepath.IsAbs(name) || name == ".." || strings.HasPrefix(name, ".."+string(filepath.Separator)) {
			return fmt.Errorf("unsafe path %q in archive", hdr.Name)
		}
		target := filepath.Join(dest, name)
		switch hdr.Typeflag {
		case tar.TypeDir:
			if err := os.MkdirAll(target, 0o755); err != nil {
				return err
			}
		case tar.TypeReg:
			if err := writeFile(target, tr, hdr.FileInfo().Mode().Perm()); err != nil {
				return err
			}
		}
	}
}

func writeFile(path string, r io.Reader, mode fs.FileMode) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	out, err := os.OpenFile(path, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, mode|0o200)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, r); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

func copyTree(src, dest string) error {
	return filepath.WalkDir(src, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, path)
		if err != nil {
			return err
		}
		target := filepath.Join(dest, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		in, err := os.Open(path)
		if err != nil {
			return err
		}
		defer in.Close()
		return writeFile(target, in, info.Mode().Perm())
	})
}
