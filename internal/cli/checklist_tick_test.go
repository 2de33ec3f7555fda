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
