package devhost

import (
	"os"
	"path/filepath"
	"testing"
)

// The CA bundle the plugin processes trust lives as long as a host uses it: the
// last host to close removes it (nothing left in the temp folder) and restores
// SSL_CERT_FILE.
func TestLastHostRemovesTheCABundle(t *testing.T) {
	before, hadBefore := os.LookupEnv("SSL_CERT_FILE")
	a := startMini(t, Options{})
	b := startMini(t, Options{})
	bundle := os.Getenv("SSL_CERT_FILE")
	if _, err := os.Stat(bundle); err != nil {
		t.Fatalf("no CA bundle while hosts run: %v", err)
	}
	a.Close()
	if _, err := os.Stat(bundle); err != nil {
		t.Fatalf("the first host to close removed the bundle the other still uses: %v", err)
	}
	b.Close()
	if _, err := os.Stat(filepath.Dir(bundle)); !os.IsNotExist(err) {
		t.Fatalf("the CA bundle's folder outlived every host: %v", err)
	}
	if now, has := os.LookupEnv("SSL_CERT_FILE"); has != hadBefore || now != before {
		t.Fatalf("SSL_CERT_FILE %q (set %v), want %q (set %v)", now, has, before, hadBefore)
	}
}
