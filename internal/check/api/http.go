package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/human"
	"pitstop/internal/probe"
)

// runReachability is api.reachability: DNS, TCP, TLS and a first answer,
// with an httpstat-like breakdown and the certificate's facts. What loading
// the trusted roots found (an unusable SSL_CERT_FILE or SSL_CERT_DIR) is
// said whatever the answer: it may be why there was none.
func (f *family) runReachability(ctx context.Context) check.Result {
	res := f.reachability(ctx)
	if c, err := f.getClient(); err == nil {
		res = res.With(c.TrustFindings()...)
	}
	return res
}

func (f *family) reachability(ctx context.Context) check.Result {
	resp, err := f.getHealth(ctx)
	if err != nil && (resp == nil || !isBodyError(err)) {
		return f.networkResult(err, "Could not test whether the API is reachable")
	}
	facts := responseFacts(resp)
	latency := facts["latency_ms"].(float64)
	res := check.Passf("The API answered in %s.", human.Latency(latency)).Explain(artHealthCheck)
	switch {
	case resp.Truncated:
		// An answer that does not end leaves a real client waiting forever.
		res = check.Failf("A server answered, but its answer did not end (more than %d KiB): something between you and the API (a proxy or a misconfigured server) may be answering instead.", probe.MaxBody>>10).
			Explain(artConnection, artHealthCheck)
	case resp.StatusCode >= 500:
		res = check.Warnf("The API is reachable, but it reports a problem (HTTP %d): the provider may be having an outage.", facts["status_code"]).
			Explain(artOutage, artHealthCheck)
	case resp.StatusCode >= 300 && resp.StatusCode < 400:
		res = check.Warnf("The API address redirects elsewhere (HTTP %d): put the final address in api.base_url.", facts["status_code"]).
			Explain(artConnection).With("redirects to: " + config.RedactURL(resp.Header.Get("Location")))
	case resp.StatusCode == http.StatusNotFound:
		res = check.Warnf("A server answered, but %s does not exist there: api.base_url is probably wrong.", resp.URL).
			Explain(artConnection, artHealthCheck)
	}
	if res.Status == check.Pass {
		switch {
		case resp.TLS.ExpiresSoon(expiryWarnDays):
			res = check.Warnf("The API is reachable, but its certificate expires %s: once it does, every request will fail.", daysWords(facts["cert_days_left"].(int))).
				Explain(artTLS)
		case resp.Timings.Total > f.slow:
			res = check.Warnf("The API is reachable but slow: it took %s to answer a request that should take well under a second.", human.Latency(latency)).
				Explain(artSlow, artTimeouts)
		}
	}
	res = res.WithFacts(facts)
	res = res.With(responseLine(f.door, resp))
	res = res.With(resp.Timings.Lines()...)
	res = res.With(resp.TLS.Lines()...)
	res = res.With(connectionLines(resp.RemoteAddr, resp.Proxy)...)
	if id := requestID(f.door, resp.Header); id != "" {
		res = res.With(id)
	}
	if resp.Truncated {
		res = res.With(fmt.Sprintf("the answer was larger than %d KiB; Pitstop read only the beginning", probe.MaxBody>>10))
	}
	return res
}

// responseFacts are the measured values of one answer: how long it took,
// its status code and, over TLS, the protocol version and the
// certificate's end of validity.
func responseFacts(resp *probe.Response) map[string]any {
	facts := map[string]any{
		"latency_ms":  human.Millis(resp.Timings.Total),
		"status_code": resp.StatusCode,
	}
	if resp.Truncated {
		facts["body_truncated"] = true
	}
	tlsFacts(facts, resp.TLS)
	return facts
}

// tlsFacts records a certificate's facts, when there was TLS.
func tlsFacts(facts map[string]any, t *probe.TLSInfo) {
	if t == nil {
		return
	}
	if t.Version != "" {
		facts["tls_version"] = t.Version
	}
	facts["cert_verified"] = t.Verified
	if !t.NotAfter.IsZero() {
		facts["cert_expiry_unix"] = t.NotAfter.Unix()
		facts["cert_days_left"] = t.DaysLeft
	}
}

// networkResult turns a probe failure into a result: a finding (Fail) when
// the failure says something about the API or the network, could-not-test
// (Error) when it does not. The error's text passes the door: it may quote
// what a server said.
func (f *family) networkResult(err error, couldNot string) check.Result {
	var pe *probe.Error
	if !errors.As(err, &pe) {
		if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
			return check.Errorf("%s: no answer in time.", couldNot).Explain(artTimeouts)
		}
		return check.Errorf("%s: %s", couldNot, sentence(f.door.UntrustedError(err, 300))).Explain(artConnection)
	}
	var res check.Result
	switch pe.Kind {
	case probe.KindTLS:
		res = check.Failf("%s", f.door.Untrusted(pe.Error(), 0)).Explain(artTLS)
	case probe.KindTimeout:
		res = check.Errorf("%s: %s", couldNot, lowerFirst(f.door.Untrusted(pe.Error(), 0))).Explain(artTimeouts, artConnection)
	case probe.KindCancelled:
		res = check.Errorf("Cancelled before the API answered.")
	case probe.KindDNS, probe.KindRefused, probe.KindUnreachable, probe.KindProxy, probe.KindClosed, probe.KindBadURL, probe.KindInsecure:
		res = check.Failf("%s", f.door.Untrusted(pe.Error(), 0)).Explain(artConnection)
	default:
		res = check.Errorf("%s: %s", couldNot, lowerFirst(f.door.Untrusted(pe.Error(), 0))).Explain(artConnection)
	}
	res = res.WithFact("failure", pe.Kind.String())
	tlsFacts(res.Facts, pe.TLS)
	if pe.URL != "" {
		res = res.With("GET " + pe.URL)
	}
	if pe.Timings.Total > 0 {
		res = res.With(pe.Timings.Lines()...)
	}
	res = res.With(pe.TLS.Lines()...)
	if pe.Proxy != "" {
		res = res.With("proxy: " + pe.Proxy)
	}
	if t := pe.Technical(); t != "" {
		res = res.With("error: " + f.door.Untrusted(t, 300))
	}
	return res
}

func sentence(s string) string {
	s = strings.TrimSpace(s)
	if s != "" && !strings.HasSuffix(s, ".") {
		s += "."
	}
	return s
}

func lowerFirst(s string) string {
	if s == "" {
		return s
	}
	r := []rune(s)
	if len(r) > 1 && r[1] >= 'a' && r[1] <= 'z' {
		r[0] = []rune(strings.ToLower(string(r[0])))[0]
	}
	return string(r)
}

func responseLine(door *config.Scrubber, resp *probe.Response) string {
	return fmt.Sprintf("%s %s → %s (%s) in %s", resp.Method, resp.URL, door.Untrusted(resp.Status, 80), resp.Proto, human.Duration(resp.Timings.Total))
}

func connectionLines(addr, proxy string) []string {
	var out []string
	if addr != "" {
		out = append(out, "connected to "+addr)
	}
	if proxy != "" {
		out = append(out, "through proxy "+proxy)
	} else {
		out = append(out, "no proxy")
	}
	return out
}

// requestIDHeaders are the correlation headers providers send, best first.
var requestIDHeaders = []string{"X-Request-Id", "Request-Id", "Cf-Ray", "X-Amzn-Requestid", "Apim-Request-Id", "X-Correlation-Id"}

// requestID returns "request id: req_123 (x-request-id)" for every id
// header present, so support can find the call in their logs.
func requestID(door *config.Scrubber, h http.Header) string {
	var parts []string
	for _, name := range requestIDHeaders {
		if v := h.Get(name); v != "" {
			parts = append(parts, fmt.Sprintf("%s (%s)", door.Untrusted(v, 80), strings.ToLower(name)))
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return "request id: " + strings.Join(parts, ", ")
}

// firstRequestID returns the bare value of the best request id header.
func firstRequestID(door *config.Scrubber, h http.Header) string {
	for _, name := range requestIDHeaders {
		if v := h.Get(name); v != "" {
			return door.Untrusted(v, 80)
		}
	}
	return ""
}

// apiError is what a provider said in an error body.
type apiError struct {
	Message string
	Code    string // code or type: invalid_api_key, insufficient_quota ...
	Type    string
}

// parseAPIError reads the error shapes of OpenAI ({"error":{"message",
// "type","code"}}), Anthropic ({"type":"error","error":{"type","message"}}),
// CopyCar ({"error":{"code","message"}}) and the plain {"error":"..."} or
// {"message":"..."} of many others.
func parseAPIError(body []byte) (apiError, bool) {
	var raw map[string]json.RawMessage
	if json.Unmarshal(body, &raw) != nil {
		return apiError{}, false
	}
	var out apiError
	str := func(m map[string]json.RawMessage, k string) string {
		var s string
		if v, ok := m[k]; ok {
			_ = json.Unmarshal(v, &s)
		}
		return s
	}
	if e, ok := raw["error"]; ok {
		var obj map[string]json.RawMessage
		if json.Unmarshal(e, &obj) == nil {
			out.Message, out.Type = str(obj, "message"), str(obj, "type")
			out.Code = str(obj, "code")
		} else {
			_ = json.Unmarshal(e, &out.Message)
		}
	}
	if out.Message == "" {
		out.Message = str(raw, "message")
		if out.Message == "" {
			out.Message = str(raw, "detail")
		}
	}
	if out.Code == "" {
		out.Code = str(raw, "code")
	}
	if out.Code == "" && out.Type != "" {
		out.Code = out.Type
	}
	return out, out.Message != "" || out.Code != ""
}

// line is the error as evidence; every part passes the door before it is
// cut or quoted.
func (e apiError) line(door *config.Scrubber) string {
	msg := strings.TrimSpace(e.Message)
	code := door.Untrusted(e.Code, 80)
	switch {
	case msg != "" && code != "":
		return fmt.Sprintf("provider said: %s (%s)", door.UntrustedQuoted(msg, 300), code)
	case msg != "":
		return fmt.Sprintf("provider said: %s", door.UntrustedQuoted(msg, 300))
	}
	return "provider error code: " + code
}

// isQuota reports whether an error body means the account is out of quota
// or credit, which retrying does not fix.
func isQuota(status int, e apiError) bool {
	code := strings.ToLower(e.Code + " " + e.Type)
	msg := strings.ToLower(e.Message)
	if strings.Contains(code, "insufficient_quota") || strings.Contains(code, "quota_exceeded") || strings.Contains(code, "billing") {
		return true
	}
	if status == http.StatusTooManyRequests || status == http.StatusBadRequest || status == http.StatusPaymentRequired || status == http.StatusForbidden {
		return strings.Contains(msg, "exceeded your current quota") || strings.Contains(msg, "credit balance") ||
			strings.Contains(msg, "quota exhausted") || strings.Contains(msg, "billing") || strings.Contains(msg, "quota")
	}
	return false
}

// runAuth is api.auth: one authenticated call, read by status.
func (f *family) runAuth(ctx context.Context) check.Result {
	resp, err := f.getAuthed(ctx)
	if err != nil && (resp == nil || !isBodyError(err)) {
		return f.networkResult(err, "Could not test the key")
	}
	res := f.judgeAuth(resp, err).WithFacts(map[string]any{"status_code": resp.StatusCode, "latency_ms": human.Millis(resp.Timings.Total)})
	res = res.With(responseLine(f.door, resp), "key: "+keyDescription(f.key))
	if id := requestID(f.door, resp.Header); id != "" {
		res = res.With(id)
	}
	if e, ok := parseAPIError(resp.Body); ok && resp.StatusCode >= 300 {
		res = res.With(e.line(f.door))
	}
	return res.With(resp.Timings.Line())
}

func isBodyError(err error) bool {
	var pe *probe.Error
	return errors.As(err, &pe) && pe.Response != nil && pe.Kind != probe.KindTimeout && pe.Kind != probe.KindCancelled
}

func (f *family) judgeAuth(resp *probe.Response, bodyErr error) check.Result {
	code := resp.StatusCode
	e, _ := parseAPIError(resp.Body)
	reqID := firstRequestID(f.door, resp.Header)
	withID := ""
	if reqID != "" {
		withID = check.Sentencef(" Request id: %s.", reqID)
	}
	switch {
	case code >= 200 && code < 300:
		switch {
		case bodyErr != nil:
			return check.Errorf("Could not confirm the key: the API's answer broke off (%s).", lowerFirst(f.door.UntrustedError(bodyErr, 300))).Explain(artConnection)
		case resp.Truncated:
			return check.Errorf("Could not confirm the key: the answer was larger than %d KiB and did not end, which no key check should do; something between you and the API may be answering instead.", probe.MaxBody>>10).
				Explain(artConnection, artOutage)
		case !json.Valid(resp.Body):
			return check.Errorf("Could not confirm the key: the answer (HTTP %d) was not JSON, so something between you and the API (a proxy or a sign-in page) may be answering instead.", code).
				Explain(artConnection).With("answer starts: " + f.door.Untrusted(string(resp.Body), 80))
		}
		var v struct {
			Valid *bool `json:"valid"`
		}
		if f.provider == "copycar" && json.Unmarshal(resp.Body, &v) == nil && v.Valid != nil && !*v.Valid {
			return check.Failf("The key was rejected: CopyCar says it is not valid.").Explain(artInvalidKey)
		}
		lines, facts := authFacts(f.provider, resp.Body)
		return check.Passf("%s accepted the key.", providerTitle(f.provider)).With(lines...).WithFacts(facts).Explain(artHealthCheck)
	case code == http.StatusUnauthorized:
		return check.Failf("The key was rejected (401): it is wrong, expired or revoked.").Explain(artInvalidKey)
	case code == http.StatusForbidden && !isQuota(code, e):
		return check.Failf("The key works but lacks permission for this (403): check its scopes, project or organization.").Explain(artForbidden)
	case isQuota(code, e):
		return check.Warnf("The key was accepted, but the account is out of quota or credit: requests will fail until billing is fixed (see api.ratelimit).").
			Explain(artQuota)
	case code == http.StatusTooManyRequests:
		return check.Warnf("The key was accepted, but requests are being rate-limited right now (see api.ratelimit).").Explain(artRateLimit)
	case code >= 500:
		return check.Failf("The provider is failing (HTTP %d): the problem is on their side, not your key.%s", code, withID).
			Explain(artOutage)
	case code == http.StatusNotFound:
		return check.Errorf("Could not test the key: %s does not exist (404), so api.base_url is probably wrong.", resp.URL).
			Explain(artConnection)
	case code >= 300 && code < 400:
		return check.Errorf("Could not test the key: the API redirects elsewhere (HTTP %d); put the final address in api.base_url.", code).
			Explain(artConnection).With("redirects to: " + config.RedactURL(resp.Header.Get("Location")))
	case code == http.StatusBadRequest:
		return check.Errorf("Could not test the key: the API refused the request as malformed (400).").Explain(artInvalidKey)
	}
	return check.Failf("The API refused the key check (HTTP %d).%s", code, withID).Explain(artInvalidKey)
}

func providerTitle(p string) string {
	switch p {
	case "copycar", "openai", "anthropic":
		return providerName(p)
	}
	return "The API"
}

// authFacts are harmless facts from a successful key check, as detail
// lines and as facts (models_visible, key_scopes: counts, never names).
func authFacts(provider string, body []byte) ([]string, map[string]any) {
	var v struct {
		Data    []json.RawMessage `json:"data"`
		Account struct {
			Plan   string `json:"plan"`
			Status string `json:"status"`
		} `json:"account"`
		Key struct {
			Scopes []string `json:"scopes"`
		} `json:"key"`
	}
	facts := map[string]any{}
	if json.Unmarshal(body, &v) != nil {
		return nil, facts
	}
	var out []string
	if provider == "copycar" {
		if v.Account.Plan != "" {
			out = append(out, fmt.Sprintf("plan: %s (%s)", v.Account.Plan, v.Account.Status))
		}
		if len(v.Key.Scopes) > 0 {
			facts["key_scopes"] = len(v.Key.Scopes)
			out = append(out, "key scopes: "+strings.Join(v.Key.Scopes, ", "))
		}
	} else if v.Data != nil {
		facts["models_visible"] = len(v.Data)
		out = append(out, fmt.Sprintf("models visible to this key: %d", facts["models_visible"]))
	}
	return out, facts
}

// runEndpoints is api.endpoints: each extra base URL behind a load balancer
// probed like reachability, as the balancer's own health check would.
func (f *family) runEndpoints(ctx context.Context) check.Result {
	eps := f.api.Endpoints
	if len(eps) == 0 {
		return check.Skipf("No extra endpoints are configured (api.endpoints is empty), so there is nothing to balance.").Explain(artLoadBalance).
			WithFact("endpoints", 0)
	}
	c, err := f.getClient()
	if err != nil {
		return check.Errorf("Could not test the endpoints: %s", sentence(f.door.UntrustedError(err, 300))).Explain(artTLS)
	}
	// One goroutine per endpoint, started the safe way (check.Go) under the
	// one cancellation rule (check.WorkContext); the check stops waiting
	// when its own context ends.
	pctx, cancel := check.WorkContext(ctx)
	defer cancel()
	var mu sync.Mutex // guards lines and healthy: a cancelled check reads them while probes still run
	lines := make([]string, len(eps))
	healthy := make([]bool, len(eps))
	done := make([]<-chan error, len(eps))
	for i, ep := range eps {
		done[i] = check.Go(func() {
			base := strings.TrimRight(ep, "/")
			shown := config.RedactURL(base)
			resp, err := c.Do(pctx, probe.Request{URL: healthURL(f.provider, base), Header: http.Header{"Accept": {"application/json"}}})
			var line string
			ok := false
			switch {
			case err != nil && (resp == nil || !isBodyError(err)):
				line = fmt.Sprintf("✗ %s: %s", shown, f.door.UntrustedError(err, 300))
			case resp.Truncated:
				line = fmt.Sprintf("✗ %s: %s, but the answer did not end (more than %d KiB)", shown, f.door.Untrusted(resp.Status, 80), probe.MaxBody>>10)
			case resp.StatusCode >= 500:
				line = fmt.Sprintf("✗ %s: %s in %s", shown, f.door.Untrusted(resp.Status, 80), human.Duration(resp.Timings.Total))
				if id := firstRequestID(f.door, resp.Header); id != "" {
					line += " (request id " + id + ")"
				}
			default:
				ok = true
				line = fmt.Sprintf("✓ %s: %s in %s", shown, f.door.Untrusted(resp.Status, 80), human.Duration(resp.Timings.Total))
			}
			mu.Lock()
			lines[i], healthy[i] = line, ok
			mu.Unlock()
		})
	}
	for _, d := range done {
		select {
		case err := <-d:
			if r, ok := check.ResultOf(err); ok {
				return r
			}
		case <-ctx.Done():
			mu.Lock()
			defer mu.Unlock()
			return check.Errorf("Cancelled before every endpoint answered.").With(slices.DeleteFunc(slices.Clone(lines), func(l string) bool { return l == "" })...)
		}
	}
	mu.Lock()
	defer mu.Unlock()
	var down []string
	n := 0
	for i, ok := range healthy {
		if ok {
			n++
		} else {
			down = append(down, config.RedactURL(eps[i]))
		}
	}
	var res check.Result
	switch {
	case n == 1 && len(eps) == 1:
		res = check.Passf("The extra endpoint answers.").Explain(artLoadBalance)
	case n == len(eps):
		res = check.Passf("All %d endpoints answer.", n).Explain(artLoadBalance)
	case n == 0 && len(eps) == 1:
		res = check.Failf("The extra endpoint does not answer: requests sent there fail.").Explain(artLoadBalance, artOutage)
	case n == 0:
		res = check.Failf("None of the %d endpoints answer: requests have nowhere healthy to go.", len(eps)).Explain(artLoadBalance, artOutage)
	default:
		res = check.Warnf("%d of %d endpoints answer; down: %s.", n, len(eps), strings.Join(down, ", ")).Explain(artLoadBalance, artReliability)
	}
	return res.With(fmt.Sprintf("healthy: %d of %d", n, len(eps))).With(lines...).
		WithFacts(map[string]any{"endpoints": len(eps), "endpoints_healthy": n})
}

func daysWords(n int) string {
	switch n {
	case 0:
		return "within a day"
	case 1:
		return "tomorrow"
	}
	return check.Sentencef("in %d days", n)
}
