package store

import "testing"

func TestReminderJobKeyRoundTrip(t *testing.T) {
	key := ReminderJobKey("abcdefghijklmnopqrstuvwxyz", 1767225600000)
	if key != "zoomremind_abcdefghijklmnopqrstuvwxyz_1767225600000" {
		t.Fatalf("key %q: existing reminder jobs would be orphaned", key)
	}
	if id, at, ok := ParseReminderJobKey(key); !ok || id != "abcdefghijklmnopqrstuvwxyz" || at != 1767225600000 {
		t.Fatalf("parsed %q %d %v", id, at, ok)
	}
	for _, other := range []string{"zoomCardSweeper", "zoomremind_abc", "zoomremind_abc_soon", "once_zoomremind_abc_1"} {
		if _, _, ok := ParseReminderJobKey(other); ok {
			t.Errorf("%q parsed as a reminder key", other)
		}
	}
}

// Keys named by a meeting id or uuid keep the names existing installations hold.
func TestMeetingKeysKeepTheirNames(t *testing.T) {
	for got, want := range map[string]string{
		PostMeetingKey("/PpT+tUh6y9QtK5kryXZrQ=="): "post_meeting_%2FPpT+tUh6y9QtK5kryXZrQ==",
		LegacyPostMeetingKey(84512367890):          "post_meeting_84512367890",
		MeetingChannelKey(84512367890):             "meeting_channel_84512367890",
		MeetingCardsKey(84512367890):               "zoommeetingcards_84512367890",
	} {
		if got != want {
			t.Errorf("key %q, want %q", got, want)
		}
	}
}
