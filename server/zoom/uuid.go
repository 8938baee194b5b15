package zoom

import (
	"net/url"
	"strings"
)

// EscapeUUIDPath makes a meeting uuid safe as one path segment. Zoom decodes the
// path once before routing, so a uuid that starts with "/" or contains "//" must
// be encoded twice to survive; other uuids are escaped once.
func EscapeUUIDPath(uuid string) string {
	if strings.HasPrefix(uuid, "/") || strings.Contains(uuid, "//") {
		// Zoom's first encoding covers all but unreserved characters, "+" and "=" too
		// (PathEscape leaves those alone); QueryEscape does that, but for a space.
		full := strings.ReplaceAll(url.QueryEscape(uuid), "+", "%20")
		return url.PathEscape(full)
	}
	return url.PathEscape(uuid)
}
