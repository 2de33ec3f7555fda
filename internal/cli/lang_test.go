package cli

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

// TestCheckSpanishSummaries runs `pitstop check --lang es` against sandbox
// scenarios: every summary is in Spanish (none equals the English one of
// the same check), details stay as they are, and no secret shows.
func TestCheckSpanishSummaries(t *testing.T) {
	t.Parallel()
	for _, sc := range demo.Scenarios() {
		t.Run(sc.Name, func(t *testing.T) {
			t.Parallel()
			sb, err := demo.StartSandbox(sc.Name, demo.SandboxOptions{Dir: t.TempDir()})
			require.NoError(t, err)
			t.Cleanup(func() { sb.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()

			summaries := func(lang string) map[string]string {
				_, out, errOut := runCLI(t, ctx, "--config", sb.ConfigPath, "--lang", lang, "check", "--format", "json")
				var res checkJSON
				require.NoError(t, json.Unmarshal([]byte(out), &res), "stdout: %s\nstderr: %s", out, errOut)
				for _, secret := range []string{sb.API.Key(), sb.SMTP.Password(), sb.CRM.Token(), sb.Redis.Password()} {
					require.NotContains(t, out, secret)
					require.NotContains(t, errOut, secret)
				}
				m := map[string]string{}
				for _, r := range res.Results {
					m[r.ID] = r.Summary
				}
				return m
			}
			en, es := summaries("en"), summaries("es")
			require.Equal(t, len(en), len(es))
			for id, s := range es {
				t.Logf("%s\n  en: %s\n  es: %s", id, en[id], s)
				require.NotEqual(t, en[id], s, "%s: the summary is still in English", id)
			}
		})
	}
}
