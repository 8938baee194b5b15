package api

import (
	"context"
	"html/template"
	"net/http"
	"strconv"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/app"
)

func (r *Router) connect(w http.ResponseWriter, req *http.Request, userID string) {
	q := req.URL.Query()
	target, err := r.app.BeginConnect(userID, q.Get("channelID"), q.Get("from") == "meeting")
	if err != nil {
		r.resultPage(w, userID, statusOf(err), "page.connectFailed", r.app.MessageFor(userID, err), false)
		return
	}
	http.Redirect(w, req, target, http.StatusFound)
}

func (r *Router) complete(w http.ResponseWriter, req *http.Request, userID string) {
	q := req.URL.Query()
	if e := q.Get("error"); e != "" {
		r.resultPage(w, userID, http.StatusBadRequest, "page.cancelled", r.app.T(userID, "page.cancelledText"), false)
		return
	}
	if err := r.app.CompleteConnect(req.Context(), userID, q.Get("code"), q.Get("state")); err != nil {
		r.app.LogIfInternal("Zoom connect failed", err)
		r.resultPage(w, userID, statusOf(err), "page.connectFailed", r.app.MessageFor(userID, err), false)
		return
	}
	r.resultPage(w, userID, http.StatusOK, "page.connected", r.app.T(userID, "page.connectedText"), true)
}

var resultTemplate = template.Must(template.New("result").Parse(`<!doctype html>
<html lang="{{.Lang}}"><head><meta charset="utf-8"><title>{{.Title}}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem;line-height:1.5}</style>
</head><body><h1>{{.Title}}</h1><p>{{.Message}}</p>
{{if .Close}}<script>window.setTimeout(function(){window.close()},1500)</script>{{end}}
</body></html>`))

// resultPage is the small HTML page the OAuth flow ends on, in the user's language; it
// closes itself on success.
func (r *Router) resultPage(w http.ResponseWriter, userID string, status int, titleID, message string, closeWindow bool) {
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'")
	w.WriteHeader(status)
	_ = resultTemplate.Execute(w, struct {
		Lang, Title, Message string
		Close                bool
	}{r.app.T(userID, "page.lang"), r.app.T(userID, titleID), message, closeWindow})
}

// startMeeting serves the webapp's request to start a meeting; use_pmi may be a
// boolean or the string "true" or "false".
func (r *Router) startMeeting(w http.ResponseWriter, req *http.Request, userID string) {
	var body struct {
		ChannelID    string `json:"channel_id"`
		RootID       string `json:"root_id"`
		Topic        string `json:"topic"`
		UsePMI       any    `json:"use_pmi"`
		ConnectionID string `json:"connection_id"`
	}
	if err := decodeJSON(w, req, &body); err != nil {
		r.writeError(w, req, err)
		return
	}
	usePMI := ""
	switch v := body.UsePMI.(type) {
	case bool:
		usePMI = strconv.FormatBool(v)
	case string:
		if v == "true" || v == "false" {
			usePMI = v
		}
	}
	if len(body.ConnectionID) > 64 {
		body.ConnectionID = ""
	}
	res, err := r.app.StartMeeting(req.Context(), app.StartRequest{
		UserID: userID, ChannelID: body.ChannelID, RootID: body.RootID, Topic: body.Topic,
		UsePMI: usePMI, ConnectionID: body.ConnectionID, Force: isTrue(req.URL.Query().Get("force")),
	})
	if err != nil {
		r.writeError(w, req, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]string{"meeting_url": res.JoinURL})
}

// postAction serves a message button: decode the action, let answer decide, write
// its response.
func (r *Router) postAction(answer func(context.Context, string, *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error)) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, req *http.Request, userID string) {
		var action model.PostActionIntegrationRequest
		if err := decodeJSON(w, req, &action); err != nil {
			r.writeError(w, req, err)
			return
		}
		if action.Context == nil {
			r.writeError(w, req, &httpError{status: http.StatusBadRequest, msg: "the action has no context"})
			return
		}
		resp, err := answer(req.Context(), userID, &action)
		r.respond(w, req, resp, err)
	}
}

// dialogSubmission serves an interactive dialog's submission: decode it, answer a
// cancelled dialog with an empty object, otherwise let answer decide and write its
// response.
func dialogSubmission[T any](r *Router, answer func(context.Context, string, *model.SubmitDialogRequest) (T, error)) func(http.ResponseWriter, *http.Request, string) {
	return func(w http.ResponseWriter, req *http.Request, userID string) {
		var submission model.SubmitDialogRequest
		if err := decodeJSON(w, req, &submission); err != nil {
			r.writeError(w, req, err)
			return
		}
		if submission.Cancelled {
			writeJSON(w, http.StatusOK, map[string]any{})
			return
		}
		resp, err := answer(req.Context(), userID, &submission)
		r.respond(w, req, resp, err)
	}
}

// respond writes a handler's answer: its response, or its error.
func (r *Router) respond(w http.ResponseWriter, req *http.Request, resp any, err error) {
	if err != nil {
		r.writeError(w, req, err)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

// channelPreference answers the channel settings dialog; a bad value is shown in
// the dialog itself so the user can correct it.
func (r *Router) channelPreference(_ context.Context, userID string, submission *model.SubmitDialogRequest) (any, error) {
	if err := r.app.SubmitChannelSettings(userID, submission); err != nil {
		if app.KindOf(err) == app.KindBadInput {
			return model.SubmitDialogResponse{Error: r.app.MessageFor(userID, err)}, nil
		}
		return nil, err
	}
	return map[string]any{}, nil
}

// cancelSchedule answers a scheduled card's "Cancel meeting" button. A failure is
// told to the clicker in an ephemeral note; the card stays as it is.
func (r *Router) cancelSchedule(ctx context.Context, userID string, action *model.PostActionIntegrationRequest) (*model.PostActionIntegrationResponse, error) {
	resp, err := r.app.CancelScheduledMeeting(ctx, userID, action)
	if err != nil {
		r.app.LogIfInternal("Cancelling a scheduled meeting failed", err)
		return &model.PostActionIntegrationResponse{EphemeralText: r.app.MessageFor(userID, err)}, nil
	}
	return resp, nil
}
