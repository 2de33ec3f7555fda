package serve

import (
	"sync"
	"time"

	"pitstop/internal/check"
)

// run is one run of a profile's checks: what every probe of the same
// profile and categories is answered from until it is older than the TTL.
type run struct {
	Results  []check.Result
	Duration time.Duration
	At       time.Time // when the run ended
	// Lost are the checks the probe budget cut short (Error, timed out or
	// cancelled), so a probe can say its results are incomplete.
	Lost int
}

// resultCache keeps the last run per key for ttl. Expired entries are swept
// on store, at most once per ttl, so memory follows the profiles probed in
// the last ttl, not every profile ever probed.
type resultCache struct {
	ttl time.Duration

	mu        sync.Mutex
	entries   map[string]*run
	lastSweep time.Time
}

func newResultCache(ttl time.Duration) *resultCache {
	return &resultCache{ttl: ttl, entries: map[string]*run{}}
}

// get returns the key's run when it is younger than the ttl.
func (c *resultCache) get(key string, now time.Time) (*run, bool) {
	if c.ttl <= 0 {
		return nil, false
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	r, ok := c.entries[key]
	if !ok || now.Sub(r.At) >= c.ttl {
		return nil, false
	}
	return r, true
}

func (c *resultCache) put(key string, r *run, now time.Time) {
	if c.ttl <= 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	c.entries[key] = r
	if now.Sub(c.lastSweep) < c.ttl {
		return
	}
	c.lastSweep = now
	for k, e := range c.entries {
		if now.Sub(e.At) >= c.ttl {
			delete(c.entries, k)
		}
	}
}

// clear drops every entry (the settings changed: old results may come
// from settings that are gone).
func (c *resultCache) clear() {
	c.mu.Lock()
	defer c.mu.Unlock()
	clear(c.entries)
}

func (c *resultCache) len() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.entries)
}
