package devhost

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"

	"github.com/mattermost/mattermost/server/public/model"
)

// maxBody bounds what the devhost reads of a client's JSON.
const maxBody = 1 << 20

// routes is the HTTP surface of docs/CONTRACTS.md.
func (h *Host) routes() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", h.serveIndex)
	mux.HandleFunc("GET /devhost/static/", h.serveStatic)
	mux.HandleFunc("GET /static/plugins/{id}/", h.serveWebappBundle)
	mux.HandleFunc("/plugins/", h.servePluginPath)

	mux.HandleFunc("GET /devhost/state", h.serveState)
	mux.HandleFunc("POST /devhost/login", h.serveLogin)
	mux.HandleFunc("GET /devhost/meetings", h.serveMeetings)
	mux.HandleFunc("POST /devhost/sim/{action}", h.serveSimAction)

	mux.HandleFunc("GET /api/v4/users/me", h.authed(h.serveMe))
	mux.HandleFunc("GET /api/v4/users/{id}/image", h.authed(h.serveProfileImage))
	mux.HandleFunc("GET /api/v4/channels/{id}/posts", h.authed(h.serveChannelPosts))
	mux.HandleFunc("GET /api/v4/files/{id}", h.authed(h.serveFile))
	mux.HandleFunc("POST /api/v4/commands/execute", h.authed(h.serveExecute))
	mux.HandleFunc("POST /api/v4/posts/{post_id}/actions/{action_id}", h.authed(h.servePostAction))
	mux.HandleFunc("POST /api/v4/actions/dialogs/submit", h.authed(h.serveDialogSubmit))
	mux.HandleFunc("GET /api/v4/websocket", h.authed(h.serveWebsocket))
	return mux
}

// authed passes the session user to next, or answers 401 as the server does.
func (h *Host) authed(next func(http.ResponseWriter, *http.Request, string)) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		userID, _ := h.sessionUser(r)
		if userID == "" {
			writeAppError(w, model.NewAppError("devhost", "api.context.session_expired.app_error", nil,
				"Invalid or expired session, please login again.", http.StatusUnauthorized))
			return
		}
		next(w, r, userID)
	}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func writeAppError(w http.ResponseWriter, appErr *model.AppError) {
	if appErr.Message == "" || appErr.Message == appErr.Id {
		appErr.Message = appErr.DetailedError // untranslated ids help nobody on the page
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(appErr.StatusCode)
	_, _ = io.WriteString(w, appErr.ToJSON())
}

// readJSON decodes a bounded request body into v.
func readJSON(r *http.Request, v any) *model.AppError {
	b, err := io.ReadAll(io.LimitReader(r.Body, maxBody+1))
	if err != nil || len(b) > maxBody {
		return badRequest("devhost", "unreadable or too large request body")
	}
	if len(bytes.TrimSpace(b)) == 0 {
		return nil
	}
	if err := json.Unmarshal(b, v); err != nil {
		return badRequest("devhost", "invalid JSON: "+err.Error())
	}
	return nil
}

// ---- page and static files ---------------------------------------------------

const placeholderPage = `<!doctype html><meta charset="utf-8"><title>devhost</title>
<p>The devhost is running, but its page is not built. Run <code>make devhost-web</code> (or
start the devhost with <code>-web</code> pointing at build/devhost/web/dist).</p>`

func (h *Host) serveIndex(w http.ResponseWriter, r *http.Request) {
	if h.opts.WebDir != "" {
		index := filepath.Join(h.opts.WebDir, "index.html")
		if _, err := os.Stat(index); err == nil {
			w.Header().Set("Cache-Control", "no-store")
			http.ServeFile(w, r, index)
			return
		}
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = io.WriteString(w, placeholderPage)
}

func (h *Host) serveStatic(w http.ResponseWriter, r *http.Request) {
	if h.opts.WebDir == "" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	http.StripPrefix("/devhost/static/", http.FileServer(http.Dir(h.opts.WebDir))).ServeHTTP(w, r)
}

// serveWebappBundle serves main.js from the installed bundle, and whatever
// else the loader unpacked for the webapp.
func (h *Host) serveWebappBundle(w http.ResponseWriter, r *http.Request) {
	if r.PathValue("id") != h.manifest.Id {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Cache-Control", "no-store")
	rest := strings.TrimPrefix(r.URL.Path, "/static/plugins/"+h.manifest.Id+"/")
	if rest == "main.js" && h.manifest.Webapp != nil {
		http.ServeFile(w, r, filepath.Join(h.bundlePath, filepath.FromSlash(h.manifest.Webapp.BundlePath)))
		return
	}
	dir := filepath.Join(h.tempDir, "client", h.manifest.Id)
	http.StripPrefix("/static/plugins/"+h.manifest.Id+"/", http.FileServer(http.Dir(dir))).ServeHTTP(w, r)
}

func (h *Host) servePluginPath(w http.ResponseWriter, r *http.Request) {
	prefix := "/plugins/" + h.manifest.Id
	if r.URL.Path != prefix && !strings.HasPrefix(r.URL.Path, prefix+"/") {
		http.NotFound(w, r)
		return
	}
	h.servePlugin(w, r)
}

// ---- devhost controls ---------------------------------------------------------

type pluginState struct {
	ID      string `json:"id"`
	Version string `json:"version"`
	Active  bool   `json:"active"`
	Error   string `json:"error"`
}

func (h *Host) serveState(w http.ResponseWriter, r *http.Request) {
	me, _ := h.sessionUser(r)
	st := pluginState{ID: h.manifest.Id, Version: h.manifest.Version, Active: h.Active()}
	if err := h.ActivationError(); err != nil {
		st.Error = err.Error()
	}
	var channels []*model.Channel
	for _, c := range h.store.Channels() {
		if c.Type == model.ChannelTypeOpen || (me != "" && h.store.IsMember(c.Id, me)) || (me == "" && c.Type != model.ChannelTypeDirect) {
			channels = append(channels, c)
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{
		"site_url":        h.siteURL,
		"current_user_id": me,
		"users":           h.store.Users(),
		"teams":           h.store.Teams(),
		"channels":        channels,
		"plugin":          st,
		"sim_url":         h.sim.URL(),
	})
}

func (h *Host) serveLogin(w http.ResponseWriter, r *http.Request) {
	var req struct {
		UserID   string `json:"user_id"`
		Username string `json:"username"`
	}
	if appErr := readJSON(r, &req); appErr != nil {
		writeAppError(w, appErr)
		return
	}
	u, appErr := h.store.UserBy(func(u *model.User) bool {
		return (req.UserID != "" && u.Id == req.UserID) || (req.Username != "" && u.Username == req.Username)
	})
	if appErr != nil {
		writeAppError(w, badRequest("devhost.login", "unknown user"))
		return
	}
	h.login(w, u.Id)
	w.WriteHeader(http.StatusNoContent)
}

// ---- the slice of /api/v4 the page uses ---------------------------------------

func (h *Host) serveMe(w http.ResponseWriter, _ *http.Request, userID string) {
	u, appErr := h.store.User(userID)
	if appErr != nil {
		writeAppError(w, appErr)
		return
	}
	writeJSON(w, http.StatusOK, u)
}

func (h *Host) serveProfileImage(w http.ResponseWriter, r *http.Request, _ string) {
	img, appErr := h.store.ProfileImage(r.PathValue("id"))
	if appErr != nil || len(img) == 0 {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Type", http.DetectContentType(img))
	if bytes.Contains(img[:min(len(img), 512)], []byte("<svg")) {
		w.Header().Set("Content-Type", "image/svg+xml")
	}
	_, _ = w.Write(img)
}

func (h *Host) serveChannelPosts(w http.ResponseWriter, r *http.Request, userID string) {
	channelID := r.PathValue("id")
	if _, appErr := h.store.Channel(channelID); appErr != nil {
		writeAppError(w, appErr)
		return
	}
	if !h.hasChannelPermission(userID, channelID, model.PermissionReadChannelContent) {
		writeAppError(w, model.NewAppError("getPostsForChannel", "api.context.permissions.app_error", nil,
			"you may not read this channel", http.StatusForbidden))
		return
	}
	writeJSON(w, http.StatusOK, PostList(h.store.Posts(channelID)))
}

func (h *Host) serveFile(w http.ResponseWriter, r *http.Request, userID string) {
	info, appErr := h.store.FileInfo(r.PathValue("id"))
	if appErr == nil && !h.hasChannelPermission(userID, info.ChannelId, model.PermissionReadChannelContent) {
		appErr = model.NewAppError("getFile", "api.context.permissions.app_error", nil, "", http.StatusForbidden)
	}
	if appErr != nil {
		writeAppError(w, appErr)
		return
	}
	data, _ := h.store.File(info.Id)
	w.Header().Set("Content-Type", info.MimeType)
	if r.URL.Query().Get("download") != "" {
		w.Header().Set("Content-Disposition", `attachment; filename="`+strings.ReplaceAll(info.Name, `"`, "")+`"`)
	}
	_, _ = w.Write(data)
}

func (h *Host) serveExecute(w http.ResponseWriter, r *http.Request, userID string) {
	var req struct {
		Command   string `json:"command"`
		ChannelID string `json:"channel_id"`
		TeamID    string `json:"team_id"`
		RootID    string `json:"root_id"`
		ParentID  string `json:"parent_id"`
	}
	if appErr := readJSON(r, &req); appErr != nil {
		writeAppError(w, appErr)
		return
	}
	if req.RootID == "" {
		req.RootID = req.ParentID
	}
	resp, appErr := h.executeCommand(userID, req.ChannelID, req.TeamID, req.RootID, req.Command)
	if appErr != nil {
		writeAppError(w, appErr)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (h *Host) servePostAction(w http.ResponseWriter, r *http.Request, userID string) {
	var req struct {
		SelectedOption string `json:"selected_option"`
		Cookie         string `json:"cookie"`
	}
	if appErr := readJSON(r, &req); appErr != nil {
		writeAppError(w, appErr)
		return
	}
	_, triggerID, appErr := h.doPostAction(userID, r.PathValue("post_id"), r.PathValue("action_id"), req.SelectedOption)
	if appErr != nil {
		writeAppError(w, appErr)
		return
	}
	writeJSON(w, http.StatusOK, model.PostActionAPIResponse{Status: "OK", TriggerId: triggerID})
}

func (h *Host) serveDialogSubmit(w http.ResponseWriter, r *http.Request, userID string) {
	var req model.SubmitDialogRequest
	if appErr := readJSON(r, &req); appErr != nil {
		writeAppError(w, appErr)
		return
	}
	resp, appErr := h.submitDialog(userID, req)
	if appErr != nil {
		writeAppError(w, appErr)
		return
	}
	writeJSON(w, http.StatusOK, resp)
}

func (h *Host) serveWebsocket(w http.ResponseWriter, r *http.Request, userID string) {
	h.store.hub.serveWebsocket(h, w, r, userID)
}
