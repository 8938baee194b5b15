package store

import (
	"slices"
	"testing"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

func TestRemoveSubscriptionTakesItOutOfTheIndex(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	for _, id := range []int64{84512367890, 84512367891} {
		if ok, err := kv.AddSubscription(id, MeetingChannel{ChannelID: "town", CreatedBy: "alice"}); !ok || err != nil {
			t.Fatalf("subscribe %d: %v %v", id, ok, err)
		}
	}
	removed, err := kv.RemoveSubscription(84512367890, func(MeetingChannel) error { return nil })
	if !removed.IsSubscription || removed.CreatedBy != "alice" || err != nil {
		t.Fatalf("remove: %+v %v", removed, err)
	}
	if ids, err := kv.Subscriptions("alice"); err != nil || !slices.Equal(ids, []string{"84512367891"}) {
		t.Fatalf("index %v %v", ids, err)
	}
}

func TestCachedZoomUserIsForTheSameEmailOnly(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	if id, err := kv.CachedZoomUser("alice", "alice@example.com"); id != "" || err != nil {
		t.Fatalf("nothing cached: %q %v", id, err)
	}
	if err := kv.CacheZoomUser("alice", "alice@example.com", "zoomalice"); err != nil {
		t.Fatal(err)
	}
	if id, err := kv.CachedZoomUser("alice", "Alice@Example.com"); id != "zoomalice" || err != nil {
		t.Fatalf("same email: %q %v", id, err)
	}
	if id, err := kv.CachedZoomUser("alice", "alice@elsewhere.com"); id != "" || err != nil {
		t.Fatalf("changed email: %q %v", id, err)
	}
}
