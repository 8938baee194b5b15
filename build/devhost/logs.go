package devhost

import (
	"fmt"
	"strings"
	"time"

	"github.com/mattermost/mattermost/server/public/shared/mlog"
)

// LogEntry is one log line the plugin wrote through the API (or the host
// wrote about the plugin, such as an unimplemented API call).
type LogEntry struct {
	Time    time.Time
	Level   string // debug, info, warn, error
	Message string
	Fields  map[string]any
}

// String renders the entry like a log line, for test failure output.
func (e LogEntry) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", e.Level, e.Message)
	for k, v := range e.Fields {
		fmt.Fprintf(&b, " %s=%v", k, v)
	}
	return b.String()
}

// Logs returns what was logged so far, oldest first.
func (h *Host) Logs() []LogEntry {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]LogEntry(nil), h.logs...)
}

// logPair turns the plugin's alternating key/value arguments into fields, as
// the server's plugin API does (a dangling key gets a placeholder value).
func logPairs(kv []any) map[string]any {
	fields := map[string]any{}
	for i := 0; i < len(kv); i += 2 {
		key := fmt.Sprint(kv[i])
		if i+1 < len(kv) {
			fields[key] = kv[i+1]
		} else {
			fields[key] = "<missing value>"
		}
	}
	return fields
}

// record keeps an entry and writes it to the host logger.
func (h *Host) record(level, msg string, fields map[string]any) {
	h.mu.Lock()
	h.logs = append(h.logs, LogEntry{Time: time.Now(), Level: level, Message: msg, Fields: fields})
	h.mu.Unlock()
	h.store.notify()

	mf := make([]mlog.Field, 0, len(fields)+1)
	mf = append(mf, mlog.String("plugin_id", h.manifest.Id))
	for k, v := range fields {
		mf = append(mf, mlog.Any(k, v))
	}
	switch level {
	case "debug":
		h.logger.Debug(msg, mf...)
	case "info":
		h.logger.Info(msg, mf...)
	case "warn":
		h.logger.Warn(msg, mf...)
	default:
		h.logger.Error(msg, mf...)
	}
}
