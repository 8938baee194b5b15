package zoomsim

import (
	"html/template"
	"net/http"
	"net/url"
	"strings"
)

var pickerPage = template.Must(template.New("picker").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>Zoom simulator: sign in</title></head>
<body><h1>Zoom simulator: sign in</h1>
<p>Choose the Zoom user who authorizes the app.</p>
<ul>{{range .}}<li><a href="{{.Link}}" data-email="{{.Email}}">{{.Name}} &lt;{{.Email}}&gt;</a></li>{{else}}<li>No users: call AddUser first.</li>{{end}}</ul>
</body></html>`))

var messagePage = template.Must(template.New("msg").Parse(`<!doctype html>
<html><head><meta charset="utf-8"><title>{{.}}</title></head><body><h1>{{.}}</h1></body></html>`))

func writePage(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_ = messagePage.Execute(w, msg)
}

// handleAuthorize validates like Zoom, then either completes at once for the
// login user (or the user picked via sim_user) or shows the user picker.
func (s *Server) handleAuthorize(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		writePage(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}
	q := r.URL.Query()
	redirect, err := url.Parse(q.Get("redirect_uri"))
	switch {
	case q.Get("response_type") != "code":
		writePage(w, http.StatusBadRequest, "Zoom simulator: unsupported response_type")
		return
	case q.Get("client_id") != s.opts.ClientID:
		writePage(w, http.StatusBadRequest, "Zoom simulator: Invalid client_id (4700)")
		return
	case err != nil || (redirect.Scheme != "http" && redirect.Scheme != "https") || redirect.Host == "":
		writePage(w, http.StatusBadRequest, "Zoom simulator: Invalid redirect: "+q.Get("redirect_uri"))
		return
	}

	s.mu.Lock()
	var u *User
	if id := q.Get("sim_user"); id != "" {
		u = s.userByIDLocked(id)
	} else if s.loginEmail != "" {
		u = s.userByEmailLocked(s.loginEmail)
	}
	type choice struct{ Link, Email, Name string }
	var choices []choice
	for _, cand := range s.users {
		cq := cloneValues(q)
		cq.Set("sim_user", cand.ID)
		choices = append(choices, choice{Link: "/oauth/authorize?" + cq.Encode(), Email: cand.Email,
			Name: strings.TrimSpace(cand.FirstName + " " + cand.LastName)})
	}
	wanted := q.Get("sim_user") != "" || s.loginEmail != ""
	s.mu.Unlock()

	if u != nil {
		q.Del("sim_user")
		s.redirectWithCode(w, r, u, q)
		return
	}
	if wanted {
		writePage(w, http.StatusBadRequest, "Zoom simulator: no such user")
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_ = pickerPage.Execute(w, choices)
}

func cloneValues(v url.Values) url.Values {
	c := url.Values{}
	for k, vs := range v {
		c[k] = append([]string(nil), vs...)
	}
	return c
}

// handleJoinPage stands in for the Zoom client launcher, so a browser test can
// see that the join tab opened.
func (s *Server) handleJoinPage(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/j/")
	writePage(w, http.StatusOK, "Zoom simulator: joined meeting "+id)
}

func (s *Server) handleStartPage(w http.ResponseWriter, r *http.Request) {
	id := strings.TrimPrefix(r.URL.Path, "/s/")
	writePage(w, http.StatusOK, "Zoom simulator: started meeting "+id)
}

func (s *Server) handlePlayPage(w http.ResponseWriter, r *http.Request) {
	writePage(w, http.StatusOK, "Zoom simulator: playing recording "+strings.TrimPrefix(r.URL.Path, "/rec/play/"))
}
