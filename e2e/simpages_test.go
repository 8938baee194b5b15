//go:build e2e

package e2e

import (
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"strings"
	"testing"

	"github.com/zoom-for-mattermost/zoom/build/devhost"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// `make run` in an ordinary browser: a client that does not trust the simulator's
// CA connects Zoom and opens a card's join link without ever leaving the devhost's
// plain http, while the plugin talks to the simulator over HTTPS.
func TestBrowserNeedsNoSimulatorCertificate(t *testing.T) {
	sim := zoomsim.New(zoomsim.Options{})
	t.Cleanup(sim.Close)
	h, err := devhost.Start(devhost.Options{
		Bundle: bundle(t), Addr: "127.0.0.1:0", Sim: sim, LogOutput: newTestLog(t), SimPagesOverHTTP: true,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(h.Close)
	alice := h.User("alice")
	h.AddZoomUser(zoomsim.User{Email: alice.Email, FirstName: alice.FirstName, LastName: alice.LastName})
	e := &env{t: t, h: h, sim: sim}

	jar, _ := cookiejar.New(nil)
	// A browser without the simulator's CA: here one that trusts no certificate at
	// all (this process's SSL_CERT_FILE does name the CA, for the plugin), so any
	// HTTPS request fails.
	tr := http.DefaultTransport.(*http.Transport).Clone()
	tr.TLSClientConfig = &tls.Config{RootCAs: x509.NewCertPool(), MinVersion: tls.VersionTLS12}
	browser := &http.Client{Jar: jar, Transport: tr}
	get := func(url string) (*http.Response, string) {
		t.Helper()
		resp, err := browser.Get(url)
		if err != nil {
			t.Fatalf("GET %s: %v", url, err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp, string(b)
	}
	login, err := browser.Post(h.URL()+"/devhost/login", "application/json", strings.NewReader(fmt.Sprintf(`{"user_id":%q}`, alice.Id)))
	if err != nil || login.StatusCode != http.StatusNoContent {
		t.Fatalf("login: %v %v", err, login)
	}
	login.Body.Close()

	// The sign-in page, as a browser sees it before choosing an account.
	resp, page := get(h.URL() + "/plugins/zoom/oauth2/connect")
	if !strings.HasPrefix(resp.Request.URL.String(), h.URL()+"/oauth/authorize") || resp.StatusCode != http.StatusOK || !strings.Contains(page, alice.Email) {
		t.Fatalf("the sign-in page: %d at %s: %.300s", resp.StatusCode, resp.Request.URL, page)
	}
	// Signing in as alice ends on the plugin's page with her token stored.
	sim.SetLoginUser(alice.Email)
	resp, page = get(h.URL() + "/plugins/zoom/oauth2/connect")
	sim.SetLoginUser("")
	if !strings.HasPrefix(resp.Request.URL.String(), h.URL()+"/plugins/zoom/oauth2/complete") || resp.StatusCode != http.StatusOK {
		t.Fatalf("connect ended at %s with %d: %.300s", resp.Request.URL, resp.StatusCode, page)
	}
	if h.KVGet("zoomtoken_"+alice.Id) == nil {
		t.Fatal("no token stored")
	}

	card := e.startedCard("alice", "design")
	if link, _ := card.GetProp("meeting_link").(string); !strings.HasPrefix(link, sim.URL()) {
		t.Fatalf("the plugin stored %q, not the simulator's HTTPS link", link)
	}
	_, posts := get(h.URL() + "/api/v4/channels/" + e.channelID("design") + "/posts")
	if strings.Contains(posts, sim.URL()) {
		t.Fatalf("the posts a browser gets name the simulator's HTTPS address: %.300s", posts)
	}
	var list struct {
		Posts map[string]struct {
			Props map[string]any `json:"props"`
		} `json:"posts"`
	}
	if err := json.Unmarshal([]byte(posts), &list); err != nil {
		t.Fatal(err)
	}
	link, _ := list.Posts[card.Id].Props["meeting_link"].(string)
	if !strings.HasPrefix(link, h.URL()+"/j/") {
		t.Fatalf("join link in the browser: %q", link)
	}
	if resp, page := get(link); resp.StatusCode != http.StatusOK || resp.Request.URL.Host != strings.TrimPrefix(h.URL(), "http://") {
		t.Fatalf("join page: %d at %s: %.300s", resp.StatusCode, resp.Request.URL, page)
	}
}
