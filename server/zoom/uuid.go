package zoom

import (
	"net/url"
	"strings"
)

// EscapeUUIDPath makes a meeting uuid safe as one path segment. Zoom decodes the
// path once before routing, so a uuid that starts with "/" or contains "//" must
// be encoded twice to survive; other uuids are escaped once.
func EscapeUUIDPath(uuid string) string {
	once := url.PathEscape(uuid)
	if strings.HasPrefix(uuid, "/") || strings.Contains(uuid, "//") {
		return url.PathEscape(fullEscape(uuid))
	}
	return once
}

// fullEscape percent-encodes everything but unreserved characters. PathEscape
// leaves "+" and "=" alone, but Zoom's double-encoded form has them
// encoded as %2B and %3D.
func fullEscape(s string) string {
	const hex = "0123456789ABCDEF"
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		c := s[i]
		if ('A' <= c && c <= 'Z') || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~' {
			b.WriteByte(c)
			continue
		}
		b.WriteByte('%')
		b.WriteByte(hex[c>>4])
		b.WriteByte(hex[c&15])
	}
	return b.String()
}
