package monitor

import (
	"encoding/json"
	"time"
)

func millis(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

// MarshalJSON adds latency_ms.
func (s Sample) MarshalJSON() ([]byte, error) {
	type plain Sample
	return json.Marshal(struct {
		plain
		LatencyMS float64 `json:"latency_ms"`
	}{plain(s), millis(s.Latency)})
}

// MarshalJSON adds last_latency_ms, success_rate and healthy.
func (e EndpointStats) MarshalJSON() ([]byte, error) {
	type plain EndpointStats
	return json.Marshal(struct {
		plain
		LastLatencyMS float64 `json:"last_latency_ms"`
		SuccessRate   float64 `json:"success_rate"`
		Healthy       bool    `json:"healthy"`
	}{plain(e), millis(e.LastLatency), e.SuccessRate(), e.Healthy()})
}

// MarshalJSON adds the latencies in milliseconds and the elapsed seconds.
func (st Stats) MarshalJSON() ([]byte, error) {
	type plain Stats
	p := plain(st)
	if p.Endpoints == nil {
		p.Endpoints = []EndpointStats{}
	}
	return json.Marshal(struct {
		plain
		ElapsedS float64 `json:"elapsed_s"`
		P50MS    float64 `json:"p50_ms"`
		P95MS    float64 `json:"p95_ms"`
		MeanMS   float64 `json:"mean_ms"`
		MaxMS    float64 `json:"max_ms"`
	}{p, st.Elapsed.Seconds(), millis(st.P50), millis(st.P95), millis(st.Mean), millis(st.Max)})
}
