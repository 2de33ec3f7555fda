package suite

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/demo"
)

// TestTrustFindingsInEveryFamily: an unusable SSL_CERT_FILE is a finding,
// not a failure. Every family that makes a TLS connection says it once, in
// the details of its TLS check, and still passes on the sandbox's ca_file;
// no other check repeats it. One test for every family, so a family added
// later is held to it too.
func TestTrustFindingsInEveryFamily(t *testing.T) {
	// Not parallel: it sets SSL_CERT_FILE.
	t.Setenv("SSL_CERT_FILE", "/dev/zero")
	t.Setenv("SSL_CERT_DIR", "")
	sb, err := demo.StartSandbox("healthy", demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sb.Close() })

	r := &check.Runner{Timeout: 10 * time.Second}
	said := map[string]bool{}
	for _, res := range r.Run(context.Background(), For(sb.Profile, nil)) {
		if strings.Contains(strings.Join(res.Details, "\n"), "SSL_CERT_FILE /dev/zero is not a regular file") {
			said[res.ID] = true
			require.Equal(t, check.Pass, res.Status, "%s: %s", res.ID, res.Summary)
		}
	}
	// The TLS check of each family that speaks TLS in the sandbox.
	want := map[string]bool{"api.reachability": true, "crm.auth": true, "smtp.tls": true, "domain.bimi": true}
	require.Equal(t, want, said)
}
