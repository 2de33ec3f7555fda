package checklist_test

import (
	"fmt"
	"reflect"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/stretchr/testify/require"

	"pitstop/internal/escalate"
	"pitstop/internal/tui"
	tuichecklist "pitstop/internal/tui/checklist"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

// newDriver opens the checklists from Home (the prelaunch list first);
// with session set, after a guided run about email with a pasted error.
func newDriver(t *testing.T, lang string, w, h int, session bool) (*tuitest.Driver, *common.Common) {
	t.Helper()
	c := tuitest.Common(t, lang)
	if session {
		tuitest.Finish(c, []string{"smtp", "domain"})
		c.Session.Pasted = "535 5.7.8 Error: authentication failed"
		c.Session.Read = []string{"smtp-auth-failed"}
	}
	d := tuitest.NewDriver(t, tui.New(c), w, h)
	d.Press("3")
	return d, c
}

func screen(d *tuitest.Driver) *tuichecklist.Model {
	return d.Model.(*tui.Model).Screen().(*tuichecklist.Model)
}

func state(t *testing.T, f escalate.Filled, id string) escalate.ItemState {
	t.Helper()
	for _, it := range f.Items {
		if it.ID == id {
			return it.State
		}
	}
	t.Fatalf("no item %q in %s", id, f.Name)
	return 0
}

func requireFrame(t *testing.T, view string, w, h int) {
	t.Helper()
	tuitest.NoSecrets(t, view)
	lines := strings.Split(view, "\n")
	require.Len(t, lines, h, "frame height")
	for i, l := range lines {
		require.LessOrEqual(t, ansi.StringWidth(l), w, "line %d is too wide: %q", i, l)
	}
}

func TestGolden(t *testing.T) {
	t.Parallel()
	states := []struct {
		name    string
		lang    string
		session bool
		walk    func(d *tuitest.Driver)
	}{
		{"prelaunch", "en", false, func(*tuitest.Driver) {}},
		{"prelaunch-ticked", "en", false, func(d *tuitest.Driver) { d.Press("G", "space", "up", "space") }},
		{"bulk-sender", "en", false, func(d *tuitest.Driver) { d.Press("right") }},
		{"before-support", "en", true, func(d *tuitest.Driver) { d.Press("right", "right") }},
		{"escalation", "en", true, func(d *tuitest.Driver) { d.Press("right", "right", "right") }},
		{"prevention-done", "en", false, func(d *tuitest.Driver) {
			d.Press("left")
			for range 7 {
				d.Press("space", "down")
			}
		}},
		{"prelaunch-es", "es", false, func(*tuitest.Driver) {}},
		{"before-support-es", "es", true, func(d *tuitest.Driver) { d.Press("right", "right") }},
		{"bulk-sender-es", "es", false, func(d *tuitest.Driver) { d.Press("right") }},
	}
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, st := range states {
			t.Run(fmt.Sprintf("%dx%d/%s", size.w, size.h, st.name), func(t *testing.T) {
				t.Parallel()
				d, _ := newDriver(t, st.lang, size.w, size.h, st.session)
				st.walk(d)
				view := d.View()
				requireFrame(t, view, size.w, size.h)
				golden.RequireEqual(t, view)
			})
		}
	}
}

func TestPrelaunchRunsEveryCheck(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 120, 40, false)
	f := screen(d).Filled()
	require.Equal(t, "prelaunch", f.Name)
	require.Equal(t, escalate.Done, state(t, f, "api.reachability"))
	require.Equal(t, escalate.Failing, state(t, f, "api.auth"))
	require.Equal(t, escalate.Failing, state(t, f, "domain.dmarc"), "could not test is not a pass")
	require.Equal(t, escalate.NotApplicable, state(t, f, "crm.auth"))
	require.Equal(t, escalate.Open, state(t, f, "backups"))
	require.False(t, f.Complete())
	require.Contains(t, d.View(), "3 failing")
	require.Empty(t, c.Session.Results, "the prelaunch run does not replace the guided run's results")

	// r runs the checks again; the ticks stay.
	d.Press("G", "space", "r")
	f = screen(d).Filled()
	require.Equal(t, escalate.Done, state(t, f, "alert-recipients"))
	require.Equal(t, escalate.Failing, state(t, f, "api.auth"))
}

func TestTicking(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 80, 24, false)
	// The first item is a check: it cannot be ticked by hand.
	d.Press("space")
	require.Contains(t, d.View(), "Pitstop settles this item from a check")
	require.Equal(t, escalate.Done, state(t, screen(d).Filled(), "api.config"))

	d.Press("G", "space")
	require.Equal(t, escalate.Done, state(t, screen(d).Filled(), "alert-recipients"))
	require.Contains(t, d.View(), "ticked by you")
	d.Press("space")
	require.Equal(t, escalate.Open, state(t, screen(d).Filled(), "alert-recipients"))

	// Up from the top wraps to the last item.
	d.Press("g", "up", "space")
	require.Equal(t, escalate.Done, state(t, screen(d).Filled(), "alert-recipients"))
}

func TestSessionEvidenceTicksItems(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 120, 40, true)
	d.Press("right", "right") // past bulk-sender
	f := screen(d).Filled()
	require.Equal(t, "before-support", f.Name)
	for _, id := range []string{"system-status", "review-errors", "basic-steps", "read-docs", "gather-context", "document-issue"} {
		require.Equal(t, escalate.Done, state(t, f, id), id)
	}
	require.Equal(t, escalate.Open, state(t, f, "minimal-config"))
	// Settled by Pitstop: space does not untick it.
	d.Press("space")
	require.Equal(t, escalate.Done, state(t, screen(d).Filled(), "system-status"))
	require.Contains(t, d.View(), "settled by Pitstop")
}

func TestSwitchingKeepsTicks(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 80, 24, false)
	d.Press("left") // prevention
	require.Equal(t, "prevention", screen(d).Filled().Name)
	d.Press("space")
	d.Press("right") // prelaunch: its checks ran once already
	require.Equal(t, "prelaunch", screen(d).Filled().Name)
	d.Press("left")
	require.Equal(t, escalate.Done, state(t, screen(d).Filled(), "monitoring"))
	d.Press("tab", "tab")
	require.Equal(t, "bulk-sender", screen(d).Filled().Name)
	d.Press("tab")
	require.Equal(t, "before-support", screen(d).Filled().Name)
	d.Press("esc")
	_, still := d.Model.(*tui.Model).Screen().(*tuichecklist.Model)
	require.False(t, still, "esc leaves the screen")
}

func TestCopyAsMarkdown(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 80, 24, false)
	_, cmd := screen(d).Update(tuitest.Key("c"))
	copied := ""
	for _, msg := range flatten(cmd) {
		if v := reflect.ValueOf(msg); v.Kind() == reflect.String && strings.Contains(v.Type().Name(), "Clipboard") {
			copied = v.String()
		}
	}
	require.Contains(t, copied, "# Before going live")
	require.Contains(t, copied, "- [ ] ✗ API key accepted — **failing**")
	require.NotContains(t, copied, tuitest.Canary)
}

func flatten(cmd tea.Cmd) []tea.Msg {
	if cmd == nil {
		return nil
	}
	msg := cmd()
	if batch, ok := msg.(tea.BatchMsg); ok {
		var out []tea.Msg
		for _, c := range batch {
			out = append(out, flatten(c)...)
		}
		return out
	}
	return []tea.Msg{msg}
}

// BenchmarkTick is one tick on the prelaunch list at 120x40: Update plus
// the whole frame.
func BenchmarkTick(b *testing.B) {
	c := tuitest.Common(b, "en")
	d := tuitest.NewDriver(b, tui.New(c), 120, 40)
	d.Press("3", "G")
	m := d.Model
	b.ReportAllocs()
	for b.Loop() {
		m, _ = m.Update(tuitest.Key("space"))
		_ = m.View()
	}
}
