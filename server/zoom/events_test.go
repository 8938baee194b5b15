package zoom

import (
	"encoding/json"
	"testing"
)

func TestParseMeetingEvents(t *testing.T) {
	for _, c := range []struct{ file, event, end string }{
		{"webhook-meeting-started.json", EventMeetingStarted, ""},
		{"webhook-meeting-ended.json", EventMeetingEnded, "2026-03-10T15:48:40Z"},
	} {
		e, err := ParseEvent(readExample(t, c.file))
		if err != nil {
			t.Fatal(err)
		}
		if e.Event != c.event {
			t.Fatalf("event %q", e.Event)
		}
		m, err := e.Meeting()
		if err != nil {
			t.Fatal(err)
		}
		if m.Object.ID != 84512367890 || m.Object.UUID != "/PpT+tUh6y9QtK5kryXZrQ==" || m.Object.EndTime != c.end ||
			m.AccountID != "RT7-vfD3WtR7cNIvzXvliw" || m.Object.Duration != 60 || m.Object.Type != MeetingTypeInstant {
			t.Fatalf("%s decoded as %+v", c.file, m)
		}
	}
}

func TestParseRecordingEvents(t *testing.T) {
	e, err := ParseEvent(readExample(t, "webhook-recording-completed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if e.EventTS != 1773157985412 || len(e.DownloadToken) < 100 {
		t.Fatalf("envelope %+v", e)
	}
	r, err := e.Recording()
	if err != nil {
		t.Fatal(err)
	}
	o := r.Object
	if o.ID != 84512367890 || o.TotalSize != 186204611 || len(o.RecordingFiles) != 4 || o.RecordingPlayPasscode == "" {
		t.Fatalf("object %+v", o)
	}
	chat := o.RecordingFiles[2]
	if chat.RecordingType != "chat_file" || chat.FileType != "CHAT" || chat.FileSize != 812 || chat.MeetingID != o.UUID {
		t.Fatalf("chat file %+v", chat)
	}
	if o.RecordingFiles[3].PlayURL != "" {
		t.Fatal("timeline has no play_url")
	}

	e, err = ParseEvent(readExample(t, "webhook-recording-transcript-completed.json"))
	if err != nil {
		t.Fatal(err)
	}
	r, err = e.Recording()
	if err != nil || r.Object.RecordingFiles[0].FileExtension != "VTT" || r.Object.ID != 84512367890 {
		t.Fatalf("transcript %+v, %v", r, err)
	}
}

func TestParseDeauthorization(t *testing.T) {
	e, err := ParseEvent(readExample(t, "webhook-app-deauthorized.json"))
	if err != nil {
		t.Fatal(err)
	}
	d, err := e.Deauthorization()
	if err != nil {
		t.Fatal(err)
	}
	var want ComplianceRequest
	readJSON(t, "data-compliance-request.json", &want)
	if *d != want.DeauthorizationEventReceived {
		t.Fatalf("got %+v, want %+v", *d, want.DeauthorizationEventReceived)
	}
	// The compliance request must round-trip to Zoom's documented shape.
	got, _ := json.Marshal(want)
	var a, b map[string]any
	_ = json.Unmarshal(got, &a)
	_ = json.Unmarshal(readExample(t, "data-compliance-request.json"), &b)
	if ja, jb := mustJSON(a), mustJSON(b); ja != jb {
		t.Fatalf("compliance request\n got %s\nwant %s", ja, jb)
	}
}

// A deauthorization must name the user whose connection it deletes.
func TestDeauthorizationNeedsAUser(t *testing.T) {
	e, err := ParseEvent([]byte(`{"event":"app_deauthorized","payload":{"account_id":"a","user_id":"","client_id":"c"}}`))
	if err != nil {
		t.Fatal(err)
	}
	if p, err := e.Deauthorization(); err == nil {
		t.Fatalf("accepted a payload without user_id: %+v", p)
	}
}

func TestParseURLValidation(t *testing.T) {
	e, err := ParseEvent(readExample(t, "webhook-url-validation.json"))
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.PlainToken()
	if err != nil || p != "6uo0vwQRRGlyPw8LLUhehw" || e.Event != EventURLValidation {
		t.Fatalf("%q %v", p, err)
	}
}

func TestParseParticipant(t *testing.T) {
	body := `{"event":"meeting.participant_joined","event_ts":1,"payload":{"account_id":"a","object":{"id":"84512367890","uuid":"u","host_id":"h","topic":"t","type":1,
		"participant":{"user_id":"16778240","user_name":"Bob","id":"zid","email":"bob@example.com","join_time":"2026-03-10T15:03:00Z","participant_uuid":"pu"}}}}`
	e, err := ParseEvent([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.Participant()
	if err != nil {
		t.Fatal(err)
	}
	if p.Object.ID != 84512367890 || p.Object.Participant.UserName != "Bob" || p.Object.Participant.ParticipantUUID != "pu" {
		t.Fatalf("%+v", p)
	}
}

func TestParseEventRejects(t *testing.T) {
	for _, body := range []string{
		``, `null`, `[]`, `"x"`, `{}`, `{"event":""}`, `{"event":1}`,
		`{"event":"meeting.ended"} {"event":"meeting.ended"}`, `{"event":"meeting.ended"`,
	} {
		if _, err := ParseEvent([]byte(body)); err == nil {
			t.Errorf("ParseEvent(%q) accepted", body)
		}
	}
}

func TestPayloadAccessorsRejectMissingPayload(t *testing.T) {
	for _, body := range []string{`{"event":"meeting.ended"}`, `{"event":"meeting.ended","payload":null}`, `{"event":"meeting.ended","payload":[1]}`} {
		e, err := ParseEvent([]byte(body))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := e.Meeting(); err == nil {
			t.Errorf("%s: Meeting() accepted", body)
		}
		if _, err := e.Deauthorization(); err == nil {
			t.Errorf("%s: Deauthorization() accepted", body)
		}
	}
}

func TestFlexInt64(t *testing.T) {
	for in, want := range map[string]int64{`84512367890`: 84512367890, `"84512367890"`: 84512367890, `null`: 0, `""`: 0, `9223372036854775807`: 1<<63 - 1} {
		var f FlexInt64
		if err := json.Unmarshal([]byte(in), &f); err != nil || int64(f) != want {
			t.Errorf("%s: got %d, %v", in, f, err)
		}
	}
	for _, in := range []string{`"abc"`, `1.5`, `"1e3"`, `true`, `{}`, `9223372036854775808`} {
		var f FlexInt64
		if err := json.Unmarshal([]byte(in), &f); err == nil {
			t.Errorf("%s accepted as %d", in, f)
		}
	}
}

func TestFlexString(t *testing.T) {
	for in, want := range map[string]string{`"7391846250"`: "7391846250", `7391846250`: "7391846250", `null`: "", `"abc"`: "abc", `-12`: "-12"} {
		s := flexString("stale")
		if err := json.Unmarshal([]byte(in), &s); err != nil || string(s) != want {
			t.Errorf("%s: got %q, %v", in, s, err)
		}
	}
	for _, in := range []string{`1.5`, `1e3`, `true`, `{}`, `[1]`, `9223372036854775808`} {
		var s flexString
		if err := json.Unmarshal([]byte(in), &s); err == nil {
			t.Errorf("%s accepted as %q", in, s)
		}
	}
}

func mustJSON(v any) string {
	b, _ := json.Marshal(v)
	return string(b)
}

func TestParseSummaryEvent(t *testing.T) {
	e, err := ParseEvent(readExample(t, "webhook-meeting-summary-completed.json"))
	if err != nil {
		t.Fatal(err)
	}
	if e.Event != EventMeetingSummaryCompleted {
		t.Fatalf("event %q", e.Event)
	}
	p, err := e.Summary()
	if err != nil {
		t.Fatal(err)
	}
	o := p.Object
	if o.MeetingID != 84512367890 || o.MeetingUUID != "4444AAAiAAAAAiAiAiiAii==" || o.SummaryTitle != "Design sync: onboarding flow" ||
		o.SummaryOverview == "" || len(o.SummaryDetails) != 2 || o.SummaryDetails[1].Label != "Release plan" ||
		len(o.NextSteps) != 2 || o.MeetingHostEmail != "alice@example.com" {
		t.Fatalf("summary decoded as %+v", o)
	}
	var rest MeetingSummary
	if err := json.Unmarshal(readExample(t, "get-meeting-summary-response.json"), &rest); err != nil || rest.MeetingID != o.MeetingID || len(rest.NextSteps) != 2 {
		t.Fatalf("REST summary %+v, %v", rest, err)
	}
}
