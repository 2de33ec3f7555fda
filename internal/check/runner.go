package check

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"runtime/debug"
	"slices"
	"strings"
	"sync"
	"time"

	"pitstop/internal/config"
)

// DefaultTimeout bounds each check when the runner is given none.
const DefaultTimeout = 10 * time.Second

// EventKind says what happened to a check.
type EventKind int

// The progress events, in the order a check goes through them.
const (
	Started EventKind = iota
	Finished
)

func (k EventKind) String() string {
	if k == Started {
		return "started"
	}
	return "finished"
}

// Event is one progress report from the runner. Result is set on Finished.
type Event struct {
	Kind   EventKind
	ID     string
	Index  int // position of the check in the list given to Run
	Total  int
	Result Result
}

// Runner runs checks in parallel, each under its own timeout.
type Runner struct {
	// Timeout bounds each check (DefaultTimeout when zero).
	Timeout time.Duration
	// Scrub, when set, is applied to every string of every result.
	Scrub func(string) string
	// Progress, when set, receives Started and Finished events. It is called
	// from the checks' goroutines and must not block for long.
	Progress func(Event)
	// Now is the clock (time.Now when nil).
	Now func() time.Time
	// Lang is the language of the summaries ("en" or empty: as the checks
	// wrote them). Other languages translate each summary through
	// CatalogueFor(Lang) before scrubbing; details stay as they are.
	Lang string
}

// Run runs every check and returns their results in the order given. Checks
// whose Requires did not pass are skipped with a stated reason. Cancelling
// ctx ends every check still running with Error "cancelled".
func (r *Runner) Run(ctx context.Context, checks []Check) []Result {
	timeout := r.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	now := r.Now
	if now == nil {
		now = time.Now
	}
	results := make([]Result, len(checks))
	// done[i] closes when checks[i] has its result; first maps an ID to the
	// first check with it (a repeated ID must not close a channel twice).
	done := make([]chan struct{}, len(checks))
	first := make(map[string]int, len(checks))
	for i, c := range checks {
		done[i] = make(chan struct{})
		if _, ok := first[c.ID]; !ok {
			first[c.ID] = i
		}
	}
	var mu sync.Mutex // guards results reads of prerequisites
	var wg sync.WaitGroup
	for i, c := range checks {
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer close(done[i])
			res := r.runOne(ctx, c, timeout, now, func(id string) (Result, bool) {
				j, ok := first[id]
				if !ok || j == i {
					return Result{}, false
				}
				select {
				case <-done[j]:
				case <-ctx.Done():
					return Result{}, false
				}
				mu.Lock()
				defer mu.Unlock()
				return results[j], true
			}, i, len(checks))
			mu.Lock()
			results[i] = res
			mu.Unlock()
			if r.Progress != nil {
				r.Progress(Event{Kind: Finished, ID: c.ID, Index: i, Total: len(checks), Result: res})
			}
		}()
	}
	wg.Wait()
	return results
}

func (r *Runner) runOne(ctx context.Context, c Check, timeout time.Duration, now func() time.Time,
	prereq func(string) (Result, bool), index, total int) Result {
	cat := CatalogueFor(r.Lang)
	fill := func(res Result) Result {
		res.ID, res.Category, res.Title = c.ID, c.Category, c.Title
		if cat != nil {
			res = cat.Translate(res)
		}
		if len(res.Articles) == 0 && len(c.Articles) > 0 {
			res.Articles = append([]string(nil), c.Articles...)
		}
		// The second wall: whatever a check let through, no control
		// sequence and no loaded secret leaves the runner. Stripping comes
		// first, so a secret split by a control byte is whole again when
		// the scrubber looks.
		res.Summary = r.scrub(res.Summary)
		res.Details = append([]string(nil), res.Details...)
		for i := range res.Details {
			res.Details[i] = r.scrub(res.Details[i])
		}
		return res
	}
	if ctx.Err() != nil {
		// Interrupted before this check's turn: it does not start.
		return fill(Errorf("Cancelled before it could run."))
	}
	for _, id := range c.Requires {
		pr, ok := prereq(id)
		if ctx.Err() != nil {
			// Cancelled while waiting: the prerequisite's own result (often
			// "cancelled" too) is no reason to call this one skipped.
			return fill(Errorf("Cancelled before it could run."))
		}
		if !ok {
			continue
		}
		if pr.Status != Pass && pr.Status != Warn {
			return fill(skipBecause(id, pr))
		}
	}
	if r.Progress != nil {
		r.Progress(Event{Kind: Started, ID: c.ID, Index: index, Total: total})
	}
	cctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	start := now()
	resc := make(chan Result, 1)
	go func() {
		defer func() {
			if p := recover(); p != nil {
				resc <- PanicResult(p, string(debug.Stack()))
			}
		}()
		resc <- c.Run(cctx)
	}()
	var res Result
	select {
	case res = <-resc:
	case <-cctx.Done():
		// The check did not honour its context in time; do not wait for it.
		res = timeoutResult(ctx, timeout)
	}
	res.Duration = now().Sub(start)
	if res.Status == Pass && res.Summary == "" {
		res.Summary = "OK."
	}
	res = fill(res)
	logResult(ctx, res)
	return res
}

func (r *Runner) scrub(s string) string {
	s = config.StripControls(s)
	if r.Scrub != nil {
		s = r.Scrub(s)
	}
	return s
}

// logResult writes a check that failed or could not run to the activity
// log (slog's default logger), with its scrubbed summary: the log holds every
// error, whichever face (CLI or wizard) ran the check.
func logResult(ctx context.Context, r Result) {
	level := slog.LevelDebug
	if r.Status == Fail || r.Status == Error {
		level = slog.LevelWarn
	}
	slog.Log(ctx, level, "check result", "id", r.ID, "status", r.Status.String(),
		"duration_ms", float64(r.Duration.Microseconds())/1000, "summary", r.Summary)
}

// requiresFormat is the evidence line a skipped check carries naming the
// prerequisite that kept it from running and how that one ended.
const requiresFormat = "requires %s, which ended %s"

// BlockedBy reads the prerequisite a skipped check names (the runner's
// "requires smtp.tls, which ended fail" line) and how it ended, so a face can
// name it in its own words (its title, never its ID).
func BlockedBy(r Result) (id string, status Status, ok bool) {
	if r.Status != Skip {
		return "", 0, false
	}
	for _, d := range r.Details {
		rest, found := strings.CutPrefix(d, "requires ")
		if !found {
			continue
		}
		id, word, found := strings.Cut(rest, ", which ended ")
		if !found {
			continue
		}
		if st, known := ParseStatus(word); known {
			return id, st, true
		}
	}
	return "", 0, false
}

// BlockedAmong is BlockedBy followed along a chain of skips: a check
// skipped because its prerequisite was skipped in turn is blocked by the
// check at the start of the chain, the one that failed or could not be
// tested. The chain is followed through results while the prerequisite is
// there and was skipped itself; it stops at a check not among them, and at
// a loop. ok is false when r names no prerequisite.
func BlockedAmong(r Result, results []Result) (id string, status Status, ok bool) {
	id, status, ok = BlockedBy(r)
	seen := map[string]bool{r.ID: true}
	for ok && status == Skip && !seen[id] {
		seen[id] = true
		i := slices.IndexFunc(results, func(o Result) bool { return o.ID == id })
		if i < 0 {
			break
		}
		next, st, found := BlockedBy(results[i])
		if !found {
			break
		}
		id, status = next, st
	}
	return id, status, ok
}

// skipBecause says why a check did not run: the prerequisite's own words and
// articles, so a missing key reads "no key configured" on every check that
// needs it and points at the same help.
func skipBecause(id string, pr Result) Result {
	detail := fmt.Sprintf(requiresFormat, id, pr.Status)
	if pr.Status == Skip {
		// Already a skip: pass the first reason along rather than nesting.
		return Result{Status: Skip, Summary: pr.Summary}.With(detail).Explain(pr.Articles...)
	}
	summary := strings.TrimSpace(pr.Summary)
	if summary == "" {
		summary = "it ended " + pr.Status.String() + "."
	}
	return Skipf("Not run because %s did not pass: %s", id, summary).With(detail).Explain(pr.Articles...)
}

func timeoutResult(parent context.Context, timeout time.Duration) Result {
	if errors.Is(parent.Err(), context.Canceled) {
		return Errorf("Cancelled.")
	}
	return Errorf("Could not test: no answer within %s (the timeout). The service may be down or a firewall may be dropping the connection.", timeout)
}

func firstLines(s string, n int) []string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	if len(lines) > n {
		lines = lines[:n]
	}
	return lines
}
