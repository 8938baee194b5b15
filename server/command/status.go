package command

import (
	"context"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/app"
)

// status answers /zoom status: the report for system admins, the help text for
// everyone else. It runs even while the plugin is unconfigured, because that is
// when an admin needs it most.
func (h *Handler) status(userID string) string {
	if !h.app.IsSystemAdmin(userID) {
		if h.app.Settings() == nil {
			return h.errText(userID, app.ErrNotConfigured)
		}
		return h.help(userID)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	report, err := h.app.StatusReport(ctx, userID)
	if err != nil {
		return h.errText(userID, err)
	}
	return report
}
