package app

import (
	"testing"
	"time"
)

func TestSweepScheduleFromEnvShortensOnlyWithinBounds(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(name string) string { return vars[name] }
	}
	defaults := SweepSchedule{Interval: SweepInterval, FirstCheck: sweepFirstCheck, Backoff: sweepBaseBackoff}
	for _, tc := range []struct {
		name     string
		vars     map[string]string
		want     SweepSchedule
		problems int
	}{
		{"absent", nil, defaults, 0},
		{"shortened", map[string]string{EnvSweepInterval: "250ms", EnvSweepFirstCheck: "1s"},
			SweepSchedule{Interval: 250 * time.Millisecond, FirstCheck: time.Second, Backoff: time.Second}, 0},
		{"only the interval", map[string]string{EnvSweepInterval: "100ms"},
			SweepSchedule{Interval: 100 * time.Millisecond, FirstCheck: sweepFirstCheck, Backoff: sweepBaseBackoff}, 0},
		{"not a duration", map[string]string{EnvSweepInterval: "5", EnvSweepFirstCheck: "soon"}, defaults, 2},
		{"too short", map[string]string{EnvSweepInterval: "99ms", EnvSweepFirstCheck: "0s"}, defaults, 2},
		{"longer than the default", map[string]string{EnvSweepInterval: "1h", EnvSweepFirstCheck: "-1s"}, defaults, 2},
	} {
		got, problems := SweepScheduleFromEnv(env(tc.vars))
		if got != tc.want || len(problems) != tc.problems {
			t.Errorf("%s: %+v %q, want %+v and %d problems", tc.name, got, problems, tc.want, tc.problems)
		}
	}
	if got := (SweepSchedule{}).orDefaults(); got != defaults {
		t.Errorf("zero schedule: %+v", got)
	}
}

func TestJobLeaseFromEnvShortensOnlyWithinBounds(t *testing.T) {
	for _, tc := range []struct {
		value   string
		want    time.Duration
		problem bool
	}{
		{"", 0, false},
		{"2s", 2 * time.Second, false},
		{"10ms", 0, true},
		{"1h", 0, true},
		{"soon", 0, true},
	} {
		got, problem := JobLeaseFromEnv(func(name string) string {
			if name == EnvJobLease {
				return tc.value
			}
			return ""
		})
		if got != tc.want || (problem != "") != tc.problem {
			t.Errorf("%s=%q: got %v %q, want %v (problem %v)", EnvJobLease, tc.value, got, problem, tc.want, tc.problem)
		}
	}
}
