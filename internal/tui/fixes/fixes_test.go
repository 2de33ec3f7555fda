package fixes

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/fix"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
	"pitstop/internal/wizard"
)

const settings = `# the shop's settings
default_profile: production
profiles:
  production:
    api:
      provider: copycar
      key: "ccai_live_0123456789abcdefghij  "
`

// TestFixScreenAppliesWithConsent: the screen shows the change as a diff,
// a asks first, n leaves the file alone, y writes it and runs the affected
// checks again, and the screen shows them before and after.
func TestFixScreenAppliesWithConsent(t *testing.T) {
	t.Parallel()
	m, c, path := fixScreen(t, "en")
	m.SetSize(80, 20)
	view := tuitest.Plain(m.View())
	require.Regexp(t, `- api\.key: \S+ \(with spaces\)`, view)
	require.Regexp(t, `\+ api\.key: \S+ \(trimmed\)`, view)
	require.NotContains(t, view, "0123456789abcdef", "the key never shows")

	press := func(k string) tea.Cmd {
		_, cmd := m.Update(tuitest.Key(k))
		return cmd
	}
	press("a")
	require.Equal(t, phaseConfirm, m.phase)
	require.Contains(t, strings.Join(strings.Fields(tuitest.Plain(m.View())), " "), "Write this change into "+path)
	press("n")
	require.Equal(t, phaseShow, m.phase)
	data, _ := os.ReadFile(path)
	require.Equal(t, settings, string(data), "declined: nothing written")

	press("a")
	cmd := press("y")
	require.NotNil(t, cmd)
	require.Equal(t, phaseApplying, m.phase)
	msg := cmd()
	_, status := m.Update(msg)
	require.NotNil(t, status)
	require.Equal(t, phaseDone, m.phase)
	data, _ = os.ReadFile(path)
	require.Equal(t, strings.Replace(settings, `0123456789abcdefghij  "`, `0123456789abcdefghij"`, 1), string(data))
	info, _ := os.Stat(path)
	require.Equal(t, os.FileMode(0o640), info.Mode().Perm(), "the file keeps its mode")
	view = tuitest.Plain(m.View())
	require.Contains(t, view, "Applied. Checked again:")
	require.True(t, c.Session.Fixes[0].Applied)
	require.Equal(t, "ccai_live_0123456789abcdefghij", c.Session.Profile.API.Key.Reveal(), "the session's settings follow the file")
	for _, b := range m.ShortHelp() {
		require.NotEqual(t, "a", b.Help().Key, "nothing left to apply")
	}
}

// fixScreen opens the fix screen in lang on a settings file whose API key
// has spaces at the end.
func fixScreen(t *testing.T, lang string) (*Model, *common.Common, string) {
	t.Helper()
	c := tuitest.Common(t, lang)
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(settings), 0o640))
	cfg, err := config.Load(path)
	require.NoError(t, err)
	p, err := cfg.Profile("")
	require.NoError(t, err)
	c.Config, c.Profile, c.ConfigPath = cfg, p, path
	c.Plan(true)
	c.Session.Results = []check.Result{{ID: "api.config", Category: "api", Status: check.Fail, Summary: "The API key has spaces at the end."}}
	proposal := wizard.Proposal{Fixes: fix.Propose(context.Background(), &fix.Input{Profile: p, ConfigPath: path, Results: c.Session.Results})}
	proposal.Settings, err = fix.ReadSettings(path)
	require.NoError(t, err)
	require.Len(t, proposal.Fixes, 1)
	c.Session.RecordFixes(proposal)
	return New(c, "api.config"), c, path
}

// TestSpanishYesIsS: the Spanish question ends "s/n", and s answers yes.
func TestSpanishYesIsS(t *testing.T) {
	t.Parallel()
	m, _, _ := fixScreen(t, "es")
	m.SetSize(80, 20)
	m.Update(tuitest.Key("a"))
	require.Equal(t, phaseConfirm, m.phase)
	require.Contains(t, tuitest.Plain(m.View()), "s/n")
	_, cmd := m.Update(tuitest.Key("s"))
	require.NotNil(t, cmd)
	require.Equal(t, phaseApplying, m.phase)
}
