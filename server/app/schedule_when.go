package app

import (
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // users' time zones must load even where the OS has no zoneinfo
)

// The grammar of /zoom schedule, read in the user's own time zone:
//
//	HH:MM                 today, or tomorrow when that time has passed
//	tomorrow HH:MM        (morgen, demain)
//	<weekday> HH:MM       the next such day: today if the time is still ahead
//	YYYY-MM-DD HH:MM      a date; never in the past
//
// followed by an optional "for <N>m|h" (für, pour) and the topic. Times may be
// written 9:30 or 9h30. A wall-clock time that does not exist on that day (the hour
// skipped when clocks go forward) is refused; a time that happens twice (clocks go
// back) means its first occurrence.

// Reasons a <when> is refused; each has a message (schedule.badWhen, ...).
var (
	errWhenUnknown     = errors.New("not a time the schedule grammar knows")
	errWhenPast        = errors.New("that time has passed")
	errWhenNoSuchTime  = errors.New("that time does not exist on that day (the clocks change)")
	errWhenBadDuration = errors.New("the duration must be whole minutes between 1 minute and 24 hours")
)

const (
	defaultScheduleDuration = 30 * time.Minute
	maxScheduleDuration     = 24 * time.Hour
)

// scheduleWhen is a parsed /zoom schedule argument.
type scheduleWhen struct {
	Start    time.Time
	Duration time.Duration
	Topic    string
}

var (
	clockPattern = regexp.MustCompile(`^([01]?[0-9]|2[0-3])[:h]([0-5][0-9])$`)
	tomorrowWord = map[string]bool{"tomorrow": true, "morgen": true, "demain": true}
	forWord      = map[string]bool{"for": true, "für": true, "pour": true}
	weekdayWord  = map[string]time.Weekday{
		"sunday": time.Sunday, "monday": time.Monday, "tuesday": time.Tuesday, "wednesday": time.Wednesday,
		"thursday": time.Thursday, "friday": time.Friday, "saturday": time.Saturday,
		"sun": time.Sunday, "mon": time.Monday, "tue": time.Tuesday, "wed": time.Wednesday,
		"thu": time.Thursday, "fri": time.Friday, "sat": time.Saturday,
		"sonntag": time.Sunday, "montag": time.Monday, "dienstag": time.Tuesday, "mittwoch": time.Wednesday,
		"donnerstag": time.Thursday, "freitag": time.Friday, "samstag": time.Saturday, "sonnabend": time.Saturday,
		"dimanche": time.Sunday, "lundi": time.Monday, "mardi": time.Tuesday, "mercredi": time.Wednesday,
		"jeudi": time.Thursday, "vendredi": time.Friday, "samedi": time.Saturday,
	}
)

// parseScheduleWhen reads "<when> [for <N>m|h] [topic]" at now in loc.
func parseScheduleWhen(text string, now time.Time, loc *time.Location) (scheduleWhen, error) {
	words := strings.Fields(text)
	start, used, err := parseStart(words, now.In(loc))
	if err != nil {
		return scheduleWhen{}, err
	}
	words = words[used:]
	duration := defaultScheduleDuration
	if len(words) >= 2 && forWord[strings.ToLower(words[0])] {
		if duration, err = parseScheduleDuration(words[1]); err != nil {
			return scheduleWhen{}, err
		}
		words = words[2:]
	}
	return scheduleWhen{Start: start, Duration: duration, Topic: strings.Join(words, " ")}, nil
}

// parseStart reads the start time from the first words and says how many it used.
func parseStart(words []string, now time.Time) (time.Time, int, error) {
	if len(words) == 0 {
		return time.Time{}, 0, errWhenUnknown
	}
	first := strings.ToLower(words[0])
	if h, m, ok := parseClock(first); ok {
		t, err := wallClock(now, 0, h, m)
		if err == nil && !t.After(now) {
			t, err = wallClock(now, 1, h, m)
		}
		return t, 1, err
	}
	if len(words) < 2 {
		return time.Time{}, 0, errWhenUnknown
	}
	h, m, ok := parseClock(strings.ToLower(words[1]))
	if !ok {
		return time.Time{}, 0, errWhenUnknown
	}
	if tomorrowWord[first] {
		t, err := wallClock(now, 1, h, m)
		return t, 2, err
	}
	if day, ok := weekdayWord[first]; ok {
		ahead := (int(day) - int(now.Weekday()) + 7) % 7
		t, err := wallClock(now, ahead, h, m)
		if err == nil && !t.After(now) {
			t, err = wallClock(now, ahead+7, h, m)
		}
		return t, 2, err
	}
	t, err := dateAt(first, h, m, now.Location())
	if err != nil {
		return time.Time{}, 0, err
	}
	if !t.After(now) {
		return time.Time{}, 0, errWhenPast
	}
	return t, 2, nil
}

// dateAt is YYYY-MM-DD at HH:MM in loc.
func dateAt(date string, h, m int, loc *time.Location) (time.Time, error) {
	d, err := time.Parse("2006-01-02", date)
	if err != nil {
		return time.Time{}, errWhenUnknown
	}
	return wallClock(time.Date(d.Year(), d.Month(), d.Day(), 12, 0, 0, 0, loc), 0, h, m)
}

func parseClock(s string) (int, int, bool) {
	m := clockPattern.FindStringSubmatch(s)
	if m == nil {
		return 0, 0, false
	}
	h, _ := strconv.Atoi(m[1])
	mi, _ := strconv.Atoi(m[2])
	return h, mi, true
}

// wallClock is h:m local time, days after day's date. time.Date moves a time in a
// skipped hour instead of refusing it, so the result is checked; of a time that
// happens twice it may pick either, so the earlier is chosen here.
func wallClock(day time.Time, days, h, m int) (time.Time, error) {
	t := time.Date(day.Year(), day.Month(), day.Day()+days, h, m, 0, 0, day.Location())
	if t.Hour() != h || t.Minute() != m {
		return time.Time{}, errWhenNoSuchTime
	}
	if earlier := t.Add(-time.Hour); earlier.Hour() == h && earlier.Minute() == m {
		return earlier, nil
	}
	return t, nil
}

// parseScheduleDuration reads 45m, 90min, 1h or 1h30m.
func parseScheduleDuration(s string) (time.Duration, error) {
	s = strings.TrimSuffix(strings.ToLower(s), "in") // 90min
	if !strings.HasSuffix(s, "m") && !strings.HasSuffix(s, "h") {
		return 0, errWhenBadDuration
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Minute || d > maxScheduleDuration || d%time.Minute != 0 {
		return 0, errWhenBadDuration
	}
	return d, nil
}

// userLocation is the user's Mattermost time zone, UTC when unset or unknown.
func userLocation(name string) *time.Location {
	loc, err := time.LoadLocation(name) // "" is UTC
	if err != nil {
		return time.UTC
	}
	return loc
}
