package escalate_test

import (
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"runtime"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/exp/golden"
	"github.com/stretchr/testify/require"

	"pitstop/internal/tui"
	"pitstop/internal/tui/common"
	tuiescalate "pitstop/internal/tui/escalate"
	"pitstop/internal/tui/tuitest"
)

// newDriver opens the escalation step from Home, after a finished guided
// run about the API and email when finished is set.
func newDriver(t *testing.T, lang string, w, h int, finished bool) (*tuitest.Driver, *common.Common) {
	t.Helper()
	c := tuitest.Common(t, lang)
	if finished {
		tuitest.Finish(c, []string{"api", "smtp", "domain"})
		c.Session.Pasted = "SMTP error: 535 5.7.8 Error: authentication failed: " + tuitest.CanaryPassword
		c.Session.Read = []string{"smtp-auth-failed"}
	}
	d := tuitest.NewDriver(t, tui.New(c), w, h)
	d.Press("6")
	return d, c
}

func screen(d *tuitest.Driver) *tuiescalate.Model {
	return d.Model.(*tui.Model).Screen().(*tuiescalate.Model)
}

// answer picks the impact (moves from medium), answers the three yes/no
// questions and leaves expected and actual as given.
func answer(d *tuitest.Driver, impactMoves string, yesNo [3]bool, expected, actual string) {
	if impactMoves != "" {
		d.Press(impactMoves)
	}
	d.Press("enter")
	for _, yes := range yesNo {
		if yes {
			d.Press("y")
		} else {
			d.Press("n")
		}
	}
	for _, text := range []string{expected, actual} {
		if text != "" {
			d.Press(text)
		}
		d.Press("enter")
	}
}

// requireFrame checks the frame fills the window and holds no secret.
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
		name string
		lang string
		walk func(d *tuitest.Driver)
	}{
		{"questions", "en", func(*tuitest.Driver) {}},
		{"expected-actual", "en", func(d *tuitest.Driver) { d.Press("enter", "n", "n", "n") }},
		{"result", "en", func(d *tuitest.Driver) {
			answer(d, "down", [3]bool{}, "the campaign goes out", "535 from the mail server")
		}},
		{"result-scrolled", "en", func(d *tuitest.Driver) {
			answer(d, "down", [3]bool{}, "", "")
			d.Press("pgdown")
		}},
		{"result-critical", "en", func(d *tuitest.Driver) { answer(d, "", [3]bool{true, true, false}, "", "") }},
		{"questions-es", "es", func(*tuitest.Driver) {}},
		{"result-es", "es", func(d *tuitest.Driver) { answer(d, "up", [3]bool{false, false, true}, "", "") }},
	}
	for _, size := range []struct{ w, h int }{{80, 24}, {120, 40}} {
		for _, st := range states {
			t.Run(fmt.Sprintf("%dx%d/%s", size.w, size.h, st.name), func(t *testing.T) {
				t.Parallel()
				d, _ := newDriver(t, st.lang, size.w, size.h, true)
				st.walk(d)
				view := d.View()
				requireFrame(t, view, size.w, size.h)
				golden.RequireEqual(t, view)
			})
		}
	}
}

func TestAnswersDecideSeverityAndTier(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		moves    string
		yesNo    [3]bool
		severity string
		tier     string
		trigger  string
	}{
		{"medium impact, failing checks", "", [3]bool{}, "high", "tier_2_technical", "urgent"},
		{"high impact", "down", [3]bool{}, "high", "tier_4_emergency", "urgent"},
		{"data loss", "", [3]bool{true, false, false}, "critical", "tier_4_emergency", "immediate"},
		{"everyone affected", "up", [3]bool{false, true, false}, "critical", "tier_4_emergency", "immediate"},
		{"security concern", "up", [3]bool{false, false, true}, "high", "tier_3_expert", "immediate"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			d, _ := newDriver(t, "en", 80, 24, true)
			answer(d, tt.moves, tt.yesNo, "", "")
			m := screen(d)
			require.Equal(t, "result", m.Phase())
			a := m.Report().Assessment
			require.Equal(t, tt.severity, a.Severity)
			require.Equal(t, tt.tier, a.Tier)
			require.Equal(t, tt.trigger, a.Trigger)
			view := d.View()
			require.Contains(t, view, a.SeverityLabel)
			require.Contains(t, view, a.TierName)
			require.Contains(t, view, "First answer")
			tuitest.NoSecrets(t, view)
		})
	}
}

func TestRunsChecksWhenNoneRan(t *testing.T) {
	t.Parallel()
	d, c := newDriver(t, "en", 120, 40, false)
	require.Empty(t, c.Session.Results)
	answer(d, "", [3]bool{}, "", "")
	require.Equal(t, "result", screen(d).Phase())
	require.NotEmpty(t, c.Session.Results, "every configured check ran for the report")
	rep := screen(d).Report()
	require.Len(t, rep.Results, len(c.Session.Results))
	require.Equal(t, "api_issues", rep.Assessment.IssueTypes[0])
}

func TestSaveWritesThePrivateReport(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 80, 24, true)
	answer(d, "down", [3]bool{}, "mail goes out", "535 authentication failed")
	dir := t.TempDir()
	screen(d).SaveDir(dir)
	d.Press("s")

	path := filepath.Join(dir, "pitstop-report-20250314-092653.md")
	data, err := os.ReadFile(path)
	require.NoError(t, err)
	text := string(data)
	for _, want := range []string{"# Escalation report: production", "| Severity | **HIGH** |", "535 5.7.8", "mail goes out",
		"## Escalation checklist", "`smtp-auth-failed`"} {
		require.Contains(t, text, want)
	}
	require.NotContains(t, text, tuitest.Canary)
	require.NotContains(t, text, tuitest.CanaryPassword)
	if runtime.GOOS != "windows" {
		info, err := os.Stat(path)
		require.NoError(t, err)
		require.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	}
	view := d.View()
	flat := strings.Join(strings.Fields(strings.ReplaceAll(strings.ReplaceAll(view, "┃", ""), "│", "")), "")
	require.Equal(t, 1, strings.Count(flat, path), "the place is said once, whole, and in view: %s", view)
	require.NotContains(t, view, "Report saved to")
}

func TestSaveFailureIsSaid(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 120, 40, true)
	answer(d, "", [3]bool{}, "", "")
	screen(d).SaveDir(filepath.Join(t.TempDir(), "missing", "dir"))
	d.Press("s")
	require.Contains(t, d.View(), "Could not save the report")
}

func TestCopyUsesOSC52(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 80, 24, true)
	answer(d, "", [3]bool{}, "", "")
	_, cmd := screen(d).Update(tuitest.Key("c"))
	copied := ""
	for _, msg := range flatten(cmd) {
		if v := reflect.ValueOf(msg); v.Kind() == reflect.String && strings.Contains(v.Type().Name(), "Clipboard") {
			copied = v.String()
		}
	}
	require.Contains(t, copied, "# Escalation report: production")
	require.NotContains(t, copied, tuitest.Canary)
	require.NotContains(t, copied, tuitest.CanaryPassword)

	d.Press("c")
	require.Contains(t, d.View(), "Report copied (OSC 52)")
}

// flatten runs cmd and every command a batch holds, returning the messages.
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

func TestEditKeepsTheAnswers(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 80, 24, true)
	answer(d, "down", [3]bool{true, false, false}, "", "")
	require.Equal(t, "critical", screen(d).Report().Assessment.Severity)
	d.Press("e")
	require.Equal(t, "ask", screen(d).Phase())
	require.Contains(t, d.View(), "How much does this hurt the business?")
	// Keep every answer but data loss.
	d.Press("enter", "n", "n", "n", "enter", "enter")
	a := screen(d).Report().Assessment
	require.Equal(t, "high", a.Severity)
	require.Equal(t, "high", a.Answers.Impact, "the impact answer was kept")
}

func TestKeysAndCapture(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 80, 24, true)
	require.False(t, screen(d).Capturing(), "the impact question is a list")
	d.Press("enter", "n", "n", "n")
	require.True(t, screen(d).Capturing(), "typing into expected: q and t are letters")
	d.Press("q", "t")
	require.Equal(t, "ask", screen(d).Phase(), "q did not quit while typing")
	d.Press("enter", "enter")
	require.False(t, screen(d).Capturing())

	first := d.View()
	d.Press("down", "down")
	require.NotEqual(t, first, d.View(), "the verdict scrolls")
	d.Press("g")
	d.Press("esc")
	_, onHome := d.Model.(*tui.Model).Screen().(*tuiescalate.Model)
	require.False(t, onHome, "esc leaves the step")
}

// BenchmarkResultKeystroke is one scroll key on the verdict at 120x40:
// Update plus the whole frame.
func BenchmarkResultKeystroke(b *testing.B) {
	c := tuitest.Common(b, "en")
	tuitest.Finish(c, []string{"api", "smtp", "domain"})
	d := tuitest.NewDriver(b, tui.New(c), 120, 40)
	d.Press("6")
	answer(d, "down", [3]bool{}, "", "")
	m := d.Model
	keys := []tea.KeyPressMsg{tuitest.Key("down"), tuitest.Key("up")}
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		m, _ = m.Update(keys[i%2])
		_ = m.View()
		i++
	}
}

// TestIntroCountsTheQuestionsAsked: the intro's count is the form's.
func TestIntroCountsTheQuestionsAsked(t *testing.T) {
	t.Parallel()
	d, _ := newDriver(t, "en", 120, 40, true)
	require.Contains(t, d.View(), "Six questions")
}

// TestSavedPathStaysWhole: where the report went is one word to copy; at
// 80 columns a path that fits a line is on a line of its own, whole, not
// cut at the edge after "Saved:".
func TestSavedPathStaysWhole(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		d, _ := newDriver(t, lang, 80, 24, true)
		answer(d, "", [3]bool{}, "", "")
		base, err := os.MkdirTemp("", "pit")
		require.NoError(t, err)
		t.Cleanup(func() { _ = os.RemoveAll(base) })
		// A path of 72 characters: too long to follow "Saved: ", short
		// enough for a line of its own.
		dir := filepath.Join(base, strings.Repeat("r", max(1, 72-len(base)-2-len("pitstop-report-20250314-092653.md"))))
		require.NoError(t, os.Mkdir(dir, 0o700))
		screen(d).SaveDir(dir)
		d.Press("s")
		path := filepath.Join(dir, "pitstop-report-20250314-092653.md")
		require.FileExists(t, path)
		require.Greater(t, len(path)+len("Guardado: "), 78, "the test needs a path that does not fit after the label")
		require.LessOrEqual(t, len(path), 76, "the test needs a path that fits a line")
		found := false
		for _, l := range strings.Split(d.View(), "\n") {
			found = found || strings.Contains(l, path)
		}
		require.True(t, found, "%s: the path is cut:\n%s", lang, d.View())
	}
}
