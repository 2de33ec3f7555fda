package cli

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/escalate"
)

// TestTickFormShowsEveryItemAndOneToggleKey: the terminal list of manual
// items shows all of them at 80x24, names the same toggle key in its
// description and its footer, and draws with Pitstop's theme ("[x]"/"[ ]").
func TestTickFormShowsEveryItemAndOneToggleKey(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string][2]string{"en": {"space ticks", "space tick"}, "es": {"espacio marca", "space marcar"}} {
		app := &App{Version: "test", Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
		app.Opts.Lang = lang
		f := &escalate.Filled{Title: "Before launch"}
		for i := range 5 {
			f.Items = append(f.Items, escalate.FilledItem{ID: fmt.Sprintf("i%d", i), Label: fmt.Sprintf("Item number %d", i), Manual: true})
		}
		f.Items[1].State = escalate.Done
		var sel []string
		form, err := tickForm(app, f, &sel, 80, 24)
		require.NoError(t, err)
		form.Init()
		view := ansi.Strip(form.View())
		for i := range 5 {
			require.Contains(t, view, fmt.Sprintf("Item number %d", i), "every item shows: %s", view)
		}
		require.Contains(t, view, want[0], "the description names the toggle key")
		require.Contains(t, view, want[1], "the footer names the same key")
		require.NotContains(t, view, "x toggle")
		require.Contains(t, view, "[x] Item number 1", "Pitstop's theme marks a ticked item")
		require.Equal(t, []string{"i1"}, sel)
	}
}

// TestTickSpeaksTheLanguage: huh's own help around the list is in the
// interface language, and on a screen reader (--accessible) the items are
// asked with Pitstop's numbered prompts in that language, not huh's English
// ones; the answer toggles the items named.
func TestTickSpeaksTheLanguage(t *testing.T) {
	t.Parallel()
	newFilled := func() *escalate.Filled {
		f := &escalate.Filled{Title: "Antes del lanzamiento"}
		for i := range 3 {
			f.Items = append(f.Items, escalate.FilledItem{ID: fmt.Sprintf("i%d", i), Label: fmt.Sprintf("Punto %d", i), Manual: true})
		}
		return f
	}
	app := &App{Version: "test", Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: io.Discard}
	app.Opts.Lang = "es"
	var sel []string
	form, err := tickForm(app, newFilled(), &sel, 100, 24)
	require.NoError(t, err)
	form.Init()
	view := ansi.Strip(form.View())
	require.Contains(t, view, "enviar")
	for _, en := range []string{"submit", "filter", "select all"} {
		require.NotContains(t, view, en)
	}

	var out strings.Builder
	app = &App{Version: "test", Stdin: strings.NewReader("2,3\n"), Stdout: &out, Stderr: io.Discard}
	app.Opts.Lang, app.Opts.Accessible = "es", true
	f := newFilled()
	require.NoError(t, tickInteractively(t.Context(), app, f))
	require.Contains(t, out.String(), "Escribe los números que coincidan")
	for _, en := range []string{"Select up to", "Enter a number", "Confirm selection"} {
		require.NotContains(t, out.String(), en)
	}
	require.Equal(t, escalate.Open, f.Items[0].State)
	require.Equal(t, escalate.Done, f.Items[1].State)
	require.Equal(t, escalate.Done, f.Items[2].State)
}
