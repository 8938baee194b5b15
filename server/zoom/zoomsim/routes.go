package zoomsim

import (
	"net/http"
	"strings"
)

// route dispatches by hand rather than with ServeMux patterns because past
// meeting uuids arrive percent-encoded (sometimes twice) and must be taken from
// the escaped path.
func (s *Server) route(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	switch {
	case p == "/oauth/authorize":
		s.handleAuthorize(w, r)
	case p == "/oauth/token":
		s.handleToken(w, r)
	case p == "/oauth/data/compliance" || p == "/v2/oauth/data/compliance":
		s.handleCompliance(w, r)
	case strings.HasPrefix(p, "/v2/"):
		s.handleAPI(w, r)
	case strings.HasPrefix(p, "/j/"):
		s.handleJoinPage(w, r)
	case strings.HasPrefix(p, "/s/"):
		s.handleStartPage(w, r)
	case strings.HasPrefix(p, "/rec/play/"):
		s.handlePlayPage(w, r)
	case strings.HasPrefix(p, "/rec/webhook_download/"):
		s.handleDownload(w, r)
	default:
		http.NotFound(w, r)
	}
}

// handleAPI checks the bearer token, then serves the REST API v2.
func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request) {
	tok, ok := s.checkBearer(w, r)
	if !ok {
		return
	}
	segs := strings.Split(strings.TrimPrefix(r.URL.EscapedPath(), "/v2/"), "/")
	switch {
	case len(segs) == 2 && segs[0] == "users" && r.Method == http.MethodGet:
		s.apiGetUser(w, tok, unescape(segs[1]))
	case len(segs) == 3 && segs[0] == "users" && segs[2] == "meetings" && r.Method == http.MethodPost:
		s.apiCreateMeeting(w, r, tok, unescape(segs[1]))
	case len(segs) == 3 && segs[0] == "users" && segs[2] == "meetings" && r.Method == http.MethodGet:
		s.apiListMeetings(w, r, tok, unescape(segs[1]))
	case len(segs) == 2 && segs[0] == "meetings" && r.Method == http.MethodGet:
		s.apiGetMeeting(w, tok, segs[1])
	case len(segs) == 3 && segs[0] == "meetings" && segs[2] == "meeting_summary" && r.Method == http.MethodGet:
		s.apiGetSummary(w, tok, unescapeUUID(segs[1]))
	case len(segs) == 2 && segs[0] == "meetings" && r.Method == http.MethodDelete:
		s.apiDeleteMeeting(w, tok, segs[1])
	case len(segs) == 2 && segs[0] == "past_meetings" && r.Method == http.MethodGet:
		s.apiGetPastMeeting(w, tok, unescapeUUID(segs[1]))
	case len(segs) == 3 && segs[0] == "past_meetings" && segs[2] == "participants" && r.Method == http.MethodGet:
		s.apiPastParticipants(w, r, tok, unescapeUUID(segs[1]))
	case len(segs) >= 2 && (segs[0] == "users" || segs[0] == "meetings" || segs[0] == "past_meetings"):
		writeError(w, http.StatusMethodNotAllowed, 405, "Method not allowed.")
	default:
		writeError(w, http.StatusNotFound, 404, "API not found.")
	}
}
