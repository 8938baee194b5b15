package app

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

func (w *world) setLocale(user *model.User, locale string) {
	w.host.SetLocale(user.Id, locale)
}

// A German user gets German replies and cards from the bot; an English user in the
// same channel keeps English, and the card's button contexts (exact strings) stay untranslated.
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
	if _, err := w.app.ConfirmStart(w.ctx, w.alice.Id, click(card, 1, w.alice.Id)); err != nil || shownCard(w, w.alice, card.Id) != nil {
		t.Fatalf("cancel: %v", err)
	}

	// The PMI question and the settings card: translated labels, untranslated contexts.
	w.setPreference(w.alice, store.PreferenceAsk)
	if _, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id, Confirmed: true}); err != nil {
		t.Fatal(err)
	}
	q := w.lastEphemeral(w.alice).Attachments()[0]
	if q.Pretext != "Welche Meeting-ID soll dieses Meeting verwenden?" || q.Actions[0].Name != "Persönliche Meeting-ID verwenden" ||
		q.Actions[0].Integration.Context["action"] != ActionUsePMI {
		t.Fatalf("German PMI question: %+v", q)
	}
	w.app.SendSettingsCard(w.alice.Id, w.private.Id, "")
	settings := w.lastEphemeral(w.alice).Attachments()[0]
	if settings.Title != "Zoom-Einstellungen" || settings.Actions[0].Name != "Ja" || settings.Actions[0].Integration.Context["action"] != "Yes" {
		t.Fatalf("German settings card: %+v", settings)
	}

	// Errors a user reads: restriction, membership.
	if err := w.app.kv.SetChannelPreference(w.private.Id, store.ChannelRestrict); err != nil {
		t.Fatal(err)
	}
	_, err := w.start(w.alice, w.private)
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
		if got := w.app.T(w.alice.Id, "confirm.cancel"); got != "Annuler" {
			t.Fatalf("French: %q", got)
		}
	}
	if n := w.host.Calls()["GetUser"]; n != 1 {
		t.Fatalf("GetUser called %d times for three messages", n)
	}
	w.setLocale(w.alice, "de")
	w.advance(w.app, 2*profileTTL)
	if got := w.app.T(w.alice.Id, "confirm.cancel"); got != "Abbrechen" {
		t.Fatalf("after the cache expired: %q", got)
	}
	if got := w.app.T(w.bob.Id, "confirm.cancel"); got != "Cancel" {
		t.Fatalf("English: %q", got)
	}
}

// A German admin reads /zoom status in German, setting names as the System Console
// shows them.
func TestGermanAdminGetsGermanStatusReport(t *testing.T) {
	w := newWorld(t)
	w.setLocale(w.admin, "de")
	report := w.status()
	for _, want := range []string{
		"#### Status des Zoom-Plugins\nVersion ",
		"##### Konfiguration",
		":white_check_mark: Zoom hat Client-ID und Client-Secret akzeptiert.",
		":white_check_mark: **Zoom OAuth Client ID** ist gesetzt.",
	} {
		if !strings.Contains(report, want) {
			t.Errorf("German report lacks %q:\n%s", want, report)
		}
	}
	if strings.Contains(report, "Zoom accepted the Client ID") {
		t.Errorf("English line in a German report:\n%s", report)
	}
}

// A Zoom outage reads as two whole German sentences for a German user, and stays
// English in logs (MessageOf).
func TestGermanUserGetsGermanZoomOutage(t *testing.T) {
	w := newWorld(t)
	w.setLocale(w.alice, "de")
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	w.sim.InjectFault(zoomsim.Fault{Status: http.StatusServiceUnavailable, Method: http.MethodPost, PathPrefix: "/v2/users/"})
	_, err := w.start(w.alice, w.private)
	want := "Das Meeting konnte nicht erstellt werden. Zoom hat nicht geantwortet; vielleicht gibt es gerade eine Störung. Bitte versuche es in ein paar Minuten erneut."
	if got := w.app.MessageFor(w.alice.Id, err); got != want {
		t.Fatalf("German outage: %q", got)
	}
	if got := MessageOf(err); !strings.HasPrefix(got, "The meeting could not be created. Zoom did not answer") {
		t.Fatalf("English for logs: %q", got)
	}
	if got := w.app.MessageFor(w.bob.Id, err); !strings.HasPrefix(got, "The meeting could not be created.") {
		t.Fatalf("an English user: %q", got)
	}
}

// A French user who is not an admin is refused the channel settings in French.
func TestFrenchUserGetsFrenchChannelSettingsRefusal(t *testing.T) {
	w := newWorld(t)
	w.setLocale(w.alice, "fr")
	err := w.app.OpenChannelSettings(w.alice.Id, w.public.Id, w.host.TriggerID(w.alice.Id))
	if KindOf(err) != KindForbidden {
		t.Fatalf("status %d: %v", KindOf(err), err)
	}
	want := "Seuls les administrateurs système peuvent modifier les endroits où des réunions peuvent être démarrées."
	if got := w.app.MessageFor(w.alice.Id, err); got != want {
		t.Fatalf("French refusal: %q", got)
	}
	if _, err := w.app.ChannelSettingsList(w.alice.Id); w.app.MessageFor(w.alice.Id, err) != "Seuls les administrateurs système peuvent lister les paramètres des canaux." {
		t.Fatalf("French list refusal: %q", w.app.MessageFor(w.alice.Id, err))
	}
}

// Channel posts everyone reads follow the server's default language, read with the
// configuration: a German server gets German cards whoever starts the meeting, and
// writing them asks the host for no locale.
func TestCardsFollowTheServerDefaultLanguage(t *testing.T) {
	w := newWorld(t)
	if err := w.reconfigure(func(s *config.Settings) { s.DefaultLocale = "de" }); err != nil {
		t.Fatal(err)
	}
	w.mustConnect(w.bob, "bob@example.com")
	w.setPreference(w.bob, store.PreferenceUnique)
	if _, err := w.start(w.bob, w.private); err != nil {
		t.Fatal(err)
	}
	card := w.cards(w.private)[0]
	if !strings.HasPrefix(card.Message, "Meeting gestartet: ") || !strings.Contains(card.Attachments()[0].Text, "[Am Meeting teilnehmen](") {
		t.Fatalf("German card: %q %q", card.Message, card.Attachments()[0].Text)
	}
	w.host.ResetCalls()
	if !w.app.endCard(card, w.app.now().Add(3*time.Minute)) || card.Message != "Das Meeting ist beendet" ||
		!strings.Contains(card.Attachments()[0].Text, "Dauer: 3 Minuten") {
		t.Fatalf("German summary: %q %q", card.Message, card.Attachments()[0].Text)
	}
	if n := w.host.Calls()["GetUser"]; n != 0 {
		t.Fatalf("ending a card read %d users", n)
	}
}
