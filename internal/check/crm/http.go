package crm

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"syscall"
	"time"

	"pitstop/internal/config"
	"pitstop/internal/human"
	"pitstop/internal/probe"
)

// requester sends one request and reads its answer through a bound;
// *probe.Client is the real one.
type requester interface {
	Do(ctx context.Context, r probe.Request) (*probe.Response, error)
}

// exchange is one request and its answer, kept as evidence. path holds the
// request path and query as sent; it never holds a secret, because no
// provider here puts the token in a URL.
type exchange struct {
	method    string
	path      string
	status    int
	header    http.Header
	body      []byte
	truncated bool
	took      time.Duration
	timings   string // DNS, connect, TLS, server and transfer times
	err       error
	door      *config.Scrubber // the answer's text enters evidence through it
}

// ok reports whether the request got a 2xx answer.
func (e exchange) ok() bool { return e.err == nil && e.status >= 200 && e.status < 300 }

// line is the one-line evidence for the exchange: "GET /path: 401 Unauthorized (12 ms)".
func (e exchange) line() string {
	if e.err != nil {
		return fmt.Sprintf("%s %s: no answer after %s (%s)", e.method, e.path, human.Duration(e.took), e.door.Untrusted(rawErr(e.err), 300))
	}
	return fmt.Sprintf("%s %s: %d %s (%s)", e.method, e.path, e.status, http.StatusText(e.status), human.Duration(e.took))
}

// evidenceHeaders are the answer headers worth showing: request ids for a
// support ticket and every rate-limit header the three CRMs send.
var evidenceHeaders = []string{
	"X-Hubspot-Correlation-Id", "X-Request-Id", "X-Correlation-Id", "Sforce-Limit-Info",
	"Retry-After", "X-Daily-Requests-Left",
}

// evidence returns the request line, the interesting headers and, for an
// error answer, the start of the body.
func (e exchange) evidence() []string {
	out := []string{e.line()}
	if e.header == nil {
		return out
	}
	var names []string
	for name := range e.header {
		lower := strings.ToLower(name)
		if strings.Contains(lower, "ratelimit") || strings.HasPrefix(lower, "x-ratelimit") {
			names = append(names, name)
			continue
		}
		for _, h := range evidenceHeaders {
			if strings.EqualFold(h, name) {
				names = append(names, name)
			}
		}
	}
	sort.Strings(names)
	for _, n := range names {
		out = append(out, fmt.Sprintf("%s: %s", n, e.door.Untrusted(strings.Join(e.header.Values(n), ", "), 120)))
	}
	if e.status >= 300 && len(e.body) > 0 {
		out = append(out, "answer: "+e.door.Untrusted(string(e.body), 300))
	}
	return out
}

// isJSON reports whether the body parses as JSON.
func (e exchange) isJSON() bool {
	return json.Valid(bytes.TrimSpace(e.body)) && len(bytes.TrimSpace(e.body)) > 0
}

// decode parses the body into v.
func (e exchange) decode(v any) error {
	if e.truncated {
		return fmt.Errorf("the answer is larger than %d bytes", probe.MaxBody)
	}
	if err := json.Unmarshal(e.body, v); err != nil {
		return fmt.Errorf("the answer is not the JSON expected: %w", err)
	}
	return nil
}

// endpoint is one CRM API: a base URL, a client and a way to present the
// token.
type endpoint struct {
	base      string // scheme://host[/path], no trailing slash
	client    requester
	authorize func(http.Header) // sets the token header; nil sends none
	door      *config.Scrubber
}

// get sends a GET to path (relative to base).
func (ep *endpoint) get(ctx context.Context, path string) exchange {
	return ep.do(ctx, http.MethodGet, path, nil)
}

// postJSON sends body as JSON to path.
func (ep *endpoint) postJSON(ctx context.Context, path string, body any) exchange {
	b, err := json.Marshal(body)
	if err != nil {
		return exchange{method: http.MethodPost, path: path, err: err}
	}
	return ep.do(ctx, http.MethodPost, path, b)
}

func (ep *endpoint) do(ctx context.Context, method, path string, body []byte) exchange {
	ex := exchange{method: method, path: path, door: ep.door}
	hd := http.Header{}
	hd.Set("Accept", "application/json")
	if body != nil {
		hd.Set("Content-Type", "application/json")
	}
	if ep.authorize != nil {
		ep.authorize(hd)
	}
	resp, err := ep.client.Do(ctx, probe.Request{Method: method, URL: ep.base + path, Header: hd, Body: body})
	var perr *probe.Error
	if errors.As(err, &perr) {
		ex.took = perr.Timings.Total
	}
	if resp != nil {
		ex.status, ex.header, ex.body, ex.truncated = resp.StatusCode, resp.Header, resp.Body, resp.Truncated
		ex.took, ex.timings = resp.Timings.Total, resp.Timings.Line()
	}
	ex.err = err
	return ex
}

// errKind sorts transport failures by what they tell the user.
type errKind int

const (
	errOther    errKind = iota
	errTimeout          // no answer in time: could not test
	errRefused          // nothing listens there: the service is down or the address is wrong
	errNotFound         // the host name does not exist
	errDNS              // the resolver itself failed
	errTLS              // the certificate is not trusted
	errProtocol         // the answer was not HTTP, or the connection was cut
	errInsecure         // the token would have gone over plain http:// to another host; nothing was sent
)

var errKindNames = [...]string{"other", "timeout", "refused", "dns", "dns-failure", "tls", "protocol"}

// String names the kind for the failure fact ("refused").
func (k errKind) String() string {
	if k >= 0 && int(k) < len(errKindNames) {
		return errKindNames[k]
	}
	return "other"
}

// classify explains a transport error in plain words.
func classify(err error) (errKind, string) {
	var perr *probe.Error
	if errors.As(err, &perr) {
		k := map[probe.Kind]errKind{
			probe.KindTimeout: errTimeout, probe.KindCancelled: errTimeout,
			probe.KindRefused: errRefused, probe.KindUnreachable: errRefused,
			probe.KindDNS: errNotFound, probe.KindDNSFailure: errDNS, probe.KindTLS: errTLS,
			probe.KindProtocol: errProtocol, probe.KindClosed: errProtocol, probe.KindBody: errProtocol,
			probe.KindInsecure: errInsecure,
		}[perr.Kind]
		return k, strings.TrimSuffix(perr.Error(), ".")
	}
	var dnsErr *net.DNSError
	var unknownCA x509.UnknownAuthorityError
	var hostErr x509.HostnameError
	var invalid x509.CertificateInvalidError
	var verify *tls.CertificateVerificationError
	switch {
	case errors.Is(err, context.DeadlineExceeded) || isTimeout(err):
		return errTimeout, "it did not answer in time"
	case errors.Is(err, context.Canceled):
		return errTimeout, "the check was cancelled"
	case errors.As(err, &dnsErr) && dnsErr.IsNotFound:
		return errNotFound, fmt.Sprintf("the host name %s does not exist", dnsErr.Name)
	case errors.As(err, &dnsErr):
		return errDNS, "the name server did not answer the lookup"
	case errors.Is(err, syscall.ECONNREFUSED):
		return errRefused, "the connection was refused (nothing is listening at that address)"
	case errors.As(err, &unknownCA), errors.As(err, &hostErr), errors.As(err, &invalid), errors.As(err, &verify):
		return errTLS, "its certificate is not trusted (a corporate proxy, or the wrong host)"
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET),
		strings.Contains(err.Error(), "malformed HTTP"):
		return errProtocol, "it cut the connection or answered with something that is not HTTP"
	}
	return errOther, "the request failed"
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// rawErr is the error text without the URL that *url.Error adds.
func rawErr(err error) string {
	var perr *probe.Error
	if errors.As(err, &perr) {
		return perr.Technical()
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}
