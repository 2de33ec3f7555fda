package cache

import (
	"context"
	"log/slog"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/testutil"
)

const canary = "rds-c4n4ry-p4ssw0rd-0123456789"

// runRedis runs cache.redis through the runner against a URL.
func runRedis(t testing.TB, raw string, timeout time.Duration) (check.Result, string, time.Duration) {
	t.Helper()
	logs := &testutil.SyncBuffer{}
	logger := slog.New(slog.NewJSONHandler(logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := check.Check{ID: IDRedis, Category: "cache", Title: "Redis cache",
		Run: func(ctx context.Context) check.Result { return checkRedis(ctx, raw, logger) }}
	r := &check.Runner{Timeout: timeout}
	start := time.Now()
	res := r.Run(context.Background(), []check.Check{c})
	return res[0], logs.String(), time.Since(start)
}

func startRedis(t testing.TB, opts demo.RedisOptions) *demo.RedisServer {
	t.Helper()
	if opts.Password == "" {
		opts.Password = canary
	}
	srv, err := demo.StartRedis(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func text(r check.Result) string {
	return strings.Join(append([]string{r.Summary}, r.Details...), "\n")
}

func TestRedisSandbox(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name      string
		faults    []string
		resp2Only bool
		status    check.Status
		summary   string
	}{
		{"healthy RESP3", nil, false, check.Pass, "not evicting keys (1.2 MiB used, no memory limit)"},
		{"healthy RESP2 server", nil, true, check.Pass, "answered PING"},
		{"bad password", []string{demo.RedisFaultBadPassword}, false, check.Fail, "WRONGPASS"},
		{"one slow PING among quick ones", []string{demo.RedisFaultSlowOnce}, false, check.Pass, "not evicting keys"},
		{"every PING slow", []string{demo.RedisFaultSlow}, false, check.Warn, "slowly"},
		{"bad password RESP2", []string{demo.RedisFaultBadPassword}, true, check.Fail, "WRONGPASS"},
		{"no password", []string{demo.RedisFaultNoPassword}, false, check.Fail, "needs a password"},
		{"evicting", []string{demo.RedisFaultEvicting}, false, check.Warn, "evicting keys: 18342"},
		{"full", []string{demo.RedisFaultFull}, false, check.Warn, "almost full"},
		{"garbage", []string{demo.RedisFaultGarbage}, false, check.Error, "does not speak the Redis protocol"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			srv := startRedis(t, demo.RedisOptions{Faults: c.faults, RESP2Only: c.resp2Only})
			p := &config.Profile{}
			srv.Configure(p)
			r, logs, _ := runRedis(t, p.Cache.RedisURL, 5*time.Second)
			require.Equal(t, c.status, r.Status, text(r))
			require.Contains(t, r.Summary, c.summary, text(r))
			require.NotContains(t, text(r), canary)
			require.NotContains(t, logs, canary)
			if c.status != check.Pass {
				require.Contains(t, r.Articles, "ops-caching")
			}
			if !c.resp2Only && c.status == check.Pass {
				require.Contains(t, srv.Commands(), "HELLO")
				require.Contains(t, srv.Commands(), "INFO")
			}
			if c.resp2Only && c.status == check.Pass {
				require.Contains(t, srv.Commands(), "AUTH", "a RESP2 server makes the client fall back to AUTH")
			}
		})
	}
}

func TestRedisDetails(t *testing.T) {
	t.Parallel()
	srv := startRedis(t, demo.RedisOptions{Faults: []string{demo.RedisFaultEvicting}})
	r, _, _ := runRedis(t, srv.URL(), 5*time.Second)
	all := text(r)
	for _, want := range []string{"used_memory: 104651776 (99.8 MiB)", "maxmemory: 100.0 MiB", "maxmemory_policy: allkeys-lru", "evicted_keys: 18342", "PING round trip", "redis_version: 7.2.4"} {
		require.Contains(t, all, want)
	}
	require.Contains(t, all, "redis://•••@")
	used, _ := r.Fact("used_memory_bytes")
	require.Equal(t, int64(104651776), used)
	evicted, _ := r.Fact("evicted_keys")
	require.Equal(t, int64(18342), evicted)
}

func TestRedisHangGivesErrorInTime(t *testing.T) {
	t.Parallel()
	const timeout = time.Second
	srv := startRedis(t, demo.RedisOptions{Faults: []string{demo.RedisFaultHang}})
	r, logs, took := runRedis(t, srv.URL(), timeout)
	require.Equal(t, check.Error, r.Status, text(r))
	require.Less(t, took, timeout+500*time.Millisecond)
	require.NotContains(t, text(r), canary)
	require.NotContains(t, logs, canary)
}

func TestRedisSilentPeerGivesErrorInTime(t *testing.T) {
	t.Parallel()
	// A listener that accepts and never reads: the connect succeeds, HELLO waits.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = c.Close() })
		}
	}()
	const timeout = time.Second
	r, _, took := runRedis(t, "redis://:"+canary+"@"+ln.Addr().String()+"/0", timeout)
	require.Equal(t, check.Error, r.Status, text(r))
	require.Less(t, took, timeout+500*time.Millisecond)
}

func TestRedisRefused(t *testing.T) {
	t.Parallel()
	srv := startRedis(t, demo.RedisOptions{})
	url := srv.URL()
	require.NoError(t, srv.Close())
	r, _, _ := runRedis(t, url, 5*time.Second)
	require.Equal(t, check.Fail, r.Status, text(r))
	require.Contains(t, r.Summary, "Nothing is listening")
	require.NotContains(t, text(r), canary)
}

func TestRedisBadDatabase(t *testing.T) {
	t.Parallel()
	srv := startRedis(t, demo.RedisOptions{})
	r, _, _ := runRedis(t, strings.TrimSuffix(srv.URL(), "/0")+"/99", 5*time.Second)
	require.Equal(t, check.Fail, r.Status, text(r))
	require.Contains(t, r.Summary, "database number")

	r, _, _ = runRedis(t, strings.TrimSuffix(srv.URL(), "/0")+"/1", 5*time.Second)
	require.Equal(t, check.Pass, r.Status, text(r))
	require.Contains(t, srv.Commands(), "SELECT")
}

func TestRedisNotConfigured(t *testing.T) {
	t.Parallel()
	cs := Checks(&config.Profile{})
	require.Len(t, cs, 1)
	r := cs[0].Run(context.Background())
	require.Equal(t, check.Skip, r.Status)
	require.Contains(t, r.Summary, "cache.redis_url")
}

func TestMaskURL(t *testing.T) {
	t.Parallel()
	cases := []struct{ in, masked, password string }{
		{"redis://:" + canary + "@cache.internal:6379/0", "redis://•••@cache.internal:6379/0", canary},
		{"rediss://app:" + canary + "@cache.internal:6380", "rediss://•••@cache.internal:6380", canary},
		{"redis://cache.internal:6379/1", "redis://cache.internal:6379/1", ""},
		{"redis://:short@h:1/0", "redis://•••@h:1/0", "short"},
		{"redis://:" + canary + "@bad host:6379", "(not a valid URL)", canary},
	}
	for _, c := range cases {
		m, pw := maskURL(c.in)
		require.Equal(t, c.masked, m, c.in)
		require.Equal(t, c.password, pw, c.in)
	}
}

func TestUnreadableURLNeverEchoed(t *testing.T) {
	t.Parallel()
	r, logs, _ := runRedis(t, "redis://:"+canary+"@bad host:6379", time.Second)
	require.Equal(t, check.Fail, r.Status, text(r))
	require.NotContains(t, text(r), canary)
	require.NotContains(t, logs, canary)
}

func BenchmarkRedisCheck(b *testing.B) {
	srv := startRedis(b, demo.RedisOptions{})
	url := srv.URL()
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		cctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		r := checkRedis(cctx, url, nil)
		cancel()
		if r.Status != check.Pass {
			b.Fatal(r.Summary)
		}
	}
}

func TestProfileScrubberMasksRedisPassword(t *testing.T) {
	t.Parallel()
	cfg := &config.Config{Profiles: map[string]*config.Profile{"p": {Cache: config.CacheConfig{RedisURL: "redis://:" + canary + "@h:6379/0"}}}}
	out := cfg.Scrubber().Scrub("dial redis://:" + canary + "@h:6379/0 failed")
	require.NotContains(t, out, canary)
}

// TestTransportWarnings: certificate checks turned off, and a password in
// clear to another machine, are said; loopback and TLS are not.
func TestTransportWarnings(t *testing.T) {
	t.Parallel()
	for raw, want := range map[string]string{
		"rediss://:pw-123456@cache.example.com:6380/0?skip_verify=true": "skip_verify=true",
		"redis://:pw-123456@cache.example.com:6379/0":                   "over plain redis:// to cache.example.com",
		"redis://:pw-123456@10.1.2.3:6379/0":                            "over plain redis:// to 10.1.2.3",
		"redis://:pw-123456@127.0.0.1:6379/0":                           "",
		"redis://:pw-123456@localhost:6379/0":                           "",
		"rediss://:pw-123456@cache.example.com:6380/0":                  "",
		"redis://cache.example.com:6379/0":                              "",
	} {
		_, password := maskURL(raw)
		w := transportWarnings(raw, password)
		if want == "" {
			require.Empty(t, w, raw)
			continue
		}
		require.Len(t, w, 1, raw)
		require.Contains(t, w[0], want, raw)
		require.NotContains(t, w[0], "pw-123456")
	}
}
