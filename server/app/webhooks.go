package app

import (
	"context"
	"net/http"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// HandleWebhook processes a verified Zoom event and returns the HTTP status to answer.
func (a *App) HandleWebhook(ctx context.Context, ev *zoom.Event) (int, error) {
	a.diag.RecordEvent(ev.Event)
	return http.StatusOK, nil
}
