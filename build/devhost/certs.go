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
// it (tests may run several hosts at once).
var caBundle struct {
	mu   sync.Mutex
	path string
	pems [][]byte
}

// trustCA appends pem to the process-wide bundle and points SSL_CERT_FILE at it.
func trustCA(pem []byte) error {
	caBundle.mu.Lock()
	defer caBundle.mu.Unlock()
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
