package zoomsim

import (
	"encoding/json"
	"io"
	"net/http"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// ComplianceRequests returns the data compliance calls received so far.
func (s *Server) ComplianceRequests() []zoom.ComplianceRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]zoom.ComplianceRequest(nil), s.compliance...)
}

func (s *Server) handleCompliance(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		writeError(w, http.StatusMethodNotAllowed, 405, "Method not allowed.")
		return
	}
	id, secret, ok := r.BasicAuth()
	if !ok || id != s.opts.ClientID || secret != s.opts.ClientSecret {
		writeError(w, http.StatusUnauthorized, 124, "Invalid client_id or client_secret.")
		return
	}
	var req zoom.ComplianceRequest
	dec := json.NewDecoder(io.LimitReader(r.Body, 64<<10))
	if err := dec.Decode(&req); err != nil || dec.More() {
		writeError(w, http.StatusBadRequest, 300, "Request Body should be a valid JSON object.")
		return
	}
	if req.ClientID != s.opts.ClientID {
		writeValidation(w, "client_id")
		return
	}
	if req.UserID == "" {
		writeValidation(w, "user_id")
		return
	}
	s.mu.Lock()
	s.compliance = append(s.compliance, req)
	s.mu.Unlock()
	w.WriteHeader(http.StatusOK)
}
