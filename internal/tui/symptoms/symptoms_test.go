package symptoms

import (
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/require"

	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

// toEmailSymptoms opens step 2 on "Email delivery".
func toEmailSymptoms(t *testing.T, lang string) (*Model, *common.Common) {
	t.Helper()
	c := tuitest.Common(t, lang)
	m := New(c)
	m.SetSize(80, 24)
	for _, k := range []string{"down", "down", "down", "enter"} {
		m.Update(tuitest.Key(k))
	}
	require.Equal(t, phaseSymptoms, m.phase)
	return m, c
}

// navigates reports whether cmd leads to the settings step.
func navigates(cmd tea.Cmd) bool {
	if cmd == nil {
		return false
	}
	nav, ok := cmd().(common.NavigateMsg)
	return ok && nav.To == common.ScreenSettings
}

// TestEnterWithNothingTickedInventsNothing: enter with nothing ticked does
// not tick the highlighted symptom; it opens the paste step, where enter
// with nothing pasted goes on with no symptom and no error.
func TestEnterWithNothingTickedInventsNothing(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		m, c := toEmailSymptoms(t, lang)
		m.Update(tuitest.Key("down"))
		m.Update(tuitest.Key("enter"))
		require.Empty(t, m.Picked(), "nothing ticked, nothing made up")
		require.Equal(t, phasePaste, m.phase)
		require.Contains(t, tuitest.Plain(m.View()), common.Translate(lang, "paste.hint.optional")[:30])
		_, cmd := m.Update(tuitest.Key("enter"))
		require.True(t, navigates(cmd), "enter with nothing pasted goes on")
		require.Empty(t, c.Session.Symptoms)
		require.Empty(t, c.Session.Pasted)
		require.Equal(t, "email", c.Session.Problem.ID)
	}
}

// TestNoneOfTheseIsAChoice: the last row is "None of these / I'll paste
// the error" (end reaches it); space there clears the ticks and enter opens
// the paste step; ticked symptoms still go on as before.
func TestNoneOfTheseIsAChoice(t *testing.T) {
	t.Parallel()
	for _, lang := range []string{"en", "es"} {
		m, c := toEmailSymptoms(t, lang)
		m.Update(tuitest.Key("space"))
		require.Len(t, m.Picked(), 1)
		m.Update(tuitest.Key("end"))
		view := tuitest.Plain(m.View())
		require.Contains(t, view, "▸     "+common.Translate(lang, "symptoms.noneofthese"))
		m.Update(tuitest.Key("space"))
		require.Empty(t, m.Picked())
		m.Update(tuitest.Key("enter"))
		require.Equal(t, phasePaste, m.phase)

		m, c = toEmailSymptoms(t, lang)
		m.Update(tuitest.Key("space"))
		_, cmd := m.Update(tuitest.Key("enter"))
		require.True(t, navigates(cmd))
		require.Len(t, c.Session.Symptoms, 1)
	}
}
