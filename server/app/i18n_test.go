package app

import (
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
)

func (w *world) setLocale(user *model.User, locale string) {
	w.host.Users[user.Id].Locale = locale
}

// A German user gets German replies and cards from the bot; an English user in the
// same channel keeps English, and the card's SPEC contexts stay untranslated.
func TestGermanUserSeesGermanReplies(t *testing.T) {
	w := newWorld(t, threshold(2))
	w.setLocale(w.alice, "de")

	// Not connected: the connect link, in German.
	w.setPreference(w.alice, store.PreferenceUnique)
	if _, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id, Confirmed: true}); err != nil {
		t.Fatal(err)
	}
	if msg := w.lastEphemeral(w.alice).Message; !strings.Contains(msg, "Um ein Meeting zu starten, [verbinde zuerst dein Zoom-Konto](") {
		t.Fatalf("connect reply: %q", msg)
	}
	w.mustConnect(w.alice, "alice@example.com")

	// The large-channel question, its buttons and the answer.
	if _, err := w.start(w.alice, w.public); err != nil {
		t.Fatal(err)
	}
	card := w.lastEphemeral(w.alice)
	att := card.Attachments()[0]
	if att.Pretext != "Dieser Kanal hat 3 Mitglieder. Ein Zoom-Meeting für alle starten?" ||
		att.Actions[0].Name != "Meeting starten" || att.Actions[1].Name != "Abbrechen" {
		t.Fatalf("German confirmation card: %q %q %q", att.Pretext, att.Actions[0].Name, att.Actions[1].Name)
	}
	resp, err := w.app.ConfirmStart(w.ctx, w.alice.Id, click(card, 1, w.alice.Id))
	if err != nil || resp.Update.Message != "Abgebrochen; es wurde kein Meeting gestartet." {
		t.Fatalf("cancel: %+v %v", resp, err)
	}

	// The PMI question and the settings card: translated labels, SPEC contexts.
	w.setPreference(w.alice, store.PreferenceAsk)
	if _, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id, Confirmed: true}); err != nil {
		t.Fatal(err)
	}
	q := w.lastEphemeral(w.alice).Attachments()[0]
	if q.Pretext != "Welche Meeting-ID soll dieses Meeting verwenden?" || q.Actions[0].Name != "Persönliche Meeting-ID verwenden" ||
		q.Actions[0].Integration.Context["action"] != ActionUsePMI {
		t.Fatalf("German PMI question: %+v", q)
	}
	settings := w.app.SettingsCard(w.alice.Id, w.private.Id).Attachments()[0]
	if settings.Title != "Zoom-Einstellungen" || settings.Actions[0].Name != "Ja" || settings.Actions[0].Integration.Context["action"] != "Yes" {
		t.Fatalf("German settings card: %+v", settings)
	}

	// Errors a user reads: restriction, membership.
	if err := w.app.kv.SetChannelPreference(w.private.Id, store.ChannelRestrict); err != nil {
		t.Fatal(err)
	}
	_, err = w.start(w.alice, w.private)
	if got := w.app.MessageFor(w.alice.Id, err); !strings.HasPrefix(got, "Ein Systemadministrator hat Zoom-Meetings in diesem Kanal abgeschaltet.") {
		t.Fatalf("German restriction: %q", got)
	}
	if got := MessageOf(err); !strings.HasPrefix(got, "A system admin has turned off Zoom meetings") {
		t.Fatalf("MessageOf stays English for logs and untranslated callers: %q", got)
	}

	// Bob keeps English.
	_, err = w.start(w.bob, w.private)
	if got := w.app.MessageFor(w.bob.Id, err); !strings.HasPrefix(got, "A system admin has turned off") {
		t.Fatalf("English user got %q", got)
	}
	if msg, _ := w.app.Disconnect(w.alice.Id); msg != "Deine Verbindung zu Zoom ist getrennt. Führe /zoom connect aus, wann immer du dich wieder verbinden möchtest." {
		t.Fatalf("German disconnect: %q", msg)
	}
}

// The locale is read once per user and minute, so translating adds no host call to
// a user's next starts.
func TestLocaleIsCachedBriefly(t *testing.T) {
	w := newWorld(t)
	w.setLocale(w.alice, "fr")
	w.host.ResetCalls()
	for range 3 {
		if got := w.app.t(w.alice.Id, "confirm.cancel"); got != "Annuler" {
			t.Fatalf("French: %q", got)
		}
	}
	if n := w.host.Calls()["GetUser"]; n != 1 {
		t.Fatalf("GetUser called %d times for three messages", n)
	}
	w.setLocale(w.alice, "de")
	w.advance(w.app, 2*localeTTL)
	if got := w.app.t(w.alice.Id, "confirm.cancel"); got != "Abbrechen" {
		t.Fatalf("after the cache expired: %q", got)
	}
	if got := w.app.t(w.bob.Id, "confirm.cancel"); got != "Cancel" {
		t.Fatalf("English: %q", got)
	}
}
