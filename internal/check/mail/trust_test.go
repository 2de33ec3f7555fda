package mail

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/demo"
)

// TestTrustFindingsAreSaid: an unusable SSL_CERT_FILE is said in smtp.tls's
// details, and does not block a server whose smtp.ca_file is readable.
func TestTrustFindingsAreSaid(t *testing.T) {
	// Not parallel: it sets SSL_CERT_FILE.
	t.Setenv("SSL_CERT_FILE", "/dev/zero")
	t.Setenv("SSL_CERT_DIR", "")
	p := profileFor(t, startSMTP(t, demo.SMTPOptions{}))
	results := runChecks(p, 10*time.Second)
	tlsRes := results["smtp.tls"]
	require.Equal(t, check.Pass, tlsRes.Status, tlsRes.Summary)
	require.Contains(t, strings.Join(tlsRes.Details, "\n"), "SSL_CERT_FILE /dev/zero is not a regular file")
	require.Equal(t, check.Pass, results["smtp.auth"].Status, "smtp.ca_file is still trusted")
	require.NotContains(t, strings.Join(results["smtp.connect"].Details, "\n"), "SSL_CERT_FILE")
}
