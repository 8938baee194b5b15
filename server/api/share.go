package api

import "net/http"

// share is the "Share in this channel" button of /zoom list: a post action whose
// context names the user it was for, who must be the session's user.
func (r *Router) share(w http.ResponseWriter, req *http.Request, userID string) {
	action, ok := r.decodeAction(w, req)
	if !ok {
		return
	}
	resp, err := r.app.ShareFromList(req.Context(), userID, action)
	if err != nil {
		r.writeError(w, req, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}
