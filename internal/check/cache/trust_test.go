package cache

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/demo"
)

// TestTrustFindingsAreSaid: over rediss://, the server's certificate is
// checked against the roots Go would use (here SSL_CERT_DIR, which holds
// its CA), and what loading them found (a FIFO next to the CA) is said in
// the details; the FIFO neither hangs nor blocks the check.
func TestTrustFindingsAreSaid(t *testing.T) {
	// Not parallel: it sets SSL_CERT_DIR.
	if runtime.GOOS == "darwin" || runtime.GOOS == "windows" {
		t.Skip("Go asks the system for its roots here, not SSL_CERT_DIR")
	}
	srv := startRedis(t, demo.RedisOptions{TLS: true})
	dir := t.TempDir()
	_, err := srv.CA.WriteFile(dir, "redis-ca.pem")
	require.NoError(t, err)
	require.NoError(t, syscall.Mkfifo(filepath.Join(dir, "fifo.pem"), 0o600))
	t.Setenv("SSL_CERT_FILE", "")
	t.Setenv("SSL_CERT_DIR", dir)
	require.True(t, strings.HasPrefix(srv.URL(), "rediss://"), srv.URL())
	r, _, _ := runRedis(t, srv.URL(), 10*time.Second)
	require.Equal(t, check.Pass, r.Status, text(r))
	require.Contains(t, text(r), filepath.Join(dir, "fifo.pem")+" is a named pipe (FIFO), not a regular file; it was skipped")

	// Without the CA, the certificate is refused, and said so.
	require.NoError(t, os.Remove(filepath.Join(dir, "redis-ca.pem")))
	r, _, _ = runRedis(t, srv.URL(), 10*time.Second)
	require.NotEqual(t, check.Pass, r.Status, text(r))
	require.Contains(t, text(r), "fifo.pem")
}
