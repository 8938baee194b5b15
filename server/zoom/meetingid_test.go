package zoom

import "testing"

func TestParseMeetingID(t *testing.T) {
	for in, want := range map[string]int64{"84512367890": 84512367890, "845-1236-7890": 84512367890, "845 1236 7890": 84512367890, "123456789": 123456789} {
		if got, ok := ParseMeetingID(in); !ok || got != want {
			t.Errorf("ParseMeetingID(%q) = %d %v", in, got, ok)
		}
	}
	for _, bad := range []string{"", "abc", "12345", "1234567890123", "-84512367890", "84512367890-", "8451236789x", "+123456789", "０１２３４５６７８９"} {
		if _, ok := ParseMeetingID(bad); ok {
			t.Errorf("ParseMeetingID(%q) accepted", bad)
		}
	}
}
