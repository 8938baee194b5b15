package api

import (
	"context"
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"
)

// cancelSchedule handles a scheduled card's "Cancel meeting" button.
func (r *Router) cancelSchedule(w http.ResponseWriter, req *http.Request, userID string) {
	action, ok := r.decodeAction(w, req)
	if !ok {
		return
	}
	resp, err := r.app.CancelScheduledMeeting(req.Context(), userID, action)
	if err != nil {
		// The clicker sees why in an ephemeral note; the card stays as it is.
		writeJSON(w, http.StatusOK, model.PostActionIntegrationResponse{EphemeralText: r.app.MessageFor(userID, err)})
		r.app.LogIfInternal("Cancelling a scheduled meeting failed", err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// scheduleDialog answers the /zoom schedule form's submission.
func (r *Router) scheduleDialog(ctx context.Context, userID string, submission *model.SubmitDialogRequest) (any, error) {
	return r.app.SubmitScheduleDialog(ctx, userID, submission)
}
