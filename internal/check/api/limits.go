package api

import (
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/human"
)

// limitHeaders names one limit's headers in each provider's convention.
type limitHeaders struct {
	what                    string // "requests", "tokens" ...
	limit, remaining, reset string
}

var limitConventions = []limitHeaders{
	{"requests", "x-ratelimit-limit-requests", "x-ratelimit-remaining-requests", "x-ratelimit-reset-requests"},
	{"tokens", "x-ratelimit-limit-tokens", "x-ratelimit-remaining-tokens", "x-ratelimit-reset-tokens"},
	{"requests", "anthropic-ratelimit-requests-limit", "anthropic-ratelimit-requests-remaining", "anthropic-ratelimit-requests-reset"},
	{"tokens", "anthropic-ratelimit-tokens-limit", "anthropic-ratelimit-tokens-remaining", "anthropic-ratelimit-tokens-reset"},
	{"input tokens", "anthropic-ratelimit-input-tokens-limit", "anthropic-ratelimit-input-tokens-remaining", "anthropic-ratelimit-input-tokens-reset"},
	{"output tokens", "anthropic-ratelimit-output-tokens-limit", "anthropic-ratelimit-output-tokens-remaining", "anthropic-ratelimit-output-tokens-reset"},
	{"requests", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset"},
	{"requests", "ratelimit-limit", "ratelimit-remaining", "ratelimit-reset"},
}

// limit is one limit the provider reported.
type limit struct {
	what             string
	limit, remaining int64
	reset            string // in words: "in 17s", "" when unknown
}

func (l limit) low() bool { return l.limit > 0 && l.remaining*100 < l.limit*lowRemainingPct }

func (l limit) words() string {
	if l.reset != "" {
		return check.Sentencef("%d of %d %s left (resets %s)", l.remaining, l.limit, l.what, l.reset)
	}
	return check.Sentencef("%d of %d %s left", l.remaining, l.limit, l.what)
}

// headline is the limit closest to running out (the smallest share left),
// the one the remaining and limit facts report.
func headline(limits []limit) limit {
	best := limits[0]
	for _, l := range limits[1:] {
		if l.limit > 0 && (best.limit <= 0 || l.remaining*best.limit < best.remaining*l.limit) {
			best = l
		}
	}
	return best
}

// limitFacts are the limits as facts: remaining and limit for the one
// closest to running out, and <what>_remaining, <what>_limit for each kind
// ("tokens_remaining", "input_tokens_limit").
func limitFacts(limits []limit) map[string]any {
	facts := map[string]any{"limits_reported": len(limits)}
	if len(limits) == 0 {
		return facts
	}
	h := headline(limits)
	facts["remaining"], facts["limit"], facts["limit_kind"] = h.remaining, h.limit, h.what
	for _, l := range limits {
		key := strings.ReplaceAll(l.what, " ", "_")
		if _, seen := facts[key+"_limit"]; !seen {
			facts[key+"_remaining"], facts[key+"_limit"] = l.remaining, l.limit
		}
	}
	return facts
}

// readLimits finds every limit reported in the headers.
func readLimits(h http.Header, now time.Time) []limit {
	var out []limit
	for _, c := range limitConventions {
		lv, rv := h.Get(c.limit), h.Get(c.remaining)
		if lv == "" || rv == "" {
			continue
		}
		l, err1 := strconv.ParseInt(firstNumber(lv), 10, 64)
		r, err2 := strconv.ParseInt(firstNumber(rv), 10, 64)
		if err1 != nil || err2 != nil {
			continue
		}
		out = append(out, limit{what: c.what, limit: l, remaining: r, reset: resetWords(h.Get(c.reset), now)})
	}
	return out
}

// firstNumber takes "100, 100;w=60" (the IETF draft's list form) to "100".
func firstNumber(v string) string {
	v = strings.TrimSpace(v)
	if i := strings.IndexAny(v, ",;"); i >= 0 {
		v = v[:i]
	}
	return strings.TrimSpace(v)
}

// resetWords reads a reset header in any common form: a Go-style duration
// ("17.28s", "6m0s", OpenAI), an RFC 3339 time (Anthropic), Unix seconds or
// a number of seconds.
func resetWords(v string, now time.Time) string {
	v = firstNumber(v)
	if v == "" {
		return ""
	}
	if d, err := time.ParseDuration(v); err == nil {
		return "in " + human.Duration(d)
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return "in " + human.Duration(t.Sub(now))
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil {
		if n > 1e9 { // Unix time
			return "in " + human.Duration(time.Unix(int64(n), 0).Sub(now))
		}
		return "in " + human.Duration(time.Duration(n*float64(time.Second)))
	}
	return ""
}

// retryAfter reads Retry-After (seconds or an HTTP date).
func retryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := strings.TrimSpace(h.Get("Retry-After"))
	if v == "" {
		return 0, false
	}
	if n, err := strconv.ParseFloat(v, 64); err == nil && n >= 0 {
		return time.Duration(n * float64(time.Second)), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(0, t.Sub(now)), true
	}
	return 0, false
}

// limitDetails lists the rate-limit headers as evidence.
func limitDetails(door *config.Scrubber, h http.Header) []string {
	var out []string
	for name, vs := range h {
		l := strings.ToLower(name)
		if strings.Contains(l, "ratelimit") || l == "retry-after" {
			out = append(out, l+": "+door.Untrusted(strings.Join(vs, ", "), 120))
		}
	}
	sort.Strings(out)
	return out
}

// runRateLimit is api.ratelimit: read from the same answer as api.auth.
func (f *family) runRateLimit(ctx context.Context) check.Result {
	resp, err := f.getAuthed(ctx)
	if err != nil && (resp == nil || !isBodyError(err)) {
		return f.networkResult(err, "Could not read the rate limits")
	}
	now := resp.Received
	if now.IsZero() {
		now = time.Now()
	}
	e, _ := parseAPIError(resp.Body)
	code := resp.StatusCode
	limits := readLimits(resp.Header, now)
	facts := limitFacts(limits)
	facts["status_code"] = code
	var res check.Result
	switch {
	case isQuota(code, e) && code != http.StatusUnauthorized:
		res = check.Failf("The account is out of quota or credit (HTTP %d): retrying will not help; add credit or raise the limit in the provider's billing settings.", code).
			Explain(artQuota, artRateLimit)
	case code == http.StatusTooManyRequests:
		wait := "wait a little"
		if d, ok := retryAfter(resp.Header, now); ok {
			facts["retry_after_seconds"] = d.Seconds()
			wait = check.Sentencef("retry after %s", human.Duration(d))
		} else {
			for _, l := range limits {
				if l.remaining == 0 && l.reset != "" {
					wait = check.Sentencef("the limit resets %s", l.reset)
					break
				}
			}
		}
		res = check.Failf("Requests are being throttled (429 Too Many Requests): %s, and send fewer requests at once.", wait).
			Explain(artRateLimit)
	case code == http.StatusUnauthorized || code == http.StatusForbidden:
		res = check.Skipf("Not checked: the key was refused (HTTP %d), so the provider reported no limits for it (see api.auth).", code).
			Explain(artRateLimit)
	case code >= 500:
		res = check.Skipf("Not checked: the provider is failing (HTTP %d), see api.auth.", code).Explain(artOutage)
	case code == http.StatusNotFound:
		res = check.Skipf("Not checked: the key check's address does not exist (HTTP %d), so no limits came back; see api.auth.", code).
			Explain(artConnection)
	case resp.Truncated:
		res = check.Skipf("Not checked: the answer to the key check did not end, so its limits cannot be trusted (see api.auth).").Explain(artConnection)
	default:
		var low []string
		for _, l := range limits {
			if l.low() {
				low = append(low, l.words())
			}
		}
		switch {
		case len(low) > 0:
			res = check.Warnf("Close to the rate limit: only %s. Slow down or requests will start failing with 429.", strings.Join(low, "; ")).
				Explain(artRateLimit)
		case len(limits) == 0:
			res = check.Passf("No limit was hit (the provider sends no rate-limit headers on this call).").Explain(artRateLimit)
		default:
			res = check.Passf("No limit is close: %s.", headline(limits).words()).Explain(artRateLimit)
		}
	}
	res = res.WithFacts(facts)
	res = res.With(responseLine(f.door, resp))
	if code >= 400 {
		if e, ok := parseAPIError(resp.Body); ok {
			res = res.With(e.line(f.door))
		}
	}
	if id := requestID(f.door, resp.Header); id != "" {
		res = res.With(id)
	}
	return res.With(limitDetails(f.door, resp.Header)...)
}

// runClock is api.clock: the server's Date header against the local clock,
// taken from the reachability answer (no key needed).
func (f *family) runClock(ctx context.Context) check.Result {
	resp, err := f.getHealth(ctx)
	if err != nil && (resp == nil || !isBodyError(err)) {
		return f.networkResult(err, "Could not compare the clocks")
	}
	return judgeClock(f.door, resp.Header.Get("Date"), resp.Received)
}

// judgeClock compares a Date header with the local time it arrived at.
func judgeClock(door *config.Scrubber, date string, local time.Time) check.Result {
	if date == "" || local.IsZero() {
		return check.Skipf("The API sent no Date header, so the clocks could not be compared.").Explain(artClock)
	}
	server, err := http.ParseTime(date)
	if err != nil {
		return check.Skipf("The API's Date header is not a valid date, so the clocks could not be compared.").
			With("Date: " + door.Untrusted(date, 60)).Explain(artClock)
	}
	// Date has whole seconds: the server's real time is up to 1 s later.
	// skew_seconds is this computer's clock minus the server's: positive
	// when this computer is ahead. The words below are built from it.
	skewSeconds := int(math.Round(local.Sub(server.Add(500 * time.Millisecond)).Seconds()))
	facts := map[string]any{"skew_seconds": skewSeconds}
	abs := time.Duration(max(skewSeconds, -skewSeconds)) * time.Second
	details := []string{
		"server Date: " + server.UTC().Format(time.RFC1123),
		"local time:  " + local.UTC().Format(time.RFC1123),
		fmt.Sprintf("difference: %+ds (local minus server)", skewSeconds),
	}
	dir := "ahead of"
	if skewSeconds < 0 {
		dir = "behind"
	}
	words := check.Sentencef("This computer's clock is %s %s the API's", clockWords(abs), dir)
	switch {
	case abs > clockFailSkew:
		return check.Failf("%s: signed requests and tokens will be refused. Turn on automatic time sync.", words).
			With(details...).Explain(artClock).WithFacts(facts)
	case abs > clockWarnSkew:
		return check.Warnf("%s: time-based signatures and tokens may start failing. Turn on automatic time sync.", words).
			With(details...).Explain(artClock).WithFacts(facts)
	}
	return check.Passf("This computer's clock agrees with the API's (within %s).", clockWords(max(abs, time.Second))).
		With(details...).Explain(artClock).WithFacts(facts)
}

func clockWords(d time.Duration) string {
	switch {
	case d < 2*time.Minute:
		s := int(math.Round(d.Seconds()))
		if s == 1 {
			return "1 second"
		}
		return check.Sentencef("%d seconds", s)
	case d < 2*time.Hour:
		return check.Sentencef("%d minutes", int(math.Round(d.Minutes())))
	}
	return check.Sentencef("%.1f hours", d.Hours())
}
