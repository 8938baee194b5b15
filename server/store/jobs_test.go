package store

import (
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

func TestInsertJobIsInsertIfAbsent(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	j := &Job{ID: JobID("recording.completed", "/u+v=="), Kind: "recording", Data: []byte(`{"a":1}`)}
	if ok, err := kv.InsertJob(j); !ok || err != nil {
		t.Fatalf("first insert: %v %v", ok, err)
	}
	j.Data = []byte(`{"a":2}`)
	if ok, err := kv.InsertJob(j); ok || err != nil {
		t.Fatalf("repeated insert: %v %v", ok, err)
	}
	got, err := kv.GetJob(j.ID)
	if err != nil || string(got.Data) != `{"a":1}` {
		t.Fatalf("stored job: %+v %v", got, err)
	}
	if ids, err := kv.ListJobIDs(); err != nil || !slices.Equal(ids, []string{j.ID}) {
		t.Fatalf("job ids %v %v, want [%s]", ids, err, j.ID)
	}
}

// A record nobody can read is dropped by the first worker that tries to claim it,
// instead of being read and logged by every sweep for a week.
func TestClaimDropsAnUnreadableJob(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	kv := NewKV(backend)
	backend.KVSetWithOptions(jobKey("bad"), []byte("{not json"), modelOpts())
	now := time.Now()
	if j, err := kv.ClaimJob("bad", "a", now, now.Add(time.Minute)); j != nil || err != nil {
		t.Fatalf("claimed %+v %v", j, err)
	}
	if ids, _ := kv.ListJobIDs(); len(ids) != 0 {
		t.Fatalf("unreadable job kept: %v", ids)
	}
}

func TestOneOfManyConcurrentClaimsWins(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	now := time.Now()
	if _, err := kv.InsertJob(&Job{ID: "j"}); err != nil {
		t.Fatal(err)
	}
	var wins atomic.Int32
	var wg sync.WaitGroup
	for i := range 50 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			j, err := kv.ClaimJob("j", JobID(string(rune('a'+i))), now, now.Add(time.Minute))
			if err != nil {
				t.Error(err)
			}
			if j != nil {
				wins.Add(1)
			}
		}()
	}
	wg.Wait()
	if wins.Load() != 1 {
		t.Fatalf("%d claims won", wins.Load())
	}
}

func TestLeaseLapsesAndProgressNeedsTheLease(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	now := time.Now()
	if _, err := kv.InsertJob(&Job{ID: "j"}); err != nil {
		t.Fatal(err)
	}
	if j, _ := kv.ClaimJob("j", "a", now, now.Add(time.Minute)); j == nil {
		t.Fatal("a could not claim a free job")
	}
	if j, _ := kv.ClaimJob("j", "b", now.Add(30*time.Second), now.Add(time.Minute)); j != nil {
		t.Fatal("b took a live lease")
	}
	if j, _ := kv.ClaimJob("j", "b", now.Add(2*time.Minute), now.Add(3*time.Minute)); j == nil {
		t.Fatal("b could not take a lapsed lease")
	}
	if _, err := kv.UpdateJob("j", "a", now.Add(time.Hour), func(j *Job) { j.Done = append(j.Done, "x") }); !errors.Is(err, ErrLeaseLost) {
		t.Fatalf("a saved progress without the lease: %v", err)
	}
	j, err := kv.UpdateJob("j", "b", time.Time{}, func(j *Job) { j.Done, j.Finished = append(j.Done, "x"), true })
	if err != nil || !j.IsDone("x") || j.Owner != "" {
		t.Fatalf("b's progress: %+v %v", j, err)
	}
	if j, _ := kv.ClaimJob("j", "c", now, now.Add(time.Minute)); j != nil {
		t.Fatal("a finished job was claimed")
	}
}

func TestFinishedJobsExpireSooner(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	kv := NewKV(backend)
	now := time.Now()
	backend.SetClock(func() time.Time { return now })
	if _, err := kv.InsertJob(&Job{ID: "j"}); err != nil {
		t.Fatal(err)
	}
	if _, err := kv.ClaimJob("j", "a", now, now.Add(time.Minute)); err != nil {
		t.Fatal(err)
	}
	if _, err := kv.UpdateJob("j", "a", time.Time{}, func(j *Job) { j.Finished = true }); err != nil {
		t.Fatal(err)
	}
	now = now.Add(FinishedJobTTL + time.Second)
	if ids, _ := kv.ListJobIDs(); len(ids) != 0 {
		t.Fatalf("finished job kept: %v", ids)
	}
}

func TestEventClaimsAndEarlyEnds(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	if ok, _ := kv.ClaimEvent(time.Minute, "meeting.started", "/a=="); !ok {
		t.Fatal("first claim lost")
	}
	if ok, _ := kv.ClaimEvent(time.Minute, "meeting.started", "/a=="); ok {
		t.Fatal("second claim won")
	}
	if err := kv.ReleaseEvent("meeting.started", "/a=="); err != nil {
		t.Fatal(err)
	}
	if ok, _ := kv.ClaimEvent(time.Minute, "meeting.started", "/a=="); !ok {
		t.Fatal("claim after release lost")
	}
	end := time.UnixMilli(1773157720874)
	if err := kv.MarkEndedEarly("/a==", end); err != nil {
		t.Fatal(err)
	}
	if got, ok, err := kv.EndedEarly("/a=="); !ok || err != nil || !got.Equal(end) {
		t.Fatalf("ended early: %v %v %v", got, ok, err)
	}
	if _, ok, _ := kv.EndedEarly("/b=="); ok {
		t.Fatal("unknown uuid ended early")
	}
}

func TestJobIDSeparatesItsParts(t *testing.T) {
	if JobID("ab", "c") == JobID("a", "bc") || JobID("a") == JobID("a", "") {
		t.Fatal("different part lists share a job id")
	}
	if JobID("recording.completed", "/x+y==", "f1") != JobID("recording.completed", "/x+y==", "f1") {
		t.Fatal("job ids are not deterministic")
	}
}

// A claim whose compare-and-set loses to another node's claim finds that node's live
// lease on its next read, and reports no claim: the record it had prepared is not
// returned as if it had been stored.
func TestAClaimThatLosesToAnotherNodeIsNoClaim(t *testing.T) {
	now := time.Now()
	for _, c := range []struct {
		name   string
		key    string
		insert func(kv *KV) error
		claim  func(kv *KV, owner string) (bool, error)
	}{
		{"job", jobKey("j"), func(kv *KV) error {
			_, err := kv.InsertJob(&Job{ID: "j"})
			return err
		}, func(kv *KV, owner string) (bool, error) {
			j, err := kv.ClaimJob("j", owner, now, now.Add(time.Minute))
			return j != nil, err
		}},
		{"open card", OpenCardKey("p"), func(kv *KV) error {
			return kv.TrackOpenCard(OpenCard{PostID: "p"})
		}, func(kv *KV, owner string) (bool, error) {
			card, err := kv.ClaimOpenCard("p", owner, now, now.Add(time.Minute))
			if errors.Is(err, ErrCardBusy) {
				return false, nil
			}
			return card != nil, err
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			host := devhosttest.NewHost(nil)
			if err := c.insert(NewKV(host)); err != nil {
				t.Fatal(err)
			}
			rival := &casRival{Host: host, key: c.key, losses: 1}
			rival.rewrite = func(int) {
				if won, err := c.claim(NewKV(host), "other-node"); !won || err != nil {
					t.Errorf("the other node's claim: %v %v", won, err)
				}
			}
			if won, err := c.claim(NewKV(rival), "this-node"); won || err != nil {
				t.Fatalf("claimed a record another node holds: %v %v", won, err)
			}
		})
	}
}
