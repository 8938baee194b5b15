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
	notDigit := func(r rune) bool { return r < '0' || r > '9' }
	if len(s) < 9 || len(s) > 12 || strings.ContainsFunc(s, notDigit) {
		return 0, false
	}
	id, err := strconv.ParseInt(s, 10, 64)
	return id, err == nil && id > 0
}
