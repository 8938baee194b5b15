package app

import (
	"errors"
	"testing"
	"time"
)

func TestParseScheduleWhen(t *testing.T) {
	berlin := userLocation("Europe/Berlin")
	newYork := userLocation("America/New_York")
	// Wednesday 2026-03-25 10:00 in Berlin (09:00 UTC); Europe's clocks go forward on
	// Sunday 2026-03-29 at 02:00, New York's went forward on 2026-03-08.
	now := time.Date(2026, 3, 25, 10, 0, 0, 0, berlin)
	at := func(loc *time.Location, y int, mo time.Month, d, h, m int) time.Time {
		return time.Date(y, mo, d, h, m, 0, 0, loc)
	}
	cases := []struct {
		text     string
		loc      *time.Location
		start    time.Time
		duration time.Duration
		topic    string
		err      error
	}{
		{text: "14:30", loc: berlin, start: at(berlin, 2026, 3, 25, 14, 30), duration: 30 * time.Minute},
		{text: "9:15 Standup", loc: berlin, start: at(berlin, 2026, 3, 26, 9, 15), duration: 30 * time.Minute, topic: "Standup"},
		{text: "10:00", loc: berlin, start: at(berlin, 2026, 3, 26, 10, 0), duration: 30 * time.Minute}, // now is not ahead
		{text: "tomorrow 08:00 for 1h Plan", loc: berlin, start: at(berlin, 2026, 3, 26, 8, 0), duration: time.Hour, topic: "Plan"},
		{text: "Morgen 8h00", loc: berlin, start: at(berlin, 2026, 3, 26, 8, 0), duration: 30 * time.Minute},
		{text: "demain 18:45 pour 90min Revue", loc: berlin, start: at(berlin, 2026, 3, 26, 18, 45), duration: 90 * time.Minute, topic: "Revue"},
		{text: "friday 16:00 für 45m Retro", loc: berlin, start: at(berlin, 2026, 3, 27, 16, 0), duration: 45 * time.Minute, topic: "Retro"},
		{text: "mittwoch 09:00", loc: berlin, start: at(berlin, 2026, 4, 1, 9, 0), duration: 30 * time.Minute},   // today's has passed
		{text: "mercredi 11:00", loc: berlin, start: at(berlin, 2026, 3, 25, 11, 0), duration: 30 * time.Minute}, // today, still ahead
		{text: "2026-04-02 12:00 Launch review", loc: berlin, start: at(berlin, 2026, 4, 2, 12, 0), duration: 30 * time.Minute, topic: "Launch review"},
		// The same words in another zone are another instant: 10:00 Berlin is 05:00 New York.
		{text: "06:00", loc: newYork, start: at(newYork, 2026, 3, 25, 6, 0), duration: 30 * time.Minute},
		{text: "04:00", loc: newYork, start: at(newYork, 2026, 3, 26, 4, 0), duration: 30 * time.Minute},
		// The DST change day: 02:30 does not exist in Berlin on 2026-03-29, 03:30 does
		// and is one hour (UTC) after 01:30.
		{text: "2026-03-29 02:30", loc: berlin, err: errWhenNoSuchTime},
		{text: "sunday 02:15", loc: berlin, err: errWhenNoSuchTime},
		{text: "2026-03-29 03:30", loc: berlin, start: time.Date(2026, 3, 29, 1, 30, 0, 0, time.UTC), duration: 30 * time.Minute},
		{text: "2026-03-29 01:30", loc: berlin, start: time.Date(2026, 3, 29, 0, 30, 0, 0, time.UTC), duration: 30 * time.Minute},
		{text: "2026-03-25 09:59", loc: berlin, err: errWhenPast},
		{text: "2025-12-31 23:00", loc: berlin, err: errWhenPast},
		{text: "", loc: berlin, err: errWhenUnknown},
		{text: "soon", loc: berlin, err: errWhenUnknown},
		{text: "24:00", loc: berlin, err: errWhenUnknown},
		{text: "tomorrow", loc: berlin, err: errWhenUnknown},
		{text: "friday noon", loc: berlin, err: errWhenUnknown},
		{text: "2026-02-30 10:00", loc: berlin, err: errWhenUnknown},
		{text: "10:30 for 0m", loc: berlin, err: errWhenBadDuration},
		{text: "10:30 for 25h", loc: berlin, err: errWhenBadDuration},
		{text: "10:30 for 90s", loc: berlin, err: errWhenBadDuration},
	}
	for _, c := range cases {
		got, err := parseScheduleWhen(c.text, now, c.loc)
		if c.err != nil {
			if !errors.Is(err, c.err) {
				t.Errorf("%q in %s: error %v, want %v", c.text, c.loc, err, c.err)
			}
			continue
		}
		if err != nil {
			t.Errorf("%q in %s: %v", c.text, c.loc, err)
			continue
		}
		if !got.Start.Equal(c.start) || got.Duration != c.duration || got.Topic != c.topic {
			t.Errorf("%q in %s = %s %s %q, want %s %s %q", c.text, c.loc, got.Start.UTC(), got.Duration, got.Topic, c.start.UTC(), c.duration, c.topic)
		}
	}
}

func TestParseScheduleWhenAcrossTheAutumnChange(t *testing.T) {
	berlin := userLocation("Europe/Berlin")
	// Saturday 2026-10-24 12:00; clocks go back on Sunday at 03:00 to 02:00, so
	// "tomorrow 12:00" is 25 hours away, and 02:30 happens twice (the first is meant).
	now := time.Date(2026, 10, 24, 12, 0, 0, 0, berlin)
	got, err := parseScheduleWhen("tomorrow 12:00", now, berlin)
	if err != nil || got.Start.Sub(now) != 25*time.Hour {
		t.Fatalf("tomorrow 12:00 = %s (%v), want 25h after now", got.Start, err)
	}
	got, err = parseScheduleWhen("sunday 02:30", now, berlin)
	if err != nil || !got.Start.Equal(time.Date(2026, 10, 25, 0, 30, 0, 0, time.UTC)) {
		t.Fatalf("sunday 02:30 = %s (%v), want its first occurrence, 00:30 UTC", got.Start.UTC(), err)
	}
}

func TestUserLocationFallsBackToUTC(t *testing.T) {
	if userLocation("").String() != "UTC" || userLocation("Mars/Olympus").String() != "UTC" {
		t.Fatal("an unset or unknown zone must read as UTC")
	}
}

func FuzzParseScheduleWhen(f *testing.F) {
	for _, seed := range []string{"14:30", "tomorrow 9h00 for 1h x", "freitag 16:00", "2026-03-29 02:30", "for for"} {
		f.Add(seed)
	}
	now := time.Date(2026, 3, 25, 10, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, text string) {
		got, err := parseScheduleWhen(text, now, userLocation("Europe/Berlin"))
		if err == nil && (!got.Start.After(now) || got.Duration < time.Minute || got.Duration > maxScheduleDuration) {
			t.Fatalf("%q accepted as %+v", text, got)
		}
	})
}
