package config

import (
	"encoding/json"
	"testing"
	"time"
)

func TestReminderLead(t *testing.T) {
	cases := map[string]time.Duration{
		`{}`:                                10 * time.Minute, // never saved: the default
		`{"ScheduleReminderMinutes": 0}`:    0,
		`{"ScheduleReminderMinutes": "15"}`: 15 * time.Minute,
		`{"ScheduleReminderMinutes": -5}`:   0,
	}
	for in, want := range cases {
		var s Settings
		if err := json.Unmarshal([]byte(in), &s.Configuration); err != nil {
			t.Fatalf("%s: %v", in, err)
		}
		if got := s.ReminderLead(); got != want {
			t.Errorf("%s: lead %s, want %s", in, got, want)
		}
	}
}
