package store

import (
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"slices"
	"time"
)

// Durable webhook jobs. Slow work a webhook asks for (downloads, uploads) is written
// here before Zoom gets its answer, so a process that dies after answering loses
// nothing: whoever resumes finds the record and finishes it. One record per job, with
// a lease taken by compare-and-set so only one node of a cluster works on it, and the
// ids of completed steps so a resumed or repeated job never repeats a post.

const jobPrefix = "zoomjob_"

// JobTTL keeps a record (finished ones too, so a repeated delivery finds it and adds
// nothing) well past Zoom's last retry (about 85 minutes) and the 24-hour life of a
// download token.
const JobTTL = 7 * 24 * time.Hour

// FinishedJobTTL keeps a finished record past Zoom's last retry of its event.
const FinishedJobTTL = 48 * time.Hour

// ErrLeaseLost means another owner took the job: the caller must stop working on it.
var ErrLeaseLost = errors.New("the job's lease is held by another worker")

// Job is one durable unit of webhook work. Data is the app's description of it; the
// store only manages progress and the lease.
type Job struct {
	ID        string          `json:"id"`
	Kind      string          `json:"kind"`
	Data      json.RawMessage `json:"data"`
	CreatedAt int64           `json:"created_at"` // ms
	// Done lists completed step ids (including steps given up on).
	Done []string `json:"done,omitempty"`
	// Attempts counts failed attempts per step id.
	Attempts map[string]int `json:"attempts,omitempty"`
	// Owner and LeaseUntil (ms) are the lease. An expired lease may be taken over.
	Owner      string `json:"owner,omitempty"`
	LeaseUntil int64  `json:"lease_until,omitempty"`
	// Claims counts the workers that took the job. Past the first, a step not marked
	// done may still have posted (its worker died in between): see Resumed.
	Claims   int  `json:"claims,omitempty"`
	Finished bool `json:"finished,omitempty"`
}

// Resumed reports whether an earlier worker had the job before this one.
func (j *Job) Resumed() bool { return j.Claims > 1 }

// IsDone reports whether a step already completed.
func (j *Job) IsDone(step string) bool { return slices.Contains(j.Done, step) }

// JobID derives a job id from what identifies the work (event name, meeting uuid,
// file ids), so a repeated delivery of the same event maps to the same record. The
// parts are length-prefixed so no two different lists hash alike.
func JobID(parts ...string) string {
	h := sha256.New()
	for _, p := range parts {
		h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(p))))
		h.Write([]byte(p))
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

func jobKey(id string) string { return jobPrefix + id }

// InsertJob stores a new job unless one with the same id exists; false means a
// repeated delivery, which must add nothing.
func (kv *KV) InsertJob(j *Job) (bool, error) {
	data, err := json.Marshal(j)
	if err != nil {
		return false, err
	}
	return kv.Insert(jobKey(j.ID), data, JobTTL)
}

// GetJob reads a job; ErrNotFound when absent or unreadable.
func (kv *KV) GetJob(id string) (*Job, error) {
	j, err := GetJSON[Job](kv, jobKey(id))
	if err != nil {
		return nil, err
	}
	return &j, nil
}

// ListJobIDs returns the ids of every stored job.
func (kv *KV) ListJobIDs() ([]string, error) { return kv.listIDs(jobPrefix) }

// ClaimJob takes the lease for owner until leaseUntil. It returns nil (no error) when
// the job is finished, gone, or leased by someone else whose lease is still live.
func (kv *KV) ClaimJob(id, owner string, now, leaseUntil time.Time) (*Job, error) {
	return editJSON(kv, jobKey(id), func(j *Job, found bool) (edit, time.Duration, error) {
		if !found {
			return drop, 0, nil // absent, or corrupt (logged)
		}
		if j.Finished || (j.Owner != "" && j.Owner != owner && j.LeaseUntil > now.UnixMilli()) {
			return keep, 0, nil
		}
		if j.Owner != owner {
			j.Claims++
		}
		j.Owner, j.LeaseUntil = owner, leaseUntil.UnixMilli()
		return write, JobTTL, nil
	})
}

// UpdateJob applies mutate if owner still holds the lease and extends the lease to
// leaseUntil (zero releases it). ErrLeaseLost when another owner took the job over.
// A finished job is kept for FinishedJobTTL only: long enough to absorb Zoom's
// retries, short enough that sweeps do not read a week of old jobs.
func (kv *KV) UpdateJob(id, owner string, leaseUntil time.Time, mutate func(*Job)) (*Job, error) {
	return editJSON(kv, jobKey(id), func(j *Job, found bool) (edit, time.Duration, error) {
		if !found || j.Owner != owner {
			return keep, 0, ErrLeaseLost
		}
		if mutate != nil {
			mutate(j)
		}
		j.Owner, j.LeaseUntil = owner, leaseUntil.UnixMilli()
		if leaseUntil.IsZero() {
			j.Owner, j.LeaseUntil = "", 0
		}
		if j.Finished {
			return write, FinishedJobTTL, nil
		}
		return write, JobTTL, nil
	})
}
