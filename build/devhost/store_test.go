package devhost

import (
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"
	"github.com/mattermost/mattermost/server/public/plugin"
)

func TestKVSemantics(t *testing.T) {
	s := NewStore()
	now := time.Unix(1_700_000_000, 0)
	s.SetNow(func() time.Time { return now })
	set := func(key, val string, opts model.PluginKVSetOptions) bool {
		t.Helper()
		var v []byte
		if val != "<nil>" {
			v = []byte(val)
		}
		ok, appErr := s.KVSetWithOptions("p", key, v, opts)
		if appErr != nil {
			t.Fatalf("set %s: %v", key, appErr)
		}
		return ok
	}
	get := func(key string) string {
		v, _ := s.KVGet("p", key)
		if v == nil {
			return "<nil>"
		}
		return string(v)
	}
	atomic := func(old string) model.PluginKVSetOptions {
		if old == "<nil>" {
			return model.PluginKVSetOptions{Atomic: true}
		}
		return model.PluginKVSetOptions{Atomic: true, OldValue: []byte(old)}
	}

	if !set("k", "a", atomic("<nil>")) || set("k", "b", atomic("<nil>")) || get("k") != "a" {
		t.Error("insert-if-absent")
	}
	if set("k", "c", atomic("x")) || !set("k", "c", atomic("a")) || get("k") != "c" {
		t.Error("compare-and-swap")
	}
	if set("k", "<nil>", atomic("<nil>")) || set("k", "<nil>", atomic("x")) || !set("k", "<nil>", atomic("c")) || get("k") != "<nil>" {
		t.Error("compare-and-delete")
	}
	if set("k", "d", atomic("c")) {
		t.Error("swap against a missing key succeeded")
	}
	if _, appErr := s.KVSetWithOptions("p", "k", []byte("x"), model.PluginKVSetOptions{OldValue: []byte("y")}); appErr == nil {
		t.Error("OldValue without Atomic accepted")
	}
	if _, appErr := s.KVSetWithOptions("p", strings.Repeat("é", 151), []byte("x"), model.PluginKVSetOptions{}); appErr == nil {
		t.Error("151-rune key accepted")
	}
	set("k", "v", model.PluginKVSetOptions{})
	set("k", "<nil>", model.PluginKVSetOptions{})
	if get("k") != "<nil>" {
		t.Error("nil value did not delete")
	}

	set("exp", "v", model.PluginKVSetOptions{ExpireInSeconds: 60})
	now = now.Add(59 * time.Second)
	if get("exp") != "v" {
		t.Error("expired early")
	}
	now = now.Add(time.Second)
	if get("exp") != "<nil>" || !set("exp", "w", atomic("<nil>")) {
		t.Error("expired key still present")
	}

	for _, k := range []string{"b", "c", "a"} {
		set(k, "1", model.PluginKVSetOptions{})
	}
	page0, _ := s.KVList("p", 0, 2)
	page1, _ := s.KVList("p", 1, 2)
	page2, _ := s.KVList("p", 2, 2)
	if !reflect.DeepEqual(page0, []string{"a", "b"}) || !reflect.DeepEqual(page1, []string{"c", "exp"}) || len(page2) != 0 {
		t.Errorf("paging: %v %v %v", page0, page1, page2)
	}
	if keys, _ := s.KVList("other", 0, 10); len(keys) != 0 {
		t.Error("KV leaks across plugins")
	}
	s.KVDeleteAll("p")
	if len(s.KVKeys("p")) != 0 {
		t.Error("DeleteAll left keys")
	}
}

func TestBroadcastRules(t *testing.T) {
	s := NewStore()
	user := func(name string) string {
		u, _ := s.UserBy(func(u *model.User) bool { return u.Username == name })
		return u.Id
	}
	design, _ := s.ChannelByName(s.Teams()[0].Id, "design")
	alice := &wsClient{userID: user("alice"), connectionID: "c1"}
	carol := &wsClient{userID: user("carol"), connectionID: "c2"}
	admin := &wsClient{userID: user("admin"), connectionID: "c3"}
	cases := []struct {
		name string
		b    *model.WebsocketBroadcast
		want [3]bool // alice, carol, admin
	}{
		{"everyone", &model.WebsocketBroadcast{}, [3]bool{true, true, true}},
		{"user", &model.WebsocketBroadcast{UserId: user("carol")}, [3]bool{false, true, false}},
		{"connection wins", &model.WebsocketBroadcast{UserId: user("carol"), ConnectionId: "c1"}, [3]bool{true, false, false}},
		{"omit connection", &model.WebsocketBroadcast{OmitConnectionId: "c1"}, [3]bool{false, true, true}},
		{"omit users", &model.WebsocketBroadcast{OmitUsers: map[string]bool{user("admin"): true}}, [3]bool{true, true, false}},
		{"channel members", &model.WebsocketBroadcast{ChannelId: design.Id}, [3]bool{true, false, true}},
		{"sensitive", &model.WebsocketBroadcast{ContainsSensitiveData: true}, [3]bool{false, false, true}},
	}
	for _, c := range cases {
		got := [3]bool{s.hub.wants(alice, c.b), s.hub.wants(carol, c.b), s.hub.wants(admin, c.b)}
		if got != c.want {
			t.Errorf("%s: got %v, want %v", c.name, got, c.want)
		}
	}
}

// Every method of plugin.API must answer without panicking: stubs with a 501,
// so a plugin calling something new never brings the host down.
func TestEveryAPIMethodAnswers(t *testing.T) {
	var reported []string
	api := recoveringAPI{
		impl: apiStubs{unimplemented: func(m string) *model.AppError {
			reported = append(reported, m)
			return model.NewAppError(m, "devhost.unimplemented", nil, "", 501)
		}},
		panicked: func(m string, v any) *model.AppError {
			t.Errorf("%s panicked: %v", m, v)
			return nil
		},
	}
	v := reflect.ValueOf(api)
	apiType := reflect.TypeOf((*plugin.API)(nil)).Elem()
	for i := 0; i < apiType.NumMethod(); i++ {
		m := v.MethodByName(apiType.Method(i).Name)
		args := make([]reflect.Value, m.Type().NumIn())
		for j := range args {
			args[j] = reflect.Zero(m.Type().In(j))
		}
		var out []reflect.Value
		if m.Type().IsVariadic() {
			out = m.CallSlice(args)
		} else {
			out = m.Call(args)
		}
		for _, o := range out {
			if appErr, ok := o.Interface().(*model.AppError); ok && appErr != nil && appErr.StatusCode != 501 {
				t.Errorf("%s: status %d", apiType.Method(i).Name, appErr.StatusCode)
			}
		}
	}
	if len(reported) != apiType.NumMethod() {
		t.Errorf("%d of %d methods reported themselves unimplemented", len(reported), apiType.NumMethod())
	}
}
