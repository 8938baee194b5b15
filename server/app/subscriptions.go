package app

import (
	"context"
	"net/http"
)

// Subscribe subscribes a channel to a (non-personal) meeting (SPEC §8).
func (a *App) Subscribe(ctx context.Context, userID, channelID string, meetingID int64) (string, error) {
	return "", userError(http.StatusNotImplemented, nil, "Subscriptions are not available yet.")
}

// Unsubscribe removes a channel subscription (SPEC §8).
func (a *App) Unsubscribe(userID string, meetingID int64) (string, error) {
	return "", userError(http.StatusNotImplemented, nil, "Subscriptions are not available yet.")
}

// ListSubscriptions lists the caller's subscriptions.
func (a *App) ListSubscriptions(userID string) (string, error) {
	return "", userError(http.StatusNotImplemented, nil, "Subscriptions are not available yet.")
}
