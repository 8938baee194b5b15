package app

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"golang.org/x/oauth2"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// strictHost is the test Mattermost with two facts the plain one cannot express:
// channels where only admins may post, and users whose profile differs (an unverified
// email, a sign-in service).
type strictHost struct {
	Host
	readOnly map[string]bool
	profiles map[string]func(*model.User)
	// undeletable makes deleting keys with this prefix fail (a KV outage).
	undeletable string
	// beforeSet runs before every KV write (another process writing first).
	beforeSet func(key string, o model.PluginKVSetOptions)
}

func (h *strictHost) refuses(key string) bool {
	return h.undeletable != "" && strings.HasPrefix(key, h.undeletable)
}

func (h *strictHost) KVDelete(key string) *model.AppError {
	if h.refuses(key) {
		return model.NewAppError("KVDelete", "kv.unavailable", nil, "", http.StatusInternalServerError)
	}
	return h.Host.KVDelete(key)
}

func (h *strictHost) KVSetWithOptions(key string, value []byte, o model.PluginKVSetOptions) (bool, *model.AppError) {
	if h.beforeSet != nil {
		h.beforeSet(key, o)
	}
	if value == nil && h.refuses(key) {
		return false, model.NewAppError("KVSetWithOptions", "kv.unavailable", nil, "", http.StatusInternalServerError)
	}
	return h.Host.KVSetWithOptions(key, value, o)
}

func newStrictHost(h Host) *strictHost {
	return &strictHost{Host: h, readOnly: map[string]bool{}, profiles: map[string]func(*model.User){}}
}

func (h *strictHost) HasPermissionToChannel(userID, channelID string, p *model.Permission) bool {
	if h.readOnly[channelID] && p.Id == model.PermissionCreatePost.Id && !h.HasPermissionTo(userID, model.PermissionManageSystem) {
		return false
	}
	return h.Host.HasPermissionToChannel(userID, channelID, p)
}

func (h *strictHost) GetUserByEmail(email string) (*model.User, *model.AppError) {
	u, appErr := h.Host.GetUserByEmail(email)
	if appErr == nil && h.profiles[u.Id] != nil {
		return h.GetUser(u.Id)
	}
	return u, appErr
}

func (h *strictHost) GetUser(id string) (*model.User, *model.AppError) {
	u, appErr := h.Host.GetUser(id)
	if appErr == nil && h.profiles[id] != nil {
		c := *u
		h.profiles[id](&c)
		u = &c
	}
	return u, appErr
}

// strictApp is another plugin process of the world that talks to the strict host.
func (w *world) strictApp() (*App, *strictHost) {
	w.t.Helper()
	h := newStrictHost(w.host)
	a := New(Options{Host: h, BotUserID: w.bot.Id, HTTPClient: w.sim.HTTPClient(), Links: testLinks})
	if err := a.Configure(w.settings); err != nil {
		w.t.Fatal(err)
	}
	w.t.Cleanup(a.StopJobs)
	a.live.afterFunc = w.timers().afterFunc
	w.t.Cleanup(a.StopLiveUpdates)
	return a, h
}

// scheduleFor creates a scheduled meeting hosted by user (through whatever identity the
// mode gives them), with the given alternative hosts.
func (w *world) scheduleFor(user *model.User, topic, alternativeHosts string) *zoom.Meeting {
	w.t.Helper()
	who, err := w.app.identityFor(w.ctx, user.Id)
	if err != nil {
		w.t.Fatal(err)
	}
	m, err := who.snap.zoom.CreateMeeting(w.ctx, who.accessToken, who.zoomUserID, zoom.CreateMeetingRequest{
		Topic: topic, Type: zoom.MeetingTypeScheduled, StartTime: "2026-03-12T14:00:00Z", Duration: 30, Timezone: "UTC",
		Settings: &zoom.MeetingSettings{AlternativeHosts: alternativeHosts}})
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

// assertLinkOnly checks that a shared post carries no meeting props, so no webhook,
// sweep or report can find or fill it.
func assertLinkOnly(t *testing.T, p *model.Post, link string) {
	t.Helper()
	if p.Type == PostTypeMeeting || p.GetProp("meeting_id") != nil || p.GetProp("meeting_uuid") != nil ||
		p.GetProp("meeting_status") != nil || !strings.Contains(p.Attachments()[0].Text, link) {
		t.Fatalf("not a link-only post: %s %q %v", p.Type, p.Message, p.GetProps())
	}
}

// A meeting shared by someone Zoom does not name as its host becomes a link: the
// host's card keeps the mappings, the meeting's events never reach the sharer's
// channel, and the sharer is told why.
func TestShareOfSomeoneElsesMeetingIsLinkOnly(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.mustConnect(w.bob, "bob@example.com")
	m := w.schedule(w.alice, "Board meeting")
	home := w.mustShare(w.alice, w.private, m.ID)

	byID := w.mustShare(w.bob, w.public, m.ID)
	link := w.sim.URL() + fmt.Sprintf("/j/%d", m.ID)
	byLink, err := w.share(w.bob, w.public, link)
	if err != nil {
		t.Fatal(err)
	}
	pmi, err := w.share(w.bob, w.public, "7391846250")
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range []*model.Post{byID, byLink} {
		assertLinkOnly(t, w.post(p.Id), fmt.Sprint(m.ID))
	}
	assertLinkOnly(t, w.post(pmi.Id), "7391846250")
	if msg := w.host.LastEphemeral(w.bob.Id).Message; !strings.Contains(msg, "as a link only") || !strings.Contains(msg, "ask the meeting's host") {
		t.Fatalf("bob was told %q", msg)
	}
	if mc, err := w.app.kv.GetMeetingChannel(m.ID); err != nil || mc.PostID != home.Id || mc.CreatedBy != w.alice.Id {
		t.Fatalf("meeting channel %+v %v", mc, err)
	}
	if _, err := w.app.kv.GetMeetingChannel(7391846250); err == nil {
		t.Fatal("bob's share of alice's personal meeting id made a mapping")
	}
	if ids, _ := w.app.kv.MeetingCardIDs(m.ID); len(ids) != 0 {
		t.Fatalf("bob's posts joined the meeting's cards: %v", ids)
	}
	if _, ok := w.openCard(byID.Id); ok {
		t.Fatal("a link-only post is tracked by the sweeper")
	}

	started, err := w.sim.StartMeeting(m.ID)
	w.mustDeliver(w.app, started, err)
	ended, err := w.sim.EndMeeting(m.ID)
	w.mustDeliver(w.app, ended, err)
	assertEnded(t, w.post(home.Id), time.Time{})
	for _, p := range w.host.ChannelPosts(w.public.Id) {
		if p.Id != byID.Id && p.Id != byLink.Id && p.Id != pmi.Id {
			t.Fatalf("the meeting's data reached bob's channel: %q %v", p.Message, p.GetProps())
		}
	}
}

// Zoom's word that the sharer may host the meeting (an alternative host), or a system
// admin sharing it, still makes the share a full card.
func TestShareByAlternativeHostOrAdminIsAFullCard(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.mustConnect(w.bob, "bob@example.com")
	m := w.scheduleFor(w.alice, "Planning", "carol@example.com; BOB@example.com")
	card := w.mustShare(w.bob, w.public, m.ID)
	if p := w.post(card.Id); p.Type != PostTypeMeeting || p.GetProp("meeting_uuid") != m.UUID {
		t.Fatalf("alternative host's share: %v", p.GetProps())
	}
	if mc, err := w.app.kv.GetMeetingChannel(m.ID); err != nil || mc.PostID != card.Id {
		t.Fatalf("meeting channel %+v %v", mc, err)
	}
	// The admin is not connected, so Zoom says nothing about the link; the admin's word
	// is enough for a full card, but bob's mapping stays his.
	adminCard, err := w.share(w.admin, w.private, m.JoinURL)
	if err != nil || w.post(adminCard.Id).Type != PostTypeMeeting {
		t.Fatalf("admin share: %v", err)
	}
	if mc, err := w.app.kv.GetMeetingChannel(m.ID); err != nil || mc.PostID != card.Id || mc.CreatedBy != w.bob.Id {
		t.Fatalf("the admin's share took bob's mapping: %+v %v", mc, err)
	}
}

// In account-level mode the account token reads every meeting of the account, so Zoom
// describing a meeting is no proof of hosting it.
func TestShareInAccountLevelModeNeedsTheHost(t *testing.T) {
	w := newWorld(t, accountLevel)
	w.mustConnect(w.admin, "admin@example.com")
	m := w.scheduleFor(w.alice, "Salaries", "")
	p := w.mustShare(w.bob, w.public, m.ID)
	assertLinkOnly(t, w.post(p.Id), fmt.Sprint(m.ID))
	if _, err := w.app.kv.GetMeetingChannel(m.ID); err == nil {
		t.Fatal("bob's share made a mapping")
	}
	own := w.mustShare(w.alice, w.private, m.ID)
	if w.post(own.Id).Type != PostTypeMeeting {
		t.Fatal("the host's own share is not a card")
	}
}

// Matching by email trusts only an email Mattermost vouches for.
func TestEmailMatchNeedsAVerifiedEmail(t *testing.T) {
	w := newWorld(t, accountLevel)
	w.mustConnect(w.admin, "admin@example.com")
	a, h := w.strictApp()
	mallory := w.host.AddUser("mallory", false)
	sso := w.host.AddUser("sso", false)
	h.profiles[mallory.Id] = func(u *model.User) { u.Email, u.EmailVerified = "alice@example.com", false }
	h.profiles[sso.Id] = func(u *model.User) {
		u.Email, u.EmailVerified, u.AuthService = "bob@example.com", false, model.UserAuthServiceSaml
	}

	_, err := a.identityFor(w.ctx, mallory.Id)
	if !errors.Is(err, ErrEmailUnverified) || KindOf(err) != KindForbidden ||
		!strings.Contains(MessageOf(err), "not verified") || !strings.Contains(MessageOf(err), "ask a system admin") {
		t.Fatalf("unverified email: %v / %s", err, MessageOf(err))
	}
	if err := a.SendUpcomingMeetings(w.ctx, mallory.Id, w.private.Id, ""); !errors.Is(err, ErrEmailUnverified) {
		t.Fatalf("list with an unverified email: %v", err)
	}
	who, err := a.identityFor(w.ctx, sso.Id)
	if err != nil || who.zoomEmail != "bob@example.com" {
		t.Fatalf("SSO user: %+v %v", who, err)
	}
	if _, err := a.identityFor(w.ctx, w.alice.Id); err != nil {
		t.Fatalf("verified user: %v", err)
	}
}

// A member who may not post in a channel can neither start nor share a meeting (nor a
// personal link) there, nor subscribe it to one, and is told why.
func TestReadOnlyChannelRefusesStartAndShare(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	a, h := w.strictApp()
	h.readOnly[w.public.Id] = true
	m := w.schedule(w.alice, "Weekly")

	_, startErr := a.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.public.Id, Force: true})
	_, shareErr := a.ShareMeeting(w.ctx, ShareRequest{UserID: w.alice.Id, ChannelID: w.public.Id, Target: fmt.Sprint(m.ID)})
	linkErr := a.Join(w.ctx, ShareRequest{UserID: w.alice.Id, ChannelID: w.public.Id, Target: w.sim.URL() + "/my/someone.else"})
	scheduleErr := a.ScheduleMeeting(w.ctx, ScheduleRequest{UserID: w.alice.Id, ChannelID: w.public.Id, Start: time.Now().Add(time.Hour), Duration: time.Hour})
	_, subscribeErr := a.Subscribe(w.ctx, w.alice.Id, w.public.Id, m.ID)
	// Each path says why in its own words.
	for _, c := range []struct {
		err  error
		says string
	}{
		{startErr, "cannot start or share"},
		{shareErr, "cannot start or share"},
		{linkErr, "cannot start or share"},
		{scheduleErr, "cannot schedule a meeting here"},
		{subscribeErr, "only subscribe a channel you may post in"},
	} {
		if KindOf(c.err) != KindForbidden || !strings.Contains(MessageOf(c.err), c.says) {
			t.Fatalf("read-only channel: %d %q, want %q", KindOf(c.err), MessageOf(c.err), c.says)
		}
	}
	if n := len(w.host.ChannelPosts(w.public.Id)); n != 0 {
		t.Fatalf("%d posts in the read-only channel", n)
	}
	// The admin may post there, and other channels are unaffected.
	if res, err := a.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id, Force: true}); err != nil || res.PostID == "" {
		t.Fatalf("start elsewhere: %+v %v", res, err)
	}
}

// The recent-meeting guard believes only cards this plugin posted and tracks: a
// member's look-alike post (type, props, even a link on the Zoom host) neither blocks
// a start nor gets its link recommended.
func TestGuardIgnoresForgedCards(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	forge := func(link string) {
		p := &model.Post{UserId: w.bob.Id, ChannelId: w.private.Id, Type: PostTypeMeeting, Message: "Meeting started"}
		p.AddProp("meeting_status", StatusStarted)
		p.AddProp("meeting_provider", "Zoom")
		p.AddProp("meeting_link", link)
		p.AddProp("meeting_creator_username", "ceo")
		p.AddProp("meeting_id", 84512367890)
		if _, appErr := w.host.CreatePost(p); appErr != nil {
			t.Fatal(appErr)
		}
	}
	forge("https://evil.example.com/j/84512367890")
	forge(w.sim.URL() + "/j/84512367890")
	res, err := w.start(w.alice, w.private)
	if err != nil || res.JoinURL == "" {
		t.Fatalf("a forged card blocked the start: %+v %v (%q)", res, err, w.host.LastEphemeral(w.alice.Id).Message)
	}
	// A real card still guards the channel, and its creator and link are the real ones.
	w.mustConnect(w.bob, "bob@example.com")
	w.setPreference(w.bob, store.PreferenceUnique)
	res2, err := w.start(w.bob, w.private)
	guard := w.host.LastEphemeral(w.bob.Id)
	if err != nil || res2.JoinURL != "" || guard.GetProp("meeting_link") != res.JoinURL ||
		!strings.Contains(guard.Message, "@alice") || !strings.Contains(guard.Message, res.JoinURL) {
		t.Fatalf("guard: %+v %v %q %v", res2, err, guard.Message, guard.GetProps())
	}
}

func (w *world) deauthorization(zoomUserID string) *zoom.DeauthorizationPayload {
	w.t.Helper()
	body, err := w.sim.DeauthorizeEvent(zoomUserID, false)
	if err != nil {
		w.t.Fatal(err)
	}
	ev, err := zoom.ParseEvent(body)
	if err != nil {
		w.t.Fatal(err)
	}
	p, err := ev.Deauthorization()
	if err != nil {
		w.t.Fatal(err)
	}
	return p
}

// A deauthorization deletes the connection even when its tokens can no longer be
// decrypted, and Zoom hears "compliance completed" only once the deletion happened.
func TestDeauthorizationDeletesBeforeConfirming(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	stored, err := w.app.current.Load().tokens.GetUser(w.alice.Id)
	if err != nil {
		t.Fatal(err)
	}
	zoomID := stored.ZoomID

	// The KV refuses the deletion: an error (Zoom retries), and no confirmation.
	a, h := w.strictApp()
	h.undeletable = "zoomtoken"
	if err := a.Deauthorize(w.ctx, w.deauthorization(zoomID)); err == nil {
		t.Fatal("a failed deletion was reported as done")
	}
	if n := len(w.sim.ComplianceRequests()); n != 0 {
		t.Fatalf("Zoom was told %d times that the data is gone", n)
	}

	// The encryption key changed: the records are still found and deleted.
	if err := w.reconfigure(func(s *config.Settings) { s.EncryptionKey = "fedcba9876543210fedcba9876543210" }); err != nil {
		t.Fatal(err)
	}
	if err := w.app.Deauthorize(w.ctx, w.deauthorization(zoomID)); err != nil {
		t.Fatal(err)
	}
	for _, key := range []string{"zoomtoken_" + w.alice.Id, "zoomtokenbyzoomid_" + zoomID} {
		if v, _ := w.host.KVGet(key); v != nil {
			t.Fatalf("%s is still stored", key)
		}
	}
	if reqs := w.sim.ComplianceRequests(); len(reqs) != 1 || !reqs[0].ComplianceCompleted {
		t.Fatalf("compliance calls %+v", reqs)
	}
}

// evilText is a topic or name that would be a link, a mention and formatting if it
// reached markdown unescaped.
const evilText = "[Click me](https://evil.example.com) @channel **now**"

// assertInert checks that evilText reached markdown escaped: no link, no mention, no
// bold, and its words still readable.
func assertInert(t *testing.T, where, text string) {
	t.Helper()
	if strings.Contains(text, "[Click me](") || strings.Contains(text, "@channel") || strings.Contains(text, "**now**") ||
		!strings.Contains(text, "Click me") || !strings.Contains(text, "now") {
		t.Fatalf("%s: %q", where, text)
	}
}

// Topics from Zoom and participants' names go into the plugin's markdown escaped,
// wherever they appear.
func TestUntrustedTextIsEscapedInMarkdown(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	scheduled := w.scheduleFor(w.alice, evilText, "")

	// A shared card, the list of upcoming meetings and the share button's answer.
	shared := w.mustShare(w.alice, w.private, scheduled.ID)
	assertInert(t, "shared card", shared.Message)
	if err := w.app.SendUpcomingMeetings(w.ctx, w.alice.Id, w.private.Id, ""); err != nil {
		t.Fatal(err)
	}
	list := w.host.LastEphemeral(w.alice.Id)
	assertInert(t, "upcoming list title", list.Attachments()[0].Title)
	resp, err := w.app.ShareFromList(w.ctx, w.alice.Id, &model.PostActionIntegrationRequest{
		UserId: w.alice.Id, Context: list.Attachments()[0].Actions[0].Integration.Context})
	if err != nil {
		t.Fatal(err)
	}
	assertInert(t, "share answer", resp.EphemeralText)

	// A subscription's card, its live participants and its summary.
	who, err := w.app.identityFor(w.ctx, w.alice.Id)
	if err != nil {
		t.Fatal(err)
	}
	recurring, err := who.snap.zoom.CreateMeeting(w.ctx, who.accessToken, who.zoomUserID, zoom.CreateMeetingRequest{
		Topic: evilText, Type: zoom.MeetingTypeRecurringFixedTime, StartTime: "2026-03-12T15:00:00Z", Duration: 45})
	if err != nil {
		t.Fatal(err)
	}
	w.mustSubscribe(w.alice, w.public, recurring.ID)
	started, err := w.sim.StartMeeting(recurring.ID)
	w.mustDeliver(w.app, started, err)
	cards := w.cards(w.public)
	if len(cards) != 1 {
		t.Fatalf("%d subscription cards", len(cards))
	}
	card := cards[0]
	assertInert(t, "subscription card", card.Message)
	w.participant(w.app, recurring.ID, zoom.EventParticipantJoined,
		zoom.Participant{UserName: evilText, ParticipantUUID: "P-EVE", UserID: "16778250"}, time.Now())
	w.fireTimers()
	assertInert(t, "live participants", attachmentText(w.post(card.Id)))
	ended, err := w.sim.EndMeeting(recurring.ID)
	w.mustDeliver(w.app, ended, err)
	assertInert(t, "ended card title", w.post(card.Id).Attachments()[0].Title)
}

// A cross-site request to the OAuth completion with a well-formed state of the victim
// (any nonce) is refused and leaves the victim's real connect working.
func TestForgedOAuthStateDoesNotCancelTheRealConnect(t *testing.T) {
	w := newWorld(t)
	authorize, err := w.app.BeginConnect(w.alice.Id, w.private.Id, false)
	if err != nil {
		t.Fatal(err)
	}
	forged := newOAuthState(w.alice.Id, w.private.Id, true).String()
	if err := w.app.CompleteConnect(w.ctx, w.alice.Id, "code", forged); !errors.Is(err, ErrBadState) {
		t.Fatalf("forged state: %v", err)
	}
	code, state := w.authorize(authorize, "alice@example.com")
	if err := w.app.CompleteConnect(w.ctx, w.alice.Id, code, state); err != nil {
		t.Fatalf("the real connect after a forged one: %v", err)
	}
	if _, err := w.app.current.Load().tokens.GetUser(w.alice.Id); err != nil {
		t.Fatalf("not connected: %v", err)
	}
}

// A refresh whose compare-and-set loses to another process re-sealing the same token
// (a record in the old storage format) stores the new token anyway: the old refresh
// token is dead at Zoom, and keeping it would disconnect the user at the next refresh.
func TestRefreshSurvivesARewriteOfTheOldFormat(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	tokens := w.app.current.Load().tokens
	connected, err := tokens.GetUser(w.alice.Id)
	if err != nil {
		t.Fatal(err)
	}
	original := connected.OAuthToken.RefreshToken
	// The record as the original plugin left it: the refresh token in plain text.
	sealer, err := store.NewSealer(w.settings.EncryptionKey)
	if err != nil {
		t.Fatal(err)
	}
	access := sealer.Seal(connected.OAuthToken.AccessToken)
	legacy, err := json.Marshal(map[string]any{
		"ZoomEmail": connected.ZoomEmail, "UserID": w.alice.Id, "ZoomID": connected.ZoomID,
		"OAuthToken": map[string]any{"access_token": access, "token_type": "bearer", "refresh_token": original,
			"expiry": time.Now().Add(-time.Hour)},
	})
	if err != nil {
		t.Fatal(err)
	}
	key := "zoomtoken_" + w.alice.Id
	if _, appErr := w.host.KVSetWithOptions(key, legacy, model.PluginKVSetOptions{}); appErr != nil {
		t.Fatal(appErr)
	}
	w.sim.ExpireAccessTokens()

	// Another process re-seals the record just before this one's own rewrite.
	a, h := w.strictApp()
	other := store.NewTokens(store.NewKV(w.host), sealer)
	h.beforeSet = func(k string, o model.PluginKVSetOptions) {
		if k == key && bytes.Equal(o.OldValue, legacy) {
			h.beforeSet = nil
			if _, err := other.GetUser(w.alice.Id); err != nil {
				t.Error(err)
			}
		}
	}
	// The token this process read before it took the refresh lock had expired.
	expired := &oauth2.Token{}
	snap := a.current.Load()
	if _, err := freshToken(w.ctx, a, snap, userTokens(snap, w.alice.Id), expired); err != nil {
		t.Fatalf("refresh: %v", err)
	}
	if h.beforeSet != nil {
		t.Fatal("the race was not staged")
	}
	stored, err := tokens.GetUser(w.alice.Id)
	if err != nil || stored.OAuthToken.RefreshToken == original {
		t.Fatalf("the rotated-away refresh token is still stored: %v", err)
	}
	if _, err := zoom.Refresh(w.ctx, w.app.current.Load().oauth, w.sim.HTTPClient(), stored.OAuthToken.RefreshToken); err != nil {
		t.Fatalf("the stored refresh token is dead: %v", err)
	}
}

// /zoom status tells the admin what the email matching relies on, in the modes that
// match by email, and what posting recording passwords means.
func TestStatusExplainsEmailMatchingAndRecordingPasswords(t *testing.T) {
	w := newWorld(t, accountLevel)
	w.mustConnect(w.admin, "admin@example.com")
	wantLines(t, w.status(), "only when Mattermost has verified it", "Require Email Verification")
	if err := w.reconfigure(func(s *config.Settings) { s.AccountLevelApp, s.EnablePostingRecordingPassword = false, true }); err != nil {
		t.Fatal(err)
	}
	report := w.status()
	if strings.Contains(report, "only when Mattermost has verified it") {
		t.Fatal("user-level mode does not match by email")
	}
	wantLines(t, report, "everyone who can read the channel")
}

// A participant is shown as a Mattermost user only when that user's email is one
// Mattermost vouches for; otherwise their Zoom name is shown.
func TestParticipantMatchNeedsAVerifiedEmail(t *testing.T) {
	w := newWorld(t)
	a, h := w.strictApp()
	mallory := w.host.AddUser("mallory", false)
	h.profiles[mallory.Id] = func(u *model.User) { u.EmailVerified = false }
	card, id := w.liveCard()
	now := time.Now()
	w.participant(a, id, zoom.EventParticipantJoined, zAlice, now)
	w.participant(a, id, zoom.EventParticipantJoined,
		zoom.Participant{UserName: "Mallory M", Email: "mallory@example.com", ParticipantUUID: "P-MAL", UserID: "16778260"}, now)
	w.fireTimers()
	_, names := live(w.post(card.Id))
	if !slices.Contains(names, "@alice") || slices.Contains(names, "@mallory") || !slices.Contains(names, "Mallory M") {
		t.Fatalf("participants %v", names)
	}
}
