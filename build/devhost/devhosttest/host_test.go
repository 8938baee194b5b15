package devhosttest

import (
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

func TestHostsOverOneStoreAreClusterNodes(t *testing.T) {
	a := NewHost(nil)
	b := NewHost(a.Store())
	alice := a.AddUser("alice", false)
	town := a.AddChannel("town-square", model.ChannelTypeOpen, alice)
	if _, appErr := a.CreatePost(&model.Post{ChannelId: town.Id, UserId: alice.Id, Message: "from a"}); appErr != nil {
		t.Fatal(appErr)
	}
	if posts := b.ChannelPosts(town.Id); len(posts) != 1 || posts[0].Message != "from a" {
		t.Fatalf("node b sees %+v", posts)
	}
	if ok, _ := b.KVSetWithOptions("lock", []byte("b"), model.PluginKVSetOptions{Atomic: true}); !ok {
		t.Fatal("node b could not take a free key")
	}
	if ok, _ := a.KVSetWithOptions("lock", []byte("a"), model.PluginKVSetOptions{Atomic: true}); ok {
		t.Fatal("node a took the key node b holds")
	}
	// Each node counts its own calls, as each plugin process has its own metrics.
	if a.Calls()["CreatePost"] != 1 || b.Calls()["CreatePost"] != 0 || b.Calls()["KVSetWithOptions"] != 1 {
		t.Fatalf("calls a=%v b=%v", a.Calls(), b.Calls())
	}
	a.ResetCalls()
	if len(a.Calls()) != 0 {
		t.Fatalf("after ResetCalls: %v", a.Calls())
	}
}

func TestLastEphemeralIsTheLastSentOrUpdated(t *testing.T) {
	h := NewHost(nil)
	alice := h.AddUser("alice", false)
	town := h.AddChannel("town-square", model.ChannelTypeOpen, alice)
	first := h.SendEphemeralPost(alice.Id, &model.Post{ChannelId: town.Id, Message: "first"})
	h.SendEphemeralPost(alice.Id, &model.Post{ChannelId: town.Id, Message: "second"})
	if got := h.LastEphemeral(alice.Id); got == nil || got.Message != "second" {
		t.Fatalf("after two sends: %+v", got)
	}
	first.Message = "first, updated"
	h.UpdateEphemeralPost(alice.Id, first)
	if got := h.LastEphemeral(alice.Id); got == nil || got.Message != "first, updated" {
		t.Fatalf("after an update: %+v", got)
	}
	if all := h.EphemeralsFor(alice.Id); len(all) != 2 || all[0].Message != "first, updated" {
		t.Fatalf("an update keeps its place: %+v", all)
	}
}

func TestAddUserRefusesATakenUsername(t *testing.T) {
	h := NewHost(nil)
	h.AddUser("alice", false)
	defer func() {
		if recover() == nil {
			t.Fatal("a second alice was added")
		}
	}()
	h.AddUser("alice", true)
}
