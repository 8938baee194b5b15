package devhost

import (
	"maps"
	"sync"
	"time"
)

// metrics receives what the loader measures: every plugin→host API call
// (through its timer layer) and every hook call. The benchmark and tests
// read the counts; nothing here is sampled or dropped.
type metrics struct {
	mu    sync.Mutex
	api   map[string]int
	hooks map[string]HookStat
}

// HookStat is how often a hook ran and for how long in total.
type HookStat struct {
	Calls    int
	Failures int
	Total    time.Duration
}

func newMetrics() *metrics {
	return &metrics{api: map[string]int{}, hooks: map[string]HookStat{}}
}

func seconds(s float64) time.Duration { return time.Duration(s * float64(time.Second)) }

// ObservePluginAPIDuration is called by the loader for each API call.
func (m *metrics) ObservePluginAPIDuration(_, apiName string, _ bool, _ float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.api[apiName]++
}

// ObservePluginHookDuration is called by the loader for each hook call.
func (m *metrics) ObservePluginHookDuration(_, hookName string, success bool, elapsed float64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	st := m.hooks[hookName]
	st.Calls++
	if !success {
		st.Failures++
	}
	st.Total += seconds(elapsed)
	m.hooks[hookName] = st
}

// ObservePluginMultiHookIterationDuration is part of the loader's interface;
// multi-plugin hooks do not happen with one plugin.
func (m *metrics) ObservePluginMultiHookIterationDuration(string, float64) {}

// ObservePluginMultiHookDuration: see ObservePluginMultiHookIterationDuration.
func (m *metrics) ObservePluginMultiHookDuration(float64) {}

func (m *metrics) apiCounts() map[string]int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.api)
}

func (m *metrics) hookStats() map[string]HookStat {
	m.mu.Lock()
	defer m.mu.Unlock()
	return maps.Clone(m.hooks)
}

func (m *metrics) reset() {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.api = map[string]int{}
	m.hooks = map[string]HookStat{}
}
