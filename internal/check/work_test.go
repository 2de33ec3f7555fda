package check_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

func TestGoTurnsAPanicIntoAnError(t *testing.T) {
	t.Parallel()
	require.NoError(t, <-check.Go(func() {}))
	err := <-check.Go(func() { panic("boom") })
	var pe *check.PanicError
	require.True(t, errors.As(err, &pe))
	require.Equal(t, "boom", pe.Value)
	require.Contains(t, pe.Stack, "work_test.go")
	r, ok := check.ResultOf(err)
	require.True(t, ok)
	require.Equal(t, check.Error, r.Status)
	require.Contains(t, r.Summary, "internal error")
	_, ok = check.ResultOf(errors.New("other"))
	require.False(t, ok, "other errors are the check's to explain")
}

// TestPanicInsideACheckIsAnErrorResult: a panic in work a check started
// reaches the runner as an Error result for that check, its value scrubbed
// and stripped of control sequences, and the program goes on.
func TestPanicInsideACheckIsAnErrorResult(t *testing.T) {
	t.Parallel()
	const secret = "sk-proj-PANICcanary0123456789abcdefghij"
	var memo check.Memo[int]
	c := check.Check{ID: "x.worker", Category: "api", Title: "Worker", Run: func(ctx context.Context) check.Result {
		_, err := memo.Get(ctx, func(context.Context) int { panic("bad answer for " + secret + "\x1b]0;pwned\x07") })
		if r, ok := check.ResultOf(err); ok {
			return r
		}
		return check.Passf("no")
	}}
	sc := config.NewScrubber(config.NewSecret(secret, "file"))
	res := (&check.Runner{Timeout: time.Second, Scrub: sc.Scrub}).Run(context.Background(), []check.Check{c})
	require.Equal(t, "x.worker", res[0].ID)
	require.Equal(t, check.Error, res[0].Status)
	all := res[0].Summary + strings.Join(res[0].Details, "\n")
	require.Contains(t, all, "internal error")
	require.NotContains(t, all, "PANICcanary")
	require.NotContains(t, all, "\x1b")
}

func TestMemoRunsOnceAndHonoursEachCallersContext(t *testing.T) {
	t.Parallel()
	var m check.Memo[int]
	var calls atomic.Int32
	release, started := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	results := make([]int, 5)
	for i := range results {
		wg.Go(func() {
			results[i], _ = m.Get(context.Background(), func(context.Context) int {
				calls.Add(1)
				close(started)
				<-release
				return 42
			})
		})
	}
	<-started // the work is in flight; every later caller only waits
	// A caller whose context ends stops waiting, while the work goes on.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := m.Get(ctx, func(context.Context) int { return 0 })
	require.ErrorIs(t, err, context.Canceled)
	close(release)
	wg.Wait()
	require.EqualValues(t, 1, calls.Load())
	require.Equal(t, []int{42, 42, 42, 42, 42}, results)

	// With a TTL, an answer older than it is asked again.
	now := time.Unix(0, 0)
	var clock sync.Mutex
	tm := check.Memo[int]{TTL: time.Minute, Now: func() time.Time { clock.Lock(); defer clock.Unlock(); return now }}
	n := 0
	get := func() int {
		v, _ := tm.Get(context.Background(), func(context.Context) int { n++; return n })
		return v
	}
	require.Equal(t, 1, get())
	require.Equal(t, 1, get())
	clock.Lock()
	now = now.Add(2 * time.Minute)
	clock.Unlock()
	require.Equal(t, 2, get())
}

func TestWorkContext(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	parent, _ := ctx.Deadline()
	w, wcancel := check.WorkContext(ctx)
	defer wcancel()
	child, ok := w.Deadline()
	require.True(t, ok)
	require.Equal(t, 100*time.Millisecond, parent.Sub(child), "leaves the check time to explain")
	cancel()
	require.NoError(t, w.Err(), "the first caller giving up does not end shared work")

	w, wcancel = check.WorkContext(context.Background())
	defer wcancel()
	_, ok = w.Deadline()
	require.True(t, ok, "never unbounded")
}

// TestNoCheckStartsAfterCancel: once the run is cancelled (Ctrl-C), no check
// starts; each reads "Cancelled before it could run".
func TestNoCheckStartsAfterCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var started atomic.Int32
	var ran atomic.Int32
	checks := []check.Check{
		{ID: "a.one", Run: func(context.Context) check.Result { ran.Add(1); return check.Passf("ok") }},
		{ID: "a.two", Requires: []string{"a.one"}, Run: func(context.Context) check.Result { ran.Add(1); return check.Passf("ok") }},
	}
	r := &check.Runner{Progress: func(ev check.Event) {
		if ev.Kind == check.Started {
			started.Add(1)
		}
	}}
	for _, res := range r.Run(ctx, checks) {
		require.Equal(t, check.Error, res.Status)
		require.Equal(t, "Cancelled before it could run.", res.Summary)
	}
	require.Zero(t, started.Load())
	require.Zero(t, ran.Load())
}
