package api

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/app"
)

// An error the app did not classify is ours: 500. The other kinds are covered by the
// route tests that provoke them.
func TestStatusOfUnclassifiedAndNotConfigured(t *testing.T) {
	if got := statusOf(errors.New("disk on fire")); got != http.StatusInternalServerError {
		t.Errorf("plain error: %d, want 500", got)
	}
	if got := statusOf(fmt.Errorf("activating: %w", app.ErrNotConfigured)); got != http.StatusNotImplemented {
		t.Errorf("not configured: %d, want 501", got)
	}
}
