//go:build e2e

package e2e

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// Helpers shared by the flow tests: buttons, KV, threads, jobs, snapshots.

// lastEphemeral is the newest ephemeral post user has seen (fails if none).
func (e *env) lastEphemeral(user string) *model.Post {
	e.t.Helper()
	posts := e.h.Ephemerals(e.userID(user))
	if len(posts) == 0 {
		e.t.Fatalf("%s saw no ephemeral post", user)
	}
	return posts[len(posts)-1]
}

// click presses the button labelled name on post (stored or ephemeral) as user.
func (e *env) click(user string, post *model.Post, name string) *model.PostActionIntegrationResponse {
	e.t.Helper()
	var names []string
	for _, a := range post.Attachments() {
		for _, act := range a.Actions {
			if act.Name == name {
				resp, err := e.h.ClickAction(e.userID(user), post.Id, act.Id)
				if err != nil {
					e.t.Fatalf("click %q as %s: %v", name, user, err)
				}
				return resp
			}
			names = append(names, act.Name)
		}
	}
	e.t.Fatalf("no button %q on the post; buttons: %q", name, names)
	return nil
}

// kvString is a KV value as text ("" when absent).
func (e *env) kvString(key string) string { return string(e.h.KVGet(key)) }

// kvJSON decodes a KV value into v (fails when absent or not JSON).
func (e *env) kvJSON(key string, v any) {
	e.t.Helper()
	raw := e.h.KVGet(key)
	if raw == nil {
		e.t.Fatalf("KV %s is absent; keys: %v", key, e.h.KVKeys())
	}
	if err := json.Unmarshal(raw, v); err != nil {
		e.t.Fatalf("KV %s: %v: %s", key, err, raw)
	}
}

// replies are the posts of card's thread after the card itself.
func (e *env) replies(card *model.Post) []*model.Post {
	var out []*model.Post
	for _, p := range e.h.Thread(card.Id) {
		if p.Id != card.Id {
			out = append(out, p)
		}
	}
	return out
}

// repliesOfType filters replies by post type ("" = plain posts).
func (e *env) repliesOfType(card *model.Post, typ string) []*model.Post {
	var out []*model.Post
	for _, p := range e.replies(card) {
		if p.Type == typ {
			out = append(out, p)
		}
	}
	return out
}

// jobsFinished reports whether every durable webhook job in KV is finished.
func (e *env) jobsFinished() bool {
	n := 0
	for _, k := range e.h.KVKeys() {
		if !strings.HasPrefix(k, "zoomjob_") {
			continue
		}
		n++
		var j struct {
			Finished bool `json:"finished"`
		}
		if json.Unmarshal(e.h.KVGet(k), &j) != nil || !j.Finished {
			return false
		}
	}
	return n > 0
}

// mustWebhook sends a signed event and requires a 200.
func (e *env) mustWebhook(body []byte, what string) {
	e.t.Helper()
	if status, resp := e.webhook(body); status != http.StatusOK {
		e.t.Fatalf("%s webhook: %d %s", what, status, resp)
	}
}

// simEvent fails the test on a simulator error.
func (e *env) simEvent(body []byte, err error) []byte {
	e.t.Helper()
	if err != nil {
		e.t.Fatalf("simulator: %v", err)
	}
	return body
}

// startedCard starts a unique-ID meeting as user in channel through the
// webapp route and returns its card.
func (e *env) startedCard(user, channel string) *model.Post {
	e.t.Helper()
	status, out := e.startMeeting(user, channel, "false")
	card := e.lastCard(channel)
	if status != http.StatusOK || card == nil || card.GetProp("meeting_status") != "STARTED" {
		e.t.Fatalf("start meeting in %s: %d %v; %s saw: %s", channel, status, out, user, e.ephemeralText(user))
	}
	return card
}

// cardMeetingID is the numeric meeting id on a card.
func (e *env) cardMeetingID(card *model.Post) int64 {
	e.t.Helper()
	id, ok := num(card.GetProp("meeting_id"))
	if !ok {
		e.t.Fatalf("card has no numeric meeting_id: %v", card.GetProps())
	}
	return id
}

// num reads a numeric prop whatever type RPC or JSON gave it.
func num(v any) (int64, bool) {
	switch n := v.(type) {
	case float64:
		return int64(n), true
	case int64:
		return n, true
	case int:
		return int64(n), true
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	}
	return 0, false
}

// scheduleMeeting creates a scheduled meeting hosted by user in the simulator,
// through Zoom's REST API with an account (server-to-server) token, the way a
// user would schedule it in the Zoom client.
func (e *env) scheduleMeeting(user, topic string) *zoom.Meeting {
	e.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	hc := e.sim.HTTPClient()
	tok, err := zoom.AccountCredentialsToken(ctx, hc, e.sim.URL(), e.sim.AccountID(), e.sim.ClientID(), e.sim.ClientSecret())
	if err != nil {
		e.t.Fatalf("account token: %v", err)
	}
	m, err := zoom.NewClient(e.sim.APIURL(), hc).CreateMeeting(ctx, tok.AccessToken, e.h.User(user).Email,
		zoom.CreateMeetingRequest{Topic: topic, Type: zoom.MeetingTypeScheduled, StartTime: "2030-03-12T15:00:00Z", Duration: 30})
	if err != nil {
		e.t.Fatalf("schedule a meeting for %s: %v", user, err)
	}
	return m
}

// state is what the plugin can change: every KV entry and every stored post.
type state struct {
	kv    map[string]string
	posts map[string]string // id -> JSON of the post
}

func (e *env) state() state {
	s := state{kv: map[string]string{}, posts: map[string]string{}}
	for _, k := range e.h.KVKeys() {
		if strings.HasPrefix(k, "cron_") || strings.HasPrefix(k, "mutex_") {
			continue // cluster jobs' and locks' bookkeeping, written on their own clock
		}
		s.kv[k] = string(e.h.KVGet(k))
	}
	for _, c := range e.h.Store().Channels() {
		for _, p := range e.h.Posts(c.Id) {
			b, _ := json.Marshal(p)
			s.posts[p.Id] = string(b)
		}
	}
	return s
}

// diff lists what changed between two states ("" when nothing did).
func (s state) diff(after state) string {
	var out []string
	for k, v := range after.kv {
		if old, ok := s.kv[k]; !ok {
			out = append(out, "KV added "+k)
		} else if old != v {
			out = append(out, "KV changed "+k)
		}
	}
	for k := range s.kv {
		if _, ok := after.kv[k]; !ok {
			out = append(out, "KV removed "+k)
		}
	}
	for id, p := range after.posts {
		if old, ok := s.posts[id]; !ok {
			out = append(out, "post added "+short(p))
		} else if old != p {
			out = append(out, "post changed "+id)
		}
	}
	for id := range s.posts {
		if _, ok := after.posts[id]; !ok {
			out = append(out, "post removed "+id)
		}
	}
	sort.Strings(out)
	return strings.Join(out, "; ")
}

// post sends JSON (any value) to a plugin route as user and returns status and body.
func (e *env) postJSON(path, user string, v any) (int, string) {
	e.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		e.t.Fatal(err)
	}
	return e.do("POST", path, user, string(b), nil)
}

// fileText is the content of a post's first attached file.
func (e *env) fileText(p *model.Post) string {
	e.t.Helper()
	if len(p.FileIds) == 0 {
		e.t.Fatalf("post %s has no file: %+v", p.Id, p)
	}
	data, appErr := e.h.Store().File(p.FileIds[0])
	if appErr != nil {
		e.t.Fatalf("file %s: %v", p.FileIds[0], appErr)
	}
	return string(data)
}

// readAll drains a body (for requests made outside e.do).
func readAll(r io.Reader) string {
	var b bytes.Buffer
	_, _ = io.Copy(&b, io.LimitReader(r, 1<<20))
	return b.String()
}

// setPreference stores user's meeting ID preference ("true", "false", "ask")
// as the plugin does, to prepare a scenario.
func (e *env) setPreference(user, value string) {
	e.t.Helper()
	if err := e.h.KVSet("zoomUserPreference_"+e.userID(user), []byte(value)); err != nil {
		e.t.Fatal(err)
	}
}

// problems are the warnings and errors logged so far, for failure messages.
func (e *env) problems() string {
	var out []string
	for _, l := range e.h.Logs() {
		if l.Level == "warn" || l.Level == "error" {
			out = append(out, l.String())
		}
	}
	return strings.Join(out, "\n")
}

// requireRecordingRepliesOnce checks that a recording job that lived through the end of
// its process posted its two replies (the link and the chat file) exactly once.
func (e *env) requireRecordingRepliesOnce(card *model.Post, when string) {
	e.t.Helper()
	links, chats := e.repliesOfType(card, ""), e.repliesOfType(card, "custom_zoom_chat")
	if len(links) != 1 || len(chats) != 1 || len(e.replies(card)) != 2 {
		e.t.Fatalf("thread %s: %s", when, messages(e.replies(card)))
	}
	if !strings.Contains(e.fileText(chats[0]), "Welcome to") {
		e.t.Errorf("chat file: %q", e.fileText(chats[0]))
	}
}
