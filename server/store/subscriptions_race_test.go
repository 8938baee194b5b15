package store

import (
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

// beforeWrite runs then once, right before the first write to a key with prefix.
type beforeWrite struct {
	*devhosttest.Host
	prefix string
	then   func()
}

func (b *beforeWrite) KVSetWithOptions(key string, value []byte, o model.PluginKVSetOptions) (bool, *model.AppError) {
	if strings.HasPrefix(key, b.prefix) && b.then != nil {
		then := b.then
		b.then = nil
		then()
	}
	return b.Host.KVSetWithOptions(key, value, o)
}

// A user who subscribes the meeting again while their old subscription's index entry
// is being removed keeps the entry of the new one.
func TestRemoveSubscriptionKeepsTheIndexOfASubscriptionAddedMeanwhile(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	other := NewKV(backend)
	const meetingID = 84512367899
	if ok, err := other.AddSubscription(meetingID, MeetingChannel{ChannelID: "old-channel", CreatedBy: "alice"}); !ok || err != nil {
		t.Fatalf("subscribe: %v %v", ok, err)
	}
	hooked := &beforeWrite{Host: backend, prefix: subscriptionIndexPrefix}
	removing := NewKV(hooked)
	read, err := removing.ReadMeetingChannel(meetingID)
	if err != nil {
		t.Fatal(err)
	}
	hooked.then = func() {
		if ok, err := other.AddSubscription(meetingID, MeetingChannel{ChannelID: "new-channel", CreatedBy: "alice"}); !ok || err != nil {
			t.Fatalf("subscribe again: %v %v", ok, err)
		}
	}
	if removed, err := removing.RemoveSubscription(meetingID, read); !removed || err != nil {
		t.Fatalf("remove: %v %v", removed, err)
	}
	if ids, _ := other.Subscriptions("alice"); !slices.Contains(ids, strconv.Itoa(meetingID)) {
		t.Fatalf("the new subscription is missing from the index: %v", ids)
	}
}

// A subscription replaced after it was read is not the one to remove.
func TestRemoveSubscriptionLeavesAReplacedSubscription(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	const meetingID = 84512367899
	if _, err := kv.AddSubscription(meetingID, MeetingChannel{ChannelID: "old-channel", CreatedBy: "alice"}); err != nil {
		t.Fatal(err)
	}
	read, err := kv.ReadMeetingChannel(meetingID)
	if err != nil {
		t.Fatal(err)
	}
	if err := kv.Delete(MeetingChannelKey(meetingID)); err != nil {
		t.Fatal(err)
	}
	if _, err := kv.AddSubscription(meetingID, MeetingChannel{ChannelID: "bobs-channel", CreatedBy: "bob"}); err != nil {
		t.Fatal(err)
	}
	if removed, err := kv.RemoveSubscription(meetingID, read); removed || err != nil {
		t.Fatalf("removed a replaced subscription: %v %v", removed, err)
	}
	if mc, err := kv.GetMeetingChannel(meetingID); err != nil || mc.CreatedBy != "bob" {
		t.Fatalf("bob's subscription: %+v %v", mc, err)
	}
}
