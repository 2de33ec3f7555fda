package crm

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
)

// TestTrustFindingsAreSaid: an unusable SSL_CERT_FILE is said once, in
// crm.auth's details, and the checks run on.
func TestTrustFindingsAreSaid(t *testing.T) {
	// Not parallel: it sets SSL_CERT_FILE.
	t.Setenv("SSL_CERT_FILE", "/dev/zero")
	t.Setenv("SSL_CERT_DIR", "")
	srv, err := demo.StartCRM(demo.CRMOptions{Provider: demo.CRMHubSpot})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	p := &config.Profile{}
	srv.Configure(p)
	r := &check.Runner{Timeout: 10 * time.Second}
	results := r.Run(context.Background(), Checks(p))
	require.NotEmpty(t, results)
	for _, res := range results {
		text := strings.Join(res.Details, "\n")
		if res.ID == IDAuth {
			require.Equal(t, check.Pass, res.Status, res.Summary)
			require.Contains(t, text, "SSL_CERT_FILE /dev/zero is not a regular file")
		} else {
			require.NotContains(t, text, "SSL_CERT_FILE", "said once, by %s", IDAuth)
		}
	}
}
