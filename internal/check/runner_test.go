package check

import (
	"context"
	"encoding/json"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func passing(id string) Check {
	return Check{ID: id, Category: "api", Title: id, Run: func(context.Context) Result { return Passf("%s ok.", id) }}
}

func TestRunnerRunsChecksInParallel(t *testing.T) {
	t.Parallel()
	const n = 8
	// Every check waits until all of them have started: a runner that ran
	// them one by one would never get past the first.
	var barrier sync.WaitGroup
	barrier.Add(n)
	checks := make([]Check, n)
	for i := range checks {
		checks[i] = Check{ID: "c." + string(rune('a'+i)), Category: "api", Run: func(ctx context.Context) Result {
			barrier.Done()
			all := make(chan struct{})
			go func() { barrier.Wait(); close(all) }()
			select {
			case <-all:
				return Passf("all started")
			case <-ctx.Done():
				return Errorf("not parallel")
			}
		}}
	}
	results := (&Runner{Timeout: 5 * time.Second}).Run(context.Background(), checks)
	require.Len(t, results, n)
	for i, r := range results {
		require.Equal(t, Pass, r.Status, r.Summary)
		require.Equal(t, checks[i].ID, r.ID, "results keep the order given")
	}
}

func TestRunnerTimeoutEvenWhenTheCheckIgnoresContext(t *testing.T) {
	t.Parallel()
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	stubborn := Check{ID: "api.auth", Category: "api", Title: "Key", Articles: []string{"api-timeouts"}, Run: func(context.Context) Result {
		<-release // ignores ctx on purpose
		return Passf("too late")
	}}
	polite := Check{ID: "api.clock", Category: "api", Run: func(ctx context.Context) Result {
		<-ctx.Done()
		return Errorf("gave up: %v", ctx.Err())
	}}
	const timeout = 150 * time.Millisecond
	start := time.Now()
	results := (&Runner{Timeout: timeout}).Run(context.Background(), []Check{stubborn, polite, passing("api.config")})
	elapsed := time.Since(start)
	require.Less(t, elapsed, timeout+500*time.Millisecond)
	require.Equal(t, Error, results[0].Status)
	require.Contains(t, results[0].Summary, "150ms")
	require.Contains(t, results[0].Summary, "Could not test")
	require.Equal(t, Error, results[1].Status)
	require.Equal(t, Pass, results[2].Status)
	require.GreaterOrEqual(t, results[0].Duration, timeout)
	require.Equal(t, []string{"api-timeouts"}, results[0].Articles, "the check's articles cover the runner's own result")
}

func TestRunnerCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	started := make(chan struct{}, 2)
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	hang := func(id string) Check {
		return Check{ID: id, Category: "api", Run: func(context.Context) Result {
			started <- struct{}{}
			<-release
			return Passf("no")
		}}
	}
	dependent := Check{ID: "c.dep", Category: "api", Requires: []string{"c.a"}, Run: func(context.Context) Result { return Passf("ran") }}
	go func() {
		<-started
		<-started
		cancel()
	}()
	start := time.Now()
	results := (&Runner{Timeout: time.Minute}).Run(ctx, []Check{hang("c.a"), hang("c.b"), dependent})
	require.Less(t, time.Since(start), 5*time.Second)
	for _, r := range results {
		require.Equal(t, Error, r.Status, r.ID)
		require.Contains(t, strings.ToLower(r.Summary), "cancelled", r.ID)
	}
}

func TestRunnerRequires(t *testing.T) {
	t.Parallel()
	ran := map[string]bool{}
	var mu sync.Mutex
	mark := func(id string, res Result) Check {
		return Check{ID: id, Category: "api", Run: func(context.Context) Result {
			mu.Lock()
			ran[id] = true
			mu.Unlock()
			return res
		}}
	}
	cfg := mark("api.config", Failf("No API key is configured: set COPYCAR_API_KEY or api.key.").Explain("api-invalid-key"))
	auth := mark("api.auth", Passf("accepted"))
	auth.Requires = []string{"api.config"}
	rate := mark("api.ratelimit", Passf("fine"))
	rate.Requires = []string{"api.auth"}
	warned := mark("w.base", Warnf("slow"))
	afterWarn := mark("w.next", Passf("ran"))
	afterWarn.Requires = []string{"w.base"}
	unknown := mark("u.next", Passf("ran"))
	unknown.Requires = []string{"not.in.this.run"}

	// Dependents listed before their prerequisites must still wait for them.
	results := (&Runner{}).Run(context.Background(), []Check{rate, auth, cfg, afterWarn, warned, unknown})
	byID := map[string]Result{}
	for _, r := range results {
		byID[r.ID] = r
	}
	require.Equal(t, Skip, byID["api.auth"].Status)
	require.Equal(t, "Not run because api.config did not pass: No API key is configured: set COPYCAR_API_KEY or api.key.", byID["api.auth"].Summary)
	require.Contains(t, byID["api.auth"].Details, "requires api.config, which ended fail")
	require.Equal(t, []string{"api-invalid-key"}, byID["api.auth"].Articles, "a skip points at the prerequisite's help")
	require.Equal(t, []string{"api-invalid-key"}, byID["api.ratelimit"].Articles)
	require.Equal(t, Skip, byID["api.ratelimit"].Status)
	require.Equal(t, byID["api.auth"].Summary, byID["api.ratelimit"].Summary, "the first reason travels along the chain")
	require.Equal(t, Pass, byID["w.next"].Status, "a warning does not block")
	require.Equal(t, Pass, byID["u.next"].Status, "a prerequisite outside the run does not block")
	require.False(t, ran["api.auth"])
	require.False(t, ran["api.ratelimit"])
	require.Zero(t, byID["api.auth"].Duration)
}

func TestRunnerProgressEvents(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	var events []Event
	dep := Check{ID: "b", Category: "api", Requires: []string{"a"}, Run: func(context.Context) Result { return Passf("b") }}
	fail := Check{ID: "a", Category: "api", Run: func(context.Context) Result { return Failf("a failed") }}
	r := &Runner{Progress: func(e Event) {
		mu.Lock()
		events = append(events, e)
		mu.Unlock()
	}}
	results := r.Run(context.Background(), []Check{fail, dep, passing("c")})
	require.Len(t, results, 3)
	count := map[string][]EventKind{}
	for _, e := range events {
		require.Equal(t, 3, e.Total)
		count[e.ID] = append(count[e.ID], e.Kind)
		if e.Kind == Finished {
			require.Equal(t, results[e.Index], e.Result)
		}
	}
	require.Equal(t, []EventKind{Started, Finished}, count["a"])
	require.Equal(t, []EventKind{Finished}, count["b"], "a skipped check never starts")
	require.Equal(t, []EventKind{Started, Finished}, count["c"])
	require.Equal(t, "started", Started.String())
	require.Equal(t, "finished", Finished.String())
}

func TestRunnerScrubsEveryString(t *testing.T) {
	t.Parallel()
	const secret = "sk-canary-0123456789abcdef"
	details := []string{"header: Bearer " + secret}
	leaky := Check{ID: "api.auth", Category: "api", Run: func(context.Context) Result {
		return Failf("Incorrect API key provided: %s", secret).With(details...)
	}}
	dep := Check{ID: "api.clock", Category: "api", Requires: []string{"api.auth"}, Run: func(context.Context) Result { return Passf("x") }}
	scrub := func(s string) string { return strings.ReplaceAll(s, secret, "sk-…cdef") }
	results := (&Runner{Scrub: scrub}).Run(context.Background(), []Check{leaky, dep})
	for _, r := range results {
		b, err := json.Marshal(r)
		require.NoError(t, err)
		require.NotContains(t, string(b), secret)
	}
	require.Contains(t, results[0].Summary, "sk-…cdef")
	require.Equal(t, "header: Bearer "+secret, details[0], "the check's own slice is not modified")
}

func TestRunnerRecoversFromPanics(t *testing.T) {
	t.Parallel()
	bad := Check{ID: "x.panic", Category: "api", Run: func(context.Context) Result { panic("boom") }}
	results := (&Runner{}).Run(context.Background(), []Check{bad, passing("x.ok")})
	require.Equal(t, Error, results[0].Status)
	require.Contains(t, results[0].Summary, "internal error")
	require.Equal(t, Pass, results[1].Status)
}

func TestRunnerRepeatedIDsDoNotPanic(t *testing.T) {
	t.Parallel()
	results := (&Runner{}).Run(context.Background(), []Check{passing("dup"), passing("dup")})
	require.Len(t, results, 2)
	require.Equal(t, Pass, results[1].Status)
}

func TestRunnerSelfRequirementDoesNotDeadlock(t *testing.T) {
	t.Parallel()
	c := passing("self")
	c.Requires = []string{"self"}
	results := (&Runner{}).Run(context.Background(), []Check{c})
	require.Equal(t, Pass, results[0].Status)
}

func TestRunnerClockAndDefaults(t *testing.T) {
	t.Parallel()
	var mu sync.Mutex
	tick := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	now := func() time.Time {
		mu.Lock()
		defer mu.Unlock()
		tick = tick.Add(250 * time.Millisecond)
		return tick
	}
	empty := Check{ID: "e", Category: "api", Title: "Empty", Run: func(context.Context) Result { return Result{} }}
	results := (&Runner{Now: now}).Run(context.Background(), []Check{empty})
	r := results[0]
	require.Equal(t, 250*time.Millisecond, r.Duration)
	require.Equal(t, "OK.", r.Summary)
	require.Equal(t, "e", r.ID)
	require.Equal(t, "api", r.Category)
	require.Equal(t, "Empty", r.Title)
}

func TestRunnerNoChecks(t *testing.T) {
	t.Parallel()
	require.Empty(t, (&Runner{}).Run(context.Background(), nil))
}

func TestResultJSON(t *testing.T) {
	t.Parallel()
	r := Warnf("Only %d requests left.", 3).With("x-ratelimit-remaining-requests: 3").Explain("api-rate-limit").WithFact("remaining", 3)
	r.ID, r.Category, r.Title, r.Duration = "api.ratelimit", "api", "Rate limits", 1500*time.Microsecond
	b, err := json.Marshal(r)
	require.NoError(t, err)
	require.JSONEq(t, `{"id":"api.ratelimit","category":"api","title":"Rate limits","status":"warn",
		"summary":"Only 3 requests left.","details":["x-ratelimit-remaining-requests: 3"],
		"duration_ms":1.5,"articles":["api-rate-limit"],"facts":{"remaining":3}}`, string(b))

	b, err = json.Marshal(Result{ID: "a", Status: Skip})
	require.NoError(t, err)
	require.Contains(t, string(b), `"details":[]`)
	require.Contains(t, string(b), `"articles":[]`)
	require.Contains(t, string(b), `"facts":{}`)

	var back struct {
		Status Status `json:"status"`
	}
	require.NoError(t, json.Unmarshal(b, &back))
	require.Equal(t, Skip, back.Status)
	require.Error(t, json.Unmarshal([]byte(`{"status":"meh"}`), &back))
}

func TestStatus(t *testing.T) {
	t.Parallel()
	for _, s := range []Status{Pass, Warn, Fail, Skip, Error} {
		back, ok := ParseStatus(strings.ToUpper(s.String()))
		require.True(t, ok)
		require.Equal(t, s, back)
	}
	require.Equal(t, "status(9)", Status(9).String())
	require.True(t, Warn.Bad())
	require.True(t, Error.Bad())
	require.False(t, Skip.Bad())
}

func TestSummary(t *testing.T) {
	t.Parallel()
	s := Summarize([]Result{{Status: Pass}, {Status: Warn}, {Status: Skip}, {Status: Pass}})
	require.Equal(t, Summary{Pass: 2, Warn: 1, Skip: 1}, s)
	require.True(t, s.OK(false))
	require.False(t, s.OK(true))
	require.False(t, Summarize([]Result{{Status: Error}}).OK(false), "could-not-test is not a pass")
	require.False(t, Summarize([]Result{{Status: Fail}}).OK(false))
}

func TestKnownIDsAreUniqueAndDotted(t *testing.T) {
	t.Parallel()
	seen := map[string]bool{}
	for _, id := range KnownIDs {
		require.False(t, seen[id], id)
		seen[id] = true
		require.Contains(t, id, ".")
	}
}

// BenchmarkRunnerUnequalChecks runs checks of unequal speed; the ratio of
// the total to the slowest check shows the parallelism (1.00 is perfect).
func BenchmarkRunnerUnequalChecks(b *testing.B) {
	durations := []time.Duration{2 * time.Millisecond, 5 * time.Millisecond, 10 * time.Millisecond, 20 * time.Millisecond, 40 * time.Millisecond}
	slowest := durations[len(durations)-1]
	checks := make([]Check, 0, 3*len(durations))
	for i := range 3 {
		for _, d := range durations {
			checks = append(checks, Check{ID: "b." + d.String() + string(rune('a'+i)), Category: "api", Run: func(ctx context.Context) Result {
				select {
				case <-time.After(d):
				case <-ctx.Done():
				}
				return Passf("ok")
			}})
		}
	}
	r := &Runner{}
	var worst float64
	var total time.Duration
	for b.Loop() {
		start := time.Now()
		r.Run(context.Background(), checks)
		el := time.Since(start)
		total += el
		worst = max(worst, float64(el)/float64(slowest))
	}
	b.ReportMetric(float64(total)/float64(b.N)/float64(slowest), "total/slowest")
	b.ReportMetric(worst, "worst-total/slowest")
}

// TestRunnerKeepsFacts runs a check in Spanish with a scrubber: the summary
// is translated and scrubbed, the facts come out exactly as measured.
func TestRunnerKeepsFacts(t *testing.T) {
	t.Parallel()
	facts := map[string]any{"dns_lookups": 18, "void_lookups": 0, "policy": "reject", "listed": false, "latency_ms": 12.5}
	c := Check{ID: "domain.spf", Category: "domain", Title: "SPF", Run: func(context.Context) Result {
		return Failf("%s's SPF record needs %d DNS lookups; the limit is %d, so receivers stop with a permanent error and SPF fails for every message. Remove unused include: terms or replace them with ip4:/ip6: ranges.",
			"example.com", 18, 10).WithFacts(facts)
	}}
	r := (&Runner{Lang: "es", Scrub: func(s string) string { return strings.ReplaceAll(s, "example.com", "•••") }}).
		Run(context.Background(), []Check{c})
	require.Len(t, r, 1)
	require.NotContains(t, r[0].Summary, "DNS lookups", "the summary is translated")
	require.NotContains(t, r[0].Summary, "example.com", "the summary is scrubbed")
	require.Equal(t, facts, r[0].Facts)
	facts["dns_lookups"] = 19
	require.Equal(t, 18, r[0].Facts["dns_lookups"], "WithFacts copies: the result does not share the caller's map")
}
