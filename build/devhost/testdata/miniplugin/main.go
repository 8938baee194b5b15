// Command miniplugin is a throwaway plugin that exercises the devhost the
// way a real plugin does: over the loader's RPC, with pluginapi's bot setup,
// a slash command, KV, posts, ephemeral buttons, a dialog, websocket events,
// uploads and HTTP routes. The devhost tests build it into a temp bundle.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
	"github.com/mattermost/mattermost/server/public/pluginapi"
)

type config struct {
	ZoomURL       string
	OAuthClientID string
	WebhookSecret string
	Greeting      string
}

type miniPlugin struct {
	plugin.MattermostPlugin
	client *pluginapi.Client

	mu     sync.Mutex
	conf   config
	botID  string
	router *http.ServeMux
}

func (p *miniPlugin) config() config {
	p.mu.Lock()
	defer p.mu.Unlock()
	return p.conf
}

func (p *miniPlugin) OnConfigurationChange() error {
	var c config
	if err := p.API.LoadPluginConfiguration(&c); err != nil {
		return err
	}
	p.mu.Lock()
	p.conf = c
	p.mu.Unlock()
	return nil
}

func (p *miniPlugin) OnActivate() error {
	if p.config().OAuthClientID == "" {
		return errors.New("the OAuthClientID setting is empty: set it in the System Console")
	}
	p.client = pluginapi.NewClient(p.API, p.Driver)
	botID, err := p.client.Bot.EnsureBot(&model.Bot{Username: "zoom", DisplayName: "Zoom", Description: "mini"},
		pluginapi.ProfileImagePath("assets/icon.svg"))
	if err != nil {
		return fmt.Errorf("ensure bot: %w", err)
	}
	p.mu.Lock()
	p.botID = botID
	p.mu.Unlock()
	if err := p.API.RegisterCommand(&model.Command{Trigger: "mini", AutoComplete: true}); err != nil {
		return err
	}
	p.router = p.routes()
	return nil
}

func (p *miniPlugin) ExecuteCommand(_ *plugin.Context, args *model.CommandArgs) (*model.CommandResponse, *model.AppError) {
	fields := strings.Fields(args.Command)
	sub, rest := "", ""
	if len(fields) > 1 {
		sub = fields[1]
		rest = strings.TrimSpace(strings.Join(fields[2:], " "))
	}
	fail := func(err error) (*model.CommandResponse, *model.AppError) {
		return nil, model.NewAppError("mini", "mini.error", nil, err.Error(), http.StatusInternalServerError)
	}
	switch sub {
	case "echo":
		return &model.CommandResponse{Text: rest + " site=" + args.SiteURL + " team=" + args.TeamId + " root=" + args.RootId}, nil
	case "post":
		post := &model.Post{UserId: p.botID, ChannelId: args.ChannelId, RootId: args.RootId, Message: rest, Type: "custom_mini"}
		post.AddProp("meeting_id", 123)
		if _, appErr := p.API.CreatePost(post); appErr != nil {
			return nil, appErr
		}
	case "ephemeral", "card":
		// Buttons answer by changing the card through the API ("api", "delete") or with
		// an `update` ("update"), which the server applies to stored posts only.
		button := func(name, mode string) *model.PostAction {
			return &model.PostAction{Name: name, Type: "button", Integration: &model.PostActionIntegration{
				URL: "/plugins/zoom/action", Context: map[string]any{"choice": strings.ToLower(name), "mode": mode}}}
		}
		post := &model.Post{UserId: p.botID, ChannelId: args.ChannelId, RootId: args.RootId, Message: "choose"}
		post.AddProp("attachments", []*model.MessageAttachment{{Actions: []*model.PostAction{
			button("Yes", "api"), button("Remove", "delete"), button("Old", "update"),
		}}})
		if sub == "card" {
			if _, appErr := p.API.CreatePost(post); appErr != nil {
				return nil, appErr
			}
			break
		}
		p.API.SendEphemeralPost(args.UserId, post)
	case "dialog":
		appErr := p.API.OpenInteractiveDialog(model.OpenDialogRequest{TriggerId: args.TriggerId, URL: "/plugins/zoom/dialog",
			Dialog: model.Dialog{CallbackId: "cb", Title: "Mini", Elements: []model.DialogElement{{DisplayName: "Name", Name: "name", Type: "text"}}}})
		if appErr != nil {
			return nil, appErr
		}
	case "kv":
		kv := strings.SplitN(rest, " ", 2)
		if len(kv) != 2 {
			return &model.CommandResponse{Text: "usage: kv <key> <value>"}, nil
		}
		if appErr := p.API.KVSet(kv[0], []byte(kv[1])); appErr != nil {
			return nil, appErr
		}
		ok, appErr := p.API.KVSetWithOptions("once_"+kv[0], []byte(kv[1]), model.PluginKVSetOptions{Atomic: true})
		if appErr != nil {
			return nil, appErr
		}
		return &model.CommandResponse{Text: fmt.Sprintf("inserted=%v", ok)}, nil
	case "ws":
		p.API.PublishWebSocketEvent("meeting_started", map[string]any{"meeting_url": "https://zoom.example/j/1"},
			&model.WebsocketBroadcast{UserId: args.UserId})
	case "upload":
		info, appErr := p.API.UploadFile([]byte("hello file"), args.ChannelId, "Chat-history.txt")
		if appErr != nil {
			return nil, appErr
		}
		if _, appErr := p.API.CreatePost(&model.Post{UserId: p.botID, ChannelId: args.ChannelId, FileIds: []string{info.Id}, Message: "file"}); appErr != nil {
			return nil, appErr
		}
	case "unimplemented":
		if _, appErr := p.API.GetTeamIcon(args.TeamId); appErr == nil {
			return fail(errors.New("GetTeamIcon should fail in the devhost"))
		} else {
			return &model.CommandResponse{Text: fmt.Sprintf("status=%d", appErr.StatusCode)}, nil
		}
	case "log":
		p.API.LogWarn("mini log", "key", "value")
	}
	return &model.CommandResponse{}, nil
}

func (p *miniPlugin) ServeHTTP(c *plugin.Context, w http.ResponseWriter, r *http.Request) {
	if p.router == nil {
		http.Error(w, "not activated", http.StatusServiceUnavailable)
		return
	}
	// Expose the session id so tests can check the host's plugin.Context.
	w.Header().Set("X-Mini-Session", c.SessionId)
	p.router.ServeHTTP(w, r)
}

func (p *miniPlugin) routes() *http.ServeMux {
	mux := http.NewServeMux()
	mux.HandleFunc("/hello", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, map[string]any{
			"user":        r.Header.Get("Mattermost-User-Id"),
			"plugin_id":   r.Header.Get("Mattermost-Plugin-ID"),
			"path":        r.URL.Path,
			"query":       r.URL.RawQuery,
			"cookie":      r.Header.Get("Cookie"),
			"auth":        r.Header.Get("Authorization"),
			"referer":     r.Header.Get("Referer"),
			"method":      r.Method,
			"greeting":    p.config().Greeting,
			"zoom_url":    p.config().ZoomURL,
			"has_session": w.Header().Get("X-Mini-Session") != "",
		})
	})
	mux.HandleFunc("POST /action", func(w http.ResponseWriter, r *http.Request) {
		var req model.PostActionIntegrationRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if req.UserId != r.Header.Get("Mattermost-User-Id") {
			http.Error(w, "user mismatch", http.StatusForbidden)
			return
		}
		chose := &model.Post{Message: fmt.Sprintf("chose %v (%s)", req.Context["choice"], r.Header.Get("Content-Type"))}
		switch req.Context["mode"] {
		case "api":
			chose.Id, chose.ChannelId, chose.UserId = req.PostId, req.ChannelId, p.botID
			p.API.UpdateEphemeralPost(req.UserId, chose)
			writeJSON(w, model.PostActionIntegrationResponse{EphemeralText: "thanks " + req.UserName})
		case "delete":
			p.API.DeleteEphemeralPost(req.UserId, req.PostId)
			writeJSON(w, model.PostActionIntegrationResponse{})
		default:
			writeJSON(w, model.PostActionIntegrationResponse{Update: chose, EphemeralText: "thanks " + req.UserName})
		}
	})
	mux.HandleFunc("POST /dialog", func(w http.ResponseWriter, r *http.Request) {
		var req model.SubmitDialogRequest
		if err := json.NewDecoder(r.Body).Decode(&req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		if req.UserId != r.Header.Get("Mattermost-User-Id") {
			http.Error(w, "user mismatch", http.StatusForbidden)
			return
		}
		b, _ := json.Marshal(req.Submission)
		if appErr := p.API.KVSet("dialog_"+req.UserId, b); appErr != nil {
			http.Error(w, appErr.Error(), http.StatusInternalServerError)
			return
		}
		writeJSON(w, model.SubmitDialogResponse{})
	})
	mux.HandleFunc("POST /webhook", func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		if r.URL.Query().Get("secret") != p.config().WebhookSecret {
			http.Error(w, "bad secret", http.StatusUnauthorized)
			return
		}
		writeJSON(w, map[string]any{"signature": r.Header.Get("X-Zm-Signature"), "body": string(body)})
	})
	return mux
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(w).Encode(v)
}

func main() {
	plugin.ClientMain(&miniPlugin{})
}
