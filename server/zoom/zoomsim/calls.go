package zoomsim

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Call is one request the simulator answered, for assertions on traffic.
type Call struct {
	Method string
	Path   string // decoded once, as net/http sees it
	Query  string // with secret values (codes, tokens, client secrets) redacted
	Status int    // 0: the connection was dropped without an answer (client gone, server closing)
	// Authorization is the scheme only ("Bearer", "Basic"), never the credential.
	Authorization string
}

// Fault makes matching requests fail or slow down before the real handler runs.
type Fault struct {
	Method     string // "" matches any method
	PathPrefix string // matched against the decoded path
	Status     int    // 0 = no failure, only Latency
	RetryAfter time.Duration
	Latency    time.Duration
	Times      int // 0 = forever
}

// InjectFault adds a fault; the first matching fault applies to a request.
func (s *Server) InjectFault(f Fault) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

// ClearFaults removes all faults.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// Calls returns a copy of the call log.
func (s *Server) Calls() []Call {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Call(nil), s.calls...)
}

// ResetCalls empties the call log.
func (s *Server) ResetCalls() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.calls = nil
}

// CountCalls counts logged calls by method ("" = any) and path prefix.
func (s *Server) CountCalls(method, pathPrefix string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	n := 0
	for _, c := range s.calls {
		if (method == "" || c.Method == method) && strings.HasPrefix(c.Path, pathPrefix) {
			n++
		}
	}
	return n
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (w *statusRecorder) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusRecorder) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

var secretParams = map[string]bool{
	"code": true, "refresh_token": true, "access_token": true, "client_secret": true, "code_verifier": true,
}

func redactQuery(raw string) string {
	q, err := url.ParseQuery(raw)
	if err != nil {
		return "(unparseable)"
	}
	for k := range q {
		if secretParams[k] {
			q[k] = []string{"REDACTED"}
		}
	}
	return q.Encode()
}

func authScheme(h string) string {
	scheme, _, _ := strings.Cut(strings.TrimSpace(h), " ")
	return scheme
}

func (s *Server) serveHTTP(w http.ResponseWriter, r *http.Request) {
	rec := &statusRecorder{ResponseWriter: w}
	defer func() {
		c := Call{Method: r.Method, Path: r.URL.Path, Query: redactQuery(r.URL.RawQuery), Status: rec.status,
			Authorization: authScheme(r.Header.Get("Authorization"))}
		s.mu.Lock()
		s.calls = append(s.calls, c)
		s.mu.Unlock()
		s.logf("%s %s -> %d", c.Method, c.Path, c.Status)
	}()
	if f, ok := s.takeFault(r); ok {
		s.waitOrAbort(r, f.Latency)
		if f.Status != 0 {
			writeFault(rec, f)
			return
		}
	}
	s.route(rec, r)
}

// takeFault finds the first matching fault and uses up one of its Times.
func (s *Server) takeFault(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, f := range s.faults {
		if (f.Method != "" && f.Method != r.Method) || !strings.HasPrefix(r.URL.Path, f.PathPrefix) {
			continue
		}
		got := *f
		if f.Times > 0 {
			f.Times--
			if f.Times == 0 {
				s.faults = append(s.faults[:i:i], s.faults[i+1:]...)
			}
		}
		return got, true
	}
	return Fault{}, false
}

// waitOrAbort sleeps d unless the request or the server ends first. Then it
// drops the connection: returning normally would send an empty 200, which a
// client cancelling at that moment can still receive as a success.
func (s *Server) waitOrAbort(r *http.Request, d time.Duration) {
	if d <= 0 {
		return
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return
	case <-r.Context().Done():
	case <-s.closing:
	}
	panic(http.ErrAbortHandler)
}

// writeFault answers like Zoom does when it is overloaded or failing. Short
// 429 waits look like per-second limits (X-RateLimit-Reset, seconds); long ones
// like daily limits (Retry-After as an ISO 8601 time).
func writeFault(w http.ResponseWriter, f Fault) {
	if f.Status == http.StatusTooManyRequests {
		h := w.Header()
		h.Set("X-RateLimit-Category", "Light")
		h.Set("X-RateLimit-Remaining", "0")
		if f.RetryAfter > time.Minute {
			h.Set("X-RateLimit-Type", "Daily-limit")
			h.Set("Retry-After", time.Now().Add(f.RetryAfter).UTC().Format(time.RFC3339))
			writeError(w, f.Status, 429, "You have reached the maximum daily rate limit for this API. Refer to the response header for details on when you can make another request.")
			return
		}
		h.Set("X-RateLimit-Type", "QPS")
		secs := (f.RetryAfter + time.Second - 1) / time.Second
		h.Set("X-RateLimit-Reset", fmt.Sprint(int64(secs)))
		writeError(w, f.Status, 429, "You have reached the maximum per-second rate limit for this API. Try again later.")
		return
	}
	if f.RetryAfter > 0 {
		w.Header().Set("Retry-After", fmt.Sprint(int64((f.RetryAfter+time.Second-1)/time.Second)))
	}
	writeError(w, f.Status, f.Status, http.StatusText(f.Status))
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json;charset=UTF-8")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// apiError is Zoom's error body; Errors appears on validation failures only.
type apiError struct {
	Code    int          `json:"code"`
	Message string       `json:"message"`
	Errors  []fieldError `json:"errors,omitempty"`
}

type fieldError struct {
	Field   string `json:"field"`
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status, code int, msg string) {
	writeJSON(w, status, apiError{Code: code, Message: msg})
}
