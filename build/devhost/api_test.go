package devhost

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

// demo returns an API over a fresh demo store, and the store.
func demo(t *testing.T, opts APIOptions) (plugin.API, *Store) {
	t.Helper()
	s := NewStore()
	return NewAPI(s, "zoom", opts), s
}

func demoUser(t *testing.T, s *Store, name string) *model.User {
	t.Helper()
	u, appErr := s.UserBy(func(u *model.User) bool { return u.Username == name })
	if appErr != nil {
		t.Fatalf("no demo user %s", name)
	}
	return u
}

func demoChannel(t *testing.T, s *Store, name string) *model.Channel {
	t.Helper()
	c, appErr := s.ChannelByName(s.Teams()[0].Id, name)
	if appErr != nil {
		t.Fatalf("no demo channel %s", name)
	}
	return c
}

func TestSendEphemeralPostIsStampedAsTheServerDoes(t *testing.T) {
	api, s := demo(t, APIOptions{})
	alice := demoUser(t, s, "alice")
	town := demoChannel(t, s, "town-square")
	sent := api.SendEphemeralPost(alice.Id, &model.Post{ChannelId: town.Id, UserId: alice.Id, Type: "custom_zoom", Message: "hi"})
	if sent.Type != model.PostTypeEphemeral || sent.Id == "" || sent.CreateAt == 0 {
		t.Fatalf("sent post: type %q id %q create_at %d", sent.Type, sent.Id, sent.CreateAt)
	}
	if kept := s.Ephemerals(alice.Id); len(kept) != 1 || kept[0].Id != sent.Id || kept[0].Type != model.PostTypeEphemeral {
		t.Fatalf("kept for alice: %+v", kept)
	}
	if len(s.Posts(town.Id)) != 0 {
		t.Fatal("an ephemeral post was stored in the channel")
	}
	ev := s.Events()[len(s.Events())-1]
	if ev.Event != string(model.WebsocketEventEphemeralMessage) || ev.Broadcast.UserId != alice.Id ||
		!strings.Contains(ev.Data["post"].(string), `"type":"system_ephemeral"`) {
		t.Fatalf("event %+v", ev)
	}
}

func TestCreatePostChecksWhatTheServerChecks(t *testing.T) {
	api, s := demo(t, APIOptions{})
	alice := demoUser(t, s, "alice")
	town, off := demoChannel(t, s, "town-square"), demoChannel(t, s, "off-topic")
	root, appErr := api.CreatePost(&model.Post{ChannelId: town.Id, UserId: alice.Id, Message: "root"})
	if appErr != nil || root.GetProp(model.PostPropsFromPlugin) != "true" || root.Id == "" {
		t.Fatalf("root: %+v %v", root, appErr)
	}
	reply, appErr := api.CreatePost(&model.Post{ChannelId: town.Id, UserId: alice.Id, RootId: root.Id, Message: "reply"})
	if appErr != nil {
		t.Fatalf("reply: %v", appErr)
	}
	for name, p := range map[string]*model.Post{
		"unknown channel":       {ChannelId: model.NewId(), UserId: alice.Id, Message: "x"},
		"unknown user":          {ChannelId: town.Id, UserId: model.NewId(), Message: "x"},
		"unknown root":          {ChannelId: town.Id, UserId: alice.Id, RootId: model.NewId(), Message: "x"},
		"root in other channel": {ChannelId: off.Id, UserId: alice.Id, RootId: root.Id, Message: "x"},
		"root is a reply":       {ChannelId: town.Id, UserId: alice.Id, RootId: reply.Id, Message: "x"},
	} {
		if _, appErr := api.CreatePost(p); appErr == nil {
			t.Errorf("%s: accepted", name)
		}
	}
	if n := len(s.Posts(town.Id)) + len(s.Posts(off.Id)); n != 2 {
		t.Errorf("%d posts stored, want the root and its reply", n)
	}
}

// expiredTriggerID is a trigger id signed with key, issued long enough ago to be stale.
func expiredTriggerID(t *testing.T, key *ecdsa.PrivateKey, userID string) string {
	t.Helper()
	data := fmt.Sprintf("%s:%s:%d:", model.NewId(), userID, time.Now().Add(-2*triggerTimeout).UnixMilli())
	sum := sha256.Sum256([]byte(data))
	sig, err := ecdsa.SignASN1(rand.Reader, key, sum[:])
	if err != nil {
		t.Fatal(err)
	}
	return base64.StdEncoding.EncodeToString([]byte(data + base64.StdEncoding.EncodeToString(sig)))
}

func TestOpenInteractiveDialogNeedsATriggerIDTheServerIssued(t *testing.T) {
	api, s := demo(t, APIOptions{})
	alice := demoUser(t, s, "alice")
	dialog := func(trigger string) model.OpenDialogRequest {
		return model.OpenDialogRequest{TriggerId: trigger, URL: "/plugins/zoom/dialog",
			Dialog: model.Dialog{CallbackId: "cb", Title: "Settings", Elements: []model.DialogElement{{DisplayName: "Name", Name: "name", Type: "text"}}}}
	}
	otherKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	_, forged, _ := model.GenerateTriggerId(alice.Id, otherKey)
	for name, trigger := range map[string]string{
		"made up":            "trigger",
		"signed by another":  forged,
		"expired":            expiredTriggerID(t, s.triggerKey, alice.Id),
		"empty":              "",
		"not base64 at all!": "%%%",
	} {
		if appErr := api.OpenInteractiveDialog(dialog(trigger)); appErr == nil || appErr.StatusCode != http.StatusBadRequest {
			t.Errorf("%s trigger id: %v", name, appErr)
		}
	}
	if len(s.Dialogs(alice.Id)) != 0 {
		t.Fatal("a refused dialog was opened")
	}
	trigger, err := s.NewTriggerID(alice.Id)
	if err != nil {
		t.Fatal(err)
	}
	if appErr := api.OpenInteractiveDialog(dialog(trigger)); appErr != nil {
		t.Fatalf("valid trigger id: %v", appErr)
	}
	if d := s.Dialogs(alice.Id); len(d) != 1 || d[0].URL != "/plugins/zoom/dialog" {
		t.Fatalf("dialogs for the trigger's user: %+v", d)
	}
}

func TestNewAPICountsLogsAndSharesTheStore(t *testing.T) {
	var mu sync.Mutex
	calls := map[string]int{}
	var logs []LogEntry
	api, s := demo(t, APIOptions{
		Called: func(m string) { mu.Lock(); calls[m]++; mu.Unlock() },
		Log:    func(e LogEntry) { mu.Lock(); logs = append(logs, e); mu.Unlock() },
	})
	other := NewAPI(s, "zoom", APIOptions{})
	if ok, appErr := api.KVSetWithOptions("k", []byte("v"), model.PluginKVSetOptions{Atomic: true}); !ok || appErr != nil {
		t.Fatalf("insert: %v %v", ok, appErr)
	}
	if ok, _ := other.KVSetWithOptions("k", []byte("w"), model.PluginKVSetOptions{Atomic: true}); ok {
		t.Fatal("a second node's insert-if-absent won over the first")
	}
	if v, _ := NewAPI(s, "other", APIOptions{}).KVGet("k"); v != nil {
		t.Fatal("KV leaks across plugin ids")
	}
	api.LogWarn("careful", "key", "value")
	if _, appErr := api.GetTeamIcon("t"); appErr == nil || appErr.StatusCode != http.StatusNotImplemented {
		t.Fatalf("unimplemented method: %v", appErr)
	}
	if _, err := api.GetBundlePath(); err == nil {
		t.Fatal("a bundle path without a bundle")
	}
	if got := *api.GetConfig().ServiceSettings.SiteURL; got != "http://localhost:8065" {
		t.Errorf("site URL %q", got)
	}
	mu.Lock()
	defer mu.Unlock()
	if calls["KVSetWithOptions"] != 1 || calls["LogWarn"] != 1 || calls["GetTeamIcon"] != 1 {
		t.Errorf("calls %v", calls)
	}
	if len(logs) != 2 || logs[0].String() != "warn careful key=value" || !strings.Contains(logs[1].Message, "unimplemented API GetTeamIcon") {
		t.Errorf("logs %v", logs)
	}
}

func TestStoredPostsComeBackAsTheDatabaseGivesThem(t *testing.T) {
	api, s := demo(t, APIOptions{})
	alice := demoUser(t, s, "alice")
	town := demoChannel(t, s, "town-square")
	in := &model.Post{ChannelId: town.Id, UserId: alice.Id, Message: "card"}
	in.AddProp("meeting_id", int64(84512367890))
	in.AddProp("names", []string{"@alice"})
	created, appErr := api.CreatePost(in)
	if appErr != nil {
		t.Fatal(appErr)
	}
	// Neither the post passed in nor the one handed back shares anything with the store.
	in.GetProp("names").([]string)[0] = "changed by the caller"
	created.GetProp("names").([]any)[0] = "changed by the reader"
	got, _ := api.GetPost(created.Id)
	if got.GetProp("meeting_id") != float64(84512367890) {
		t.Errorf("meeting_id %T %v, want the float64 a JSON column gives back", got.GetProp("meeting_id"), got.GetProp("meeting_id"))
	}
	if names, _ := got.GetProp("names").([]any); len(names) != 1 || names[0] != "@alice" {
		t.Errorf("stored names %#v", got.GetProp("names"))
	}
}

func TestGetPostsSinceAnswersAsTheServer(t *testing.T) {
	api, s := demo(t, APIOptions{})
	now := time.UnixMilli(1_700_000_000_000)
	s.SetNow(func() time.Time { return now })
	alice := demoUser(t, s, "alice")
	town := demoChannel(t, s, "town-square")
	post := func(msg, root string) *model.Post {
		t.Helper()
		p, appErr := api.CreatePost(&model.Post{ChannelId: town.Id, UserId: alice.Id, Message: msg, RootId: root})
		if appErr != nil {
			t.Fatal(appErr)
		}
		return p
	}
	old := post("old root", "")
	now = now.Add(time.Second)
	since := now.UnixMilli()
	post("at since", "")
	now = now.Add(time.Second)
	post("reply", old.Id)
	gone := post("deleted", "")
	if appErr := api.DeletePost(gone.Id); appErr != nil {
		t.Fatal(appErr)
	}
	list, appErr := api.GetPostsSince(town.Id, since)
	if appErr != nil {
		t.Fatal(appErr)
	}
	var got []string
	for _, p := range list.ToSlice() {
		got = append(got, fmt.Sprintf("%s deleted=%v", p.Message, p.DeleteAt != 0))
	}
	// Not the post made at `since` itself; the old root because a reply to it is new.
	want := "[deleted deleted=true reply deleted=false old root deleted=false]"
	if fmt.Sprint(got) != want {
		t.Fatalf("GetPostsSince = %v, want %s", got, want)
	}
}
