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
	backend := devhosttest.NewHost(nil)
	kv := NewKV(backend)
	const writers = 200
	var wg sync.WaitGroup
	errs := make(chan error, writers)
	for i := range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs <- UpdateJSON(kv, "shared", 0, func(m *map[string]int) (bool, error) {
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
	got, err := GetJSON[map[string]int](kv, "shared")
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
