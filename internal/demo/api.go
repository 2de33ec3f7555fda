package demo

import (
	"fmt"
	"io"
	"maps"
	"net/http"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"pitstop/internal/config"
)

// AI API providers the sandbox can act as. Custom answers like OpenAI (the
// shape most "compatible" APIs copy) but Configure writes provider: custom.
const (
	APICopyCar   = "copycar"
	APIOpenAI    = "openai"
	APIAnthropic = "anthropic"
	APICustom    = "custom"
)

// APIProviders lists the providers StartAPI accepts.
var APIProviders = []string{APICopyCar, APIOpenAI, APIAnthropic, APICustom}

// AI API faults a sandbox API can inject. Several may be combined; the TLS
// ones are fixed at start, the others can change with SetFaults.
const (
	// APIFaultBadKey rejects every key with the provider's 401 body. The
	// OpenAI shape echoes the key it got in its message (the real API shows
	// part of it), so tests prove the scrubber catches echoed secrets.
	APIFaultBadKey = "bad-key"
	// APIFaultForbidden answers 403: the key is valid but lacks permission.
	APIFaultForbidden = "forbidden"
	// APIFaultRateLimited answers 429 with Retry-After: 20 and the
	// remaining-requests header at 0: throttling, retrying later works.
	APIFaultRateLimited = "rate-limited"
	// APIFaultQuotaExhausted answers 429 insufficient_quota (OpenAI and
	// CopyCar shapes) or Anthropic's 400 "credit balance is too low":
	// retrying will not help.
	APIFaultQuotaExhausted = "quota-exhausted"
	// APIFaultLowRemaining succeeds but reports 3 of 100 requests left.
	APIFaultLowRemaining = "low-remaining"
	// APIFaultServerError answers 500 (Anthropic: 529 overloaded) with a
	// request id to every call, keyed or not, and 503 on /health.
	APIFaultServerError = "server-error"
	// APIFaultSkewedDate sends a Date header off by APIOptions.Skew
	// (10 minutes ahead by default).
	APIFaultSkewedDate = "skewed-date"
	// APIFaultSlow waits APIOptions.Delay (1.5 s by default) before answering.
	APIFaultSlow = "slow"
	// APIFaultHang accepts requests and never answers.
	APIFaultHang = "hang"
	// APIFaultGarbage answers with bytes that are not HTTP, then hangs up.
	APIFaultGarbage = "garbage"
	// APIFaultEndlessBody answers 200 and streams a body that never ends.
	APIFaultEndlessBody = "endless-body"
	// APIFaultTLS serves HTTPS with a certificate from a throwaway CA;
	// Configure sets ca_file to it, so checks pass.
	APIFaultTLS = "tls"
	// APIFaultUntrustedCert serves HTTPS like tls, but Configure leaves
	// ca_file empty: the certificate's authority is unknown.
	APIFaultUntrustedCert = "untrusted-cert"
	// APIFaultExpiredCert serves HTTPS with an expired certificate (the CA
	// itself is trusted through ca_file).
	APIFaultExpiredCert = "expired-cert"
	// APIFaultExpiringCert serves HTTPS with a certificate that ends in 5 days.
	APIFaultExpiringCert = "expiring-cert"
)

// APIFaults lists the API fault names.
var APIFaults = []string{
	APIFaultBadKey, APIFaultForbidden, APIFaultRateLimited, APIFaultQuotaExhausted, APIFaultLowRemaining,
	APIFaultServerError, APIFaultSkewedDate, APIFaultSlow, APIFaultHang, APIFaultGarbage, APIFaultEndlessBody,
	APIFaultTLS, APIFaultUntrustedCert, APIFaultExpiredCert, APIFaultExpiringCert,
}

var apiTLSFaults = []string{APIFaultTLS, APIFaultUntrustedCert, APIFaultExpiredCert, APIFaultExpiringCert}

// Defaults for the timing faults.
const (
	DefaultAPISkew  = 10 * time.Minute
	DefaultAPIDelay = 1500 * time.Millisecond
)

// APIOptions shape a sandbox AI API.
type APIOptions struct {
	// Provider is copycar (the default), openai, anthropic or custom.
	Provider string
	// Faults are names from APIFaults; none for a healthy API.
	Faults []string
	// Key is the key the server accepts; a random provider-shaped one when empty.
	Key string
	// Skew is how far off the Date header is with skewed-date (DefaultAPISkew when zero).
	Skew time.Duration
	// Delay is how long slow waits (DefaultAPIDelay when zero).
	Delay time.Duration
	// Addr to listen on; default 127.0.0.1 on a free port.
	Addr string
	// CADir is where TLS faults write ca.pem; a temporary directory removed
	// by Close when empty.
	CADir string
}

// APIRequest is one request the sandbox received.
type APIRequest struct {
	Method string
	URL    string // the request target as received: path and query
	Header http.Header
}

// APIServer is a loopback HTTP(S) server shaped like one AI provider's
// documented API: CopyCar (/v2/verify, /v2/health), OpenAI (/v1/models) or
// Anthropic (/v1/models with x-api-key and anthropic-version).
type APIServer struct {
	// URL is the value for api.base_url: CopyCar's ends in /v2, OpenAI's in
	// /v1, Anthropic's has no version.
	URL string
	// Origin is scheme://host:port, without the version path.
	Origin string
	// Provider is copycar, openai, anthropic or custom.
	Provider string
	// CAFile is the CA certificate path with a TLS fault, else "".
	CAFile string
	// CA is the throwaway CA with a TLS fault, else nil.
	CA *CA

	key     string
	skew    time.Duration
	delay   time.Duration
	tempDir string
	*httpSandbox

	mu     sync.Mutex
	faults map[string]bool
	seen   []APIRequest
}

// StartAPI starts a sandbox AI API. Close it when done.
func StartAPI(opts APIOptions) (*APIServer, error) {
	if opts.Provider == "" {
		opts.Provider = APICopyCar
	}
	if !slices.Contains(APIProviders, opts.Provider) {
		return nil, fmt.Errorf("unknown API provider %q; expected one of: %s", opts.Provider, strings.Join(APIProviders, ", "))
	}
	s := &APIServer{Provider: opts.Provider, key: opts.Key, skew: opts.Skew, delay: opts.Delay,
		faults: map[string]bool{}}
	for _, f := range opts.Faults {
		if !slices.Contains(APIFaults, f) {
			return nil, fmt.Errorf("unknown API fault %q; expected some of: %s", f, strings.Join(APIFaults, ", "))
		}
		s.faults[f] = true
	}
	if s.key == "" {
		s.key = apiKey(opts.Provider)
	}
	if s.skew == 0 {
		s.skew = DefaultAPISkew
	}
	if s.delay == 0 {
		s.delay = DefaultAPIDelay
	}
	var err error
	if s.httpSandbox, err = newHTTPSandbox("api", opts.Addr, s.serve); err != nil {
		return nil, err
	}
	scheme := "http"
	if s.usesTLS() {
		scheme = "https"
		if err := s.setupTLS(opts.CADir); err != nil {
			_ = s.Close()
			return nil, err
		}
	}
	s.Origin = scheme + "://" + s.ln.Addr().String()
	s.URL = s.Origin + map[string]string{APICopyCar: "/v2", APIOpenAI: "/v1", APICustom: "/v1"}[s.Provider]
	s.start()
	return s, nil
}

func (s *APIServer) usesTLS() bool {
	for _, f := range apiTLSFaults {
		if s.faults[f] {
			return true
		}
	}
	return false
}

func (s *APIServer) setupTLS(dir string) error {
	ca, err := NewCA()
	if err != nil {
		return fmt.Errorf("api sandbox: %w", err)
	}
	leaf := LeafOptions{NotAfter: time.Now().Add(90 * 24 * time.Hour)}
	switch {
	case s.faults[APIFaultExpiredCert]:
		leaf.NotBefore = time.Now().Add(-90 * 24 * time.Hour)
		leaf.NotAfter = time.Now().Add(-2 * 24 * time.Hour)
	case s.faults[APIFaultExpiringCert]:
		leaf.NotAfter = time.Now().Add(5*24*time.Hour + time.Hour)
	}
	cfg, err := ca.ServerTLS(leaf)
	if err != nil {
		return fmt.Errorf("api sandbox: %w", err)
	}
	if dir == "" {
		dir, err = os.MkdirTemp("", "pitstop-demo-api-")
		if err != nil {
			return fmt.Errorf("api sandbox: %w", err)
		}
		s.tempDir = dir
	}
	path, err := ca.WriteFile(dir, "api-ca.pem")
	if err != nil {
		return fmt.Errorf("api sandbox: %w", err)
	}
	s.CA, s.CAFile, s.srv.TLSConfig = ca, path, cfg
	return nil
}

// apiKey returns a random key shaped like the provider's.
func apiKey(provider string) string {
	h := randomHex(32)
	switch provider {
	case APIOpenAI:
		return "sk-proj-" + h[:48]
	case APIAnthropic:
		return "sk-ant-api03-" + h + "-" + h[:10] + "AA"
	case APICustom:
		return "sk-" + h[:40]
	}
	return "ccai_live_" + h[:40]
}

// Key returns the key the server accepts.
func (s *APIServer) Key() string { return s.key }

// Has reports whether a fault is active.
func (s *APIServer) Has(fault string) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.faults[fault]
}

// SetFaults replaces the active faults. TLS faults are fixed at start and
// cannot be added or removed here.
func (s *APIServer) SetFaults(faults ...string) error {
	next := map[string]bool{}
	for _, f := range faults {
		if !slices.Contains(APIFaults, f) {
			return fmt.Errorf("unknown API fault %q; expected some of: %s", f, strings.Join(APIFaults, ", "))
		}
		next[f] = true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, f := range apiTLSFaults {
		if next[f] != s.faults[f] {
			return fmt.Errorf("the %s fault is fixed when the server starts", f)
		}
	}
	s.faults = next
	return nil
}

// Requests returns every request received so far.
func (s *APIServer) Requests() []APIRequest {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.seen)
}

// Configure points a profile's api section at the sandbox: provider, base
// URL, key and, with tls, expired-cert or expiring-cert, ca_file.
func (s *APIServer) Configure(p *config.Profile) {
	p.API.Provider = s.Provider
	p.API.BaseURL = s.URL
	p.API.Key = config.NewSecret(s.key, "demo")
	p.API.CAFile = ""
	if s.CAFile != "" && !s.Has(APIFaultUntrustedCert) {
		p.API.CAFile = s.CAFile
	}
}

// Close stops the server, ending hanging requests at once, and removes the
// temporary CA file.
func (s *APIServer) Close() error {
	err := s.close()
	if s.tempDir != "" {
		_ = os.RemoveAll(s.tempDir)
	}
	return err
}

// apiJSONType is the content type the AI APIs answer JSON with.
const apiJSONType = "application/json"

// apiFaultSet is a snapshot of the faults for one request.
type apiFaultSet map[string]bool

func (s *APIServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.seen = append(s.seen, APIRequest{Method: r.Method, URL: r.RequestURI, Header: r.Header.Clone()})
	f := apiFaultSet(maps.Clone(s.faults))
	s.mu.Unlock()

	switch {
	case f[APIFaultHang]:
		s.wait(r, 0)
		return
	case f[APIFaultGarbage]:
		writeGarbage(w, "\x00\x00\x12\x04\x00garbage: this service does not speak HTTP \xff\xfe\r\n\r\n")
		return
	case f[APIFaultSlow]:
		if !s.wait(r, s.delay) {
			return
		}
	}
	date := time.Now().UTC()
	if f[APIFaultSkewedDate] {
		date = date.Add(s.skew)
	}
	w.Header().Set("Date", date.Format(http.TimeFormat))

	switch s.Provider {
	case APICopyCar:
		s.serveCopyCar(w, r, f)
	case APIAnthropic:
		s.serveAnthropic(w, r, f)
	default:
		s.serveOpenAI(w, r, f)
	}
}

// wait blocks for d (forever when d is 0) or until the client or the server
// goes away; it reports whether the full time passed.
func (s *APIServer) wait(r *http.Request, d time.Duration) bool {
	var timer <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timer = t.C
	}
	select {
	case <-timer:
		return true
	case <-r.Context().Done():
	case <-s.closing:
	}
	return false
}

// serveCopyCar follows CopyCar's API: GET /v2/health (no key) and GET
// /v2/verify with a Bearer key.
func (s *APIServer) serveCopyCar(w http.ResponseWriter, r *http.Request, f apiFaultSet) {
	reqID := "req_" + randomHex(12)
	w.Header().Set("X-Request-Id", reqID)
	apiErr := func(status int, code, msg string) {
		writeJSON(w, status, apiJSONType, map[string]any{"error": map[string]any{"code": code, "message": msg, "request_id": reqID}})
	}
	switch strings.TrimSuffix(r.URL.Path, "/") {
	case "/v2/health":
		if f[APIFaultServerError] {
			writeJSON(w, http.StatusServiceUnavailable, apiJSONType, map[string]any{"status": "unavailable", "version": "2.4.1",
				"checks": map[string]string{"database": "ok", "generation": "down"}})
			return
		}
		s.ok(w, r, f, map[string]any{"status": "ok", "version": "2.4.1", "time": time.Now().UTC().Format(time.RFC3339)})
	case "/v2/verify":
		got := authToken(r, "Bearer ")
		switch {
		case f[APIFaultServerError]:
			apiErr(http.StatusInternalServerError, "internal_error", "An internal error occurred. Please retry; if it persists, contact support with the request id.")
		case got == "":
			apiErr(http.StatusUnauthorized, "missing_api_key", "Missing API key: send it as Authorization: Bearer <key>")
		case f[APIFaultBadKey] || got != s.key:
			apiErr(http.StatusUnauthorized, "invalid_api_key", "Invalid API Key")
		case f[APIFaultForbidden]:
			apiErr(http.StatusForbidden, "insufficient_permissions", "This API key does not have access to this resource (scope generate:write required)")
		case f[APIFaultRateLimited]:
			s.copycarLimits(w, 60, 0)
			w.Header().Set("Retry-After", "20")
			apiErr(http.StatusTooManyRequests, "rate_limit_exceeded", "Rate limit exceeded: 60 requests per minute. Retry after 20 seconds.")
		case f[APIFaultQuotaExhausted]:
			s.copycarLimits(w, 60, 59)
			apiErr(http.StatusTooManyRequests, "insufficient_quota", "Monthly generation quota exhausted for this account. Upgrade your plan or wait for the next billing cycle.")
		default:
			if f[APIFaultLowRemaining] {
				s.copycarLimits(w, 100, 3)
			} else {
				s.copycarLimits(w, 60, 59)
			}
			s.ok(w, r, f, map[string]any{"valid": true,
				"key":     map[string]any{"id": "key_" + randomHex(6), "name": "Pitstop sandbox", "scopes": []string{"generate:write", "content:read"}},
				"account": map[string]any{"plan": "pro", "status": "active"}})
		}
	default:
		apiErr(http.StatusNotFound, "not_found", "No route for "+r.Method+" "+r.URL.Path)
	}
}

func (s *APIServer) copycarLimits(w http.ResponseWriter, limit, remaining int) {
	w.Header().Set("X-RateLimit-Limit", strconv.Itoa(limit))
	w.Header().Set("X-RateLimit-Remaining", strconv.Itoa(remaining))
	w.Header().Set("X-RateLimit-Reset", strconv.FormatInt(time.Now().Add(time.Minute).Unix(), 10))
}

// serveOpenAI follows OpenAI's documented GET /v1/models and error bodies.
func (s *APIServer) serveOpenAI(w http.ResponseWriter, r *http.Request, f apiFaultSet) {
	w.Header().Set("X-Request-Id", "req_"+randomHex(16))
	w.Header().Set("Openai-Processing-Ms", "12")
	apiErr := func(status int, typ string, code any, msg string) {
		writeJSON(w, status, apiJSONType, map[string]any{"error": map[string]any{"message": msg, "type": typ, "param": nil, "code": code}})
	}
	if strings.TrimSuffix(r.URL.Path, "/") != "/v1/models" {
		apiErr(http.StatusNotFound, "invalid_request_error", "unknown_url", "Invalid URL ("+r.Method+" "+r.URL.Path+")")
		return
	}
	got := authToken(r, "Bearer ")
	switch {
	case f[APIFaultServerError]:
		apiErr(http.StatusInternalServerError, "server_error", nil, "The server had an error while processing your request. Sorry about that!")
	case got == "":
		apiErr(http.StatusUnauthorized, "invalid_request_error", nil, "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY), or as the password field (with blank username) if you're accessing the API from your browser and are prompted for a username and password. You can obtain an API key from https://platform.openai.com/account/api-keys.")
	case f[APIFaultBadKey] || got != s.key:
		apiErr(http.StatusUnauthorized, "invalid_request_error", "invalid_api_key", "Incorrect API key provided: "+got+". You can find your API key at https://platform.openai.com/account/api-keys.")
	case f[APIFaultForbidden]:
		apiErr(http.StatusForbidden, "invalid_request_error", nil, "You have insufficient permissions for this operation. Missing scopes: api.model.read. Check that you have the correct role in your organization (Reader, Writer, Owner) and project (Member, Owner), and if you're using a restricted API key, that it has the necessary scopes.")
	case f[APIFaultRateLimited]:
		s.openaiLimits(w, 3, 0)
		w.Header().Set("Retry-After", "20")
		apiErr(http.StatusTooManyRequests, "requests", "rate_limit_exceeded", "Rate limit reached for gpt-4o in organization org-sandbox on requests per min (RPM): Limit 3, Used 3, Requested 1. Please try again in 20s. Visit https://platform.openai.com/account/rate-limits to learn more.")
	case f[APIFaultQuotaExhausted]:
		apiErr(http.StatusTooManyRequests, "insufficient_quota", "insufficient_quota", "You exceeded your current quota, please check your plan and billing details. For more information on this error, read the docs: https://platform.openai.com/docs/guides/error-codes/api-errors.")
	default:
		if f[APIFaultLowRemaining] {
			s.openaiLimits(w, 100, 3)
		} else {
			s.openaiLimits(w, 10000, 9999)
		}
		created := time.Date(2024, 5, 13, 0, 0, 0, 0, time.UTC).Unix()
		var data []map[string]any
		for _, id := range []string{"gpt-4o", "gpt-4o-mini", "text-embedding-3-small"} {
			data = append(data, map[string]any{"id": id, "object": "model", "created": created, "owned_by": "system"})
		}
		s.ok(w, r, f, map[string]any{"object": "list", "data": data})
	}
}

func (s *APIServer) openaiLimits(w http.ResponseWriter, limit, remaining int) {
	h := w.Header()
	h.Set("X-Ratelimit-Limit-Requests", strconv.Itoa(limit))
	h.Set("X-Ratelimit-Remaining-Requests", strconv.Itoa(remaining))
	h.Set("X-Ratelimit-Reset-Requests", "17.28s")
	h.Set("X-Ratelimit-Limit-Tokens", "30000000")
	h.Set("X-Ratelimit-Remaining-Tokens", "29999990")
	h.Set("X-Ratelimit-Reset-Tokens", "0s")
}

// serveAnthropic follows Anthropic's documented GET /v1/models, its
// x-api-key and anthropic-version headers and its error bodies.
func (s *APIServer) serveAnthropic(w http.ResponseWriter, r *http.Request, f apiFaultSet) {
	reqID := "req_" + randomHex(12)
	w.Header().Set("Request-Id", reqID)
	w.Header().Set("Cf-Ray", randomHex(8)+"-SJC")
	w.Header().Set("Anthropic-Organization-Id", "00000000-0000-4000-8000-000000000000")
	apiErr := func(status int, typ, msg string) {
		writeJSON(w, status, apiJSONType, map[string]any{"type": "error", "error": map[string]any{"type": typ, "message": msg}, "request_id": reqID})
	}
	if strings.TrimSuffix(r.URL.Path, "/") != "/v1/models" {
		apiErr(http.StatusNotFound, "not_found_error", "Not Found")
		return
	}
	got := r.Header.Get("X-Api-Key")
	switch {
	case f[APIFaultServerError]:
		apiErr(529, "overloaded_error", "Overloaded")
	case got == "":
		apiErr(http.StatusUnauthorized, "authentication_error", "x-api-key header is required")
	case f[APIFaultBadKey] || got != s.key:
		apiErr(http.StatusUnauthorized, "authentication_error", "invalid x-api-key")
	case r.Header.Get("Anthropic-Version") == "":
		apiErr(http.StatusBadRequest, "invalid_request_error", "anthropic-version: header is required")
	case f[APIFaultForbidden]:
		apiErr(http.StatusForbidden, "permission_error", "Your API key does not have permission to use the specified resource.")
	case f[APIFaultRateLimited]:
		s.anthropicLimits(w, 50, 0)
		w.Header().Set("Retry-After", "20")
		apiErr(http.StatusTooManyRequests, "rate_limit_error", "This request would exceed the rate limit for your organization of 50 requests per minute. For details, refer to: https://docs.claude.com/en/api/rate-limits.")
	case f[APIFaultQuotaExhausted]:
		apiErr(http.StatusBadRequest, "invalid_request_error", "Your credit balance is too low to access the Anthropic API. Please go to Plans & Billing to upgrade or purchase credits.")
	default:
		if f[APIFaultLowRemaining] {
			s.anthropicLimits(w, 100, 3)
		} else {
			s.anthropicLimits(w, 50, 49)
		}
		models := []map[string]any{
			{"type": "model", "id": "claude-sonnet-4-5-20250929", "display_name": "Claude Sonnet 4.5", "created_at": "2025-09-29T00:00:00Z"},
			{"type": "model", "id": "claude-haiku-4-5-20251001", "display_name": "Claude Haiku 4.5", "created_at": "2025-10-01T00:00:00Z"},
		}
		s.ok(w, r, f, map[string]any{"data": models, "has_more": false,
			"first_id": models[0]["id"], "last_id": models[len(models)-1]["id"]})
	}
}

func (s *APIServer) anthropicLimits(w http.ResponseWriter, limit, remaining int) {
	h := w.Header()
	reset := time.Now().UTC().Add(time.Minute).Format(time.RFC3339)
	h.Set("Anthropic-Ratelimit-Requests-Limit", strconv.Itoa(limit))
	h.Set("Anthropic-Ratelimit-Requests-Remaining", strconv.Itoa(remaining))
	h.Set("Anthropic-Ratelimit-Requests-Reset", reset)
	h.Set("Anthropic-Ratelimit-Tokens-Limit", "80000")
	h.Set("Anthropic-Ratelimit-Tokens-Remaining", "80000")
	h.Set("Anthropic-Ratelimit-Tokens-Reset", reset)
}

// ok writes a 200 JSON answer, or an endless one with endless-body.
func (s *APIServer) ok(w http.ResponseWriter, r *http.Request, f apiFaultSet, v any) {
	if !f[APIFaultEndlessBody] {
		writeJSON(w, http.StatusOK, apiJSONType, v)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = io.WriteString(w, `{"object":"list","data":[`)
	chunk := []byte(strings.Repeat(`{"id":"model-that-never-ends","object":"model"},`, 256))
	for {
		select {
		case <-r.Context().Done():
			return
		case <-s.closing:
			return
		default:
		}
		if _, err := w.Write(chunk); err != nil {
			return
		}
	}
}
