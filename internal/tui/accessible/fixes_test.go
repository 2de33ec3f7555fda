package accessible

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/fix"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
)

const spacedKey = `# the shop's settings
default_profile: production
profiles:
  production:
    api:
      provider: copycar
      key: "ccai_live_0123456789abcdefghij  "
`

// withSpacedKey gives c a settings file whose API key ends in spaces, and
// one check that fails while it does (and passes once the key is trimmed);
// fixes are proposed by the real fix.Propose.
func withSpacedKey(t *testing.T, c *common.Common) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "config.yaml")
	require.NoError(t, os.WriteFile(path, []byte(spacedKey), 0o640))
	cfg, err := config.Load(path)
	require.NoError(t, err)
	p, err := cfg.Profile("")
	require.NoError(t, err)
	c.Config, c.Profile, c.ConfigPath = cfg, p, path
	c.Scrubber = cfg.Scrubber()
	c.Propose = fix.Propose
	c.Checks = func(p *config.Profile, _ []string) []check.Check {
		key := p.API.Key.Reveal()
		return []check.Check{{ID: "api.config", Category: "api", Title: "API settings", Run: func(context.Context) check.Result {
			if strings.TrimSpace(key) != key {
				return check.Failf("The API key has spaces at the end.").Explain("api-invalid-key")
			}
			return check.Passf("The API settings look complete.")
		}}}
	}
	return path
}

// TestOffersFixesAndConfirms: after the checks, the fix is read out with
// the change before and after; yes writes it, the affected check runs
// again and is read out before → after; "Did this fix it? → Yes" runs the
// checks again and confirms. Declining leaves the file alone, and then
// "Yes" is not taken on trust: the checks still fail and say so.
func TestOffersFixesAndConfirms(t *testing.T) {
	t.Parallel()
	for _, tt := range []struct {
		lang, input string
		applied     bool
		want        []string
	}{
		{"en", "2\ny\n\ny\n7\n", true, []string{
			"Pitstop is certain of 1 fix:", "(setting change)", "- api.key:", "+ api.key:",
			"Write this change into ", "Applied. Checked again:", "failed → passed",
			"Running the checks again to confirm…", "Confirmed: every check that failed now passes.", "Good. Here is what happened.",
		}},
		{"es", "2\ns\n\ns\n7\n", true, []string{
			"Pitstop está seguro de 1 arreglo:", "(cambio de ajuste)", "¿Escribir este cambio en ",
			"Aplicado. Comprobado de nuevo:", "falló → correcta", "Confirmado: cada prueba que fallaba ahora pasa.",
		}},
		{"en", "2\nn\n\ny\n4\n7\n", false, []string{
			"Not applied: the file is unchanged.", "The checks do not agree: these still fail or could not test.", "What next?",
		}},
		{"es", "2\n\n\n\n4\n7\n", false, []string{ // enter declines: a change is made only on a yes
			"No se aplicó: el archivo no cambió.", "Las pruebas no coinciden",
		}},
	} {
		t.Run(tt.lang, func(t *testing.T) {
			t.Parallel()
			c := tuitest.Common(t, tt.lang)
			path := withSpacedKey(t, c)
			var out bytes.Buffer
			require.NoError(t, Run(context.Background(), c, strings.NewReader(tt.input), &out))
			text := out.String()
			for _, w := range tt.want {
				require.Contains(t, text, w)
			}
			require.NotContains(t, text, "0123456789abcdef", "the key never shows")
			data, err := os.ReadFile(path)
			require.NoError(t, err)
			if tt.applied {
				require.Equal(t, strings.Replace(spacedKey, `abcdefghij  "`, `abcdefghij"`, 1), string(data))
				require.True(t, *c.Session.Fixed)
			} else {
				require.Equal(t, spacedKey, string(data), "declined: nothing written")
				require.False(t, *c.Session.Fixed)
			}
		})
	}
}
