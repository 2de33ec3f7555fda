package run

import (
	"fmt"
	"testing"
	"time"

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
			require.Contains(t, view, "2 of 7 · 1.2s")
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
