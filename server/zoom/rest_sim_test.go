package zoom_test

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/server/zoom"
	"github.com/zoom-for-mattermost/zoom/server/zoom/zoomsim"
)

func TestNotFoundShapes(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.connect(t, "alice@example.com").AccessToken
	m, err := e.api.CreateMeeting(ctx, tok, "me", zoom.CreateMeetingRequest{Topic: "t", Type: zoom.MeetingTypeInstant})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name string
		call func() error
		code int
		msg  string
	}{
		{"unknown email", func() error { _, err := e.api.GetUser(ctx, tok, "bob@example.com"); return err },
			1001, "User does not exist: bob@example.com."},
		{"unknown meeting", func() error { _, err := e.api.GetMeeting(ctx, tok, 84512367899); return err },
			3001, "Meeting does not exist: 84512367899."},
		{"unknown past meeting", func() error { _, err := e.api.GetPastMeeting(ctx, tok, "/PpT+tUh6y9QtK5kryXZrQ=="); return err },
			3001, "Meeting does not exist: /PpT+tUh6y9QtK5kryXZrQ==."},
		{"meeting not ended yet", func() error { _, err := e.api.GetPastMeeting(ctx, tok, m.UUID); return err },
			3001, "Meeting does not exist: " + m.UUID + "."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := c.call()
			ae := apiError(t, err)
			if ae.StatusCode != 404 || ae.Code != c.code || ae.Message != c.msg || !zoom.IsNotFound(err) || zoom.IsUnavailable(err) {
				t.Fatalf("%+v", ae)
			}
		})
	}
}

func TestRateLimitAndFaults(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name      string
		fault     zoomsim.Fault
		wantCalls int
		check     func(t *testing.T, err error)
	}{
		{"short 429 is retried once", zoomsim.Fault{Status: 429, Times: 1}, 2,
			func(t *testing.T, err error) {
				if err != nil {
					t.Fatal(err)
				}
			}},
		{"persistent short 429 is retried only once", zoomsim.Fault{Status: 429}, 2,
			func(t *testing.T, err error) {
				if !zoom.IsRateLimited(err) {
					t.Fatalf("%v", err)
				}
			}},
		{"daily 429 is returned with its wait", zoomsim.Fault{Status: 429, RetryAfter: 3 * time.Hour, Times: 1}, 1,
			func(t *testing.T, err error) {
				ae := apiError(t, err)
				if !zoom.IsRateLimited(err) || ae.Code != 429 || ae.RetryAfter < 2*time.Hour || ae.RetryAfter > 3*time.Hour {
					t.Fatalf("%+v", ae)
				}
			}},
		{"per-second wait beyond MaxRetryWait is returned", zoomsim.Fault{Status: 429, RetryAfter: 5 * time.Second, Times: 1}, 1,
			func(t *testing.T, err error) {
				if ae := apiError(t, err); ae.RetryAfter != 5*time.Second {
					t.Fatalf("%+v", ae)
				}
			}},
		{"500 is unavailable and not retried", zoomsim.Fault{Status: 500, Times: 1}, 1,
			func(t *testing.T, err error) {
				if !zoom.IsUnavailable(err) || zoom.IsRateLimited(err) || zoom.IsNotFound(err) {
					t.Fatalf("%v", err)
				}
			}},
		{"503 is unavailable", zoomsim.Fault{Method: http.MethodGet, PathPrefix: "/v2/users/", Status: 503}, 1,
			func(t *testing.T, err error) {
				if !zoom.IsUnavailable(err) {
					t.Fatalf("%v", err)
				}
			}},
		{"fault on another path does not apply", zoomsim.Fault{PathPrefix: "/v2/meetings/", Status: 500}, 1,
			func(t *testing.T, err error) {
				if err != nil {
					t.Fatal(err)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			tok := e.connect(t, "alice@example.com").AccessToken
			e.sim.ResetCalls()
			e.sim.InjectFault(c.fault)
			_, err := e.api.GetUser(ctx, tok, "me")
			c.check(t, err)
			if n := e.sim.CountCalls(http.MethodGet, "/v2/users/me"); n != c.wantCalls {
				t.Fatalf("%d calls, want %d", n, c.wantCalls)
			}
		})
	}
}

func TestRetryRespectsContext(t *testing.T) {
	e := newEnv(t)
	tok := e.connect(t, "alice@example.com").AccessToken
	e.api.MaxRetryWait = time.Hour
	e.sim.InjectFault(zoomsim.Fault{Status: 429, RetryAfter: 30 * time.Second, Times: 1})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := e.api.GetUser(ctx, tok, "me")
	if !errors.Is(err, context.Canceled) || zoom.IsUnavailable(err) {
		t.Fatalf("%v", err)
	}
}

func TestConnectionErrorsAreUnavailable(t *testing.T) {
	e := newEnv(t)
	tok := e.connect(t, "alice@example.com").AccessToken
	e.sim.Close()
	if _, err := e.api.GetUser(context.Background(), tok, "me"); !zoom.IsUnavailable(err) {
		t.Fatalf("%v", err)
	}
}

func TestUntrustedCertificateIsNotUnavailable(t *testing.T) {
	e := newEnv(t)
	tok := e.connect(t, "alice@example.com").AccessToken
	_, err := zoom.NewClient(e.sim.APIURL(), &http.Client{}).GetUser(context.Background(), tok, "me")
	if err == nil || zoom.IsUnavailable(err) {
		t.Fatalf("certificate error reported as transient: %v", err)
	}
}

func TestLatencyFaultHitsClientTimeout(t *testing.T) {
	e := newEnv(t)
	tok := e.connect(t, "alice@example.com").AccessToken
	e.sim.InjectFault(zoomsim.Fault{PathPrefix: "/v2/", Latency: time.Hour})
	ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel()
	if _, err := e.api.GetUser(ctx, tok, "me"); !zoom.IsUnavailable(err) || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("%v", err)
	}
}

func TestCreateMeeting(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name    string
		email   string
		usePMI  bool
		wantErr bool
	}{
		{"instant", "alice@example.com", false, false},
		{"in the personal room", "alice@example.com", true, false},
		{"no PMI", "carol@example.com", true, true},
		{"PMI disabled", "dave@example.com", true, true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			e := newEnv(t)
			e.sim.AddUser(zoomsim.User{Email: "dave@example.com", PMI: 5550001111, PMIDisabled: true})
			tok := e.connect(t, c.email).AccessToken
			req := zoom.CreateMeetingRequest{Topic: "Design sync", Type: zoom.MeetingTypeInstant,
				Settings: &zoom.MeetingSettings{HostVideo: true, UsePMI: c.usePMI, ApprovalType: zoom.ApprovalNoRegistration, Audio: "both"}}
			m, err := e.api.CreateMeeting(ctx, tok, "me", req)
			if c.wantErr {
				if ae := apiError(t, err); ae.StatusCode != 400 || ae.Code == 0 || ae.Message == "" {
					t.Fatalf("%+v", ae)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			id := strconv.FormatInt(m.ID, 10)
			if len(id) != 11 || len(m.UUID) != 24 || !strings.HasSuffix(m.UUID, "==") || m.Type != 1 || m.Status != "waiting" ||
				m.Topic != "Design sync" || m.HostID != e.alice.ID || m.Settings == nil || !m.Settings.HostVideo || m.Password == "" {
				t.Fatalf("%+v", m)
			}
			wantJoin := e.sim.URL() + "/j/" + id + "?pwd=" + m.EncryptedPassword
			if c.usePMI {
				wantJoin = e.sim.URL() + "/j/7391846250?pwd=" + m.EncryptedPassword + "&omn=" + id
				if m.PMI != "7391846250" || !m.Settings.UsePMI {
					t.Fatalf("pmi %q", m.PMI)
				}
			} else if m.PMI != "" {
				t.Fatalf("pmi %q on a non-PMI meeting", m.PMI)
			}
			if m.JoinURL != wantJoin {
				t.Fatalf("join_url %s, want %s", m.JoinURL, wantJoin)
			}
			got, err := e.api.GetMeeting(ctx, tok, m.ID)
			if err != nil || got.UUID != m.UUID || got.JoinURL != m.JoinURL || got.PMI != m.PMI {
				t.Fatalf("get: %+v %v", got, err)
			}
			if sm, ok := e.sim.Meeting(m.ID); !ok || sm.JoinURL != m.JoinURL {
				t.Fatalf("simulator view %+v", sm)
			}
			// The join page exists, so a browser test can land on it.
			resp, err := e.hc.Get(m.JoinURL)
			if err != nil {
				t.Fatal(err)
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("join page %d", resp.StatusCode)
			}
		})
	}
}

func TestCreateMeetingValidation(t *testing.T) {
	e := newEnv(t)
	tok := e.connect(t, "alice@example.com").AccessToken
	_, err := e.api.CreateMeeting(context.Background(), tok, "me", zoom.CreateMeetingRequest{Topic: "x", Type: 7})
	if ae := apiError(t, err); ae.StatusCode != 400 || ae.Code != 300 || ae.Message != "Validation Failed." {
		t.Fatalf("%+v", ae)
	}
}

func TestListUpcomingMeetings(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.connect(t, "alice@example.com").AccessToken
	sched, err := e.api.CreateMeeting(ctx, tok, "me", zoom.CreateMeetingRequest{Topic: "Weekly", Type: zoom.MeetingTypeScheduled,
		StartTime: "2030-03-12T14:00:00Z", Duration: 30})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := e.api.CreateMeeting(ctx, tok, "me", zoom.CreateMeetingRequest{Topic: "Now", Type: zoom.MeetingTypeInstant}); err != nil {
		t.Fatal(err)
	}
	list, err := e.api.ListUpcomingMeetings(ctx, tok, "me")
	if err != nil {
		t.Fatal(err)
	}
	if len(list) != 1 || list[0].ID != sched.ID || list[0].StartTime != "2030-03-12T14:00:00Z" || list[0].Duration != 30 {
		t.Fatalf("%+v", list)
	}
	calls := e.sim.Calls()
	if last := calls[len(calls)-1]; last.Query != "page_size=30&type=upcoming" {
		t.Fatalf("query %q", last.Query)
	}
}

func TestPastMeetingAfterEnd(t *testing.T) {
	e := newEnv(t)
	ctx := context.Background()
	tok := e.connect(t, "alice@example.com").AccessToken
	m, err := e.api.CreateMeeting(ctx, tok, "me", zoom.CreateMeetingRequest{Topic: "Design sync", Type: zoom.MeetingTypeInstant})
	if err != nil {
		t.Fatal(err)
	}
	// The simulator makes the first meeting's uuid start with "/", the case
	// that needs double encoding.
	if !strings.HasPrefix(m.UUID, "/") {
		t.Fatalf("uuid %q", m.UUID)
	}
	if _, err := e.sim.StartMeeting(m.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := e.sim.EndMeeting(m.ID); err != nil {
		t.Fatal(err)
	}
	p, err := e.api.GetPastMeeting(ctx, tok, m.UUID)
	if err != nil {
		t.Fatal(err)
	}
	if p.UUID != m.UUID || p.ID != m.ID || p.HostID != e.alice.ID || p.EndTime == "" || p.Duration < 1 || p.ParticipantsCount < 1 {
		t.Fatalf("%+v", p)
	}
	// The client double-encoded: after the server's one decoding, "%2F" remains.
	calls := e.sim.Calls()
	if last := calls[len(calls)-1]; !strings.HasPrefix(last.Path, "/v2/past_meetings/%2F") {
		t.Fatalf("uuid not double-encoded: %s", last.Path)
	}
	// A single-encoded uuid is accepted too.
	req, _ := http.NewRequest(http.MethodGet, e.sim.APIURL()+"/past_meetings/"+strings.ReplaceAll(strings.ReplaceAll(m.UUID, "/", "%2F"), "+", "%2B"), nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := e.hc.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("single-encoded uuid: %d", resp.StatusCode)
	}
}
