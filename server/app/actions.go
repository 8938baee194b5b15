package app

import (
	"net/http"

	"github.com/mattermost/mattermost/server/public/model"
)

// actionContext reads a message button's context after checking that the person who
// clicked is the person the button was made for: the context's userID names them, and
// the server's request (when it says) must agree with the session. notYours is the
// message id for someone else's button.
func (a *App) actionContext(sessionUserID string, req *model.PostActionIntegrationRequest, notYours string) (func(key string) string, error) {
	str := func(k string) string { s, _ := req.Context[k].(string); return s }
	if str("userID") != sessionUserID || req.UserId != "" && req.UserId != sessionUserID {
		return nil, a.userErrorT(http.StatusForbidden, ErrForbidden, notYours)
	}
	return str, nil
}
