package monitor

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"time"

	"pitstop/internal/check/api"
	"pitstop/internal/config"
	"pitstop/internal/probe"
)

// ProfileOptions tune ForProfile.
type ProfileOptions struct {
	Interval time.Duration
	// Timeout is the checks' timeout; a probe gets ProbeTimeout of it.
	Timeout    time.Duration
	Thresholds Thresholds
	Window     int
	Now        func() time.Time
	// Logger receives one line per request (slog.Default() when nil).
	Logger *slog.Logger
	// Door returns the scrubber a failed probe's error passes before it
	// is kept (secrets masked, control bytes stripped, cut); nil still
	// strips and cuts.
	Door func() *config.Scrubber
}

// ErrNoAPI means the profile has no API to monitor.
var ErrNoAPI = errors.New("no API is configured: set api.base_url (or api.provider) in your config, or try `pitstop demo --serve`")

// Targets returns what a profile's monitor probes: the API base and each of
// its endpoints[], without duplicates.
func Targets(p *config.Profile) []Target {
	var out []Target
	seen := map[string]bool{}
	for _, u := range append([]string{p.API.BaseURL}, p.API.Endpoints...) {
		u = strings.TrimRight(strings.TrimSpace(u), "/")
		if u == "" || seen[u] {
			continue
		}
		seen[u] = true
		out = append(out, Target{Name: config.RedactURL(u), URL: u})
	}
	return out
}

// ForProfile returns a monitor of the profile's API: every target is probed
// with the provider's key check (the same request api.auth sends) through
// the traced client, so each probe is logged and timed.
func ForProfile(p *config.Profile, o ProfileOptions) (*Monitor, error) {
	targets := Targets(p)
	if len(targets) == 0 {
		return nil, ErrNoAPI
	}
	client, err := probe.NewClient(probe.Options{CAFile: p.API.CAFile, Logger: o.Logger, Now: o.Now})
	if err != nil {
		return nil, err
	}
	door := o.Door
	if door == nil {
		door = func() *config.Scrubber { return nil }
	}
	prober := func(ctx context.Context, t Target) Sample {
		resp, err := client.Do(ctx, api.AuthRequest(p, t.URL))
		if resp != nil && err == nil {
			return Sample{Status: resp.StatusCode, Latency: resp.Timings.Total}
		}
		s := Sample{Error: door().UntrustedError(err, maxErrorText)}
		var perr *probe.Error
		if errors.As(err, &perr) {
			s.Latency = perr.Timings.Total
		}
		return s
	}
	interval := o.Interval
	if interval <= 0 {
		interval = DefaultInterval
	}
	timeout := o.Timeout
	if timeout > 0 {
		timeout = ProbeTimeout(timeout, interval)
	}
	return New(Options{
		Targets: targets, Probe: prober, Interval: interval, Timeout: timeout,
		Thresholds: o.Thresholds, Window: o.Window, Now: o.Now,
	}), nil
}

// maxErrorText is how much of a failed probe's error is kept.
const maxErrorText = 300
