// Package zoomsim is an in-process Zoom for tests, the devhost and benchmarks:
// OAuth, the REST API v2, recordings and signed webhooks, shaped after Zoom's
// documented payloads (copies in server/zoom/testdata) so that code passing
// against it behaves against Zoom.
package zoomsim

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/pem"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Options configures a simulator; zero values get the defaults below.
type Options struct {
	ClientID       string
	ClientSecret   string
	WebhookSecret  string
	AccountID      string
	AccessTokenTTL time.Duration // default 1h
	// RevokeAccessOnRefresh kills the old access token when its refresh token is
	// used. Zoom's behaviour here is undocumented; the default keeps it alive.
	RevokeAccessOnRefresh bool
	Logf                  func(string, ...any)
}

// Defaults, matching the example payloads in server/zoom/testdata where they have one.
const (
	DefaultClientID      = "sim-client-id"
	DefaultClientSecret  = "sim-client-secret"
	DefaultWebhookSecret = "Sim_Webhook_Secret_Token"
	DefaultAccountID     = "RT7-vfD3WtR7cNIvzXvliw"
	scopes               = "meeting:read:meeting meeting:write:meeting user:read:user"
)

// Server is a running simulator. All methods are safe for concurrent use.
type Server struct {
	opts    Options
	ts      *httptest.Server
	closing chan struct{}
	close   sync.Once

	mu            sync.Mutex
	users         []*User // in creation order; the first is the account owner
	loginEmail    string
	codes         map[string]*authCode
	access        map[string]*accessToken
	refresh       map[string]*refreshToken
	meetings      map[int64]*meeting
	meetingOrder  []int64
	past          map[string]*instance   // by uuid, once ended
	summaries     map[string]summaryJSON // AI Companion summaries, by instance uuid
	files         map[string]*recFile    // by download path
	dlTokens      map[string]dlToken
	calls         []Call
	faults        []*Fault
	compliance    []zoom.ComplianceRequest
	downloadDelay time.Duration
	seq           int // meetings created, to vary uuid shapes deterministically

	// pastParticipantsDenied answers the participants report as for a free account.
	pastParticipantsDenied bool
}

// New starts a simulator on a TLS loopback listener.
func New(opts Options) *Server {
	if opts.ClientID == "" {
		opts.ClientID = DefaultClientID
	}
	if opts.ClientSecret == "" {
		opts.ClientSecret = DefaultClientSecret
	}
	if opts.WebhookSecret == "" {
		opts.WebhookSecret = DefaultWebhookSecret
	}
	if opts.AccountID == "" {
		opts.AccountID = DefaultAccountID
	}
	if opts.AccessTokenTTL <= 0 {
		opts.AccessTokenTTL = time.Hour
	}
	s := &Server{
		opts:     opts,
		closing:  make(chan struct{}),
		codes:    map[string]*authCode{},
		access:   map[string]*accessToken{},
		refresh:  map[string]*refreshToken{},
		meetings: map[int64]*meeting{},
		past:     map[string]*instance{},
		files:    map[string]*recFile{},
		dlTokens: map[string]dlToken{},
	}
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serveHTTP))
	// Clients hanging up mid-handshake is routine in tests; keep it out of
	// their output unless the caller asked for logs.
	s.ts.Config.ErrorLog = log.New(logWriter{s}, "", 0)
	s.ts.StartTLS()
	return s
}

// Close stops the server. Requests held by injected latency or a download
// delay are released first so that Close does not wait for them.
func (s *Server) Close() {
	s.close.Do(func() {
		close(s.closing)
		s.ts.Close()
	})
}

// URL is the web and OAuth base, e.g. https://127.0.0.1:41234 (the ZoomURL setting).
func (s *Server) URL() string { return s.ts.URL }

// APIURL is the REST base (the ZoomAPIURL setting).
func (s *Server) APIURL() string { return s.ts.URL + "/v2" }

// ClientID returns the OAuth client id the simulator accepts.
func (s *Server) ClientID() string { return s.opts.ClientID }

// ClientSecret returns the OAuth client secret the simulator accepts.
func (s *Server) ClientSecret() string { return s.opts.ClientSecret }

// WebhookSecret returns the secret token webhooks are signed with.
func (s *Server) WebhookSecret() string { return s.opts.WebhookSecret }

// AccountID returns the simulated account's id.
func (s *Server) AccountID() string { return s.opts.AccountID }

// HTTPClient returns a fresh client that trusts the simulator's certificate.
func (s *Server) HTTPClient() *http.Client {
	pool := x509.NewCertPool()
	pool.AddCert(s.ts.Certificate())
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: pool, MinVersion: tls.VersionTLS12}
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

// CertPEM is the server certificate, which is its own CA.
func (s *Server) CertPEM() []byte {
	return pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: s.ts.Certificate().Raw})
}

// WriteCAFile writes CertPEM to path, for SSL_CERT_FILE in a child process.
func (s *Server) WriteCAFile(path string) error {
	return os.WriteFile(path, s.CertPEM(), 0o644)
}

func (s *Server) logf(format string, args ...any) {
	if s.opts.Logf != nil {
		s.opts.Logf("zoomsim: "+format, args...)
	}
}

type logWriter struct{ s *Server }

func (w logWriter) Write(p []byte) (int, error) {
	w.s.logf("%s", strings.TrimSpace(string(p)))
	return len(p), nil
}
