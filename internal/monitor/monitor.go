package monitor

import (
	"context"
	"sync"
	"time"
)

// Target is one URL to probe: the API base or one of its endpoints[].
type Target struct {
	Name string // what the screen shows (the URL without secrets or query)
	URL  string
}

// Prober probes one target once and returns what it saw. It sets Status,
// Latency and Error; the monitor fills Time, Endpoint and Outcome. It must
// honour ctx.
type Prober func(ctx context.Context, t Target) Sample

// Monitor probes every target once per round and keeps the figures. Its
// methods are not safe for concurrent use except Round, which touches no
// state: the TUI calls Round in a command and Record in Update.
type Monitor struct {
	Targets    []Target
	Probe      Prober
	Interval   time.Duration
	Timeout    time.Duration // per probe; Interval when zero
	Thresholds Thresholds
	Now        func() time.Time

	metrics *Metrics
	alerts  *Alerts
}

// Options configure a Monitor.
type Options struct {
	Targets    []Target
	Probe      Prober
	Interval   time.Duration // default 5s
	Timeout    time.Duration // per probe; default the interval
	Thresholds Thresholds    // zero value means DefaultThresholds
	Window     int           // samples kept; DefaultWindow when zero
	Now        func() time.Time
}

// DefaultInterval is how often the targets are probed when nobody says.
const DefaultInterval = 5 * time.Second

// ProbeTimeout is how long one probe may take: the checks' timeout, but
// never more than the interval (a round ends before the next begins) and
// never under a second (a short interval must not starve a slow answer).
func ProbeTimeout(checkTimeout, interval time.Duration) time.Duration {
	return min(checkTimeout, max(interval, time.Second))
}

// New returns a monitor ready for its first round.
func New(o Options) *Monitor {
	if o.Interval <= 0 {
		o.Interval = DefaultInterval
	}
	if o.Timeout <= 0 {
		o.Timeout = o.Interval
	}
	if o.Thresholds == (Thresholds{}) {
		o.Thresholds = DefaultThresholds()
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	metrics := NewMetrics(o.Now(), o.Window)
	metrics.SetPeriod(o.Interval)
	return &Monitor{
		Targets: o.Targets, Probe: o.Probe, Interval: o.Interval, Timeout: o.Timeout,
		Thresholds: o.Thresholds, Now: o.Now,
		metrics: metrics, alerts: NewAlerts(),
	}
}

// PlannedPerMinute is how many requests a minute the schedule sends.
func (m *Monitor) PlannedPerMinute() float64 {
	return float64(len(m.Targets)) * float64(time.Minute) / float64(m.Interval)
}

// Round probes every target at once and returns the samples in target
// order. It does not record them.
func (m *Monitor) Round(ctx context.Context) []Sample {
	out := make([]Sample, len(m.Targets))
	var wg sync.WaitGroup
	for i, t := range m.Targets {
		wg.Add(1)
		go func() {
			defer wg.Done()
			pctx, cancel := context.WithTimeout(ctx, m.Timeout)
			defer cancel()
			start := m.Now()
			s := m.Probe(pctx, t)
			s.Time, s.Endpoint = start, t.Name
			s.Outcome = OutcomeOf(s.Status)
			out[i] = s
		}()
	}
	wg.Wait()
	return out
}

// Record adds samples, evaluates the thresholds and returns the alerts
// raised for the first time in this run.
func (m *Monitor) Record(samples ...Sample) []Alert {
	for _, s := range samples {
		m.metrics.Add(s)
	}
	now := m.Now()
	return m.alerts.Update(m.Thresholds.Evaluate(m.metrics.Stats(now), m.PlannedPerMinute(), now))
}

// Stats returns the figures now.
func (m *Monitor) Stats() Stats { return m.metrics.Stats(m.Now()) }

// Alerts returns every alert raised in this run, in order.
func (m *Monitor) Alerts() []Alert { return m.alerts.All() }

// Metrics gives read access to the samples kept (for the sparkline).
func (m *Monitor) Metrics() *Metrics { return m.metrics }

// Summary is the end of a run: the figures and every alert raised.
type Summary struct {
	Stats  Stats   `json:"stats"`
	Alerts []Alert `json:"alerts"`
}

// Summary returns the figures and alerts now.
func (m *Monitor) Summary() Summary {
	al := m.Alerts()
	if al == nil {
		al = []Alert{}
	}
	return Summary{Stats: m.Stats(), Alerts: al}
}

// Hooks receive what a Run sees, as it happens. Any may be nil. They are
// called from Run's goroutine, one at a time.
type Hooks struct {
	Sample func(Sample)
	// Round receives each finished round's samples, after Sample and
	// before the alerts the round raised.
	Round func([]Sample)
	Alert func(Alert)
}

// Run probes every Interval until duration has passed (the first round at
// once) or ctx ends, then returns the summary. A round still running when the
// time is up finishes (each probe is bounded by Timeout); no round starts
// after it. A zero duration runs until ctx ends.
func (m *Monitor) Run(ctx context.Context, duration time.Duration, h Hooks) Summary {
	start := time.Now()
	ticker := time.NewTicker(m.Interval)
	defer ticker.Stop()
	var deadline <-chan time.Time
	if duration > 0 {
		t := time.NewTimer(duration)
		defer t.Stop()
		deadline = t.C
	}
	for {
		samples := m.Round(ctx)
		if ctx.Err() != nil {
			// Probes cut short by Ctrl-C say nothing about the API.
			break
		}
		fresh := m.Record(samples...)
		for _, s := range samples {
			if h.Sample != nil {
				h.Sample(s)
			}
		}
		if h.Round != nil {
			h.Round(samples)
		}
		for _, a := range fresh {
			if h.Alert != nil {
				h.Alert(a)
			}
		}
		if duration > 0 && time.Since(start) >= duration {
			break
		}
		select {
		case <-ctx.Done():
			return m.Summary()
		case <-deadline:
			return m.Summary()
		case <-ticker.C:
		}
	}
	return m.Summary()
}
