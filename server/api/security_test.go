package api_test

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// A deauthorization deletes a connection, so without a Zoom secret to check its
// signature it is refused like every webhook, and the admin is told why.
func TestDeauthorizationWithoutZoomSecretIsRefused(t *testing.T) {
	e := newGateEnv(t, "")
	body := []byte(`{"event":"app_deauthorized","event_ts":1,"payload":{"account_id":"RT7-vfD3WtR7cNIvzXvliw","user_id":"7ImKnOIj9cs8rPhnRsstmQ","signature":"x","deauthorization_time":"2026-03-12T14:00:00Z","client_id":"sim-client-id","user_data_retention":"true"}}`)
	before := e.snapshot()
	url := "/deauthorization?secret=" + webhookSecret
	unsigned := httptest.NewRequest(http.MethodPost, url, bytes.NewReader(body))
	unsigned.Header.Set("Content-Type", "application/json")
	signed := e.signed("https://chat.example.com"+url, body, time.Now())
	for _, req := range []*http.Request{unsigned, signed} {
		if rec := e.serve(req); rec.Code != http.StatusUnauthorized || !strings.Contains(rec.Body.String(), "Zoom Webhook Secret") {
			t.Fatalf("answered %d %q, want 401", rec.Code, rec.Body)
		}
	}
	if e.snapshot() != before {
		t.Fatal("a refused deauthorization changed state")
	}
	if n := e.refusalLogs(); n != 1 {
		t.Fatalf("logged the refusal %d times, want once", n)
	}
}
