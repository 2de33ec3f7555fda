package serve

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus/testutil"
	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

// BenchmarkCachedProbe is the cost of a probe answered from the cache: the
// sandbox's whole profile (every category, real results and facts), a
// fresh registry, the text exposition. The target is well under 5 ms.
func BenchmarkCachedProbe(b *testing.B) {
	sb := startSandbox(b, "mixed")
	s, err := New(Options{SettingsPath: sb.ConfigPath, CacheTTL: time.Hour})
	require.NoError(b, err)
	h := s.Handler()
	probe := func() *httptest.ResponseRecorder {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/probe?profile="+demo.SandboxProfile, nil))
		return rec
	}
	require.Equal(b, http.StatusOK, probe().Code)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if rec := probe(); rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
	b.StopTimer()
	require.EqualValues(b, 1, testutil.ToFloat64(s.metrics.runs), "the benchmark must measure the cache, not runs")
}

// BenchmarkUncachedProbe is a probe that runs every check of the sandbox's
// whole profile (--cache-ttl 0): what one run costs this machine, the
// sandbox's side included, for the README's capacity figures.
func BenchmarkUncachedProbe(b *testing.B) {
	sb := startSandbox(b, "healthy")
	s, err := New(Options{SettingsPath: sb.ConfigPath})
	require.NoError(b, err)
	h := s.Handler()
	b.ReportAllocs()
	for b.Loop() {
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/probe?profile="+demo.SandboxProfile, nil))
		if rec.Code != http.StatusOK {
			b.Fatalf("status %d", rec.Code)
		}
	}
}
