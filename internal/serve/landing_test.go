package serve

import (
	"net/http"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestLandingPageSpeaksTheLanguage: the landing page's words come from the
// catalogue in --lang (English for a language Pitstop lacks), its markup
// stays markup and what comes from the settings is escaped.
func TestLandingPageSpeaksTheLanguage(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	page := func(lang string) string {
		_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, twoProfiles+"  \"<b>x</b>\":\n    cache:\n      redis_url: redis://localhost:6379/0\n"),
			CacheTTL: time.Minute, Checks: countingChecks(&runs, nil), Lang: lang})
		code, body := get(t, ts.URL+"/", nil)
		require.Equal(t, http.StatusOK, code)
		return body
	}
	en := page("")
	require.Contains(t, en, `<html lang="en">`)
	require.Contains(t, en, "<h1>Pitstop exporter</h1>")
	require.Contains(t, en, "Prometheus probes a profile at <code>/probe?profile=NAME</code> (add <code>&amp;only=api,crm</code> to limit the categories).")
	require.Contains(t, en, `Results are reused for 1m0s; the exporter&#39;s own metrics are at <a href="metrics">/metrics</a>.`)
	require.Contains(t, en, "<td>&lt;b&gt;x&lt;/b&gt;</td>", "a profile name is text, not markup")
	require.NotContains(t, en, "serve.landing", "no message id in sight")

	es := page("es")
	require.Contains(t, es, `<html lang="es">`)
	require.Contains(t, es, "<h2>Perfiles</h2>")
	require.Contains(t, es, "Prometheus prueba un perfil en <code>/probe?profile=NAME</code>")
	require.NotContains(t, es, "Profiles")

	require.Equal(t, strings.Count(en, "<"), strings.Count(page("xx"), "<"))
	require.Contains(t, page("xx"), `<html lang="en">`)
}
