package store

import (
	"fmt"
	"slices"
	"sync"
	"testing"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

func TestMeetingCardsConcurrentAdditionsAllSurviveAndStayBounded(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	if ids, err := kv.MeetingCardIDs(84512367890); err != nil || ids != nil {
		t.Fatalf("no index: %v %v", ids, err)
	}
	var wg sync.WaitGroup
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if _, err := kv.AddMeetingCards(84512367890, fmt.Sprintf("card%02d", i), "shared"); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	ids, err := kv.MeetingCardIDs(84512367890)
	if err != nil || len(ids) != 21 || !slices.Contains(ids, "shared") {
		t.Fatalf("index %v %v", ids, err)
	}
	for i := range MaxMeetingCards {
		if _, err := kv.AddMeetingCards(84512367890, fmt.Sprintf("more%02d", i)); err != nil {
			t.Fatal(err)
		}
	}
	ids, _ = kv.MeetingCardIDs(84512367890)
	if len(ids) != MaxMeetingCards || ids[len(ids)-1] != fmt.Sprintf("more%02d", MaxMeetingCards-1) {
		t.Fatalf("bounded index keeps the newest: %d %v", len(ids), ids[len(ids)-1])
	}
}

func TestClaimMeetingPostKeepsTheFirstCard(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	first, second := "aaaaaaaaaaaaaaaaaaaaaaaaaa", "bbbbbbbbbbbbbbbbbbbbbbbbbb"
	kv := NewKV(backend)
	if owner, err := kv.ClaimMeetingPost("/PpT+tUh6y9QtK5kryXZrQ==", first); err != nil || owner != first {
		t.Fatalf("first claim: %q %v", owner, err)
	}
	// Another node (no memo) claims the same instance for a second card.
	if owner, err := NewKV(backend).ClaimMeetingPost("/PpT+tUh6y9QtK5kryXZrQ==", second); err != nil || owner != first {
		t.Fatalf("second claim: %q %v", owner, err)
	}
	if got, _ := NewKV(backend).MeetingPostByUUID("/PpT+tUh6y9QtK5kryXZrQ=="); got != first {
		t.Fatalf("mapping %q", got)
	}
}
