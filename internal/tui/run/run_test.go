package run

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"charm.land/lipgloss/v2"

	"github.com/charmbracelet/x/exp/golden"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

// midRun returns a run screen part way through: two checks done, one
// running, the rest waiting. Events are applied by hand, so the frame does
// not depend on goroutine timing.
func midRun(t *testing.T, w, h int) *Model {
	t.Helper()
	c := tuitest.Common(t, "en")
	c.Session.Categories = []string{"api", "smtp"}
	m := New(c, common.RunGuided)
	m.SetSize(w, h)
	checks := tuitest.StubChecks(nil, c.Session.Categories)
	m.rows = make([]*row, len(checks))
	for i, ch := range checks {
		m.rows[i] = &row{check: ch}
	}
	m.active, m.started = true, tuitest.Clock.Add(-1200*time.Millisecond)
	res := tuitest.FixedResults(c, c.Session.Categories)
	for i := 0; i < 2; i++ {
		m.apply(check.Event{Kind: check.Started, Index: i})
		m.apply(check.Event{Kind: check.Finished, Index: i, Result: res[i]})
	}
	m.apply(check.Event{Kind: check.Started, Index: 2})
	return m
}

func TestGoldenMidRun(t *testing.T) {
	t.Parallel()
	for _, size := range []struct{ w, h int }{{80, 20}, {120, 36}} {
		t.Run(fmt.Sprintf("%dx%d", size.w, size.h), func(t *testing.T) {
			t.Parallel()
			m := midRun(t, size.w, size.h)
			view := tuitest.Plain(m.View())
			require.Contains(t, view, "Checking…")
			require.Contains(t, view, "2 of 7 · 1.2 s")
			require.Contains(t, view, "running")
			require.Contains(t, view, "waiting")
			tuitest.NoSecrets(t, view)
			golden.RequireEqual(t, view)
		})
	}
}

func TestFollowKeepsTheRunningCheckInView(t *testing.T) {
	t.Parallel()
	m := midRun(t, 80, 9) // room for 3 rows
	for i := 2; i < 6; i++ {
		m.apply(check.Event{Kind: check.Finished, Index: i, Result: check.Passf("ok")})
		m.apply(check.Event{Kind: check.Started, Index: i + 1})
	}
	require.LessOrEqual(t, m.start, 6)
	require.Greater(t, m.start+m.listHeight(), 6, "row 6 (running) is on screen")
}

func TestStaleMessagesAreIgnored(t *testing.T) {
	t.Parallel()
	m := midRun(t, 80, 20)
	other := &Model{}
	_, cmd := m.Update(doneMsg{run: other, results: nil})
	require.Nil(t, cmd)
	require.True(t, m.active, "a finished message of another run does not end this one")
	_, _ = m.Update(eventMsg{run: other, ev: check.Event{Kind: check.Finished, Index: 2, Result: check.Failf("x")}})
	require.Equal(t, running, m.rows[2].state)
}

// finished returns a run screen that has finished every stub check, in
// lang, scrolled to its last rows as a run that followed its checks is.
func finishedRun(t *testing.T, lang string, w, h int) *Model {
	t.Helper()
	c := tuitest.Common(t, lang)
	c.Session.Categories = []string{"api", "crm", "smtp", "domain"}
	m := New(c, common.RunGuided)
	m.SetSize(w, h)
	checks := tuitest.StubChecks(nil, c.Session.Categories)
	m.rows = make([]*row, len(checks))
	for i, ch := range checks {
		m.rows[i] = &row{check: ch}
	}
	m.active, m.started = true, tuitest.Clock
	m.start = max(0, len(m.rows)-m.listHeight())
	res := tuitest.FixedResults(c, c.Session.Categories)
	m.Update(doneMsg{run: m, results: res})
	return m
}

// TestFinishedRunFitsAndShowsTheFirstProblem: at every width, in both
// languages (Spanish titles are the longest), no row is wider than the
// window and each keeps its time; the run ends scrolled to its first
// failure, not to its last rows.
func TestFinishedRunFitsAndShowsTheFirstProblem(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		for _, w := range []int{60, 80, 100, 120, 250} {
			t.Run(fmt.Sprintf("%s-%d", lang, w), func(t *testing.T) {
				t.Parallel()
				m := finishedRun(t, lang, w, 11) // room for 5 of the 10 rows
				view := tuitest.Plain(m.View())
				for _, l := range strings.Split(view, "\n") {
					require.LessOrEqual(t, lipgloss.Width(l), w, "%q", l)
					if strings.HasPrefix(l, "  ✓") || strings.HasPrefix(l, "  ✗") {
						require.Regexp(t, `\d (ms|s) *[│┃]?$`, strings.TrimRight(l, " "), "a time was cut")
					}
				}
				const firstFailure = 2 // api.auth
				require.LessOrEqual(t, m.start, firstFailure, "the first failure is on screen")
				require.Greater(t, m.start+m.listHeight(), firstFailure, "the first failure is on screen")
				require.Contains(t, view, "✗")
			})
		}
	}
}

// TestColumnsStayAlignedWhateverTheTime: a time under a millisecond
// ("0.82 ms") is wider than most; the status column still starts at the
// same place on every row, in both languages.
func TestColumnsStayAlignedWhateverTheTime(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		for _, w := range []int{80, 120} {
			m := finishedRun(t, lang, w, 14)
			times := []time.Duration{820 * time.Microsecond, 535 * time.Millisecond, 0, 1100 * time.Millisecond, 4200 * time.Microsecond}
			for i, r := range m.rows {
				r.result.Duration = times[i%len(times)]
			}
			starts := map[int]bool{}
			for _, l := range strings.Split(tuitest.Plain(m.View()), "\n") {
				if !strings.HasPrefix(l, "  ✓") && !strings.HasPrefix(l, "  ✗") && !strings.HasPrefix(l, "  –") && !strings.HasPrefix(l, "  !") {
					continue
				}
				for _, s := range []check.Status{check.Pass, check.Warn, check.Fail, check.Skip, check.Error} {
					word := m.com.StatusWord(s)
					if i := strings.LastIndex(l, " "+word+" "); i >= 0 {
						starts[lipgloss.Width(l[:i])] = true
						break
					}
				}
			}
			require.Len(t, starts, 1, "%s at %d: the status column moves with the time's width", lang, w)
		}
	}
}
