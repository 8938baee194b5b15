package app

import (
	"testing"
	"time"
)

func TestSweepScheduleFromEnvShortensOnlyWithinBounds(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(name string) string { return vars[name] }
	}
	defaults := SweepSchedule{Interval: SweepInterval, FirstCheck: sweepFirstCheck}
	for _, tc := range []struct {
		name     string
		vars     map[string]string
		want     SweepSchedule
		backoff  time.Duration
		problems int
	}{
		{"absent", nil, defaults, sweepBaseBackoff, 0},
		{"shortened", map[string]string{EnvSweepInterval: "250ms", EnvSweepFirstCheck: "1s"},
			SweepSchedule{Interval: 250 * time.Millisecond, FirstCheck: time.Second}, time.Second, 0},
		{"only the interval", map[string]string{EnvSweepInterval: "100ms"},
			SweepSchedule{Interval: 100 * time.Millisecond, FirstCheck: sweepFirstCheck}, sweepBaseBackoff, 0},
		{"not a duration", map[string]string{EnvSweepInterval: "5", EnvSweepFirstCheck: "soon"}, defaults, sweepBaseBackoff, 2},
		{"too short", map[string]string{EnvSweepInterval: "99ms", EnvSweepFirstCheck: "0s"}, defaults, sweepBaseBackoff, 2},
		{"longer than the default", map[string]string{EnvSweepInterval: "1h", EnvSweepFirstCheck: "-1s"}, defaults, sweepBaseBackoff, 2},
	} {
		got, problems := SweepScheduleFromEnv(env(tc.vars))
		if got != tc.want || got.backoff() != tc.backoff || len(problems) != tc.problems {
			t.Errorf("%s: %+v (backoff %v) %q, want %+v (backoff %v) and %d problems", tc.name, got, got.backoff(), problems, tc.want, tc.backoff, tc.problems)
		}
	}
	if got := (SweepSchedule{}).orDefaults(); got != defaults {
		t.Errorf("zero schedule: %+v", got)
	}
}
