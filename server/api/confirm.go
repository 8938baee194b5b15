package api

import "net/http"

// confirmStart handles the buttons of the large-channel confirmation card.
func (r *Router) confirmStart(w http.ResponseWriter, req *http.Request, userID string) {
	action, ok := r.decodeAction(w, req)
	if !ok {
		return
	}
	resp, err := r.app.ConfirmStart(req.Context(), userID, action)
	if err != nil {
		r.writeError(w, req, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}
