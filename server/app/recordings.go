package app

import (
	"net/url"
	"slices"
	"strings"

	"github.com/zoom-for-mattermost/zoom/server/config"
	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// maxDownload caps chat logs and transcripts fetched from Zoom (10 MiB).
const maxDownload = 10 << 20

const jobKindRecording = "recording"

// Step kinds of a recording job.
const (
	stepLinks      = "links"
	stepChat       = "chat"
	stepTranscript = "transcript"
)

// recordingJob is what a recording job needs, decided when the event arrives: which
// links are trusted and which files to fetch. The card is looked up when the job
// runs, so a recording that arrives before meeting.ended still finds it.
type recordingJob struct {
	Event string `json:"event"`
	jobMeeting
	Token string          `json:"token,omitempty"` // sealed download_token
	Steps []recordingStep `json:"steps"`
}

type recordingStep struct {
	ID       string          `json:"id"`
	Kind     string          `json:"kind"`
	Links    []recordingLink `json:"links,omitempty"`
	Password string          `json:"password,omitempty"` // sealed
	URL      string          `json:"url,omitempty"`      // file to download
	Ext      string          `json:"ext,omitempty"`
}

type recordingLink struct {
	URL   string `json:"url"`
	Label string `json:"label"`
}

// recordingEvent turns recording.completed / recording.transcript_completed into a
// durable job and answers at once; the job does the downloads and posts.
func (a *App) recordingEvent(snap *snapshot, ev *zoom.Event) error {
	p, err := ev.Recording()
	if err != nil {
		return userError(KindBadInput, err, "malformed %s payload", ev.Event)
	}
	obj := p.Object
	if obj.UUID == "" && obj.ID == 0 {
		return nil
	}
	sealer, err := store.NewSealer(snap.settings.EncryptionKey)
	if err != nil {
		return err
	}
	data, fileIDs := a.recordingSteps(snap.settings, ev.Event, &obj, sealer)
	if len(data.Steps) == 0 {
		return nil
	}
	data.Token = sealer.Seal(ev.DownloadToken)
	slices.Sort(fileIDs)
	return a.enqueueJob(jobKindRecording, data, append([]string{ev.Event, obj.UUID}, fileIDs...)...)
}

// recordingSteps picks what to post: play links of MP4s and the chat file for a
// recording, the audio transcript for a transcript. Links and downloads must be https
// on the configured Zoom hosts; anything else is skipped, logged and never fetched.
func (a *App) recordingSteps(s *config.Settings, event string, obj *zoom.RecordingObject, sealer *store.Sealer) (recordingJob, []string) {
	data := recordingJob{Event: event, jobMeeting: jobMeeting{MeetingID: int64(obj.ID), UUID: obj.UUID, Topic: obj.Topic}}
	var links []recordingLink
	var fileIDs []string
	trusted := func(raw, what string) bool {
		if s.IsZoomHost(raw) {
			return true
		}
		a.host.LogWarn("Skipping a recording URL that is not https on a configured Zoom host", "what", what, "host", hostOf(raw), "meeting_id", obj.ID)
		return false
	}
	for _, f := range obj.RecordingFiles {
		switch {
		case event == zoom.EventRecordingCompleted && strings.EqualFold(f.FileType, "MP4"):
			if f.PlayURL != "" && trusted(f.PlayURL, "play_url") {
				links = append(links, recordingLink{URL: f.PlayURL, Label: strings.ReplaceAll(f.RecordingType, "_", " ")})
				fileIDs = append(fileIDs, f.ID)
			}
		case event == zoom.EventRecordingCompleted && f.RecordingType == "chat_file",
			event == zoom.EventRecordingTranscriptCompleted && f.RecordingType == "audio_transcript":
			if !trusted(f.DownloadURL, "download_url") {
				continue
			}
			kind := stepChat
			if f.RecordingType == "audio_transcript" {
				kind = stepTranscript
			}
			data.Steps = append(data.Steps, recordingStep{ID: kind + ":" + f.ID, Kind: kind, URL: f.DownloadURL, Ext: f.FileExtension})
			fileIDs = append(fileIDs, f.ID)
		}
	}
	if len(links) > 0 {
		step := recordingStep{ID: stepLinks, Kind: stepLinks, Links: links}
		if s.EnablePostingRecordingPassword && obj.Password != "" {
			step.Password = sealer.Seal(obj.Password)
		}
		// The links come first in the thread, before the files.
		data.Steps = append([]recordingStep{step}, data.Steps...)
	}
	return data, fileIDs
}

func hostOf(raw string) string {
	if u, err := url.Parse(raw); err == nil {
		return u.Scheme + "://" + u.Host
	}
	return "(unparseable)"
}

// planRecordingJob turns a stored recording job into steps bound to the card's thread.
func (a *App) planRecordingJob(job *store.Job) ([]jobs.Step, error) {
	snap, err := a.snap()
	if err != nil {
		return nil, err // may be configured again soon
	}
	sealer, err := store.NewSealer(snap.settings.EncryptionKey)
	if err != nil {
		return nil, jobs.Permanent(err)
	}
	data, _, th, err := jobThread[recordingJob](a, job)
	if err != nil {
		return nil, err
	}
	steps := make([]jobs.Step, 0, len(data.Steps))
	for _, st := range data.Steps {
		steps = append(steps, a.recordingJobStep(th, st, data.Token, sealer))
	}
	return steps, nil
}
