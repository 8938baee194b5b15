package app

import (
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

func TestStartPostsCardWithEveryPropAndOneZoomCall(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	w.sim.ResetCalls()
	root, _ := w.host.CreatePost(&model.Post{ChannelId: w.private.Id, UserId: w.bob.Id, Message: "let's talk"})
	res, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id, RootID: root.Id, Topic: "Design sync", ConnectionID: "conn-1"})
	if err != nil {
		t.Fatal(err)
	}
	if calls := w.sim.Calls(); len(calls) != 1 || calls[0].Method != http.MethodPost || !strings.HasSuffix(calls[0].Path, "/meetings") {
		t.Fatalf("Zoom calls for one start: %+v, want exactly one create", calls)
	}
	cards := w.cards(w.private)
	if len(cards) != 1 {
		t.Fatalf("%d cards", len(cards))
	}
	card := cards[0]
	if card.UserId != w.alice.Id || card.RootId != root.Id || card.Type != "custom_zoom" {
		t.Fatalf("card author/thread/type: %+v", card)
	}
	// Stored posts come back as the database gives them: a JSON number is a float64.
	id, isNumber := card.GetProp("meeting_id").(float64)
	meeting, ok := w.sim.Meeting(int64(id))
	if !isNumber || !ok {
		t.Fatalf("meeting_id %T %v not a number of a real meeting", card.GetProp("meeting_id"), card.GetProp("meeting_id"))
	}
	want := map[string]any{
		"meeting_uuid": meeting.UUID, "meeting_link": meeting.JoinURL, "meeting_status": "STARTED",
		"meeting_personal": false, "meeting_topic": "Design sync", "meeting_creator_username": "alice",
		"meeting_provider": "Zoom",
	}
	for k, v := range want {
		if card.GetProp(k) != v {
			t.Errorf("prop %s = %v, want %v", k, card.GetProp(k), v)
		}
	}
	if len(card.Attachments()) != 1 || !strings.Contains(card.Attachments()[0].Text, meeting.JoinURL) {
		t.Errorf("attachment fallback missing the join link: %+v", card.Attachments())
	}
	if res.JoinURL != meeting.JoinURL {
		t.Errorf("result %q", res.JoinURL)
	}
	if postID, _ := w.app.kv.MeetingPostByUUID(meeting.UUID); postID != card.Id {
		t.Errorf("post_meeting mapping = %q", postID)
	}
	mc, err := w.app.kv.GetMeetingChannel(meeting.ID)
	if err != nil || mc.ChannelID != w.private.Id || mc.IsSubscription || mc.CreatedBy != w.alice.Id {
		t.Errorf("meeting_channel mapping %+v %v", mc, err)
	}
	ev := w.lastEvent("custom_zoom_meeting_started")
	if ev.Data["meeting_url"] != meeting.JoinURL || ev.Broadcast.UserId != w.alice.Id || ev.Broadcast.ConnectionId != "conn-1" {
		t.Errorf("websocket event %+v %+v", ev, ev.Broadcast)
	}
}

func TestStartNeverOverwritesASubscription(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferencePMI)
	res, err := w.start(w.alice, w.private)
	if err != nil {
		t.Fatal(err)
	}
	id, _ := numberProp(w.cards(w.private)[0].GetProp("meeting_id"))
	if _, err := w.app.kv.AddSubscription(id, store.MeetingChannel{ChannelID: w.public.Id, CreatedBy: w.bob.Id}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id, Force: true}); err != nil {
		t.Fatal(err)
	}
	mc, _ := w.app.kv.GetMeetingChannel(id)
	if !mc.IsSubscription || mc.ChannelID != w.public.Id {
		t.Fatalf("subscription overwritten: %+v (first start %s)", mc, res.JoinURL)
	}
}

func TestPMIPreference(t *testing.T) {
	t.Run("true uses the PMI", func(t *testing.T) {
		w := newWorld(t)
		w.mustConnect(w.alice, "alice@example.com")
		w.setPreference(w.alice, store.PreferencePMI)
		if _, err := w.start(w.alice, w.private); err != nil {
			t.Fatal(err)
		}
		card := w.cards(w.private)[0]
		if card.GetProp("meeting_personal") != true || !strings.Contains(card.GetProp("meeting_link").(string), "7391846250") {
			t.Fatalf("not a PMI card: %v", card.GetProps())
		}
	})
	t.Run("true without a PMI falls back with a hint", func(t *testing.T) {
		w := newWorld(t)
		w.mustConnect(w.bob, "bob@example.com")
		w.setPreference(w.bob, store.PreferencePMI)
		if _, err := w.start(w.bob, w.private); err != nil {
			t.Fatal(err)
		}
		if card := w.cards(w.private)[0]; card.GetProp("meeting_personal") != false {
			t.Fatal("marked personal without a PMI")
		}
		if hint := w.host.LastEphemeral(w.bob.Id); hint == nil || !strings.Contains(hint.Message, "Personal Meeting ID") {
			t.Fatalf("no hint: %+v", hint)
		}
	})
	for _, pref := range []string{"", store.PreferenceAsk} {
		t.Run("asks when "+map[string]string{"": "unset", "ask": "ask"}[pref], func(t *testing.T) {
			w := newWorld(t)
			w.mustConnect(w.alice, "alice@example.com")
			if pref != "" {
				w.setPreference(w.alice, pref)
			}
			res, err := w.start(w.alice, w.private)
			if err != nil || res.JoinURL != "" || len(w.cards(w.private)) != 0 {
				t.Fatalf("started without asking: %+v %v", res, err)
			}
			q := w.host.LastEphemeral(w.alice.Id)
			actions := q.Attachments()[0].Actions
			if len(actions) != 2 || actions[0].Integration.URL != "/plugins/zoom/api/v1/askPMI" {
				t.Fatalf("question: %+v", q.Attachments())
			}
			ctx := actions[0].Integration.Context
			if ctx["action"] != ActionUsePMI || actions[1].Integration.Context["action"] != ActionUseUnique || ctx["userID"] != w.alice.Id || ctx["channelID"] != w.private.Id {
				t.Fatalf("contexts: %v / %v", ctx, actions[1].Integration.Context)
			}
			// Someone else cannot answer alice's question.
			if _, err := w.app.AnswerPMIQuestion(w.ctx, w.bob.Id, &model.PostActionIntegrationRequest{Context: actions[1].Integration.Context}); KindOf(err) != KindForbidden {
				t.Fatalf("bob answered alice's question: %v", err)
			}
			resp, err := w.app.AnswerPMIQuestion(w.ctx, w.alice.Id, click(q, 1, w.alice.Id))
			if err != nil || *resp != (model.PostActionIntegrationResponse{}) || len(w.cards(w.private)) != 1 {
				t.Fatalf("answer: %+v %v", resp, err)
			}
			// The question turns into the outcome in place, in its channel, from the bot.
			if now := shownCard(w, w.alice, q.Id); now == nil || now.Message != "Meeting started with a unique meeting ID." ||
				len(now.Attachments()) != 0 || now.ChannelId != w.private.Id || now.UserId != w.app.botUserID || now.CreateAt == 0 {
				t.Fatalf("the question after the answer: %+v", now)
			}
			stored, _ := w.app.kv.GetUserPreference(w.alice.Id)
			wantStored := store.PreferenceUnique
			if pref == store.PreferenceAsk {
				wantStored = store.PreferenceAsk // a user who chose "ask" keeps being asked
			}
			if stored != wantStored {
				t.Fatalf("stored preference %q, want %q", stored, wantStored)
			}
		})
	}
	t.Run("old Mattermost preference is migrated", func(t *testing.T) {
		w := newWorld(t)
		w.mustConnect(w.alice, "alice@example.com")
		if appErr := w.host.UpdatePreferencesForUser(w.alice.Id, []model.Preference{{UserId: w.alice.Id, Category: "plugin:zoom", Name: "use-pmi", Value: "true"}}); appErr != nil {
			t.Fatal(appErr)
		}
		if _, err := w.start(w.alice, w.private); err != nil {
			t.Fatal(err)
		}
		if got, _ := w.app.kv.GetUserPreference(w.alice.Id); got != store.PreferencePMI {
			t.Fatalf("migrated %q", got)
		}
		if len(w.cards(w.private)) != 1 || w.cards(w.private)[0].GetProp("meeting_personal") != true {
			t.Fatal("migrated preference not used")
		}
	})
	t.Run("an old preference of no known value is not migrated", func(t *testing.T) {
		w := newWorld(t)
		w.mustConnect(w.alice, "alice@example.com")
		if appErr := w.host.UpdatePreferencesForUser(w.alice.Id, []model.Preference{{UserId: w.alice.Id, Category: "plugin:zoom", Name: "use-pmi", Value: "sometimes"}}); appErr != nil {
			t.Fatal(appErr)
		}
		if res, err := w.start(w.alice, w.private); err != nil || res.JoinURL != "" {
			t.Fatalf("start: %+v %v", res, err)
		}
		if raw := w.host.KV()["zoomUserPreference_"+w.alice.Id]; raw != nil {
			t.Fatalf("migrated %q", raw)
		}
		if w.host.LastEphemeral(w.alice.Id).Attachments()[0].Actions[0].Id != "usepmi" {
			t.Fatal("the user was not asked")
		}
	})
}

func TestSettingsCardUpdatesPreference(t *testing.T) {
	w := newWorld(t)
	w.app.SendSettingsCard(w.alice.Id, w.private.Id, "")
	card := w.host.LastEphemeral(w.alice.Id)
	actions := card.Attachments()[0].Actions
	if len(actions) != 3 || actions[0].Integration.URL != "/plugins/zoom/api/v1/updatePMI" || actions[2].Style != "primary" {
		t.Fatalf("settings card of someone who never chose: %+v", actions)
	}
	for i, want := range []struct{ stored, current string }{
		{"true", "Yes, always use my Personal Meeting ID"},
		{"false", "No, always use a unique meeting ID"},
		{"ask", "Ask each time"},
	} {
		resp, err := w.app.UpdatePMI(w.alice.Id, click(card, i, w.alice.Id))
		if err != nil || *resp != (model.PostActionIntegrationResponse{}) {
			t.Fatalf("%s: %+v %v", actions[i].Name, resp, err)
		}
		if got, _ := w.app.kv.GetUserPreference(w.alice.Id); got != want.stored {
			t.Fatalf("%s stored %q, want %q", actions[i].Name, got, want.stored)
		}
		// The same card, re-rendered in place: the new choice in the text and highlighted.
		card = shownCard(w, w.alice, card.Id)
		att := card.Attachments()
		if card == nil || len(att) != 1 || !strings.Contains(att[0].Text, want.current) || !strings.HasPrefix(att[0].Footer, "Saved.") ||
			att[0].Actions[i].Style != "primary" || att[0].Actions[(i+1)%3].Style == "primary" || card.ChannelId != w.private.Id {
			t.Fatalf("card after %s: %+v %+v", actions[i].Name, card, att)
		}
	}
	if _, err := w.app.UpdatePMI(w.alice.Id, &model.PostActionIntegrationRequest{Context: map[string]any{"action": "Maybe"}}); KindOf(err) != KindBadInput {
		t.Fatalf("unknown action: %v", err)
	}
}

func TestRecentMeetingGuard(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.mustConnect(w.bob, "bob@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	w.setPreference(w.bob, store.PreferenceUnique)
	first, err := w.start(w.alice, w.private)
	if err != nil {
		t.Fatal(err)
	}
	res, err := w.start(w.bob, w.private)
	if err != nil || res.JoinURL != "" || len(w.cards(w.private)) != 1 {
		t.Fatalf("second start within 30 s made a meeting: %+v %v", res, err)
	}
	guard := w.host.LastEphemeral(w.bob.Id)
	if guard.GetProp("meeting_status") != StatusRecentlyCreated || guard.GetProp("meeting_link") != first.JoinURL {
		t.Fatalf("guard card: %v", guard.GetProps())
	}
	// The card's "create new" is a message button (ephemeral posts reach clients as
	// system messages, so the custom renderer is not what people see).
	actions := guard.Attachments()[0].Actions
	if len(actions) != 1 || actions[0].Integration.URL != "/plugins/zoom/api/v1/confirm-start" || actions[0].Integration.Context["force"] != "true" {
		t.Fatalf("guard card has no create-new button: %+v", guard.Attachments())
	}
	if _, err := w.app.ConfirmStart(w.ctx, w.alice.Id, &model.PostActionIntegrationRequest{Context: actions[0].Integration.Context}); KindOf(err) != KindForbidden {
		t.Fatalf("alice clicked bob's create-new: %v", err)
	}
	if _, err := w.app.ConfirmStart(w.ctx, w.bob.Id, click(guard, 0, w.bob.Id)); err != nil || len(w.cards(w.private)) != 2 {
		t.Fatalf("create new from the guard card: %v, %d cards", err, len(w.cards(w.private)))
	}
	if now := shownCard(w, w.bob, guard.Id); now == nil || now.Message != "Meeting started." || len(now.Attachments()) != 0 || now.GetProp("meeting_status") != nil {
		t.Fatalf("the guard card after create new: %+v", now)
	}
	// A second click on the same button (a double click) makes no third meeting.
	if resp, err := w.app.ConfirmStart(w.ctx, w.bob.Id, click(guard, 0, w.bob.Id)); err != nil || *resp != (model.PostActionIntegrationResponse{}) || len(w.cards(w.private)) != 2 {
		t.Fatalf("second create new: %+v %v, %d cards", resp, err, len(w.cards(w.private)))
	}
	w.advance(w.app, 31*time.Second)
	w.host.SetClock(w.app.now)
	if res, err := w.start(w.alice, w.private); err != nil || res.JoinURL == "" {
		t.Fatalf("start after 30 s: %+v %v", res, err)
	}
}

func TestConcurrentStartsMakeOneMeeting(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	// Slow Zoom down so the two starts overlap for real.
	w.sim.InjectFault(zoomsim.Fault{Method: http.MethodPost, PathPrefix: "/v2/users/", Latency: 200 * time.Millisecond, Times: 1})
	other := w.newInstance(w.host)
	var wg sync.WaitGroup
	results := make([]StartResult, 2)
	errs := make([]error, 2)
	for i, a := range []*App{w.app, other} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			results[i], errs[i] = a.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id})
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	if n := len(w.cards(w.private)); n != 1 {
		t.Fatalf("%d meeting cards, want 1", n)
	}
	guards := 0
	for _, p := range w.host.EphemeralsFor(w.alice.Id) {
		if p.GetProp("meeting_status") == StatusRecentlyCreated {
			guards++
		}
		if strings.Contains(p.Message, "oauth2/connect") {
			t.Fatalf("a rapid click got a connect reply: %s", p.Message)
		}
	}
	if guards != 1 || (results[0].JoinURL == "") == (results[1].JoinURL == "") {
		t.Fatalf("guards %d, results %+v", guards, results)
	}
}

func TestChannelRules(t *testing.T) {
	dm := func(w *world) *model.Channel {
		c, _ := w.host.GetDirectChannel(w.alice.Id, w.bob.Id)
		return c
	}
	cases := []struct {
		name      string
		restrict  bool
		channel   func(*world) *model.Channel
		pref      string
		wantStart bool
	}{
		{"public default unrestricted", false, func(w *world) *model.Channel { return w.public }, "", true},
		{"public default restricted", true, func(w *world) *model.Channel { return w.public }, "", false},
		{"public allowed while restricted", true, func(w *world) *model.Channel { return w.public }, store.ChannelAllow, true},
		{"private default restricted", true, func(w *world) *model.Channel { return w.private }, "", true},
		{"private restrict", false, func(w *world) *model.Channel { return w.private }, store.ChannelRestrict, false},
		{"dm restricted plugin-wide", true, dm, "", true},
		{"public restrict", false, func(w *world) *model.Channel { return w.public }, store.ChannelRestrict, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			var opts []worldOption
			if c.restrict {
				opts = append(opts, restrictPublic)
			}
			w := newWorld(t, opts...)
			w.mustConnect(w.alice, "alice@example.com")
			w.setPreference(w.alice, store.PreferenceUnique)
			ch := c.channel(w)
			if c.pref != "" {
				w.app.kv.SetChannelPreference(ch.Id, c.pref)
			}
			res, err := w.start(w.alice, ch)
			started := err == nil && res.JoinURL != ""
			if started != c.wantStart {
				t.Fatalf("started=%v (%v), want %v", started, err, c.wantStart)
			}
			if !started && (KindOf(err) != KindForbidden || !strings.Contains(MessageOf(err), "channel")) {
				t.Fatalf("refusal should explain: %v", err)
			}
		})
	}
}

func TestNonMemberRefused(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	w.host.RemoveMember(w.private.Id, w.alice.Id)
	w.sim.ResetCalls()
	if _, err := w.start(w.alice, w.private); !errors.Is(err, ErrForbidden) {
		t.Fatalf("non-member: %v", err)
	}
	if len(w.sim.Calls()) != 0 || len(w.cards(w.private)) != 0 {
		t.Fatal("a refused start reached Zoom or posted")
	}
}

func TestNotConnectedStartContinuesAfterConnect(t *testing.T) {
	w := newWorld(t)
	w.setPreference(w.alice, store.PreferenceUnique)
	root, _ := w.host.CreatePost(&model.Post{ChannelId: w.private.Id, UserId: w.bob.Id, Message: "thread"})
	res, err := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id, RootID: root.Id, Topic: "Retro"})
	if err != nil || res.JoinURL != "" {
		t.Fatalf("%+v %v", res, err)
	}
	msg := w.host.LastEphemeral(w.alice.Id)
	if !strings.Contains(msg.Message, "https://chat.example.com/plugins/zoom/oauth2/connect?") || !strings.Contains(msg.Message, "from=meeting") {
		t.Fatalf("connect link: %s", msg.Message)
	}
	authorize, err := w.app.BeginConnect(w.alice.Id, w.private.Id, true)
	if err != nil {
		t.Fatal(err)
	}
	code, state := w.authorize(authorize, "alice@example.com")
	if err := w.app.CompleteConnect(w.ctx, w.alice.Id, code, state); err != nil {
		t.Fatal(err)
	}
	cards := w.cards(w.private)
	if len(cards) != 1 || cards[0].RootId != root.Id || cards[0].GetProp("meeting_topic") != "Retro" {
		t.Fatalf("the pending meeting did not start in its thread: %+v", cards)
	}
}

func TestZoomFailuresExplainThemselves(t *testing.T) {
	cases := []struct {
		fault zoomsim.Fault
		want  string
	}{
		{zoomsim.Fault{Status: http.StatusServiceUnavailable}, "outage"},
		{zoomsim.Fault{Status: http.StatusTooManyRequests, RetryAfter: time.Hour}, "too many requests"},
	}
	for _, c := range cases {
		w := newWorld(t)
		w.mustConnect(w.alice, "alice@example.com")
		w.setPreference(w.alice, store.PreferenceUnique)
		c.fault.Method, c.fault.PathPrefix = http.MethodPost, "/v2/users/"
		w.sim.InjectFault(c.fault)
		_, err := w.start(w.alice, w.private)
		if err == nil || !strings.Contains(MessageOf(err), c.want) || strings.Contains(MessageOf(err), "connect") {
			t.Fatalf("fault %d: %q", c.fault.Status, MessageOf(err))
		}
		if _, err := w.app.current.Load().tokens.GetUser(w.alice.Id); err != nil {
			t.Fatalf("an outage disconnected the user: %v", err)
		}
	}
}

func TestPMICardEndsWhenZoomReportsThePMI(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferencePMI)
	if _, err := w.start(w.alice, w.private); err != nil {
		t.Fatal(err)
	}
	card := w.cards(w.private)[0]
	id, _ := numberProp(card.GetProp("meeting_id"))
	// The simulator, like Zoom, reports a personal-room meeting under the PMI and a new uuid.
	started, err := w.sim.StartMeeting(id)
	w.mustDeliver(w.app, started, err)
	ended, err := w.sim.EndMeeting(id)
	w.mustDeliver(w.app, ended, err)
	if got := w.post(card.Id); got.GetProp("meeting_status") != StatusEnded {
		t.Fatalf("PMI card not ended: %v", got.GetProps())
	}
}

// A start that finds another start holding the channel shows that start's card once it
// is there: the claim is lost after the first look for a recent card.
func TestGuardShowsTheCardOfTheStartHoldingTheChannel(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.mustConnect(w.bob, "bob@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	w.setPreference(w.bob, store.PreferenceUnique)
	a, h := w.strictApp()
	var bobs StartResult
	h.beforeSet = func(key string, o model.PluginKVSetOptions) {
		if !strings.HasPrefix(key, "zoomstarting_") {
			return
		}
		h.beforeSet = nil
		// Bob's start is under way: it holds the claim and has just posted its card.
		var err error
		if bobs, err = w.app.StartMeeting(w.ctx, StartRequest{UserID: w.bob.Id, ChannelID: w.private.Id, Force: true}); err != nil {
			t.Fatal(err)
		}
		if ok, err := w.app.kv.ClaimChannelStart(w.private.Id, w.bob.Id, time.Minute); !ok || err != nil {
			t.Fatalf("bob's claim: %v %v", ok, err)
		}
	}
	res, err := a.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.private.Id})
	if err != nil || res.JoinURL != "" || bobs.JoinURL == "" {
		t.Fatalf("alice's start: %+v %v (bob's %+v)", res, err, bobs)
	}
	if guard := w.host.LastEphemeral(w.alice.Id); guard.GetProp("meeting_link") != bobs.JoinURL || !strings.Contains(guard.Message, "@bob") {
		t.Fatalf("guard card: %q %v", guard.Message, guard.GetProps())
	}
}

// Every start and share path refuses ids that are not Mattermost ids before anything else.
func TestStartAndShareRefuseMalformedIDs(t *testing.T) {
	w := newWorld(t)
	w.mustConnect(w.alice, "alice@example.com")
	w.setPreference(w.alice, store.PreferenceUnique)
	m := w.schedule(w.alice, "Weekly")
	_, badChannel := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: "town-square"})
	_, badRoot := w.app.StartMeeting(w.ctx, StartRequest{UserID: w.alice.Id, ChannelID: w.public.Id, RootID: "../x"})
	_, badShare := w.app.ShareMeeting(w.ctx, ShareRequest{UserID: w.alice.Id, ChannelID: w.public.Id, RootID: "nope", Target: fmt.Sprint(m.ID)})
	for _, err := range []error{badChannel, badRoot, badShare} {
		if KindOf(err) != KindBadInput || !strings.Contains(MessageOf(err), "no valid channel") {
			t.Fatalf("malformed id: %d %q", KindOf(err), MessageOf(err))
		}
	}
	if n := len(w.host.ChannelPosts(w.public.Id)); n != 0 {
		t.Fatalf("%d posts", n)
	}
}
