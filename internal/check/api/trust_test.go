package api

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

// TestTrustFindingsAreSaid: an unusable SSL_CERT_FILE is said in
// api.reachability's details, and does not block the API, whose ca_file
// is readable.
func TestTrustFindingsAreSaid(t *testing.T) {
	// Not parallel: it sets SSL_CERT_FILE.
	t.Setenv("SSL_CERT_FILE", "/dev/zero")
	t.Setenv("SSL_CERT_DIR", "")
	srv, err := demo.StartAPI(demo.APIOptions{Provider: demo.APIOpenAI, Faults: []string{demo.APIFaultTLS}})
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	p := &config.Profile{Name: "test"}
	srv.Configure(p)
	require.NotEmpty(t, p.API.CAFile, "the sandbox API speaks TLS")
	r := &check.Runner{Timeout: 10 * time.Second}
	for _, res := range r.Run(context.Background(), Checks(p)) {
		text := strings.Join(res.Details, "\n")
		if res.ID == IDReachability {
			require.Equal(t, check.Pass, res.Status, res.Summary)
			require.Contains(t, text, "SSL_CERT_FILE /dev/zero is not a regular file")
		} else {
			require.NotContains(t, text, "SSL_CERT_FILE", "said once, by %s", IDReachability)
		}
	}
}
