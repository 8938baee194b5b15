package app

import (
	"errors"
	"strings"
	"sync"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
)

// Messages a person reads come from assets/i18n/<lang>.json, in the language of their
// Mattermost locale (model.User.Locale). The locale is read once a minute at most per
// user, so a start costs no extra host call once the user has been seen.

const (
	profileTTL        = time.Minute
	maxProfilesCached = 10000
)

// cachedProfile is what the plugin shows of a user (language, username), kept a minute
// so replies and cards do not look the user up on every request. Display only: a
// change shows within the minute.
type cachedProfile struct {
	locale   string
	username string
	until    time.Time
}

type translator struct {
	loc   *i18n.Localizer
	mu    sync.Mutex
	cache map[string]cachedProfile
}

func newTranslator(loc *i18n.Localizer) *translator {
	if loc == nil {
		// Tests and tools run from the source tree; the plugin passes its bundle's.
		loc, _ = i18n.Find()
	}
	return &translator{loc: loc, cache: map[string]cachedProfile{}}
}

// locale is the user's Mattermost locale, briefly cached; "" when unknown.
func (a *App) locale(userID string) string {
	c, _ := a.profile(userID)
	return c.locale
}

// profile returns the user's cached locale and username, reading the user on a miss.
func (a *App) profile(userID string) (cachedProfile, error) {
	if userID == "" {
		return cachedProfile{}, nil
	}
	now := a.now()
	a.tr.mu.Lock()
	c, ok := a.tr.cache[userID]
	a.tr.mu.Unlock()
	if ok && now.Before(c.until) {
		return c, nil
	}
	user, appErr := a.host.GetUser(userID)
	if appErr != nil {
		return cachedProfile{}, appErr
	}
	c = cachedProfile{locale: user.Locale, username: user.Username, until: now.Add(profileTTL)}
	a.tr.mu.Lock()
	if len(a.tr.cache) >= maxProfilesCached {
		a.tr.cache = map[string]cachedProfile{}
	}
	a.tr.cache[userID] = c
	a.tr.mu.Unlock()
	return c, nil
}

// T translates message id for a user.
func (a *App) T(userID, id string, args ...i18n.Args) string {
	return a.tr.loc.T(a.locale(userID), id, argsOf(args))
}

// translator is T for one user, for code that writes several of their messages.
func (a *App) translator(userID string) func(id string, args ...i18n.Args) string {
	return func(id string, args ...i18n.Args) string { return a.T(userID, id, args...) }
}

// argsOf is a message's optional arguments: the callers' variadic parameter holds
// at most one set.
func argsOf(args []i18n.Args) i18n.Args {
	if len(args) > 0 {
		return args[0]
	}
	return nil
}

// channelT translates message id for a post everyone in a channel reads, in the
// server's default language (Settings.DefaultLocale, read once per configuration):
// no host call, so webhook paths stay as cheap as before.
func (a *App) channelT(id string, args ...i18n.Args) string {
	locale := i18n.DefaultLanguage
	if s := a.attempted.Load(); s != nil {
		locale = s.DefaultLocale
	}
	return a.tr.loc.T(locale, id, argsOf(args))
}

// userErrorT is userError with a translatable message: English in Message (logs),
// the user's language through MessageFor.
func (a *App) userErrorT(kind Kind, cause error, id string, args ...i18n.Args) *UserError {
	return a.userErrorMsgs(kind, cause, message{id: id, args: argsOf(args)})
}

// userErrorMsgs is a UserError of several whole sentences, joined by a space.
func (a *App) userErrorMsgs(kind Kind, cause error, msgs ...message) *UserError {
	return &UserError{Kind: kind, Message: a.render(i18n.DefaultLanguage, msgs), cause: cause, msgs: msgs}
}

// render joins translated sentences in one locale.
func (a *App) render(locale string, msgs []message) string {
	parts := make([]string, len(msgs))
	for i, m := range msgs {
		parts[i] = a.tr.loc.T(locale, m.id, m.args)
	}
	return strings.Join(parts, " ")
}

// MessageFor returns the text to show a user for err, in their language (English for
// userID ""): a UserError's message, or a generic one that leaks no internals.
func (a *App) MessageFor(userID string, err error) string {
	var ue *UserError
	if errors.As(err, &ue) {
		if len(ue.msgs) == 0 {
			return ue.Message
		}
		return a.render(a.locale(userID), ue.msgs)
	}
	if errors.Is(err, ErrNotConfigured) {
		return a.T(userID, "error.notConfigured")
	}
	return a.T(userID, "error.internal")
}
