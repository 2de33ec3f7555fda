package monitor

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
	"pitstop/internal/demo"
)

func startAPI(t testing.TB, opts demo.APIOptions) (*demo.APIServer, *config.Profile) {
	t.Helper()
	srv, err := demo.StartAPI(opts)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	p := &config.Profile{Name: "t"}
	srv.Configure(p)
	return srv, p
}

func TestTargets(t *testing.T) {
	t.Parallel()
	p := &config.Profile{API: config.APIConfig{BaseURL: "https://api.test/v2/", Endpoints: []string{
		"https://api.test/v2", " https://eu.api.test/v2 ", "", "https://eu.api.test/v2/",
	}}}
	require.Equal(t, []Target{
		{Name: "https://api.test/v2", URL: "https://api.test/v2"},
		{Name: "https://eu.api.test/v2", URL: "https://eu.api.test/v2"},
	}, Targets(p))
	_, err := ForProfile(&config.Profile{}, ProfileOptions{})
	require.ErrorIs(t, err, ErrNoAPI)
}

// TestForProfileFollowsProviderConventions probes sandbox APIs of each
// provider: a 200 proves the request had the provider's path and headers.
func TestForProfileFollowsProviderConventions(t *testing.T) {
	t.Parallel()
	tests := []struct {
		provider string
		faults   []string
		status   int
		outcome  Outcome
	}{
		{demo.APICopyCar, []string{demo.APIFaultTLS}, 200, Success},
		{demo.APIOpenAI, nil, 200, Success},
		{demo.APIAnthropic, nil, 200, Success},
		{demo.APICustom, nil, 200, Success},
		{demo.APICopyCar, []string{demo.APIFaultBadKey}, 401, Rejected},
		{demo.APIOpenAI, []string{demo.APIFaultRateLimited}, 429, Rejected},
		{demo.APICopyCar, []string{demo.APIFaultServerError}, 500, Failed},
	}
	for _, tc := range tests {
		t.Run(tc.provider+"/"+fmtFaults(tc.faults), func(t *testing.T) {
			t.Parallel()
			srv, p := startAPI(t, demo.APIOptions{Provider: tc.provider, Faults: tc.faults})
			m, err := ForProfile(p, ProfileOptions{Interval: time.Second, Timeout: 5 * time.Second})
			require.NoError(t, err)
			samples := m.Round(context.Background())
			require.Len(t, samples, 1)
			s := samples[0]
			require.Equal(t, tc.status, s.Status, s.Error)
			require.Equal(t, tc.outcome, s.Outcome)
			require.Positive(t, s.Latency)
			require.Equal(t, srv.URL, s.Endpoint)
			reqs := srv.Requests()
			require.Len(t, reqs, 1)
			require.NotContains(t, reqs[0].URL, srv.Key(), "the key never travels in a URL")
		})
	}
}

// TestProbeOfAHangingAPIIsBounded: a probe of an API that never answers
// ends within its timeout (plus 0.5 s) as a failure with a plain reason.
func TestProbeOfAHangingAPIIsBounded(t *testing.T) {
	t.Parallel()
	for _, fault := range []string{demo.APIFaultHang, demo.APIFaultGarbage} {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			_, p := startAPI(t, demo.APIOptions{Faults: []string{fault}})
			timeout := 300 * time.Millisecond
			m, err := ForProfile(p, ProfileOptions{Interval: time.Second, Timeout: timeout})
			require.NoError(t, err)
			start := time.Now()
			s := m.Round(context.Background())[0]
			require.Less(t, time.Since(start), timeout+500*time.Millisecond)
			require.Equal(t, Failed, s.Outcome)
			require.Zero(t, s.Status)
			require.NotEmpty(t, s.Error)
		})
	}
}

// TestForProfileErrorsPassTheDoor: a failed probe's error is kept only
// after the door: the key (here inside the URL the error quotes) masked.
func TestForProfileErrorsPassTheDoor(t *testing.T) {
	t.Parallel()
	const key = "ccai_live_0123456789abcdef0123456789"
	p := &config.Profile{API: config.APIConfig{Provider: "copycar", BaseURL: "https://127.0.0.1:1/v2/" + key,
		Key: config.NewSecret(key, "file")}}
	door := config.NewScrubber(p.API.Key)
	m, err := ForProfile(p, ProfileOptions{Interval: time.Second, Timeout: time.Second,
		Door: func() *config.Scrubber { return door }})
	require.NoError(t, err)
	s := m.Round(context.Background())[0]
	require.Equal(t, Failed, s.Outcome)
	require.Contains(t, s.Error, "127.0.0.1")
	require.NotContains(t, s.Error, key[10:])
}

func fmtFaults(f []string) string {
	if len(f) == 0 {
		return "healthy"
	}
	return f[0]
}

// BenchmarkSampleLoopback is one probe of a sandbox API over TLS on
// loopback, recorded and evaluated: the cost of one sample end to end.
func BenchmarkSampleLoopback(b *testing.B) {
	_, p := startAPI(b, demo.APIOptions{Faults: []string{demo.APIFaultTLS}})
	m, err := ForProfile(p, ProfileOptions{Interval: time.Second, Timeout: 5 * time.Second, Logger: slog.New(slog.DiscardHandler)})
	require.NoError(b, err)
	ctx := context.Background()
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		m.Record(m.Round(ctx)...)
	}
}

// BenchmarkRecordFullWindow is recording one sample and evaluating the
// thresholds with the window full (720 samples, three endpoints).
func BenchmarkRecordFullWindow(b *testing.B) {
	now := t0
	m := New(Options{Targets: []Target{{Name: "a"}}, Interval: 5 * time.Second, Now: func() time.Time { return now }})
	eps := []string{"a", "b", "c"}
	for i := range DefaultWindow {
		m.Record(Sample{Time: now, Endpoint: eps[i%3], Status: 200, Outcome: Success, Latency: time.Duration(i%97) * time.Millisecond})
		now = now.Add(time.Second)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := range b.N {
		now = now.Add(time.Second)
		m.Record(Sample{Time: now, Endpoint: eps[i%3], Status: 200, Outcome: Success, Latency: time.Duration(i%97) * time.Millisecond})
	}
}
