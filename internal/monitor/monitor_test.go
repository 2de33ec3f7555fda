package monitor

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2025, 3, 1, 12, 0, 0, 0, time.UTC)

// knownSeries is ten samples, one every 6 s, with latencies 10..100 ms:
// eight succeed, the seventh is a 429 and the tenth got no answer.
func knownSeries() []Sample {
	var out []Sample
	for i := range 10 {
		s := Sample{Time: t0.Add(time.Duration(i+1) * 6 * time.Second), Endpoint: "https://api.test/v2",
			Status: 200, Latency: time.Duration(i+1) * 10 * time.Millisecond}
		switch i {
		case 6:
			s.Status = 429
		case 9:
			s.Status, s.Error = 0, "timeout"
		}
		s.Outcome = OutcomeOf(s.Status)
		out = append(out, s)
	}
	return out
}

func TestStatsOnKnownSeries(t *testing.T) {
	t.Parallel()
	m := NewMetrics(t0, 0)
	for _, s := range knownSeries() {
		m.Add(s)
	}
	st := m.Stats(t0.Add(time.Minute))
	require.Equal(t, 10, st.Total)
	require.Equal(t, 8, st.Successes)
	require.Equal(t, 1, st.Rejected)
	require.Equal(t, 1, st.Failures)
	require.Equal(t, 50*time.Millisecond, st.P50)
	require.Equal(t, 100*time.Millisecond, st.P95)
	require.Equal(t, 55*time.Millisecond, st.Mean)
	require.Equal(t, 100*time.Millisecond, st.Max)
	require.InDelta(t, 0.8, st.SuccessRate, 1e-9)
	require.InDelta(t, 0.1, st.ErrorRate, 1e-9)
	require.InDelta(t, 8.0, st.Throughput, 1e-9)
	require.Len(t, st.Endpoints, 1)
	e := st.Endpoints[0]
	require.Equal(t, 10, e.Total)
	require.Equal(t, 1, e.ConsecutiveFailures)
	require.False(t, e.Healthy())
	require.Equal(t, "timeout", e.LastError)
}

func TestThroughputCountsOnlyTheLastMinute(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		now  time.Duration // after t0
		want float64
	}{
		// 30 s in: five successes (6..30 s) over half a minute.
		{"half a minute in", 30 * time.Second, 10},
		{"one minute in", time.Minute, 8},
		// At 90 s only samples after 30 s count: 36, 48 and 54 s succeeded.
		{"ninety seconds in", 90 * time.Second, 3},
		{"long after", 10 * time.Minute, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			m := NewMetrics(t0, 0)
			for _, s := range knownSeries() {
				if !s.Time.After(t0.Add(tc.now)) {
					m.Add(s)
				}
			}
			require.InDelta(t, tc.want, m.Stats(t0.Add(tc.now)).Throughput, 1e-9)
		})
	}
}

// TestThroughputWithPeriod: a round every 5 s of two endpoints is 24 a
// minute from the first round on.
func TestThroughputWithPeriod(t *testing.T) {
	t.Parallel()
	m := NewMetrics(t0, 0)
	m.SetPeriod(5 * time.Second)
	for round := range 15 {
		at := t0.Add(time.Duration(round) * 5 * time.Second)
		for _, ep := range []string{"a", "b"} {
			m.Add(Sample{Time: at, Endpoint: ep, Status: 200, Outcome: Success, Latency: time.Millisecond})
		}
		require.InDelta(t, 24.0, m.Stats(at).Throughput, 1e-9, "round %d", round)
	}
}

func TestMetricsMemoryIsBounded(t *testing.T) {
	t.Parallel()
	m := NewMetrics(t0, 4)
	for _, s := range knownSeries() {
		m.Add(s)
	}
	require.Equal(t, 4, m.Len())
	require.Len(t, m.ring, 4)
	got := m.Recent(nil, 10)
	require.Len(t, got, 4)
	require.Equal(t, 70*time.Millisecond, got[0].Latency)
	require.Equal(t, 100*time.Millisecond, got[3].Latency)
	require.Equal(t, []float64{90, 100}, m.RecentLatencies(2))
	require.Equal(t, []float64{80, 90, 100}, m.RecentLatenciesOf("https://api.test/v2", 3))
	require.Empty(t, m.RecentLatenciesOf("other", 3))

	st := m.Stats(t0.Add(time.Minute))
	require.Equal(t, 10, st.Total, "totals cover the whole run")
	require.Equal(t, 4, st.Window)
	// Window 70 (429), 80, 90, 100 (failed).
	require.Equal(t, 80*time.Millisecond, st.P50)
	require.Equal(t, 100*time.Millisecond, st.P95)
	require.InDelta(t, 0.5, st.SuccessRate, 1e-9)
	require.InDelta(t, 0.25, st.ErrorRate, 1e-9)
	// The window reaches back to 42 s: 2 successes in 18 s.
	require.InDelta(t, 2/(18.0/60), st.Throughput, 1e-9)

	// A million more samples do not grow it.
	for i := range 1_000_000 {
		m.Add(Sample{Time: t0.Add(time.Duration(i) * time.Millisecond), Endpoint: "e", Status: 200, Latency: time.Millisecond})
	}
	require.Len(t, m.ring, 4)
	require.Len(t, m.endpoints, 2)
}

func TestPercentile(t *testing.T) {
	t.Parallel()
	ds := func(ms ...int) []time.Duration {
		out := make([]time.Duration, len(ms))
		for i, v := range ms {
			out[i] = time.Duration(v) * time.Millisecond
		}
		return out
	}
	tests := []struct {
		values []time.Duration
		p      int
		want   time.Duration
	}{
		{nil, 50, 0},
		{ds(7), 50, 7 * time.Millisecond},
		{ds(7), 95, 7 * time.Millisecond},
		{ds(1, 2), 50, 1 * time.Millisecond},
		{ds(1, 2, 3, 4), 95, 4 * time.Millisecond},
		{ds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 95, 19 * time.Millisecond},
		{ds(1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20), 50, 10 * time.Millisecond},
	}
	for _, tc := range tests {
		t.Run(fmt.Sprint(tc.values, tc.p), func(t *testing.T) {
			t.Parallel()
			require.Equal(t, tc.want, percentile(tc.values, tc.p))
		})
	}
}

func TestOutcomeOf(t *testing.T) {
	t.Parallel()
	for status, want := range map[int]Outcome{0: Failed, 200: Success, 204: Success, 301: Success, 401: Rejected, 429: Rejected, 500: Failed, 503: Failed} {
		require.Equal(t, want, OutcomeOf(status), status)
	}
}

func TestEvaluate(t *testing.T) {
	t.Parallel()
	healthy := Stats{Window: 10, Elapsed: 2 * time.Minute, Mean: 100 * time.Millisecond, SuccessRate: 1, Throughput: 120,
		Endpoints: []EndpointStats{{Endpoint: "a", Total: 10, Successes: 10, LastOutcome: Success}}}
	tests := []struct {
		name    string
		change  func(*Stats)
		planned float64
		want    []AlertKind
	}{
		{"healthy", func(*Stats) {}, 120, nil},
		{"no samples yet", func(s *Stats) { s.Window = 0; s.SuccessRate = 0 }, 120, nil},
		{"slow", func(s *Stats) { s.Mean = 5001 * time.Millisecond }, 120, []AlertKind{HighResponseTime}},
		{"exactly at the limit is fine", func(s *Stats) { s.Mean = 5 * time.Second; s.ErrorRate = 0.05; s.SuccessRate = 0.95 }, 120, nil},
		{"errors", func(s *Stats) { s.ErrorRate = 0.2; s.SuccessRate = 0.8 }, 120, []AlertKind{HighErrorRate, LowSuccessRate}},
		{"rejections lower success only", func(s *Stats) { s.SuccessRate = 0.5 }, 120, []AlertKind{LowSuccessRate}},
		{"low throughput", func(s *Stats) { s.Throughput = 50 }, 120, []AlertKind{LowThroughput}},
		{"throughput not judged when the schedule cannot reach it", func(s *Stats) { s.Throughput = 12 }, 12, nil},
		{"throughput not judged in the first minute", func(s *Stats) { s.Throughput = 50; s.Elapsed = 30 * time.Second }, 120, nil},
		{"endpoint down", func(s *Stats) {
			s.Endpoints = append(s.Endpoints, EndpointStats{Endpoint: "b", Total: 3, ConsecutiveFailures: 3, LastOutcome: Failed})
		}, 120, []AlertKind{EndpointDown}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			st := healthy
			st.Endpoints = append([]EndpointStats(nil), healthy.Endpoints...)
			tc.change(&st)
			var kinds []AlertKind
			for _, a := range DefaultThresholds().Evaluate(st, tc.planned, t0) {
				kinds = append(kinds, a.Kind)
				require.NotEmpty(t, a.Message)
				require.True(t, a.Active)
				require.NotZero(t, a.Limit)
				if a.Kind == EndpointDown {
					require.Equal(t, "b", a.Endpoint)
					require.InDelta(t, 3.0, a.Value, 1e-9)
				}
				if a.Kind == HighResponseTime {
					require.InDelta(t, 5001.0, a.Value, 1e-9)
					require.InDelta(t, 5000.0, a.Limit, 1e-9)
				}
			}
			require.Equal(t, tc.want, kinds)
		})
	}
}

func TestAlertsAreNewOncePerKind(t *testing.T) {
	t.Parallel()
	a := NewAlerts()
	slow := Alert{Kind: HighResponseTime, Severity: Warning, Message: "slow", Since: t0, Active: true}
	errs := Alert{Kind: HighErrorRate, Severity: Critical, Message: "errors", Since: t0.Add(time.Minute), Active: true}

	require.Equal(t, []Alert{slow}, a.Update([]Alert{slow}))
	require.Empty(t, a.Update([]Alert{slow}), "still slow: not new")
	require.Equal(t, []Alert{errs}, a.Update([]Alert{errs}))
	all := a.All()
	require.Len(t, all, 2)
	require.False(t, all[0].Active, "slow cleared")
	require.True(t, all[1].Active)

	again := slow
	again.Since = t0.Add(time.Hour)
	require.Empty(t, a.Update([]Alert{again}), "slow came back: reported once already")
	require.True(t, a.All()[0].Active)
	require.Equal(t, t0, a.All()[0].Since, "keeps the first time")

	down1 := Alert{Kind: EndpointDown, Message: "a down", Active: true}
	down2 := Alert{Kind: EndpointDown, Message: "b down", Active: true}
	require.Len(t, a.Update([]Alert{down1, down2}), 1)
}

func TestThresholdsValidate(t *testing.T) {
	t.Parallel()
	require.NoError(t, DefaultThresholds().Validate())
	bad := []func(*Thresholds){
		func(t *Thresholds) { t.ResponseTime = 0 },
		func(t *Thresholds) { t.ErrorRate = 1.5 },
		func(t *Thresholds) { t.SuccessRate = -0.1 },
		func(t *Thresholds) { t.Throughput = -1 },
	}
	for i, f := range bad {
		th := DefaultThresholds()
		f(&th)
		require.Error(t, th.Validate(), i)
	}
}

// fakeClock advances by step on every reading.
type fakeClock struct {
	now  atomic.Int64
	step time.Duration
}

func (c *fakeClock) Now() time.Time {
	return time.Unix(0, c.now.Add(int64(c.step))).UTC()
}

func TestRoundAndRecord(t *testing.T) {
	t.Parallel()
	clock := &fakeClock{step: time.Second}
	clock.now.Store(t0.UnixNano())
	statuses := map[string]int{"a": 200, "b": 503}
	m := New(Options{
		Targets:  []Target{{Name: "a", URL: "http://a"}, {Name: "b", URL: "http://b"}},
		Interval: 5 * time.Second,
		Now:      clock.Now,
		Probe: func(ctx context.Context, tg Target) Sample {
			_, ok := ctx.Deadline()
			require.True(t, ok, "each probe has a deadline")
			return Sample{Status: statuses[tg.Name], Latency: 20 * time.Millisecond}
		},
	})
	require.InDelta(t, 24.0, m.PlannedPerMinute(), 1e-9)

	samples := m.Round(context.Background())
	require.Len(t, samples, 2)
	require.Equal(t, "a", samples[0].Endpoint)
	require.Equal(t, Success, samples[0].Outcome)
	require.Equal(t, Failed, samples[1].Outcome)
	require.False(t, samples[0].Time.IsZero())

	fresh := m.Record(samples...)
	var kinds []AlertKind
	for _, a := range fresh {
		kinds = append(kinds, a.Kind)
	}
	require.Equal(t, []AlertKind{HighErrorRate, LowSuccessRate}, kinds)
	require.Empty(t, m.Record(m.Round(context.Background())...), "the same alerts are not new")
	down := m.Record(m.Round(context.Background())...)
	require.Len(t, down, 1, "b is down after three failures")
	require.Equal(t, EndpointDown, down[0].Kind)
	require.Len(t, m.Alerts(), 3)
	require.Equal(t, EndpointDown, m.Alerts()[2].Kind)

	st := m.Stats()
	require.Equal(t, 6, st.Total)
	require.Len(t, st.Endpoints, 2)
	require.True(t, st.Endpoints[0].Healthy())
	require.False(t, st.Endpoints[1].Healthy())
}

func TestRunStopsAfterDuration(t *testing.T) {
	t.Parallel()
	var rounds atomic.Int32
	m := New(Options{
		Targets:  []Target{{Name: "a"}},
		Interval: 10 * time.Millisecond,
		Probe: func(ctx context.Context, tg Target) Sample {
			rounds.Add(1)
			return Sample{Status: 200, Latency: time.Millisecond}
		},
	})
	var seen []Sample
	start := time.Now()
	sum := m.Run(context.Background(), 50*time.Millisecond, Hooks{Sample: func(s Sample) { seen = append(seen, s) }})
	require.Less(t, time.Since(start), 50*time.Millisecond+500*time.Millisecond)
	require.GreaterOrEqual(t, len(seen), 1)
	require.Equal(t, int(rounds.Load()), sum.Stats.Total)
	require.Equal(t, len(seen), sum.Stats.Total)
	require.Empty(t, sum.Alerts)
	require.NotNil(t, sum.Alerts, "JSON shows [] not null")
}

func TestRunEndsOnCancel(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithCancel(context.Background())
	var alerts []Alert
	m := New(Options{
		Targets:  []Target{{Name: "a"}},
		Interval: 10 * time.Millisecond,
		Probe: func(ctx context.Context, tg Target) Sample {
			return Sample{Status: 500, Latency: time.Millisecond}
		},
	})
	start := time.Now()
	sum := m.Run(ctx, 0, Hooks{Alert: func(a Alert) {
		alerts = append(alerts, a)
		cancel()
	}})
	require.Less(t, time.Since(start), 500*time.Millisecond)
	require.Equal(t, 1, sum.Stats.Total)
	require.Len(t, alerts, 2)
}

func TestJSONShapes(t *testing.T) {
	t.Parallel()
	m := NewMetrics(t0, 0)
	for _, s := range knownSeries() {
		m.Add(s)
	}
	b, err := json.Marshal(knownSeries()[9])
	require.NoError(t, err)
	require.JSONEq(t, `{"time":"2025-03-01T12:01:00Z","endpoint":"https://api.test/v2","status":0,"outcome":"failed","error":"timeout","latency_ms":100}`, string(b))

	b, err = json.Marshal(m.Stats(t0.Add(time.Minute)))
	require.NoError(t, err)
	var got map[string]any
	require.NoError(t, json.Unmarshal(b, &got))
	for _, k := range []string{"total", "successes", "rejected", "failures", "window", "success_rate", "error_rate",
		"throughput_per_min", "endpoints", "elapsed_s", "p50_ms", "p95_ms", "mean_ms", "max_ms"} {
		require.Contains(t, got, k)
	}
	require.InDelta(t, 95.0, got["p95_ms"].(float64)+(-5), 1e-9)
	ep := got["endpoints"].([]any)[0].(map[string]any)
	require.Equal(t, false, ep["healthy"])
	require.InDelta(t, 100.0, ep["last_latency_ms"], 1e-9)
}

// TestEndpointDownNamesEveryEndpoint: several endpoints down make one
// ENDPOINT_DOWN alert whose text names each of them.
func TestEndpointDownNamesEveryEndpoint(t *testing.T) {
	t.Parallel()
	st := Stats{Window: 9, Total: 9, SuccessRate: 1, Endpoints: []EndpointStats{
		{Endpoint: "https://a.test", Total: 3, ConsecutiveFailures: 5, LastOutcome: Failed},
		{Endpoint: "https://b.test", Total: 3, Successes: 3, LastOutcome: Success},
		{Endpoint: "https://c.test", Total: 3, ConsecutiveFailures: 3, LastOutcome: Failed},
	}}
	tests := []struct {
		name      string
		endpoints []EndpointStats
		message   string
		endpoint  string
		value     float64
	}{
		{"one down", st.Endpoints[:2], "https://a.test failed its last 5 checks in a row.", "https://a.test", 5},
		{"two down", st.Endpoints,
			"2 endpoints are down: https://a.test, https://c.test; each failed at least its last 3 checks in a row.",
			"https://a.test, https://c.test", 3},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			s := st
			s.Endpoints = tc.endpoints
			var down []Alert
			for _, a := range DefaultThresholds().Evaluate(s, 0, t0) {
				if a.Kind == EndpointDown {
					down = append(down, a)
				}
			}
			require.Len(t, down, 1, "one alert of the kind")
			require.Equal(t, tc.message, down[0].Message)
			require.Equal(t, tc.endpoint, down[0].Endpoint)
			require.Equal(t, strings.Split(tc.endpoint, ", "), down[0].Endpoints)
			require.InDelta(t, tc.value, down[0].Value, 1e-9, "the fewest failures in a row: true of each endpoint named")
		})
	}

	// A second endpoint going down later is no new alert (no second email),
	// but the alert's text now names both.
	book := NewAlerts()
	first := DefaultThresholds().Evaluate(Stats{Window: 3, SuccessRate: 1, Endpoints: st.Endpoints[:2]}, 0, t0)
	require.Len(t, book.Update(first), 1)
	later := DefaultThresholds().Evaluate(Stats{Window: 3, SuccessRate: 1, Endpoints: st.Endpoints}, 0, t0.Add(time.Minute))
	require.Empty(t, book.Update(later))
	all := book.All()
	require.Len(t, all, 1)
	require.Contains(t, all[0].Message, "https://a.test")
	require.Contains(t, all[0].Message, "https://c.test")
	require.Equal(t, []string{"https://a.test", "https://c.test"}, all[0].Endpoints)
	require.Equal(t, t0, all[0].Since)
}

// TestAlertTextIsTheCatalogue: an alert's English message is its text in
// the catalogue, and the same numbers read in another language.
func TestAlertTextIsTheCatalogue(t *testing.T) {
	t.Parallel()
	st := Stats{Window: 10, Total: 10, ErrorRate: 0.2, SuccessRate: 0.8, Mean: 6 * time.Second}
	alerts := DefaultThresholds().Evaluate(st, 0, t0)
	require.Len(t, alerts, 3)
	for _, a := range alerts {
		require.Equal(t, a.Text("en"), a.Message)
		require.NotEqual(t, a.Message, a.Text("es"), a.Kind)
		require.NotContains(t, a.Message, "monitor.alert", "a message id is no sentence")
	}
	require.Equal(t, "Answers are slow: 6.0 s on average, above the 5.0 s limit.", alerts[0].Message)
	require.Equal(t, "The API is failing: 20.0% of requests got no good answer (limit 5.0%).", alerts[1].Message)
}
