package zoom

import (
	"net/http"
	"strconv"
	"strings"
	"time"
)

// retryAfter reads how long a 429 asks us to wait. Zoom's per-second limits send
// X-RateLimit-Reset, daily limits send Retry-After as an ISO 8601 date; which
// form each header takes is not documented, so both accept seconds, a Unix
// time, an HTTP date or an ISO date. Unknown means -1 (not retried).
func retryAfter(h http.Header, now time.Time) time.Duration {
	for _, name := range []string{"Retry-After", "X-RateLimit-Reset"} {
		if v := strings.TrimSpace(h.Get(name)); v != "" {
			if d, ok := parseWait(v, now); ok {
				return d
			}
		}
	}
	return -1
}

// unixThreshold separates "seconds to wait" from "Unix time" in numeric headers.
const unixThreshold = 1_000_000_000

func parseWait(v string, now time.Time) (time.Duration, bool) {
	if f, err := strconv.ParseFloat(v, 64); err == nil {
		if f < 0 {
			return 0, false
		}
		if f >= unixThreshold {
			return max(time.Unix(int64(f), 0).Sub(now), 0), true
		}
		return time.Duration(f * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(t.Sub(now), 0), true
	}
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02T15:04:05Z0700", "2006-01-02T15:04:05"} {
		if t, err := time.Parse(layout, v); err == nil {
			return max(t.Sub(now), 0), true
		}
	}
	return 0, false
}
