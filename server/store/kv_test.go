package store

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/mattermost/mattermost/server/public/model"

	"github.com/zoom-for-mattermost/zoom/build/devhost/devhosttest"
)

func modelOpts() model.PluginKVSetOptions { return model.PluginKVSetOptions{} }

func TestUpdateJSONConcurrentWritersAllSurvive(t *testing.T) {
	kv := NewKV(devhosttest.NewHost(nil))
	addConcurrently(t, []*KV{kv}, 200)
}

// addConcurrently has writers goroutines, spread over nodes, each add its own entry to
// one shared map with UpdateJSON, and checks that every entry survived.
func addConcurrently(t *testing.T, nodes []*KV, writers int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- UpdateJSON(nodes[i%len(nodes)], "shared", 0, func(m *map[string]int) (bool, error) {
				if *m == nil {
					*m = map[string]int{}
				}
				(*m)[fmt.Sprint(i)] = i
				return true, nil
			})
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatal(err)
		}
	}
	got, err := GetJSON[map[string]int](nodes[0], "shared")
	if err != nil || len(got) != writers {
		t.Fatalf("got %d entries (%v), want %d", len(got), err, writers)
	}
}

func TestKVSemanticsOverTheHost(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	now := time.Unix(1000, 0)
	backend.SetClock(func() time.Time { return now })
	kv := NewKV(backend)
	if ok, _ := kv.Insert("k", []byte("a"), time.Minute); !ok {
		t.Fatal("insert into empty failed")
	}
	if ok, _ := kv.Insert("k", []byte("b"), 0); ok {
		t.Fatal("insert over existing succeeded")
	}
	if ok, _ := kv.CompareAndSet("k", []byte("x"), []byte("c"), 0); ok {
		t.Fatal("CAS with wrong old value succeeded")
	}
	if ok, _ := kv.CompareAndSet("k", []byte("a"), nil, 0); !ok {
		t.Fatal("compare-and-delete failed")
	}
	kv.Set("e", []byte("v"), time.Second)
	now = now.Add(2 * time.Second)
	if v, _ := kv.Get("e"); v != nil {
		t.Fatal("expired value still readable")
	}
	backend.KVSetWithOptions("bad", []byte("{not json"), modelOpts())
	if _, err := GetJSON[map[string]string](kv, "bad"); err != ErrNotFound {
		t.Fatalf("corrupt JSON: %v", err)
	}
}

// A writer that keeps losing to another node (more often than any fixed number of
// attempts would allow) still gets its change in, on top of the rival's.
func TestUpdateJSONOutlastsARivalNode(t *testing.T) {
	cheapLostRaces(t)
	host := devhosttest.NewHost(nil)
	rival := func(n int) {
		host.KVSetWithOptions("shared", []byte(fmt.Sprintf(`{"rival":%d}`, n)), model.PluginKVSetOptions{})
	}
	kv := NewKV(&casRival{Host: host, key: "shared", losses: 200, rewrite: rival})
	if err := SetJSON(kv, "shared", map[string]int{"start": 1}, 0); err != nil {
		t.Fatal(err)
	}
	err := UpdateJSON(kv, "shared", 0, func(m *map[string]int) (bool, error) {
		(*m)["mine"] = 1
		return true, nil
	})
	if err != nil {
		t.Fatalf("update against a rival: %v", err)
	}
	got, _ := GetJSON[map[string]int](kv, "shared")
	if got["mine"] != 1 || got["rival"] != 0 {
		t.Fatalf("stored %v, want mine on top of the rival's last write", got)
	}
}

// Two nodes, each with many writers of one key: every change survives.
func TestUpdateJSONTwoNodesAllSurvive(t *testing.T) {
	backend := devhosttest.NewHost(nil)
	addConcurrently(t, []*KV{NewKV(backend), NewKV(backend)}, 400)
}
