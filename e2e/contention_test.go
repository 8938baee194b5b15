//go:build e2e

package e2e

import (
	"fmt"
	"sync"
	"testing"

	"github.com/mattermost/mattermost/server/public/model"
)

// 200 admins' channel-preference submissions at once, through two plugin processes
// sharing one store: every one is answered 200 and every one is stored, although
// they all change the same KV value.
func TestConcurrentChannelPreferencesAllStored(t *testing.T) {
	e := start(t, nil)
	nodes := []*env{e, e.node()}
	const n = 200
	channels := make([]*model.Channel, n)
	for i := range channels {
		channels[i] = e.h.AddOpenChannel(fmt.Sprintf("load-%03d", i))
	}
	admin := e.userID("admin")
	var wg sync.WaitGroup
	failures := make(chan string, n)
	for i, c := range channels {
		wg.Add(1)
		go func() {
			defer wg.Done()
			resp, err := nodes[i%2].h.SubmitDialog(admin, model.SubmitDialogRequest{
				URL: channelPreferencePath, CallbackId: c.Id, State: c.Id, ChannelId: c.Id,
				Submission: map[string]any{"preference": "restrict"},
			})
			if err != nil || resp.Error != "" || len(resp.Errors) != 0 {
				failures <- fmt.Sprintf("%s: %v %+v", c.Name, err, resp)
			}
		}()
	}
	wg.Wait()
	close(failures)
	for f := range failures {
		t.Error(f)
	}
	stored := e.channelPreferences()
	for _, c := range channels {
		if stored[c.Id] != "restrict" {
			t.Errorf("%s: stored %q", c.Name, stored[c.Id])
		}
	}
	if len(stored) != n {
		t.Errorf("%d preferences stored, want %d", len(stored), n)
	}
}
