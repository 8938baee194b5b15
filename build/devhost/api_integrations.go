package devhost

import (
	"encoding/json"
	"net/http"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
)

// triggerTimeout is how long a trigger id stays valid (the server's default
// outgoing-integration timeout).
const triggerTimeout = 30 * time.Second

// ---- bots -------------------------------------------------------------------

func (a *hostAPI) CreateBot(bot *model.Bot) (*model.Bot, *model.AppError) {
	if bot != nil && bot.OwnerId == "" {
		bot = bot.Clone()
		bot.OwnerId = a.pluginID
	}
	return a.h.store.CreateBot(bot)
}

func (a *hostAPI) GetBot(userID string, includeDeleted bool) (*model.Bot, *model.AppError) {
	return a.h.store.Bot(userID, includeDeleted)
}

func (a *hostAPI) GetBots(opts *model.BotGetOptions) ([]*model.Bot, *model.AppError) {
	bots := a.h.store.Bots(opts)
	if opts != nil {
		bots = pageOf(bots, opts.Page, opts.PerPage)
	}
	return bots, nil
}

func (a *hostAPI) PatchBot(userID string, patch *model.BotPatch) (*model.Bot, *model.AppError) {
	return a.h.store.PatchBot(userID, patch)
}

func (a *hostAPI) UpdateBotActive(userID string, active bool) (*model.Bot, *model.AppError) {
	return a.h.store.SetBotActive(userID, active)
}

// EnsureBotUser is what pluginapi's Bot.EnsureBot calls (under a KV mutex).
func (a *hostAPI) EnsureBotUser(bot *model.Bot) (string, error) {
	id, appErr := a.h.store.EnsureBot(a.pluginID, bot)
	if appErr != nil {
		return "", appErr
	}
	return id, nil
}

func (a *hostAPI) SetProfileImage(userID string, data []byte) *model.AppError {
	return a.h.store.SetProfileImage(userID, data)
}

func (a *hostAPI) GetProfileImage(userID string) ([]byte, *model.AppError) {
	return a.h.store.ProfileImage(userID)
}

// ---- slash commands ---------------------------------------------------------

func (a *hostAPI) RegisterCommand(cmd *model.Command) error {
	if cmd == nil || strings.TrimSpace(cmd.Trigger) == "" {
		return badRequest("RegisterCommand", "a command needs a trigger")
	}
	c := *cmd
	c.PluginId = a.pluginID
	c.Trigger = strings.ToLower(strings.TrimPrefix(c.Trigger, "/"))
	a.h.mu.Lock()
	a.h.commands[c.Trigger] = &c
	a.h.mu.Unlock()
	return nil
}

func (a *hostAPI) UnregisterCommand(_, trigger string) error {
	a.h.mu.Lock()
	delete(a.h.commands, strings.ToLower(strings.TrimPrefix(trigger, "/")))
	a.h.mu.Unlock()
	return nil
}

// Commands returns the slash commands the plugin registered, by trigger.
func (h *Host) Commands() map[string]model.Command {
	h.mu.Lock()
	defer h.mu.Unlock()
	out := make(map[string]model.Command, len(h.commands))
	for k, c := range h.commands {
		out[k] = *c
	}
	return out
}

func (h *Host) clearCommands() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.commands = map[string]*model.Command{}
}

// ---- interactive dialogs ----------------------------------------------------

// OpenInteractiveDialog checks the trigger id the devhost issued, keeps the
// dialog for its user and sends `open_dialog` to them.
func (a *hostAPI) OpenInteractiveDialog(req model.OpenDialogRequest) *model.AppError {
	if err := req.IsValid(); err != nil {
		return model.NewAppError("OpenInteractiveDialog", "devhost.dialog.invalid", nil, err.Error(), http.StatusBadRequest)
	}
	_, userID, appErr := req.DecodeAndVerifyTriggerId(a.h.store.triggerKey, triggerTimeout)
	if appErr != nil {
		return appErr
	}
	a.h.store.openDialog(userID, OpenedDialog{URL: req.URL, Dialog: req.Dialog})
	b, err := json.Marshal(req)
	if err != nil {
		return model.NewAppError("OpenInteractiveDialog", "devhost.dialog.json", nil, err.Error(), http.StatusInternalServerError)
	}
	a.h.store.recordEvent(Event{Event: string(model.WebsocketEventOpenDialog),
		Data:      map[string]any{"dialog": string(b)},
		Broadcast: &model.WebsocketBroadcast{UserId: userID}})
	return nil
}

// newTriggerID issues a trigger id for a user, signed with the store's key.
func (h *Host) newTriggerID(userID string) string {
	_, id, appErr := model.GenerateTriggerId(userID, h.store.triggerKey)
	if appErr != nil {
		h.record("error", "devhost: cannot issue a trigger id", map[string]any{"error": appErr.Error()})
		return ""
	}
	return id
}
