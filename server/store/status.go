package store

import "encoding/json"

// What /zoom status reads from the KV: counts of connected users and unfinished
// webhook jobs.

// CountConnectedUsers counts zoomtoken_ keys (zoomtokenbyzoomid_ keys do not share
// the prefix, so each connected user counts once).
func (kv *KV) CountConnectedUsers() (int, error) {
	keys, err := kv.ListKeys(userTokenPrefix)
	return len(keys), err
}

// CountUnfinishedJobs counts webhook jobs that are not finished, reading at most
// limit records; more reports true.
func (kv *KV) CountUnfinishedJobs(limit int) (count int, more bool, err error) {
	keys, err := kv.ListKeys(jobPrefix)
	if err != nil {
		return 0, false, err
	}
	if len(keys) > limit {
		keys, more = keys[:limit], true
	}
	for _, k := range keys {
		raw, err := kv.Get(k)
		if err != nil {
			return 0, false, err
		}
		var j Job
		if raw != nil && json.Unmarshal(raw, &j) == nil && !j.Finished {
			count++
		}
	}
	return count, more, nil
}
