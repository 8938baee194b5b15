package devhost

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

// webhookTimeout bounds one delivery; Zoom itself gives up after 3 s, but
// the devhost is for debugging, so be patient and report what happened.
const webhookTimeout = 30 * time.Second

// AddZoomUser adds a user to the simulator and remembers it, so the controls
// can map a Mattermost user to their Zoom id by email.
func (h *Host) AddZoomUser(u zoomsim.User) zoomsim.User {
	added := h.sim.AddUser(u)
	h.mu.Lock()
	if h.zoomUsers == nil {
		h.zoomUsers = map[string]zoomsim.User{}
	}
	h.zoomUsers[strings.ToLower(added.Email)] = added
	h.mu.Unlock()
	return added
}

// ZoomUserID finds the Zoom user id of a Mattermost user: the simulator user
// with their email, else the id the plugin stored with their token.
func (h *Host) ZoomUserID(mmUserID string) (string, error) {
	u, appErr := h.store.User(mmUserID)
	if appErr != nil {
		return "", appErr
	}
	h.mu.Lock()
	zu, ok := h.zoomUsers[strings.ToLower(u.Email)]
	h.mu.Unlock()
	if ok {
		return zu.ID, nil
	}
	if raw, _ := h.store.KVGet(h.manifest.Id, "zoomtoken_"+mmUserID); raw != nil {
		var tok struct{ ZoomID string }
		if json.Unmarshal(raw, &tok) == nil && tok.ZoomID != "" {
			return tok.ZoomID, nil
		}
	}
	return "", fmt.Errorf("no Zoom user known for %s", u.Username)
}

// WebhookURL is where Zoom is told to send events: the plugin's webhook
// route with the configured secret.
func (h *Host) WebhookURL() string { return h.pluginURLWithSecret("webhook") }

// DeauthorizationURL is where Zoom sends app_deauthorized events.
func (h *Host) DeauthorizationURL() string { return h.pluginURLWithSecret("deauthorization") }

func (h *Host) pluginURLWithSecret(route string) string {
	secret, _ := effectiveSettings(h.manifest, h.Settings())["webhooksecret"].(string)
	return h.siteURL + "/plugins/" + h.manifest.Id + "/" + route + "?secret=" + url.QueryEscape(secret)
}

// SendWebhook signs body as Zoom does (via the simulator) and posts it to the
// plugin's webhook URL through the devhost's routing. The caller closes the
// response body.
func (h *Host) SendWebhook(body []byte) (*http.Response, error) {
	return h.SendSigned(h.WebhookURL(), body)
}

// SendSigned signs body as Zoom does and posts it to url.
func (h *Host) SendSigned(url string, body []byte) (*http.Response, error) {
	ctx, cancel := context.WithTimeout(context.Background(), webhookTimeout)
	defer cancel()
	resp, err := h.sim.SendWebhook(ctx, url, body)
	if err != nil {
		return nil, err
	}
	// Read it all before cancel ends the context the body depends on.
	b, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(strings.NewReader(string(b)))
	return resp, nil
}

// serveSimAction builds an event in the simulator and sends it, signed, to
// the plugin; it answers {"status": <plugin's status>, "body": "..."}.
func (h *Host) serveSimAction(w http.ResponseWriter, r *http.Request) {
	var req struct {
		MeetingID json.Number `json:"meeting_id"`
		UserID    string      `json:"user_id"`
		Retain    *bool       `json:"retain"`
	}
	if appErr := readJSON(r, &req); appErr != nil {
		writeAppError(w, appErr)
		return
	}
	action := r.PathValue("action")
	event, err := h.buildSimEvent(action, req.MeetingID, req.UserID, req.Retain)
	if err != nil {
		writeAppError(w, badRequest("devhost.sim", err.Error()))
		return
	}
	target := h.WebhookURL()
	if action == "deauthorize" {
		target = h.DeauthorizationURL()
	}
	resp, err := h.SendSigned(target, event)
	if err != nil {
		writeAppError(w, model.NewAppError("devhost.sim", "devhost.sim.send", nil, err.Error(), http.StatusBadGateway))
		return
	}
	b, _ := io.ReadAll(resp.Body)
	writeJSON(w, http.StatusOK, map[string]any{"status": resp.StatusCode, "body": string(b)})
}

func (h *Host) buildSimEvent(action string, meetingID json.Number, userID string, retain *bool) ([]byte, error) {
	if action == "deauthorize" {
		zoomID, err := h.ZoomUserID(userID)
		if err != nil {
			return nil, err
		}
		return h.sim.DeauthorizeEvent(zoomID, retain == nil || *retain)
	}
	id, err := strconv.ParseInt(meetingID.String(), 10, 64)
	if err != nil {
		return nil, errors.New("meeting_id must be a number")
	}
	switch action {
	case "start":
		return h.sim.StartMeeting(id)
	case "end":
		return h.sim.EndMeeting(id)
	case "recording":
		return h.sim.CompleteRecording(id)
	case "transcript":
		return h.sim.CompleteTranscript(id)
	case "summary":
		return h.sim.CompleteSummary(id)
	}
	return nil, fmt.Errorf("unknown simulator action %q (start, end, recording, transcript, summary, deauthorize)", action)
}

// simMeeting is one row of GET /devhost/meetings.
type simMeeting struct {
	ID      int64  `json:"id"`
	UUID    string `json:"uuid"`
	Topic   string `json:"topic"`
	Status  string `json:"status"`
	JoinURL string `json:"join_url"`
}

// serveMeetings lists the meetings the plugin has posted about, as the
// simulator sees them now (newest first).
func (h *Host) serveMeetings(w http.ResponseWriter, _ *http.Request) {
	type seenAt struct {
		id int64
		at int64
	}
	latest := map[int64]int64{}
	for _, c := range h.store.Channels() {
		for _, p := range h.store.Posts(c.Id) {
			if id, ok := propInt(p.GetProp("meeting_id")); ok && p.CreateAt >= latest[id] {
				latest[id] = p.CreateAt
			}
		}
	}
	var order []seenAt
	for id, at := range latest {
		order = append(order, seenAt{id, at})
	}
	sort.Slice(order, func(i, j int) bool { return order[i].at > order[j].at })
	ids := make([]int64, len(order))
	for i, o := range order {
		ids[i] = o.id
	}
	out := []simMeeting{}
	for _, id := range ids {
		if m, ok := h.sim.Meeting(id); ok {
			out = append(out, simMeeting{ID: id, UUID: m.UUID, Topic: m.Topic, Status: m.Status, JoinURL: m.JoinURL})
		}
	}
	writeJSON(w, http.StatusOK, out)
}

// propInt reads a numeric prop whatever type RPC or JSON gave it.
func propInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case float64:
		return int64(n), n != 0
	case json.Number:
		i, err := n.Int64()
		return i, err == nil
	case string:
		i, err := strconv.ParseInt(n, 10, 64)
		return i, err == nil
	}
	return 0, false
}
