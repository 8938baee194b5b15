package store

import (
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

// The small raw values keep their key, bytes and lifetime: other plugin processes (of
// this or an older version) read and expire them.
func TestSmallValuesKeepTheirKeysBytesAndLifetimes(t *testing.T) {
	const (
		channel = "channelidchannelidchannel1"
		user    = "useriduseriduseriduserid01"
		post    = "postidpostidpostidpostid01"
	)
	rows := []struct {
		name  string
		write func(kv *KV) error
		key   string
		value string
		ttl   time.Duration // 0: kept forever
	}{
		{"start claim", func(kv *KV) error {
			_, err := kv.ClaimChannelStart(channel, user, time.Minute)
			return err
		}, "zoomstarting_" + channel, user, time.Minute},
		{"answered card", func(kv *KV) error {
			_, err := kv.MarkAnswered(user, post, time.Hour)
			return err
		}, "zoomanswered_" + user + "_" + post, "\x01", time.Hour},
		{"event claim", func(kv *KV) error {
			_, err := kv.ClaimEvent(2*time.Minute, "meeting.started", "/a==")
			return err
		}, "zoomevent_dd416df34d7c9fb667121b4ade3890c9", "1", 2 * time.Minute},
		{"event done", func(kv *KV) error {
			return kv.MarkEventDone(3*time.Minute, "meeting.started", "/a==")
		}, "zoomeventdone_dd416df34d7c9fb667121b4ade3890c9", "1", 3 * time.Minute},
		{"ended early", func(kv *KV) error {
			return kv.MarkEndedEarly("/a==", time.UnixMilli(1773157720874))
		}, "zoomendedearly_b4928e1bc851730b1bbeb566c9598694", "1773157720874", MeetingTTL},
		{"subscription link", func(kv *KV) error {
			return kv.SaveSubscriptionLink(81234567890, "https://zoom.us/j/81234567890?pwd=x")
		}, "zoomsublink_81234567890", "https://zoom.us/j/81234567890?pwd=x", 0},
		{"scheduled card", func(kv *KV) error {
			return kv.SaveSchedule(ScheduledMeeting{PostID: post, MeetingID: 81234567890}, 4*time.Hour)
		}, "zoomscheduled_81234567890", post, 4 * time.Hour},
		{"user preference", func(kv *KV) error {
			return kv.SetUserPreference(user, PreferenceAsk)
		}, "zoomUserPreference_" + user, "ask", 0},
		{"first user preference", func(kv *KV) error {
			_, err := kv.SetUserPreferenceIfUnset(user, PreferencePMI)
			return err
		}, "zoomUserPreference_" + user, "true", 0},
	}
	for _, r := range rows {
		t.Run(r.name, func(t *testing.T) {
			backend := devhosttest.NewHost(nil)
			now := time.Now()
			backend.SetClock(func() time.Time { return now })
			if err := r.write(NewKV(backend)); err != nil {
				t.Fatal(err)
			}
			if got := string(backend.KV()[r.key]); got != r.value {
				t.Fatalf("%s = %q, want %q", r.key, got, r.value)
			}
			if r.ttl == 0 {
				now = now.Add(365 * 24 * time.Hour)
				if backend.KV()[r.key] == nil {
					t.Fatalf("%s expired; it must be kept", r.key)
				}
				return
			}
			now = now.Add(r.ttl - time.Second)
			if backend.KV()[r.key] == nil {
				t.Fatalf("%s gone before its lifetime of %v", r.key, r.ttl)
			}
			now = now.Add(2 * time.Second)
			if backend.KV()[r.key] != nil {
				t.Fatalf("%s kept after its lifetime of %v", r.key, r.ttl)
			}
		})
	}
}

// What those values read back as.
func TestSmallValuesReadBack(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	if done, err := kv.EventDone("meeting.started", "/a=="); done || err != nil {
		t.Fatalf("unmarked event done: %v %v", done, err)
	}
	if err := kv.MarkEventDone(time.Minute, "meeting.started", "/a=="); err != nil {
		t.Fatal(err)
	}
	if done, err := kv.EventDone("meeting.started", "/a=="); !done || err != nil {
		t.Fatalf("marked event done: %v %v", done, err)
	}
	if err := kv.SaveSubscriptionLink(5, "https://zoom.us/j/5"); err != nil {
		t.Fatal(err)
	}
	if link, err := kv.SubscriptionLink(5); link != "https://zoom.us/j/5" || err != nil {
		t.Fatalf("link %q %v", link, err)
	}
	if link, err := kv.SubscriptionLink(6); link != "" || err != nil {
		t.Fatalf("unknown link %q %v", link, err)
	}
	if err := kv.SaveSchedule(ScheduledMeeting{PostID: "p", MeetingID: 5}, time.Hour); err != nil {
		t.Fatal(err)
	}
	if card, err := kv.ScheduledCard(5); card != "p" || err != nil {
		t.Fatalf("scheduled card %q %v", card, err)
	}
	if card, err := kv.ScheduledCard(6); card != "" || err != nil {
		t.Fatalf("unknown scheduled card %q %v", card, err)
	}
	if ok, err := kv.ClaimChannelStart("c", "u", time.Minute); !ok || err != nil {
		t.Fatalf("first start claim: %v %v", ok, err)
	}
	if ok, _ := kv.ClaimChannelStart("c", "v", time.Minute); ok {
		t.Fatal("second start claim won")
	}
	if err := kv.ReleaseChannelStart("c"); err != nil {
		t.Fatal(err)
	}
	if ok, _ := kv.ClaimChannelStart("c", "v", time.Minute); !ok {
		t.Fatal("start claim after release lost")
	}
	if ok, err := kv.MarkAnswered("u", "p", time.Minute); !ok || err != nil {
		t.Fatalf("first answer: %v %v", ok, err)
	}
	if ok, _ := kv.MarkAnswered("u", "p", time.Minute); ok {
		t.Fatal("second answer counted")
	}
}

// Older versions may have written a preference or a card's post id JSON-quoted; both
// forms read alike, and anything else reads as absent.
func TestWordsReadBareOrQuoted(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	kv := NewKV(backend)
	const post = "postidpostidpostidpostid01"
	for raw, want := range map[string]string{`"true"`: "true", " ask\n": "ask", "false": "false", `"maybe"`: "", "": ""} {
		if err := kv.Set("zoomUserPreference_u", []byte(raw), 0); err != nil {
			t.Fatal(err)
		}
		if got, err := kv.GetUserPreference("u"); got != want || err != nil {
			t.Errorf("preference stored as %q read %q %v, want %q", raw, got, err, want)
		}
	}
	for raw, want := range map[string]string{`"` + post + `"`: post, post + "\n": post, "not a post id": "", `""`: ""} {
		if err := kv.Set(LegacyPostMeetingKey(5), []byte(raw), 0); err != nil {
			t.Fatal(err)
		}
		if got, err := kv.MeetingPostByLegacyID(5); got != want || err != nil {
			t.Errorf("post id stored as %q read %q %v, want %q", raw, got, err, want)
		}
	}
}
