package store

import (
	"errors"
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
	hooked.then = func() {
		if ok, err := other.AddSubscription(meetingID, MeetingChannel{ChannelID: "new-channel", CreatedBy: "alice"}); !ok || err != nil {
			t.Fatalf("subscribe again: %v %v", ok, err)
		}
	}
	if removed, err := removing.RemoveSubscription(meetingID, allowAll); removed.ChannelID != "old-channel" || err != nil {
		t.Fatalf("remove: %+v %v", removed, err)
	}
	if ids, _ := other.Subscriptions("alice"); !slices.Contains(ids, strconv.Itoa(meetingID)) {
		t.Fatalf("the new subscription is missing from the index: %v", ids)
	}
}

func allowAll(MeetingChannel) error { return nil }

// A subscription replaced after it was read is checked again: the remove decides on the
// one it deletes.
func TestRemoveSubscriptionChecksAReplacedSubscriptionAgain(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	other := NewKV(backend)
	const meetingID = 84512367899
	if _, err := other.AddSubscription(meetingID, MeetingChannel{ChannelID: "old-channel", CreatedBy: "alice"}); err != nil {
		t.Fatal(err)
	}
	hooked := &beforeWrite{Host: backend, prefix: MeetingChannelKey(meetingID), then: func() {
		if err := other.Delete(MeetingChannelKey(meetingID)); err != nil {
			t.Fatal(err)
		}
		if _, err := other.AddSubscription(meetingID, MeetingChannel{ChannelID: "bobs-channel", CreatedBy: "bob"}); err != nil {
			t.Fatal(err)
		}
	}}
	notBobs := errors.New("only alice's subscription may go")
	_, err := NewKV(hooked).RemoveSubscription(meetingID, func(mc MeetingChannel) error {
		if mc.CreatedBy != "alice" {
			return notBobs
		}
		return nil
	})
	if !errors.Is(err, notBobs) {
		t.Fatalf("removing a replaced subscription: %v", err)
	}
	if mc, err := other.GetMeetingChannel(meetingID); err != nil || mc.CreatedBy != "bob" {
		t.Fatalf("bob's subscription: %+v %v", mc, err)
	}
}

// A meeting subscribed again while its old join link is being deleted keeps a link: the
// new one when it differs, the same one put back when it is the same bytes.
func TestDeleteSubscriptionLinkKeepsTheLinkOfASubscriptionMadeMeanwhile(t *testing.T) {
	const meetingID = 84512367899
	const oldLink = "https://zoom.us/j/84512367899?pwd=old"
	for _, newLink := range []string{"https://zoom.us/j/84512367899?pwd=new", oldLink} {
		backend := devhosttest.NewHost(nil)
		other := NewKV(backend)
		if err := other.SaveSubscriptionLink(meetingID, oldLink); err != nil {
			t.Fatal(err)
		}
		hooked := &beforeWrite{Host: backend, prefix: subLinkPrefix, then: func() {
			if ok, err := other.AddSubscription(meetingID, MeetingChannel{ChannelID: "new-channel", CreatedBy: "bob"}); !ok || err != nil {
				t.Fatalf("subscribe again: %v %v", ok, err)
			}
			if err := other.SaveSubscriptionLink(meetingID, newLink); err != nil {
				t.Fatal(err)
			}
		}}
		if err := NewKV(hooked).DeleteSubscriptionLink(meetingID); err != nil {
			t.Fatal(err)
		}
		if link, err := other.SubscriptionLink(meetingID); link != newLink || err != nil {
			t.Fatalf("the new subscription's link is %q (%v), want %q", link, err, newLink)
		}
	}
}

// Without a new subscription the link goes.
func TestDeleteSubscriptionLinkDeletes(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	const meetingID = 84512367899
	if err := kv.SaveSubscriptionLink(meetingID, "https://zoom.us/j/84512367899"); err != nil {
		t.Fatal(err)
	}
	if err := kv.DeleteSubscriptionLink(meetingID); err != nil {
		t.Fatal(err)
	}
	if link, err := kv.SubscriptionLink(meetingID); link != "" || err != nil {
		t.Fatalf("link left: %q %v", link, err)
	}
}
