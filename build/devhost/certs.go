package devhost

import (
	"bytes"
	"os"
	"path/filepath"
	"sync"
)

// The plugin child inherits the host's environment as it is at Activate, and
// Go reads SSL_CERT_FILE once per process. One variable serves every host in
// this process, so it names a bundle that only grows: each simulator's CA is
// appended, and a plugin started later trusts every simulator started before
// it (tests may run several hosts at once). When the last host using it closes,
// the bundle's folder is removed and SSL_CERT_FILE restored, so `make run` leaves
// nothing behind in the temp folder.
var caBundle struct {
	mu      sync.Mutex
	path    string
	pems    [][]byte
	prev    *string        // SSL_CERT_FILE before the first host (nil: unset)
	holders map[*Host]bool // hosts started since the bundle was made
}

// trustCA appends pem to the process-wide bundle and points SSL_CERT_FILE at it,
// for as long as h is open (releaseCA).
func trustCA(h *Host, pem []byte) error {
	caBundle.mu.Lock()
	defer caBundle.mu.Unlock()
	if caBundle.holders == nil {
		caBundle.holders = map[*Host]bool{}
	}
	caBundle.holders[h] = true
	for _, p := range caBundle.pems {
		if bytes.Equal(p, pem) {
			return nil
		}
	}
	if caBundle.path == "" {
		dir, err := os.MkdirTemp("", "devhost-ca-")
		if err != nil {
			return err
		}
		caBundle.path = filepath.Join(dir, "ca.pem")
		caBundle.prev = nil
		if prev, ok := os.LookupEnv("SSL_CERT_FILE"); ok {
			caBundle.prev = &prev
		}
		// Keep whatever bundle the user pointed at; it would otherwise be
		// replaced by ours.
		if prev := os.Getenv("SSL_CERT_FILE"); prev != "" {
			if b, err := os.ReadFile(prev); err == nil {
				caBundle.pems = append(caBundle.pems, b)
			}
		}
	}
	caBundle.pems = append(caBundle.pems, pem)
	// Write a new file and rename it over the old one, so a plugin starting
	// right now reads either bundle whole, never half of one.
	tmp := caBundle.path + ".tmp"
	if err := os.WriteFile(tmp, bytes.Join(caBundle.pems, []byte("\n")), 0o644); err != nil {
		return err
	}
	if err := os.Rename(tmp, caBundle.path); err != nil {
		return err
	}
	return os.Setenv("SSL_CERT_FILE", caBundle.path)
}

// releaseCA ends h's use of the bundle; the last host removes it.
func releaseCA(h *Host) {
	caBundle.mu.Lock()
	defer caBundle.mu.Unlock()
	if !caBundle.holders[h] {
		return
	}
	delete(caBundle.holders, h)
	if len(caBundle.holders) > 0 || caBundle.path == "" {
		return
	}
	os.RemoveAll(filepath.Dir(caBundle.path))
	if caBundle.prev != nil {
		os.Setenv("SSL_CERT_FILE", *caBundle.prev)
	} else {
		os.Unsetenv("SSL_CERT_FILE")
	}
	caBundle.path, caBundle.pems, caBundle.prev = "", nil, nil
}
