package store

import "errors"

// What /zoom status reads from the KV: counts of connected users and unfinished
// webhook jobs.

// CountConnectedUsers counts zoomtoken_ keys (zoomtokenbyzoomid_ keys do not share
// the prefix, so each connected user counts once).
func (kv *KV) CountConnectedUsers() (int, error) {
	ids, err := kv.listIDs(userTokenPrefix)
	return len(ids), err
}

// CountUnfinishedJobs counts webhook jobs that are not finished, reading at most
// limit records; more reports true.
func (kv *KV) CountUnfinishedJobs(limit int) (count int, more bool, err error) {
	ids, err := kv.ListJobIDs()
	if err != nil {
		return 0, false, err
	}
	if len(ids) > limit {
		ids, more = ids[:limit], true
	}
	for _, id := range ids {
		j, err := kv.GetJob(id)
		if err != nil && !errors.Is(err, ErrNotFound) {
			return 0, false, err
		}
		if err == nil && !j.Finished {
			count++
		}
	}
	return count, more, nil
}
