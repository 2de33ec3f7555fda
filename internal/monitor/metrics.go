// Package monitor probes the AI API over and over and keeps figures about
// it: latency percentiles, success and error rates, throughput per minute and
// each endpoint's health, in bounded memory. It raises alerts when a figure
// crosses a threshold. It knows nothing of the screen: the CLI prints JSON
// lines and the TUI draws the same Stats.
package monitor

import (
	"slices"
	"time"

	"pitstop/internal/human"
	"pitstop/internal/i18n"
)

// Outcome sorts a sample: the service answered well, refused the request, or
// failed.
type Outcome int

// The outcomes. Rejected is a 4xx answer (a bad key, a rate limit): the
// service is up but said no, so it lowers the success rate without counting as
// a service error.
const (
	Success  Outcome = iota // 2xx or 3xx
	Rejected                // 4xx
	Failed                  // 5xx, no answer, timeout, TLS or DNS failure
)

var outcomeNames = [...]string{"success", "rejected", "failed"}

// String returns the lower-case name used in JSON.
func (o Outcome) String() string {
	if o >= 0 && int(o) < len(outcomeNames) {
		return outcomeNames[o]
	}
	return "unknown"
}

// MarshalText writes the lower-case name.
func (o Outcome) MarshalText() ([]byte, error) { return []byte(o.String()), nil }

// OutcomeOf sorts an HTTP status (0 when there was no answer).
func OutcomeOf(status int) Outcome {
	switch {
	case status >= 200 && status < 400:
		return Success
	case status >= 400 && status < 500:
		return Rejected
	}
	return Failed
}

// Sample is one probe of one endpoint.
type Sample struct {
	Time     time.Time     `json:"time"`
	Endpoint string        `json:"endpoint"`
	Status   int           `json:"status"` // HTTP status; 0 when there was no answer
	Latency  time.Duration `json:"-"`
	Outcome  Outcome       `json:"outcome"`
	Error    string        `json:"error,omitempty"` // plain reason when there was no answer
}

// DefaultWindow is how many recent samples the metrics keep for
// percentiles, rates and the sparkline: an hour at one probe every 5 s.
const DefaultWindow = 720

// Metrics accumulates samples. Memory is bounded: the latest Window samples
// are kept in a ring; older ones only count in the totals.
type Metrics struct {
	start time.Time
	ring  []Sample
	next  int // where the next sample goes
	full  bool

	total, successes, rejected, failures int
	maxLatency                           time.Duration

	endpoints map[string]*EndpointStats
	order     []string // endpoints in the order first seen

	// period is the time between rounds: each round stands for one period
	// of traffic, so the first rounds do not inflate the throughput.
	period time.Duration
}

// SetPeriod tells the metrics how often samples are taken (zero: unknown).
func (m *Metrics) SetPeriod(d time.Duration) { m.period = d }

// NewMetrics returns empty metrics keeping the latest window samples
// (DefaultWindow when window <= 0). start is when monitoring began.
func NewMetrics(start time.Time, window int) *Metrics {
	if window <= 0 {
		window = DefaultWindow
	}
	return &Metrics{start: start, ring: make([]Sample, window), endpoints: map[string]*EndpointStats{}}
}

// Start returns when monitoring began.
func (m *Metrics) Start() time.Time { return m.start }

// Add records a sample.
func (m *Metrics) Add(s Sample) {
	m.ring[m.next] = s
	m.next++
	if m.next == len(m.ring) {
		m.next, m.full = 0, true
	}
	m.total++
	switch s.Outcome {
	case Success:
		m.successes++
	case Rejected:
		m.rejected++
	default:
		m.failures++
	}
	if s.Latency > m.maxLatency {
		m.maxLatency = s.Latency
	}
	e, ok := m.endpoints[s.Endpoint]
	if !ok {
		e = &EndpointStats{Endpoint: s.Endpoint}
		m.endpoints[s.Endpoint] = e
		m.order = append(m.order, s.Endpoint)
	}
	e.add(s)
}

// Len returns how many samples the window holds now.
func (m *Metrics) Len() int {
	if m.full {
		return len(m.ring)
	}
	return m.next
}

// Recent returns up to n of the latest samples, oldest first, appended to dst.
func (m *Metrics) Recent(dst []Sample, n int) []Sample {
	l := m.Len()
	if n > l {
		n = l
	}
	for i := n; i > 0; i-- {
		idx := m.next - i
		if idx < 0 {
			idx += len(m.ring)
		}
		dst = append(dst, m.ring[idx])
	}
	return dst
}

// RecentLatencies returns up to n of the latest latencies in milliseconds,
// oldest first, for a sparkline.
func (m *Metrics) RecentLatencies(n int) []float64 {
	samples := m.Recent(make([]Sample, 0, n), n)
	out := make([]float64, len(samples))
	for i, s := range samples {
		out[i] = float64(s.Latency.Microseconds()) / 1000
	}
	return out
}

// RecentLatenciesOf returns up to n of the latest latencies of one
// endpoint in milliseconds, oldest first.
func (m *Metrics) RecentLatenciesOf(endpoint string, n int) []float64 {
	l := m.Len()
	var out []float64
	for i := 1; i <= l && len(out) < n; i++ {
		idx := m.next - i
		if idx < 0 {
			idx += len(m.ring)
		}
		if s := m.ring[idx]; s.Endpoint == endpoint {
			out = append(out, float64(s.Latency.Microseconds())/1000)
		}
	}
	slices.Reverse(out)
	return out
}

// EndpointStats is one endpoint's health.
type EndpointStats struct {
	Endpoint    string        `json:"endpoint"`
	Total       int           `json:"total"`
	Successes   int           `json:"successes"`
	LastStatus  int           `json:"last_status"`
	LastLatency time.Duration `json:"-"`
	LastOutcome Outcome       `json:"last_outcome"`
	LastError   string        `json:"last_error,omitempty"`
	LastTime    time.Time     `json:"last_time"`
	// ConsecutiveFailures counts the latest samples in a row that did not succeed.
	ConsecutiveFailures int `json:"consecutive_failures"`
}

func (e *EndpointStats) add(s Sample) {
	e.Total++
	e.LastStatus, e.LastLatency, e.LastOutcome, e.LastError, e.LastTime = s.Status, s.Latency, s.Outcome, s.Error, s.Time
	if s.Outcome == Success {
		e.Successes++
		e.ConsecutiveFailures = 0
	} else {
		e.ConsecutiveFailures++
	}
}

// Healthy reports whether the endpoint's latest probe succeeded.
func (e EndpointStats) Healthy() bool { return e.Total > 0 && e.LastOutcome == Success }

// SuccessRate is the share of this endpoint's probes that succeeded.
func (e EndpointStats) SuccessRate() float64 {
	if e.Total == 0 {
		return 0
	}
	return float64(e.Successes) / float64(e.Total)
}

// Stats are the figures at one moment. Rates and percentiles cover the
// window of recent samples; the totals cover the whole run.
type Stats struct {
	Elapsed time.Duration `json:"-"`
	// Totals over the whole run.
	Total     int `json:"total"`
	Successes int `json:"successes"`
	Rejected  int `json:"rejected"`
	Failures  int `json:"failures"`
	// Over the window.
	Window      int           `json:"window"`
	P50         time.Duration `json:"-"`
	P95         time.Duration `json:"-"`
	Mean        time.Duration `json:"-"`
	Max         time.Duration `json:"-"`            // over the whole run
	SuccessRate float64       `json:"success_rate"` // 0..1
	ErrorRate   float64       `json:"error_rate"`   // 0..1, answers that failed (5xx, no answer)
	// Throughput is successful answers per minute over the last minute (or
	// since the start, when that is shorter).
	Throughput float64         `json:"throughput_per_min"`
	Endpoints  []EndpointStats `json:"endpoints"`
}

// LatencyLine is "Latency: p50 12 ms, p95 40 ms, max 81 ms." in lang: the
// summary's line, in the plain-text and the accessible monitor alike.
func (s Stats) LatencyLine(lang string) string {
	return i18n.T(lang, "monitor.latency_line", human.Duration(s.P50), human.Duration(s.P95), human.Duration(s.Max))
}

// Stats computes the figures at now.
func (m *Metrics) Stats(now time.Time) Stats {
	st := Stats{
		Elapsed: now.Sub(m.start), Total: m.total, Successes: m.successes, Rejected: m.rejected,
		Failures: m.failures, Max: m.maxLatency, Window: m.Len(),
	}
	n := m.Len()
	if n > 0 {
		lat := make([]time.Duration, 0, n)
		var sum time.Duration
		var ok, failed, lastMinute int
		minuteAgo := now.Add(-time.Minute)
		for i := range n {
			s := m.ring[i]
			lat = append(lat, s.Latency)
			sum += s.Latency
			switch s.Outcome {
			case Success:
				ok++
				if s.Time.After(minuteAgo) {
					lastMinute++
				}
			case Failed:
				failed++
			}
		}
		slices.Sort(lat)
		st.P50, st.P95 = percentile(lat, 50), percentile(lat, 95)
		st.Mean = sum / time.Duration(n)
		st.SuccessRate = float64(ok) / float64(n)
		st.ErrorRate = float64(failed) / float64(n)
		span := min(time.Minute, st.Elapsed+m.period)
		// The window may no longer reach back a whole minute.
		if oldest := m.ring[m.oldest()].Time; m.full && now.Sub(oldest) < span {
			span = now.Sub(oldest)
		}
		if span < time.Second {
			span = time.Second
		}
		st.Throughput = float64(lastMinute) / span.Minutes()
	}
	for _, name := range m.order {
		st.Endpoints = append(st.Endpoints, *m.endpoints[name])
	}
	return st
}

func (m *Metrics) oldest() int {
	if m.full {
		return m.next
	}
	return 0
}

// percentile returns the nearest-rank percentile p (0..100) of sorted values.
func percentile(sorted []time.Duration, p int) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// Nearest rank: the smallest value with at least p% of values at or below it.
	rank := (p*len(sorted) + 99) / 100
	if rank < 1 {
		rank = 1
	}
	return sorted[rank-1]
}
