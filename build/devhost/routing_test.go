package devhost

import (
	"encoding/json"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strings"
	"testing"

	"github.com/gorilla/websocket"
	"github.com/mattermost/mattermost/server/public/model"
)

func TestPluginRoutingFollowsTheServer(t *testing.T) {
	h := startMini(t, Options{})
	alice := h.User("alice").Id

	// A client cannot claim a user: the header is stripped.
	forged := http.Header{"Mattermost-User-Id": {alice}, "Mattermost-Plugin-Id": {"other"}, "Referer": {"https://evil.example"}}
	got := decode(t, h.RequestWithHeaders("GET", "/plugins/zoom/hello?x=1", "", nil, forged), http.StatusOK)
	if got["user"] != "" || got["plugin_id"] != "" || got["referer"] != "" {
		t.Errorf("forged headers reached the plugin: %v", got)
	}
	if got["path"] != "/hello" || got["query"] != "x=1" {
		t.Errorf("path/query: %v", got)
	}

	// Bearer session: user set, Authorization removed, session id in context.
	got = decode(t, h.Request("GET", "/plugins/zoom/hello", alice, nil), http.StatusOK)
	if got["user"] != alice || got["auth"] != "" || got["has_session"] != true {
		t.Errorf("bearer: %v", got)
	}

	// access_token in the query authenticates and is dropped.
	token := h.SessionToken(alice)
	got = decode(t, h.Request("GET", "/plugins/zoom/hello?access_token="+token+"&y=2", "", nil), http.StatusOK)
	if got["user"] != alice || got["query"] != "y=2" {
		t.Errorf("access_token: %v", got)
	}

	// Cookie session: GET passes; POST needs the CSRF token or XHR header;
	// the session cookie itself never reaches the plugin.
	cookie := http.Header{"Cookie": {"MMAUTHTOKEN=" + token + "; other=1"}}
	got = decode(t, h.RequestWithHeaders("GET", "/plugins/zoom/hello", "", nil, cookie), http.StatusOK)
	if got["user"] != alice || strings.Contains(got["cookie"].(string), token) || got["cookie"] != "other=1" {
		t.Errorf("cookie GET: %v", got)
	}
	got = decode(t, h.RequestWithHeaders("POST", "/plugins/zoom/hello", "", nil, cookie), http.StatusOK)
	if got["user"] != "" {
		t.Errorf("cookie POST without CSRF got a user: %v", got)
	}
	withCSRF := http.Header{"Cookie": cookie["Cookie"], "X-Csrf-Token": {token}}
	got = decode(t, h.RequestWithHeaders("POST", "/plugins/zoom/hello", "", nil, withCSRF), http.StatusOK)
	if got["user"] != alice {
		t.Errorf("cookie POST with CSRF: %v", got)
	}
	xhr := http.Header{"Cookie": cookie["Cookie"], "X-Requested-With": {"XMLHttpRequest"}}
	got = decode(t, h.RequestWithHeaders("POST", "/plugins/zoom/hello", "", nil, xhr), http.StatusOK)
	if got["user"] != alice {
		t.Errorf("cookie POST with XHR: %v", got)
	}

	// An unknown token is forwarded unauthenticated, not refused.
	got = decode(t, h.RequestWithHeaders("GET", "/plugins/zoom/hello", "", nil, http.Header{"Authorization": {"Bearer nope"}}), http.StatusOK)
	if got["user"] != "" {
		t.Errorf("bad token: %v", got)
	}
}

func TestCommandPostsAndPermissions(t *testing.T) {
	h := startMini(t, Options{})
	town := h.Channel("town-square").Id
	if text := mustCommand(t, h, "alice", "town-square", "/mini echo hi"); !strings.Contains(text, "site="+h.URL()) {
		t.Errorf("CommandArgs.SiteURL missing: %q", text)
	}
	if eph := h.Ephemerals(h.User("alice").Id); len(eph) != 1 || !strings.HasPrefix(eph[0].Message, "hi") {
		t.Errorf("command reply not shown ephemerally: %v", eph)
	}

	mustCommand(t, h, "alice", "town-square", "/mini post hello")
	posts := h.Posts(town)
	if len(posts) != 1 || posts[0].Message != "hello" || posts[0].GetProp(model.PostPropsFromPlugin) != "true" {
		t.Fatalf("posts: %+v", posts)
	}
	if len(h.EventsNamed("posted")) != 1 {
		t.Errorf("posted events: %v", h.EventsNamed("posted"))
	}
	// A reply in the thread carries the root id through CommandArgs.
	if _, err := h.ExecuteCommand(h.User("alice").Id, town, posts[0].Id, "/mini post reply"); err != nil {
		t.Fatal(err)
	}
	if th := h.Thread(posts[0].Id); len(th) != 2 || th[1].RootId != posts[0].Id {
		t.Errorf("thread: %v", th)
	}

	// carol is not in design: the server refuses before the plugin runs.
	if _, err := h.ExecuteCommand(h.User("carol").Id, h.Channel("design").Id, "", "/mini post x"); err == nil {
		t.Error("non-member ran a command in a private channel")
	}
	if _, err := h.ExecuteCommand(h.User("alice").Id, town, "", "/nosuch"); err == nil {
		t.Error("unknown command accepted")
	}

	// Through the browser route: same result, as JSON.
	body := `{"command":"/mini echo web","channel_id":"` + town + `"}`
	resp := decode(t, h.Request("POST", "/api/v4/commands/execute", h.User("bob").Id, strings.NewReader(body)), http.StatusOK)
	if !strings.HasPrefix(resp["text"].(string), "web") {
		t.Errorf("execute route: %v", resp)
	}
	r := h.Request("POST", "/api/v4/commands/execute", "", strings.NewReader(body))
	r.Body.Close()
	if r.StatusCode != http.StatusUnauthorized {
		t.Errorf("unauthenticated execute: %d", r.StatusCode)
	}
}

func TestEphemeralButtonAndDialog(t *testing.T) {
	h := startMini(t, Options{})
	alice := h.User("alice").Id
	mustCommand(t, h, "alice", "town-square", "/mini ephemeral")
	eph := h.Ephemerals(alice)
	if len(eph) != 1 || len(eph[0].Attachments()) != 1 {
		t.Fatalf("ephemerals: %v", eph)
	}
	action := eph[0].Attachments()[0].Actions[0]
	if action.Id == "" {
		t.Fatal("no action id assigned")
	}
	resp, err := h.ClickAction(alice, eph[0].Id, action.Id)
	if err != nil {
		t.Fatal(err)
	}
	if resp.EphemeralText != "thanks alice" {
		t.Errorf("response: %+v", resp)
	}
	eph = h.Ephemerals(alice)
	if len(eph) != 2 || eph[0].Message != "chose yes ()" || eph[1].Message != "thanks alice" {
		t.Errorf("after click (update, then ephemeral text; no Content-Type): %v, %v", eph[0].Message, eph)
	}
	// bob cannot click alice's ephemeral post.
	if _, err := h.ClickAction(h.User("bob").Id, eph[0].Id, action.Id); err == nil {
		t.Error("bob clicked alice's ephemeral button")
	}

	mustCommand(t, h, "alice", "town-square", "/mini dialog")
	dialogs := h.Dialogs(alice)
	if len(dialogs) != 1 || dialogs[0].Dialog.Title != "Mini" || len(h.EventsNamed("open_dialog")) != 1 {
		t.Fatalf("dialogs: %v", dialogs)
	}
	// The submitted user_id is overwritten with the session's.
	_, err = h.SubmitDialog(alice, model.SubmitDialogRequest{URL: dialogs[0].URL, UserId: h.User("bob").Id,
		ChannelId: h.Channel("town-square").Id, Submission: map[string]any{"name": "Ada"}})
	if err != nil {
		t.Fatal(err)
	}
	if got := string(h.KVGet("dialog_" + alice)); got != `{"name":"Ada"}` {
		t.Errorf("dialog submission stored %q", got)
	}
}

func TestWebsocketBroadcastRules(t *testing.T) {
	h := startMini(t, Options{})
	alice, bob := h.User("alice").Id, h.User("bob").Id
	wsAlice := dialWS(t, h, alice)
	wsBob := dialWS(t, h, bob)
	hello := readFrame(t, wsAlice)
	if hello.Event != "hello" || hello.Data["connection_id"] == "" {
		t.Fatalf("hello: %+v", hello)
	}
	readFrame(t, wsBob)

	mustCommand(t, h, "alice", "town-square", "/mini ws")
	mustCommand(t, h, "bob", "design", "/mini post for-design") // bob's frame after alice's event
	if f := readFrame(t, wsAlice); f.Event != "custom_zoom_meeting_started" || f.Data["meeting_url"] != "https://zoom.example/j/1" {
		t.Errorf("alice got %+v", f)
	}
	// bob's first frame is the design post: the user-scoped event skipped him.
	if f := readFrame(t, wsBob); f.Event != "posted" {
		t.Errorf("bob got %+v", f)
	}
}

func TestLoginCookiesAndPosts(t *testing.T) {
	h := startMini(t, Options{})
	jar, _ := cookiejar.New(nil)
	c := &http.Client{Jar: jar}
	resp, err := c.Post(h.URL()+"/devhost/login", "application/json", strings.NewReader(`{"user_id":"`+h.User("bob").Id+`"}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	u, _ := url.Parse(h.URL())
	names := map[string]bool{}
	for _, ck := range jar.Cookies(u) {
		names[ck.Name] = true
	}
	if resp.StatusCode != http.StatusNoContent || !names["MMAUTHTOKEN"] || !names["MMCSRF"] || !names["MMUSERID"] {
		t.Fatalf("login: %d %v", resp.StatusCode, names)
	}
	resp, err = c.Get(h.URL() + "/devhost/state")
	if err != nil {
		t.Fatal(err)
	}
	var st struct {
		CurrentUserID string `json:"current_user_id"`
		Plugin        pluginState
		Channels      []model.Channel
	}
	json.NewDecoder(resp.Body).Decode(&st)
	resp.Body.Close()
	if st.CurrentUserID != h.User("bob").Id || !st.Plugin.Active || len(st.Channels) != 3 {
		t.Errorf("state: %+v", st)
	}

	mustCommand(t, h, "bob", "town-square", "/mini upload")
	resp, err = c.Get(h.URL() + "/api/v4/channels/" + h.Channel("town-square").Id + "/posts")
	if err != nil {
		t.Fatal(err)
	}
	var list model.PostList
	json.NewDecoder(resp.Body).Decode(&list)
	resp.Body.Close()
	if len(list.Order) != 1 || len(list.Posts[list.Order[0]].Metadata.Files) != 1 {
		t.Fatalf("posts route: %+v", list)
	}
	resp, err = c.Get(h.URL() + "/api/v4/files/" + list.Posts[list.Order[0]].FileIds[0])
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Errorf("file route: %d", resp.StatusCode)
	}
}

func dialWS(t *testing.T, h *Host, userID string) *websocket.Conn {
	t.Helper()
	u := strings.Replace(h.URL(), "http", "ws", 1) + "/api/v4/websocket"
	conn, resp, err := websocket.DefaultDialer.Dial(u, http.Header{"Authorization": {"Bearer " + h.SessionToken(userID)}})
	if err != nil {
		t.Fatalf("dial: %v", err)
	}
	resp.Body.Close()
	t.Cleanup(func() { conn.Close() })
	return conn
}

func readFrame(t *testing.T, conn *websocket.Conn) Event {
	t.Helper()
	if dl, ok := waitCtx(t).Deadline(); ok {
		conn.SetReadDeadline(dl)
	}
	var e Event
	if err := conn.ReadJSON(&e); err != nil {
		t.Fatalf("read frame: %v", err)
	}
	return e
}
