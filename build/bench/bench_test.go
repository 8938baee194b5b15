package main

import (
	"testing"
	"time"
)

func TestZoomPathShape(t *testing.T) {
	for in, want := range map[string]string{
		"/v2/users/me":                                "/v2/users/{id}",
		"/v2/users/alice@example.com/meetings":        "/v2/users/{id}/meetings",
		"/v2/past_meetings/ab/UOnf9Mg==/participants": "/v2/past_meetings/{id}/participants",
		"/rec/webhook_download/aa/bb":                 "/rec/webhook_download/{id}",
		"/oauth/token":                                "/oauth/token",
		"/v2/meetings/84512367890":                    "/v2/meetings/{id}",
	} {
		if got := zoomPathShape(in); got != want {
			t.Errorf("zoomPathShape(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestPercentiles(t *testing.T) {
	var lat []time.Duration
	for i := 1; i <= 100; i++ {
		lat = append(lat, time.Duration(i)*time.Millisecond)
	}
	p50, p99, top := percentiles(lat)
	if p50 != 50*time.Millisecond || p99 != 99*time.Millisecond || top != 100*time.Millisecond {
		t.Errorf("p50 %v p99 %v max %v", p50, p99, top)
	}
	if a, b, c := percentiles(nil); a != 0 || b != 0 || c != 0 {
		t.Errorf("empty: %v %v %v", a, b, c)
	}
}

func TestParseBench(t *testing.T) {
	out := "goos: linux\npkg: github.com/zoom-for-mattermost/zoom/server/zoom\n" +
		"BenchmarkVerifySignature/meeting.ended-2   50702   1994 ns/op   171.99 MB/s   760 B/op   11 allocs/op\nPASS\n"
	got := parseBench(out)
	if len(got) != 1 {
		t.Fatalf("%d results", len(got))
	}
	r := got[0]
	if r.Package != "zoom" || r.Name != "VerifySignature/meeting.ended" || r.NsPerOp != 1994 || r.BPerOp != 760 || r.AllocsOp != 11 || r.MBPerSec != 171.99 {
		t.Errorf("%+v", r)
	}
}

func TestBudgetMarks(t *testing.T) {
	r := &report{}
	if f := r.measured("s", "a", 8, "", atMost, 8, ""); f.Status != "OK" {
		t.Errorf("8 <= 8: %s", f.Status)
	}
	if f := r.measured("s", "b", 9, "", atMost, 8, ""); f.Status != "OVER" {
		t.Errorf("9 <= 8: %s", f.Status)
	}
	if f := r.measured("s", "c", 100, "ms", lessThan, 100, ""); f.Status != "OVER" {
		t.Errorf("100 < 100: %s", f.Status)
	}
	if f := r.measured("s", "d", 2, "", exactly, 1, ""); f.Status != "OVER" {
		t.Errorf("2 = 1: %s", f.Status)
	}
	if f := r.missing("s", "e", "<= 2", "why"); f.Status != "not measured" {
		t.Errorf("missing: %s", f.Status)
	}
	if got := formatNumber(12345); got != "12,345" {
		t.Errorf("formatNumber(12345) = %s", got)
	}
}
