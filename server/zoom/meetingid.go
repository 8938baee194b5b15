package zoom

import (
	"strconv"
	"strings"
)

// ParseMeetingID accepts a Zoom meeting id as people type or paste it: 9 to 12 digits,
// with the spaces or dashes Zoom shows between groups removed.
func ParseMeetingID(s string) (int64, bool) {
	if strings.HasPrefix(s, "-") || strings.HasSuffix(s, "-") {
		return 0, false
	}
	s = strings.NewReplacer(" ", "", "-", "").Replace(s)
	if len(s) < 9 || len(s) > 12 {
		return 0, false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return 0, false
		}
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}
