package cli

import (
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/demo"
)

// cacheResult runs `pitstop check --only cache --format json` and returns
// cache.redis.
func cacheResult(t *testing.T, configPath string) (status check.Status, text string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	code, out, errOut := runCLI(t, ctx, "--config", configPath, "check", "--only", "cache", "--format", "json")
	var res checkJSON
	require.NoError(t, json.Unmarshal([]byte(out), &res), "stdout: %s\nstderr: %s", out, errOut)
	require.Len(t, res.Results, 1)
	r := res.Results[0]
	require.Equal(t, "cache.redis", r.ID)
	require.Equal(t, 0, code, "a warning alone exits 0: %s", errOut)
	return r.Status, r.Summary + "\n" + strings.Join(r.Details, "\n")
}

// TestRedisTransportWarningsEndToEnd: the sandbox's Redis, reached as a
// person configures it. Over rediss:// with skip_verify=true (the
// cache-skip-verify scenario) the check connects and warns that certificate
// checks are off; with a password over plain redis:// to an address that is
// not loopback it warns that the password crosses the network in clear.
func TestRedisTransportWarningsEndToEnd(t *testing.T) {
	t.Parallel()
	t.Run("skip_verify", func(t *testing.T) {
		t.Parallel()
		sb, err := demo.StartSandbox("cache-skip-verify", demo.SandboxOptions{Dir: t.TempDir()})
		require.NoError(t, err)
		t.Cleanup(func() { sb.Close() })
		require.True(t, strings.HasPrefix(sb.Profile.Cache.RedisURL, "rediss://"), "the scenario's Redis speaks TLS")
		status, text := cacheResult(t, sb.ConfigPath)
		require.Equal(t, check.Warn, status, text)
		require.Contains(t, text, "turns certificate checks off (skip_verify=true)")
		require.Contains(t, text, "answered PING", "it did connect")
		require.NotContains(t, text, sb.Redis.Password())
	})
	t.Run("password over plain redis to another machine", func(t *testing.T) {
		t.Parallel()
		ip := nonLoopbackIPv4(t)
		srv, err := demo.StartRedis(demo.RedisOptions{Addr: net.JoinHostPort(ip, "0")})
		require.NoError(t, err)
		t.Cleanup(func() { _ = srv.Close() })
		cfg := filepath.Join(t.TempDir(), "config.yaml")
		require.NoError(t, os.WriteFile(cfg, []byte("profiles:\n  p:\n    cache:\n      redis_url: "+srv.URL()+"\n"), 0o600))
		status, text := cacheResult(t, cfg)
		require.Equal(t, check.Warn, status, text)
		require.Contains(t, text, "sends the password over plain redis:// to "+ip)
		require.Contains(t, text, "answered PING", "it did connect")
		require.NotContains(t, text, srv.Password())
	})
}

// nonLoopbackIPv4 is an address of this machine that is not loopback: a
// Redis listening there is "another machine" as far as the check can tell.
func nonLoopbackIPv4(t *testing.T) string {
	t.Helper()
	addrs, err := net.InterfaceAddrs()
	require.NoError(t, err)
	for _, a := range addrs {
		if n, ok := a.(*net.IPNet); ok && !n.IP.IsLoopback() && n.IP.To4() != nil {
			return n.IP.String()
		}
	}
	t.Skip("this machine has no address but loopback")
	return ""
}
