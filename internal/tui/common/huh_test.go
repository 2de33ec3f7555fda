package common

import (
	"testing"

	"charm.land/bubbles/v2/key"
	tea "charm.land/bubbletea/v2"
	"charm.land/huh/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"
)

// TestHuhKeyMap: every help text huh gives its keys has a message, so a
// huh upgrade that adds one fails here rather than showing English.
func TestHuhKeyMap(t *testing.T) {
	t.Parallel()
	eachBinding(huh.NewDefaultKeyMap(), func(path string, b *key.Binding) {
		if d := b.Help().Desc; d != "" {
			_, ok := huhHelp[d]
			require.True(t, ok, "%s: huh's help %q has no message in huhHelp", path, d)
		}
	})
	for desc, id := range huhHelp {
		require.True(t, HasKey(id), "huh's %q: %s is not in the catalogue", desc, id)
	}
	require.True(t, HasKey("huh.switch"))
	es := HuhKeyMap("es")
	require.Equal(t, "marcar", es.MultiSelect.Toggle.Help().Desc)
	require.Equal(t, "x", es.MultiSelect.Toggle.Help().Key, "key names stay as huh writes them")
	require.Equal(t, "cambiar", es.Confirm.Toggle.Help().Desc)
	require.Equal(t, "enviar", es.Input.Submit.Help().Desc)
	require.Equal(t, "filtrar", es.MultiSelect.Filter.Help().Desc)
	require.Equal(t, "sí", es.Confirm.Accept.Help().Desc)
	require.True(t, key.Matches(tea.KeyPressMsg{Code: 's', Text: "s"}, es.Confirm.Accept), "s for sí")
	require.True(t, key.Matches(tea.KeyPressMsg{Code: 'y', Text: "y"}, es.Confirm.Accept))
	require.False(t, key.Matches(tea.KeyPressMsg{Code: '/', Text: "/"}, es.Select.Filter), "a single choice is not filtered")
	require.Equal(t, "submit", HuhKeyMap("en").Input.Submit.Help().Desc)
}

// TestHuhHelpInSpanish: a huh form drawn with its own help line speaks the
// interface language.
func TestHuhHelpInSpanish(t *testing.T) {
	t.Parallel()
	var picked []string
	form := huh.NewForm(huh.NewGroup(
		huh.NewMultiSelect[string]().Title("¿Qué está hecho?").
			Options(huh.NewOptions("SPF", "DKIM")...).Value(&picked),
	)).WithKeyMap(HuhKeyMap("es")).WithWidth(80)
	form.Init()
	view := ansi.Strip(form.View())
	for _, want := range []string{"marcar", "filtrar", "enviar", "marcar todo"} {
		require.Contains(t, view, want)
	}
	for _, english := range []string{"toggle", "filter", "submit", "select all"} {
		require.NotContains(t, view, english)
	}
}
