package monitor

import (
	"fmt"
	"strings"
	"time"

	"pitstop/internal/human"
	"pitstop/internal/i18n"
)

// Thresholds decide when figures raise an alert.
type Thresholds struct {
	// ResponseTime: the mean latency over the window above this alerts.
	ResponseTime time.Duration
	// ErrorRate: a share (0..1) of failed probes above this alerts.
	ErrorRate float64
	// SuccessRate: a share (0..1) of successful probes below this alerts.
	SuccessRate float64
	// Throughput: successful answers per minute below this alerts, but only
	// when the probing schedule sends at least that many requests a minute
	// (a monitor probing every 5 s cannot reach 100 a minute by itself).
	Throughput float64
	// DownAfter: an endpoint failing this many probes in a row is reported down.
	DownAfter int
}

// DefaultThresholds returns starting thresholds, to tune per team: 5000 ms,
// 5% errors, 95% success, 100 requests per minute; an endpoint is down after
// 3 failures in a row.
func DefaultThresholds() Thresholds {
	return Thresholds{ResponseTime: 5 * time.Second, ErrorRate: 0.05, SuccessRate: 0.95, Throughput: 100, DownAfter: 3}
}

// Validate says what is wrong with a threshold, in plain words.
func (t Thresholds) Validate() error {
	switch {
	case t.ResponseTime <= 0:
		return fmt.Errorf("the response-time threshold must be more than zero (for example 5s)")
	case t.ErrorRate < 0 || t.ErrorRate > 1:
		return fmt.Errorf("the error-rate threshold must be between 0 and 100%%")
	case t.SuccessRate < 0 || t.SuccessRate > 1:
		return fmt.Errorf("the success-rate threshold must be between 0 and 100%%")
	case t.Throughput < 0:
		return fmt.Errorf("the throughput threshold must be zero or more")
	}
	return nil
}

// AlertKind names an alert; each kind is emailed at most once per run.
type AlertKind string

// The alert kinds, named as alerting tools expect (upper case).
const (
	HighResponseTime AlertKind = "HIGH_RESPONSE_TIME"
	HighErrorRate    AlertKind = "HIGH_ERROR_RATE"
	LowSuccessRate   AlertKind = "LOW_SUCCESS_RATE"
	LowThroughput    AlertKind = "LOW_THROUGHPUT"
	EndpointDown     AlertKind = "ENDPOINT_DOWN"
	// TestAlert is sent on request (monitor --test-alert), never raised.
	TestAlert AlertKind = "TEST"
)

// Severity of an alert.
type Severity string

// Word is the severity as the screens, the summary and the email say it in
// lang ("CRITICAL").
func (s Severity) Word(lang string) string { return i18n.T(lang, "monitor.sev."+string(s)) }

// The severities.
const (
	Warning  Severity = "WARNING"
	Critical Severity = "CRITICAL"
)

// Alert is a threshold crossed.
type Alert struct {
	Kind     AlertKind `json:"kind"`
	Severity Severity  `json:"severity"`
	Message  string    `json:"message"` // one plain sentence in English: Text(i18n.English)
	Since    time.Time `json:"since"`   // when it was first raised
	Active   bool      `json:"active"`  // still crossed at the latest evaluation
	// Value crossed Limit: milliseconds for HIGH_RESPONSE_TIME, a share
	// (0..1) for the rates, requests a minute for LOW_THROUGHPUT, failures
	// in a row for ENDPOINT_DOWN (the fewest among the endpoints down, so
	// it holds for each). Screens use them to say it in their language.
	Value float64 `json:"value"`
	Limit float64 `json:"limit"`
	// Endpoint, for ENDPOINT_DOWN, names the endpoint that is down or, when
	// several are, all of them separated by commas, so a screen that shows
	// it names every one.
	Endpoint string `json:"endpoint,omitempty"`
	// Endpoints lists the endpoints down one by one (ENDPOINT_DOWN).
	Endpoints []string `json:"endpoints,omitempty"`
}

// Evaluate returns the alerts the stats raise against the thresholds.
// planned is how many requests a minute the probing schedule sends (for the
// throughput rule); now stamps the alerts.
func (t Thresholds) Evaluate(st Stats, planned float64, now time.Time) []Alert {
	if st.Window == 0 {
		return nil
	}
	var out []Alert
	add := func(k AlertKind, sev Severity, value, limit float64) *Alert {
		out = append(out, Alert{Kind: k, Severity: sev, Since: now, Active: true, Value: value, Limit: limit})
		return &out[len(out)-1]
	}
	if st.Mean > t.ResponseTime {
		add(HighResponseTime, Warning, msf(st.Mean), msf(t.ResponseTime))
	}
	if st.ErrorRate > t.ErrorRate {
		add(HighErrorRate, Critical, st.ErrorRate, t.ErrorRate)
	}
	if st.SuccessRate < t.SuccessRate {
		add(LowSuccessRate, Warning, st.SuccessRate, t.SuccessRate)
	}
	if t.Throughput > 0 && planned >= t.Throughput && st.Elapsed >= time.Minute && st.Throughput < t.Throughput {
		add(LowThroughput, Warning, st.Throughput, t.Throughput)
	}
	if t.DownAfter > 0 {
		var down []EndpointStats
		for _, e := range st.Endpoints {
			if e.ConsecutiveFailures >= t.DownAfter {
				down = append(down, e)
			}
		}
		if len(down) > 0 {
			// One alert for every endpoint down: it is emailed once per kind,
			// so its text names them all.
			fewest := down[0].ConsecutiveFailures
			var names []string
			for _, e := range down {
				fewest = min(fewest, e.ConsecutiveFailures)
				names = append(names, e.Endpoint)
			}
			a := add(EndpointDown, Critical, float64(fewest), float64(t.DownAfter))
			a.Endpoint, a.Endpoints = strings.Join(names, ", "), names
		}
	}
	for i := range out {
		out[i].Message = out[i].Text(i18n.English)
	}
	return out
}

// NewTestAlert is the alert monitor --test-alert emails, stamped now.
func NewTestAlert(now time.Time) Alert {
	a := Alert{Kind: TestAlert, Severity: Warning, Since: now}
	a.Message = a.Text(i18n.English)
	return a
}

// Text says the alert in one plain sentence in lang, from its numbers (the
// catalogue's monitor.alert.<KIND>): the screens, the summary and the email
// say the same thing.
func (a Alert) Text(lang string) string {
	id := "monitor.alert." + string(a.Kind)
	switch a.Kind {
	case HighResponseTime:
		return i18n.T(lang, id, human.Latency(a.Value), human.Latency(a.Limit))
	case HighErrorRate, LowSuccessRate:
		return i18n.T(lang, id, pct(a.Value), pct(a.Limit))
	case LowThroughput:
		return i18n.T(lang, id, a.Value, a.Limit)
	case EndpointDown:
		// One endpoint down, or several named in one sentence that counts them.
		if len(a.Endpoints) > 1 {
			return i18n.T(lang, id+".many", len(a.Endpoints), strings.Join(a.Endpoints, ", "), a.Value)
		}
		return i18n.T(lang, id, a.Endpoint, a.Value)
	case TestAlert:
		return i18n.T(lang, id)
	}
	return a.Message
}

// Alerts remembers every alert kind raised during a run, so each is reported
// (and emailed) once, and says which are still active.
type Alerts struct {
	byKind map[AlertKind]*Alert
	order  []AlertKind
}

// NewAlerts returns an empty alert book.
func NewAlerts() *Alerts { return &Alerts{byKind: map[AlertKind]*Alert{}} }

// Update records the alerts of one evaluation and returns those whose kind
// was never raised before in this run. Kinds absent from current are marked
// inactive; one that comes back keeps its first time and is not new.
func (a *Alerts) Update(current []Alert) []Alert {
	seen := map[AlertKind]bool{}
	var fresh []Alert
	for _, al := range current {
		if seen[al.Kind] {
			// One alert of a kind per evaluation (Evaluate already folds
			// every endpoint down into one); keep the first.
			continue
		}
		seen[al.Kind] = true
		if old, ok := a.byKind[al.Kind]; ok {
			old.Active, old.Message, old.Severity = true, al.Message, al.Severity
			old.Value, old.Limit, old.Endpoint, old.Endpoints = al.Value, al.Limit, al.Endpoint, al.Endpoints
			continue
		}
		cp := al
		a.byKind[al.Kind] = &cp
		a.order = append(a.order, al.Kind)
		fresh = append(fresh, cp)
	}
	for k, old := range a.byKind {
		if !seen[k] {
			old.Active = false
		}
	}
	return fresh
}

// All returns every alert raised in this run, in the order first raised.
func (a *Alerts) All() []Alert {
	out := make([]Alert, 0, len(a.order))
	for _, k := range a.order {
		out = append(out, *a.byKind[k])
	}
	return out
}

func msf(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func pct(f float64) string {
	return fmt.Sprintf("%.1f%%", f*100)
}
