package cli

import (
	"context"
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

// TestDefaultLangFromTheLocale: without --lang, PITSTOP_LANG and then the
// locale variables choose among the catalogue's languages; a locale
// Pitstop has no folder for is English.
func TestDefaultLangFromTheLocale(t *testing.T) {
	for _, tc := range []struct{ pitstop, lcAll, lang, want string }{
		{"", "", "", "en"},
		{"", "", "es_ES.UTF-8", "es"},
		{"", "", "es_MX", "es"},
		{"", "", "es", "es"},
		{"", "", "C", "en"},
		{"", "", "fr_FR.UTF-8", "en"},
		{"", "en_US.UTF-8", "es_ES.UTF-8", "en"},
		{"es", "en_US.UTF-8", "", "es"},
		{"", "", "ca_ES@valencia", "en"},
	} {
		t.Setenv("PITSTOP_LANG", tc.pitstop)
		t.Setenv("LC_ALL", tc.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tc.lang)
		require.Equal(t, tc.want, defaultLang(), "%+v", tc)
	}
}

// TestCheckSpanishSummaries runs `pitstop check` in English and in Spanish
// against every sandbox scenario: every summary is in Spanish (none equals
// the English one of the same check), no secret shows, and the facts keep
// their contract (requireFacts).
func TestCheckSpanishSummaries(t *testing.T) {
	t.Parallel()
	forEachScenario(t, func(t *testing.T, ctx context.Context, sb *demo.Sandbox) {
		run := func(lang string) factsJSON {
			_, out, errOut := runCLI(t, ctx, "--config", sb.ConfigPath, "--lang", lang, "check", "--format", "json")
			var res factsJSON
			require.NoError(t, json.Unmarshal([]byte(out), &res), "stdout: %s\nstderr: %s", out, errOut)
			for _, secret := range []string{sb.API.Key(), sb.SMTP.Password(), sb.CRM.Token(), sb.Redis.Password()} {
				require.NotContains(t, out, secret)
				require.NotContains(t, errOut, secret)
			}
			return res
		}
		enRun, esRun := run("en"), run("es")
		requireFacts(t, sb, enRun, esRun)
		summaries := func(res factsJSON) map[string]string {
			m := map[string]string{}
			for _, r := range res.Results {
				m[r.ID] = r.Summary
			}
			return m
		}
		en, es := summaries(enRun), summaries(esRun)
		require.Equal(t, len(en), len(es))
		for id, s := range es {
			t.Logf("%s\n  en: %s\n  es: %s", id, en[id], s)
			require.NotEqual(t, en[id], s, "%s: the summary is still in English", id)
		}
	})
}
