package zoomsim_test

import (
	"context"
	"crypto/x509"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

const redirect = "https://mm.example.com/plugins/zoom/oauth2/complete"

func newSim(t *testing.T, opts zoomsim.Options) *zoomsim.Server {
	t.Helper()
	s := zoomsim.New(opts)
	t.Cleanup(s.Close)
	s.AddUser(zoomsim.User{Email: "alice@example.com", FirstName: "Alice", LastName: "Archer", PMI: 7391846250})
	return s
}

// noFollow is a browser that stops at redirects so tests can read them.
func noFollow(s *zoomsim.Server) *http.Client {
	c := s.HTTPClient()
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	return c
}

func authorizeURL(s *zoomsim.Server, extra url.Values) string {
	q := url.Values{"response_type": {"code"}, "client_id": {s.ClientID()}, "redirect_uri": {redirect}, "state": {"st"}}
	for k, v := range extra {
		q[k] = v
	}
	return s.URL() + "/oauth/authorize?" + q.Encode()
}

func codeFrom(t *testing.T, resp *http.Response) string {
	t.Helper()
	resp.Body.Close()
	if resp.StatusCode != http.StatusFound {
		t.Fatalf("status %d", resp.StatusCode)
	}
	loc, _ := url.Parse(resp.Header.Get("Location"))
	if loc.Query().Get("state") != "st" {
		t.Fatalf("state lost: %s", loc)
	}
	return loc.Query().Get("code")
}

// post sends a form to the token endpoint and returns status and decoded body.
func post(t *testing.T, s *zoomsim.Server, form url.Values, basic bool) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, s.URL()+"/oauth/token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	if basic {
		req.SetBasicAuth(s.ClientID(), s.ClientSecret())
	}
	return do(t, s, req)
}

func do(t *testing.T, s *zoomsim.Server, req *http.Request) (int, map[string]any) {
	t.Helper()
	resp, err := s.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body map[string]any
	raw, _ := io.ReadAll(resp.Body)
	_ = json.Unmarshal(raw, &body)
	return resp.StatusCode, body
}

func login(t *testing.T, s *zoomsim.Server, email string) map[string]any {
	t.Helper()
	s.SetLoginUser(email)
	resp, err := noFollow(s).Get(authorizeURL(s, nil))
	if err != nil {
		t.Fatal(err)
	}
	code := codeFrom(t, resp)
	status, body := post(t, s, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "redirect_uri": {redirect}}, true)
	if status != 200 {
		t.Fatalf("token: %d %v", status, body)
	}
	return body
}

func api(t *testing.T, s *zoomsim.Server, method, path, token, body string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, s.APIURL()+path, strings.NewReader(body))
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	return do(t, s, req)
}

func TestBearerRules(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	tok := login(t, s, "alice@example.com")["access_token"].(string)
	cases := []struct {
		name, path, token string
		status, code      int
	}{
		{"valid", "/users/me", tok, 200, 0},
		{"missing", "/users/me", "", 401, 124},
		{"unknown", "/users/me", "eyJnope", 401, 124},
		{"token in query refused", "/users/me?access_token=" + tok, tok, 401, 124},
	}
	for _, c := range cases {
		status, body := api(t, s, "GET", c.path, c.token, "")
		if status != c.status || (c.code != 0 && (body["code"] != float64(c.code) || body["message"] != "Invalid access token.")) {
			t.Errorf("%s: %d %v", c.name, status, body)
		}
	}
}

func TestWireTypes(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	tok := login(t, s, "alice@example.com")["access_token"].(string)
	_, me := api(t, s, "GET", "/users/me", tok, "")
	if _, ok := me["pmi"].(float64); !ok {
		t.Fatalf("users pmi must be a number: %v", me["pmi"])
	}
	status, m := api(t, s, "POST", "/users/me/meetings", tok, `{"topic":"x","type":1,"settings":{"use_pmi":true,"audio":""}}`)
	if status != 201 {
		t.Fatalf("%d %v", status, m)
	}
	if _, ok := m["id"].(float64); !ok || m["pmi"] != "7391846250" {
		t.Fatalf("meeting id must be a number and pmi a string: %v %v", m["id"], m["pmi"])
	}
	if m["settings"].(map[string]any)["audio"] != "both" {
		t.Fatalf("empty audio should default: %v", m["settings"])
	}
	status, m = api(t, s, "POST", "/users/me/meetings", tok, `{"topic":"x","type":1}`)
	if _, has := m["pmi"]; status != 201 || has {
		t.Fatalf("pmi present on a non-PMI meeting: %v", m)
	}
	status, e := api(t, s, "POST", "/users/me/meetings", tok, `not json`)
	if status != 400 || e["code"] != float64(300) || e["message"] != "Request Body should be a valid JSON object." {
		t.Fatalf("%d %v", status, e)
	}
	status, e = api(t, s, "POST", "/users/me/meetings", tok, `{"type":1,"settings":{"approval_type":9}}`)
	errs, _ := e["errors"].([]any)
	if status != 400 || e["message"] != "Validation Failed." || len(errs) != 1 ||
		errs[0].(map[string]any)["field"] != "settings.approval_type" {
		t.Fatalf("%d %v", status, e)
	}
}

func TestPastMeetingAcceptsBothEncodings(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	tok := login(t, s, "alice@example.com")["access_token"].(string)
	_, m := api(t, s, "POST", "/users/me/meetings", tok, `{"topic":"x","type":1}`)
	id := int64(m["id"].(float64))
	uuid := m["uuid"].(string)
	if _, err := s.StartMeeting(id); err != nil {
		t.Fatal(err)
	}
	if _, err := s.EndMeeting(id); err != nil {
		t.Fatal(err)
	}
	twice := url.PathEscape(strings.NewReplacer("/", "%2F", "+", "%2B", "=", "%3D").Replace(uuid))
	for _, p := range []string{zoom.EscapeUUIDPath(uuid), strings.NewReplacer("/", "%2F", "+", "%2B").Replace(uuid), twice} {
		status, body := api(t, s, "GET", "/past_meetings/"+p, tok, "")
		if status != 200 || body["uuid"] != uuid || body["id"] != float64(id) {
			t.Errorf("%s: %d %v", p, status, body)
		}
	}
}

func TestFaultsApplyEverywhereAndRunOut(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	s.InjectFault(zoomsim.Fault{Method: "POST", PathPrefix: "/oauth/token", Status: 503, Times: 2})
	for i, want := range []int{503, 503, 400} {
		status, _ := post(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}}, true)
		if status != want {
			t.Fatalf("attempt %d: %d, want %d", i, status, want)
		}
	}
	if n := s.CountCalls("POST", "/oauth/token"); n != 3 {
		t.Fatalf("%d calls", n)
	}
	var statuses []int
	for _, c := range s.Calls() {
		statuses = append(statuses, c.Status)
		if c.Authorization != "Basic" {
			t.Fatalf("%+v", c)
		}
	}
	if !equalJSON(statuses, []int{503, 503, 400}) {
		t.Fatalf("statuses %v", statuses)
	}
	s.InjectFault(zoomsim.Fault{PathPrefix: "/", Status: 500})
	s.ClearFaults()
	if status, _ := post(t, s, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {"x"}}, true); status != 400 {
		t.Fatalf("cleared fault still applies: %d", status)
	}
	s.ResetCalls()
	if len(s.Calls()) != 0 {
		t.Fatal("ResetCalls kept calls")
	}
}

func TestOlderDownloadFormAndCertificate(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	tok := login(t, s, "alice@example.com")["access_token"].(string)
	_, m := api(t, s, "POST", "/users/me/meetings", tok, `{"topic":"x","type":1}`)
	id := int64(m["id"].(float64))
	if _, err := s.StartMeeting(id); err != nil {
		t.Fatal(err)
	}
	body, err := s.CompleteTranscript(id)
	if err != nil {
		t.Fatal(err)
	}
	ev, _ := zoom.ParseEvent(body)
	rec, _ := ev.Recording()

	// A client built only from the CA file must trust the simulator.
	path := filepath.Join(t.TempDir(), "ca.pem")
	if err := s.WriteCAFile(path); err != nil {
		t.Fatal(err)
	}
	pool := x509.NewCertPool()
	if !pool.AppendCertsFromPEM(s.CertPEM()) {
		t.Fatal("CertPEM is not PEM")
	}
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = s.HTTPClient().Transport.(*http.Transport).TLSClientConfig.Clone()
	tr.TLSClientConfig.RootCAs = pool
	c := &http.Client{Transport: tr}
	resp, err := c.Get(rec.Object.RecordingFiles[0].DownloadURL + "?access_token=" + url.QueryEscape(ev.DownloadToken))
	if err != nil {
		t.Fatal(err)
	}
	data, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.HasPrefix(string(data), "WEBVTT") {
		t.Fatalf("%d %q", resp.StatusCode, data)
	}
}

func TestConcurrentUse(t *testing.T) {
	s := newSim(t, zoomsim.Options{})
	tok := login(t, s, "alice@example.com")["access_token"].(string)
	client := zoom.NewClient(s.APIURL(), s.HTTPClient())
	const n = 20
	ids := make([]int64, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			m, err := client.CreateMeeting(context.Background(), tok, "me", zoom.CreateMeetingRequest{Topic: "c", Type: 1})
			if err != nil {
				t.Error(err)
				return
			}
			ids[i] = m.ID
			if _, err := s.StartMeeting(m.ID); err != nil {
				t.Error(err)
			}
			_ = s.Calls()
			_ = s.CountCalls("", "/v2/")
		}()
	}
	wg.Wait()
	seen := map[int64]bool{}
	for _, id := range ids {
		if seen[id] {
			t.Fatalf("duplicate id %d", id)
		}
		seen[id] = true
	}
	if got := s.CountCalls("POST", "/v2/users/me/meetings"); got != n {
		t.Fatalf("%d create calls logged", got)
	}
}
