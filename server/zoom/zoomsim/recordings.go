package zoomsim

import (
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
)

// downloadTokenTTL matches real tokens: exp = event_ts/1000 + 86415.
const downloadTokenTTL = 24*time.Hour + 15*time.Second

type recFile struct {
	uuid        string // meeting instance the file belongs to
	contentType string
	data        []byte
}

type dlToken struct {
	uuid    string
	expires time.Time
}

// SetDownloadDelay makes recording downloads wait d before answering, for
// tests of slow Zoom; the wait ends early if the client gives up.
func (s *Server) SetDownloadDelay(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.downloadDelay = d
}

type fileSpec struct {
	fileType, ext, recType, contentType string
	playable                            bool
	data                                []byte
}

func chatLog(topic string) []byte {
	return []byte("15:03:12 From Alice Archer to Everyone:\n\tWelcome to " + topic + "\n" +
		"15:04:40 From Bob Baker to Everyone:\n\tThanks, the slides are in the channel.\n" +
		"15:47:05 From Alice Archer to Everyone:\n\tSee you next week!\n")
}

func transcript() []byte {
	return []byte("WEBVTT\n\n1\n00:00:01.000 --> 00:00:04.500\nAlice Archer: Welcome, everyone.\n\n" +
		"2\n00:00:05.000 --> 00:00:09.000\nBob Baker: Thanks. Shall we start with the design review?\n")
}

// CompleteRecording returns a recording.completed body for the latest instance
// of the meeting: an MP4, an M4A, the chat file and a timeline, downloadable
// with the event's download_token.
func (s *Server) CompleteRecording(id int64) ([]byte, error) {
	return s.recordingEvent(id, zoom.EventRecordingCompleted, []fileSpec{
		{"MP4", "MP4", "shared_screen_with_speaker_view", "video/mp4", true, []byte("\x00\x00\x00\x18ftypmp42 zoomsim video")},
		{"M4A", "M4A", "audio_only", "audio/mp4", true, []byte("\x00\x00\x00\x18ftypM4A  zoomsim audio")},
		{"CHAT", "TXT", "chat_file", "text/plain; charset=utf-8", true, nil},
		{"TIMELINE", "JSON", "timeline", "application/json", false, []byte(`{"timeline":[]}`)},
	})
}

// CompleteTranscript returns a recording.transcript_completed body with a VTT
// audio_transcript file.
func (s *Server) CompleteTranscript(id int64) ([]byte, error) {
	return s.recordingEvent(id, zoom.EventRecordingTranscriptCompleted, []fileSpec{
		{"TRANSCRIPT", "VTT", "audio_transcript", "text/vtt; charset=utf-8", true, transcript()},
	})
}

func (s *Server) recordingEvent(id int64, event string, specs []fileSpec) ([]byte, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	m, in, err := s.startedLocked(id)
	if err != nil {
		return nil, err
	}
	end := in.endOrNow()
	obj := zoom.RecordingObject{UUID: in.uuid, ID: zoom.FlexInt64(in.reportedID), AccountID: m.accountID, HostID: m.m.HostID,
		HostEmail: m.m.HostEmail, Topic: m.m.Topic, Type: in.reportedType, StartTime: in.start.UTC().Format(time.RFC3339),
		Timezone: m.m.Timezone, Duration: minutesBetween(in.start, end),
		ShareURL: s.URL() + "/rec/share/" + randString(32, alnum+"-_") + "." + randString(16, alnum),
		Password: randString(8, alnum), RecordingPlayPasscode: randString(32, alnum+"-_"),
		RecordingFiles: []zoom.RecordingFile{}}
	for _, sp := range specs {
		data := sp.data
		if sp.recType == "chat_file" {
			data = chatLog(m.m.Topic)
		}
		key := randString(32, alnum+"-_") + "/" + randString(32, alnum+"-_")
		s.files[key] = &recFile{uuid: in.uuid, contentType: sp.contentType, data: data}
		f := zoom.RecordingFile{ID: newUUIDv4(), MeetingID: in.uuid,
			RecordingStart: in.start.UTC().Format(time.RFC3339), RecordingEnd: end.UTC().Format(time.RFC3339),
			FileType: sp.fileType, FileExtension: sp.ext, FileSize: int64(len(data)),
			DownloadURL: s.URL() + "/rec/webhook_download/" + key, Status: "completed", RecordingType: sp.recType}
		if sp.playable {
			f.PlayURL = s.URL() + "/rec/play/" + randString(32, alnum+"-_") + "." + randString(16, alnum)
		}
		obj.RecordingFiles = append(obj.RecordingFiles, f)
		obj.TotalSize += f.FileSize
	}
	obj.RecordingCount = len(obj.RecordingFiles)

	exp := time.Now().Add(downloadTokenTTL)
	token := newJWT(map[string]any{"iss": "https://event.zoom.us", "accountId": m.accountID,
		"aud": "https://oauth.zoom.us", "mid": in.uuid, "exp": exp.Unix(), "userId": m.m.HostID})
	s.dlTokens[token] = dlToken{uuid: in.uuid, expires: exp}
	return eventBody(event, zoom.RecordingPayload{AccountID: m.accountID, Object: obj}, token)
}

func newUUIDv4() string {
	b := randBytes(16)
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := fmt.Sprintf("%x", b)
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
}

// handleDownload serves recording bytes to the holder of that recording's
// download token (Bearer, or the older access_token query form).
func (s *Server) handleDownload(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		writeError(w, http.StatusMethodNotAllowed, 405, "Method not allowed.")
		return
	}
	token := r.URL.Query().Get("access_token")
	if scheme, t, ok := strings.Cut(r.Header.Get("Authorization"), " "); ok && strings.EqualFold(scheme, "Bearer") {
		token = strings.TrimSpace(t)
	}
	key := strings.TrimPrefix(r.URL.Path, "/rec/webhook_download/")
	s.mu.Lock()
	f, found := s.files[key]
	tok, tokOK := s.dlTokens[token]
	delay := s.downloadDelay
	s.mu.Unlock()
	s.waitOrAbort(r, delay)
	switch {
	case !found:
		writeError(w, http.StatusNotFound, 3301, "This recording does not exist.")
	case token == "" || !tokOK || tok.uuid != f.uuid || time.Now().After(tok.expires):
		writeError(w, http.StatusUnauthorized, 124, "Invalid access token.")
	default:
		w.Header().Set("Content-Type", f.contentType)
		w.Header().Set("Content-Length", strconv.Itoa(len(f.data)))
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(f.data)
		}
	}
}
