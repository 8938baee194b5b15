package devhost

import (
	"encoding/json"
	"maps"
	"net/http"
	"strings"
	"sync"
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
	return a.store.CreateBot(bot)
}

func (a *hostAPI) GetBot(userID string, includeDeleted bool) (*model.Bot, *model.AppError) {
	return a.store.Bot(userID, includeDeleted)
}

func (a *hostAPI) GetBots(opts *model.BotGetOptions) ([]*model.Bot, *model.AppError) {
	bots := a.store.Bots(opts)
	if opts != nil {
		bots = pageOf(bots, opts.Page, opts.PerPage)
	}
	return bots, nil
}

func (a *hostAPI) PatchBot(userID string, patch *model.BotPatch) (*model.Bot, *model.AppError) {
	return a.store.PatchBot(userID, patch)
}

func (a *hostAPI) UpdateBotActive(userID string, active bool) (*model.Bot, *model.AppError) {
	return a.store.SetBotActive(userID, active)
}

// EnsureBotUser is what pluginapi's Bot.EnsureBot calls (under a KV mutex).
func (a *hostAPI) EnsureBotUser(bot *model.Bot) (string, error) {
	id, appErr := a.store.EnsureBot(a.pluginID, bot)
	if appErr != nil {
		return "", appErr
	}
	return id, nil
}

func (a *hostAPI) SetProfileImage(userID string, data []byte) *model.AppError {
	return a.store.SetProfileImage(userID, data)
}

func (a *hostAPI) GetProfileImage(userID string) ([]byte, *model.AppError) {
	return a.store.ProfileImage(userID)
}

// ---- slash commands ---------------------------------------------------------

func (a *hostAPI) RegisterCommand(cmd *model.Command) error {
	if cmd == nil || strings.TrimSpace(cmd.Trigger) == "" {
		return badRequest("RegisterCommand", "a command needs a trigger")
	}
	c := *cmd
	c.PluginId = a.pluginID
	c.Trigger = strings.ToLower(strings.TrimPrefix(c.Trigger, "/"))
	a.commands.put(&c)
	return nil
}

func (a *hostAPI) UnregisterCommand(_, trigger string) error {
	a.commands.remove(strings.ToLower(strings.TrimPrefix(trigger, "/")))
	return nil
}

// commandTable is a node's registered slash commands, by lowercased trigger.
type commandTable struct {
	mu        sync.Mutex
	byTrigger map[string]model.Command
}

func (t *commandTable) put(c *model.Command) {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.byTrigger == nil {
		t.byTrigger = map[string]model.Command{}
	}
	t.byTrigger[c.Trigger] = *c
}

func (t *commandTable) remove(trigger string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	delete(t.byTrigger, trigger)
}

func (t *commandTable) has(trigger string) bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	_, ok := t.byTrigger[trigger]
	return ok
}

func (t *commandTable) all() map[string]model.Command {
	t.mu.Lock()
	defer t.mu.Unlock()
	return maps.Clone(t.byTrigger)
}

func (t *commandTable) clear() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.byTrigger = nil
}

// Commands returns the slash commands the plugin registered, by trigger.
func (h *Host) Commands() map[string]model.Command {
	out := h.commands.all()
	if out == nil {
		out = map[string]model.Command{}
	}
	return out
}

// ---- interactive dialogs ----------------------------------------------------

// OpenInteractiveDialog checks the trigger id the devhost issued, keeps the
// dialog for its user and sends `open_dialog` to them.
func (a *hostAPI) OpenInteractiveDialog(req model.OpenDialogRequest) *model.AppError {
	if err := req.IsValid(); err != nil {
		return model.NewAppError("OpenInteractiveDialog", "devhost.dialog.invalid", nil, err.Error(), http.StatusBadRequest)
	}
	_, userID, appErr := req.DecodeAndVerifyTriggerId(a.store.triggerKey, triggerTimeout)
	if appErr != nil {
		return appErr
	}
	a.store.openDialog(userID, OpenedDialog{URL: req.URL, Dialog: req.Dialog})
	b, err := json.Marshal(req)
	if err != nil {
		return model.NewAppError("OpenInteractiveDialog", "devhost.dialog.json", nil, err.Error(), http.StatusInternalServerError)
	}
	a.store.recordEvent(Event{Event: string(model.WebsocketEventOpenDialog),
		Data:      map[string]any{"dialog": string(b)},
		Broadcast: &model.WebsocketBroadcast{UserId: userID}})
	return nil
}

// newTriggerID issues a trigger id for a user, signed with the store's key.
func (h *Host) newTriggerID(userID string) string {
	id, err := h.store.NewTriggerID(userID)
	if err != nil {
		h.record("error", "devhost: cannot issue a trigger id", map[string]any{"error": err.Error()})
	}
	return id
}
