package app

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"sync"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/server/i18n"
	"github.com/zoom-for-mattermost/zoom/server/jobs"
	"github.com/zoom-for-mattermost/zoom/server/store"
	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// thread is where a job's replies go: the meeting card's thread.
type thread struct {
	jobMeeting
	channelID, rootID string
	// jobID marks the replies of one job (propJobStep), so a resumed job can tell
	// which of its steps already posted.
	jobID string
	// stepsPosted lists the steps whose replies are in the thread, read once.
	stepsPosted func() map[string]bool
}

// jobMeeting identifies the meeting a job posts about. Recording and summary jobs
// embed it, so its fields stay at the top level of their stored JSON.
type jobMeeting struct {
	MeetingID int64  `json:"meeting_id"`
	UUID      string `json:"uuid"`
	Topic     string `json:"topic"`
}

func (m jobMeeting) meeting() jobMeeting { return m }

// jobThread decodes a job's stored description (a corrupt one can never run) and finds
// the meeting's card, in whose thread the job posts. No card is permanent: Zoom sent
// something about a meeting we never posted.
func jobThread[T interface{ meeting() jobMeeting }](a *App, job *store.Job) (T, *model.Post, thread, error) {
	var data T
	if err := json.Unmarshal(job.Data, &data); err != nil {
		return data, nil, thread{}, jobs.Permanent(fmt.Errorf("corrupt job: %w", err))
	}
	m := data.meeting()
	card, _, err := a.findCard(m.MeetingID, m.UUID)
	if err != nil {
		return data, nil, thread{}, err
	}
	if card == nil {
		return data, nil, thread{}, jobs.Permanent(fmt.Errorf("no meeting card in Mattermost for this %s", job.Kind))
	}
	th := thread{jobMeeting: m, channelID: card.ChannelId, rootID: propsOf(card).threadRoot(), jobID: job.ID, stepsPosted: a.stepsPostedOnce(card)}
	return data, card, th, nil
}

// propJobStep on a reply names the job and step that posted it.
const propJobStep = "zoom_job_step"

// stepsPostedOnce reads the channel since the card was posted once, when first asked,
// for replies of the job.
func (a *App) stepsPostedOnce(card *model.Post) func() map[string]bool {
	return sync.OnceValue(func() map[string]bool {
		seen := map[string]bool{}
		// GetPostsSince returns posts changed strictly after its time: a reply made in the
		// card's own millisecond counts too.
		list, appErr := a.host.GetPostsSince(card.ChannelId, card.CreateAt-1)
		if appErr != nil {
			a.host.LogWarn("Could not read a meeting's thread to resume a job", "error", appErr.Error())
			return seen
		}
		for _, p := range list.Posts {
			if v, _ := p.GetProp(propJobStep).(string); v != "" {
				seen[v] = true
			}
		}
		return seen
	})
}

// reply builds a bot reply in the thread carrying the meeting's identity.
func (a *App) reply(th thread, typ, message string) *model.Post {
	p := &model.Post{UserId: a.botUserID, ChannelId: th.channelID, RootId: th.rootID, Type: typ, Message: message}
	propsOf(p).setIdentity(th.MeetingID, th.UUID)
	return p
}

// stepReply is reply for a job step: it names the job and the step, so a worker that
// takes the job over from a dead one sees that the reply is already there (posted).
func (a *App) stepReply(th thread, stepID, typ, message string) *model.Post {
	p := a.reply(th, typ, message)
	p.AddProp(propJobStep, th.jobID+"/"+stepID)
	return p
}

// posted is a step's Posted: whether the thread holds the step's reply.
func (th thread) posted(stepID string) func() bool {
	return func() bool { return th.stepsPosted()[th.jobID+"/"+stepID] }
}

func (a *App) createReply(p *model.Post) error {
	if _, appErr := a.host.CreatePost(p); appErr != nil {
		return fmt.Errorf("could not post in the meeting's thread: %w", appErr)
	}
	return nil
}

func (a *App) recordingJobStep(th thread, st recordingStep, sealedToken string, sealer *store.Sealer) jobs.Step {
	reply := func(typ, message string) *model.Post { return a.stepReply(th, st.ID, typ, message) }
	posted := th.posted(st.ID)
	switch st.Kind {
	case stepLinks:
		return jobs.Step{ID: st.ID, Posted: posted, Run: func(context.Context) error {
			return a.createReply(reply("", a.linksMessage(th, st, sealer)))
		}}
	case stepChat, stepTranscript:
		file := "Chat-history.txt"
		typ, what, failedID := PostTypeChat, "chat log", "recording.chatFailed"
		message := a.channelT("recording.chat")
		if st.Kind == stepTranscript {
			// Zoom's extension names our upload: only lowercase letters and digits pass.
			ext := strings.ToLower(strings.Trim(st.Ext, ". "))
			if ext == "" || strings.ContainsFunc(ext, func(r rune) bool { return (r < 'a' || r > 'z') && (r < '0' || r > '9') }) {
				ext = "vtt"
			}
			file, typ, what, failedID = "Transcript."+ext, PostTypeTranscript, "transcript", "recording.transcriptFailed"
			message = a.channelT("recording.transcript")
		}
		return jobs.Step{
			ID:     st.ID,
			Posted: posted,
			Run: func(ctx context.Context) error {
				data, err := a.downloadRecordingFile(ctx, st.URL, sealedToken, sealer)
				if err != nil {
					return err
				}
				info, appErr := a.host.UploadFile(data, th.channelID, file)
				if appErr != nil {
					return fmt.Errorf("could not upload the %s: %w", what, appErr)
				}
				p := reply(typ, message)
				p.FileIds = model.StringArray{info.Id}
				return a.createReply(p)
			},
			GiveUp: func(err error) {
				msg := a.channelT(failedID, i18n.Args{"reason": a.channelT(downloadProblem(err))})
				if perr := a.createReply(reply("", msg)); perr != nil {
					a.host.LogWarn("Could not tell the thread about a failed download", "error", perr.Error())
				}
			},
		}
	}
	return jobs.Step{ID: st.ID, Run: func(context.Context) error {
		return jobs.Permanent(fmt.Errorf("unknown step kind %q", st.Kind))
	}}
}

// linksMessage is the thread reply with a recording's links (the channel's language).
func (a *App) linksMessage(th thread, st recordingStep, sealer *store.Sealer) string {
	var b strings.Builder
	b.WriteString(a.channelT("recording.ready", i18n.Args{"topic": escapeMarkdown(cmp.Or(th.Topic, defaultTopic))}) + "\n")
	for _, l := range st.Links {
		label := a.channelT("recording.watch")
		if len(st.Links) > 1 && l.Label != "" {
			label = a.channelT("recording.watchLabeled", i18n.Args{"label": escapeMarkdown(l.Label)})
		}
		fmt.Fprintf(&b, "\n[%s](%s)", label, linkTarget(l.URL))
	}
	if st.Password != "" {
		// An undecryptable password (the key changed) is left out, not shown garbled.
		if pw, err := sealer.Open(st.Password, func(string) (string, error) { return "", store.ErrUndecryptable }); err == nil && pw != "" {
			b.WriteString("\n\n" + a.channelT("recording.password", i18n.Args{"password": codeSpan(pw)}))
		}
	}
	return b.String()
}

// downloadRecordingFile fetches one file with the event's download token, with a
// timeout per attempt. Failures a retry cannot fix are marked permanent.
func (a *App) downloadRecordingFile(ctx context.Context, fileURL, sealedToken string, sealer *store.Sealer) ([]byte, error) {
	snap, err := a.snap()
	if err != nil {
		return nil, err
	}
	// Checked again here: the settings may have changed since the event arrived.
	if !snap.settings.IsZoomHost(fileURL) {
		return nil, jobs.Permanent(errors.New("the file is not on a configured Zoom host"))
	}
	token, err := sealer.Open(sealedToken, func(string) (string, error) { return "", store.ErrUndecryptable })
	if err != nil {
		return nil, jobs.Permanent(err)
	}
	ctx, cancel := context.WithTimeout(ctx, downloadTimeout)
	defer cancel()
	data, err := snap.zoom.Download(ctx, fileURL, token, maxDownload, snap.settings.IsZoomHost)
	if err == nil {
		return data, nil
	}
	if errors.Is(err, zoom.ErrTooLarge) || errors.Is(err, zoom.ErrRedirectRefused) || zoom.IsRefusedForGood(err) {
		return nil, jobs.Permanent(err)
	}
	return nil, err
}

// downloadProblem names the message that says in a few words why a file could not be
// attached.
func downloadProblem(err error) string {
	var apiErr *zoom.APIError
	switch {
	case errors.Is(err, zoom.ErrTooLarge):
		return "recording.tooLarge"
	case errors.As(err, &apiErr) && (apiErr.StatusCode == http.StatusUnauthorized || apiErr.StatusCode == http.StatusForbidden):
		return "recording.downloadRefused"
	case zoom.IsNotFound(err):
		return "recording.fileGone"
	case jobs.IsPermanent(err):
		return "recording.unsafe"
	}
	return "recording.notDelivered"
}
