package crm

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

// TestTokenNeverOverPlainHTTP: with crm.base_url on plain http:// to a host
// that is not this machine, every provider refuses before connecting and
// says to use https://.
func TestTokenNeverOverPlainHTTP(t *testing.T) {
	t.Parallel()
	for _, prov := range []string{"hubspot", "salesforce", "pipedrive"} {
		p := &config.Profile{CRM: config.CRMConfig{Provider: prov, BaseURL: "http://10.255.255.1", Token: config.NewSecret("pat-na1-abcdefgh-1234-5678-9abc-def012345678", "file")}}
		start := time.Now()
		results := (&check.Runner{Timeout: 5 * time.Second}).Run(context.Background(), Checks(p))
		require.Less(t, time.Since(start), 2*time.Second, "%s: refused before connecting", prov)
		require.Equal(t, IDAuth, results[0].ID)
		require.Equal(t, check.Fail, results[0].Status, "%s: %s", prov, results[0].Summary)
		require.Contains(t, results[0].Summary, "did not send the token", prov)
		require.Contains(t, results[0].Summary, "Use https://", prov)
	}
}
