// Package api holds the AI API checks: settings, reachability with timings
// and certificate facts, key acceptance, rate limits, clock skew and extra
// endpoints, for CopyCar, OpenAI, Anthropic and OpenAI-compatible (custom)
// providers.
package api

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/probe"
)

// Check IDs of this family.
const (
	IDConfig       = "api.config"
	IDReachability = "api.reachability"
	IDAuth         = "api.auth"
	IDRateLimit    = "api.ratelimit"
	IDClock        = "api.clock"
	IDEndpoints    = "api.endpoints"
)

// Knowledge articles the results point to.
const (
	artInvalidKey   = "api-invalid-key"
	artForbidden    = "api-forbidden"
	artConnection   = "api-connection-failed"
	artTLS          = "api-tls-certificate"
	artTimeouts     = "api-timeouts"
	artOutage       = "api-provider-outage"
	artClock        = "api-clock-skew"
	artRateLimit    = "api-rate-limit"
	artQuota        = "api-quota-exhausted"
	artLoadBalance  = "ops-load-balancing"
	artReliability  = "perf-reliability"
	artSlow         = "perf-slow-responses"
	artHealthCheck  = "ops-health-check"
	anthropicVer    = "2023-06-01"
	slowThreshold   = time.Second
	expiryWarnDays  = 14
	clockWarnSkew   = time.Minute
	clockFailSkew   = 5 * time.Minute
	lowRemainingPct = 10
)

// defaultBaseURL mirrors the provider conventions (docs/ARCHITECTURE.md).
var defaultBaseURL = map[string]string{
	"copycar":   "https://api.copycarai.com/v2",
	"openai":    "https://api.openai.com/v1",
	"anthropic": "https://api.anthropic.com",
}

// Checks returns the api checks for a profile. The checks of one call share
// a client and cache the requests they have in common, so a run makes one
// unauthenticated and one authenticated request (plus one per endpoint).
func Checks(p *config.Profile) []check.Check {
	f := newFamily(p, probe.Options{})
	return f.checks()
}

// family is the state the checks of one run share.
type family struct {
	provider string
	base     string // without trailing slash
	key      config.Secret
	caFile   string
	opts     probe.Options
	api      config.APIConfig
	slow     time.Duration    // an answer slower than this is a warning
	door     *config.Scrubber // outside text enters results through it

	clientOnce sync.Once
	client     *probe.Client
	clientErr  error

	health shared // unauthenticated request (reachability, clock)
	authed shared // authenticated request (auth, ratelimit)
}

func newFamily(p *config.Profile, opts probe.Options) *family {
	provider := p.API.Provider
	if provider == "" {
		provider = "copycar"
	}
	base := p.API.BaseURL
	if base == "" {
		base = defaultBaseURL[provider]
	}
	opts.CAFile = p.API.CAFile
	return &family{
		provider: provider,
		base:     strings.TrimRight(base, "/"),
		key:      p.API.Key,
		caFile:   p.API.CAFile,
		opts:     opts,
		api:      p.API,
		slow:     slowThreshold,
		door:     config.NewScrubber(p.Secrets()...),
	}
}

func (f *family) checks() []check.Check {
	return []check.Check{
		check.Define(IDConfig, "", f.runConfig),
		check.Define(IDReachability, "", f.runReachability),
		check.Define(IDAuth, "", f.runAuth),
		check.Define(IDRateLimit, "", f.runRateLimit),
		check.Define(IDClock, "", f.runClock),
		check.Define(IDEndpoints, "", f.runEndpoints),
	}
}

func (f *family) getClient() (*probe.Client, error) {
	f.clientOnce.Do(func() { f.client, f.clientErr = probe.NewClient(f.opts) })
	return f.client, f.clientErr
}

// healthURL is the unauthenticated address probed for reachability: the
// copycar liveness endpoint, the model list elsewhere (any answer, even a
// 401, proves the API is there).
func healthURL(provider, base string) string {
	switch provider {
	case "copycar":
		return base + "/health"
	case "anthropic":
		return base + "/v1/models"
	}
	return base + "/models"
}

// authRequest is the provider's cheapest authenticated call.
func (f *family) authRequest() probe.Request {
	h := http.Header{"Accept": {"application/json"}}
	url := f.base + "/models"
	switch f.provider {
	case "copycar":
		url = f.base + "/verify"
		h.Set("Authorization", "Bearer "+f.key.Reveal())
	case "anthropic":
		url = f.base + "/v1/models"
		h.Set("x-api-key", f.key.Reveal())
		h.Set("anthropic-version", anthropicVer)
	default:
		h.Set("Authorization", "Bearer "+f.key.Reveal())
	}
	return probe.Request{URL: url, Header: h}
}

func (f *family) getHealth(ctx context.Context) (*probe.Response, error) {
	return f.health.get(ctx, func(ctx context.Context) (*probe.Response, error) {
		c, err := f.getClient()
		if err != nil {
			return nil, err
		}
		return c.Do(ctx, probe.Request{URL: healthURL(f.provider, f.base), Header: http.Header{"Accept": {"application/json"}}})
	})
}

func (f *family) getAuthed(ctx context.Context) (*probe.Response, error) {
	return f.authed.get(ctx, func(ctx context.Context) (*probe.Response, error) {
		c, err := f.getClient()
		if err != nil {
			return nil, err
		}
		return c.Do(ctx, f.authRequest())
	})
}

// answer is one shared request's outcome.
type answer struct {
	resp *probe.Response
	err  error
}

// shared runs one request for whichever check asks first and hands the same
// answer to the others (check.Memo: one cancellation rule, panics recovered).
type shared struct{ memo check.Memo[answer] }

func (l *shared) get(ctx context.Context, fn func(context.Context) (*probe.Response, error)) (*probe.Response, error) {
	a, err := l.memo.Get(ctx, func(ctx context.Context) answer {
		resp, err := fn(ctx)
		return answer{resp, err}
	})
	if err != nil {
		return nil, err
	}
	return a.resp, a.err
}
