// Package probe holds the low-level tools the checks share: a traced HTTP
// client whose timings are real (a fresh connection per probe), bounded body
// reads, TLS certificate facts and plain-words network errors.
package probe

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/httptrace"
	"net/url"
	"os"
	"pitstop/internal/config"
	"pitstop/internal/human"
	"strings"
	"sync"
	"syscall"
	"time"

	"golang.org/x/net/http/httpproxy"
)

// Options configure a Client.
type Options struct {
	// CAFile is an extra CA bundle (PEM) trusted besides the system's and
	// SSL_CERT_FILE's.
	CAFile string
	// RootCAs, when set, replaces the system roots (CAFile is still added).
	RootCAs *x509.CertPool
	// Proxy picks the proxy per request; nil reads HTTPS_PROXY, HTTP_PROXY
	// and NO_PROXY at every probe.
	Proxy func(*http.Request) (*url.URL, error)
	// MaxBody bounds the body read (MaxBody when zero).
	MaxBody int64
	// Logger receives one Info line per request (slog.Default() when nil).
	Logger *slog.Logger
	// UserAgent is sent on every request ("pitstop" when empty).
	UserAgent string
	// Now is the clock for certificate ages (time.Now when nil).
	Now func() time.Time
}

// Client sends traced requests. Each request gets a fresh transport, so DNS,
// connect and TLS are measured every time; a Client is safe for concurrent use.
type Client struct {
	opts     Options
	trust    *Trust
	findings []string // what LoadTrust found on the way (an unreadable SSL_CERT_FILE)
}

// TrustFindings are the problems met while loading the trusted roots that
// did not stop the client: details for a result.
func (c *Client) TrustFindings() []string { return c.findings }

// NewClient loads the trusted roots once (LoadTrust). It fails when ca_file
// cannot be read or holds no certificate; an unusable SSL_CERT_FILE is a
// finding (TrustFindings).
func NewClient(opts Options) (*Client, error) {
	c := &Client{opts: opts}
	if opts.RootCAs != nil {
		roots := opts.RootCAs.Clone()
		if opts.CAFile != "" {
			if err := appendPEMFile(roots, opts.CAFile, "ca_file"); err != nil {
				return nil, err
			}
		}
		c.trust = TrustPool(roots)
	} else {
		trust, err := LoadTrust(opts.CAFile, "ca_file")
		if err != nil {
			return nil, err
		}
		c.trust, c.findings = trust, trust.Findings
	}
	if c.opts.MaxBody <= 0 {
		c.opts.MaxBody = MaxBody
	}
	if c.opts.UserAgent == "" {
		c.opts.UserAgent = "pitstop"
	}
	if c.opts.Now == nil {
		c.opts.Now = time.Now
	}
	return c, nil
}

// tlsConfigFor is the trust of one request (a fresh transport each, and
// redirects are not followed), naming the host its certificate must cover.
// Plain http:// needs none, so the roots are not loaded for it. Through an
// HTTPS proxy the same configuration meets the proxy too, so it names no
// host and holds every root (the transport names each end itself).
func (c *Client) tlsConfigFor(req *http.Request, host string, proxyFn func(*http.Request) (*url.URL, error)) *tls.Config {
	if p, err := proxyFn(req); err == nil && p != nil && p.Scheme == "https" {
		return &tls.Config{RootCAs: c.trust.Roots(), MinVersion: tls.VersionTLS12}
	}
	if req.URL.Scheme != "https" {
		return nil
	}
	return c.trust.TLSConfig(host)
}

// Request is one HTTP request to probe.
type Request struct {
	Method string // GET when empty
	URL    string
	Header http.Header
	Body   []byte
}

// Response is what came back, with the evidence the checks report.
type Response struct {
	Method     string
	URL        string // without query, fragment or user info: safe to show
	StatusCode int
	Status     string // "401 Unauthorized"
	Proto      string
	Header     http.Header
	Body       []byte // at most MaxBody bytes
	Truncated  bool   // the body was longer than MaxBody; the rest was not read
	Timings    Timings
	TLS        *TLSInfo // nil over plain HTTP
	Proxy      string   // the proxy used, without user info; "" when direct
	RemoteAddr string   // the address connected to
	Received   time.Time
}

// Do sends one request with a fresh connection and reads the body through
// the bound. Network failures come back as *Error with plain words.
func (c *Client) Do(ctx context.Context, r Request) (*Response, error) {
	method := r.Method
	if method == "" {
		method = http.MethodGet
	}
	u, err := url.Parse(r.URL)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		return nil, &Error{Kind: KindBadURL, URL: config.RedactURL(r.URL), Err: errors.New("not an http(s) URL"),
			msg: fmt.Sprintf("%q is not a usable http(s) address.", config.RedactURL(r.URL))}
	}
	safe := config.RedactURL(r.URL)
	host := hostOnly(u.Host)
	if u.Scheme == "http" && carriesCredential(r.Header) && !IsLoopback(host) {
		// Refused before any connection: over plain HTTP anyone on the path
		// reads the key. Loopback is the one place it cannot be overheard.
		return nil, &Error{Kind: KindInsecure, URL: safe, Err: errPlainHTTP,
			msg: fmt.Sprintf("Pitstop did not send the key: %s uses plain http://, so anyone on the network path could read it. Use https://.", host)}
	}

	tr := &tracer{}
	proxyFn := c.opts.Proxy
	if proxyFn == nil {
		envProxy := httpproxy.FromEnvironment().ProxyFunc()
		proxyFn = func(req *http.Request) (*url.URL, error) { return envProxy(req.URL) }
	}
	transport := &http.Transport{
		Proxy: func(req *http.Request) (*url.URL, error) {
			p, err := proxyFn(req)
			if p != nil {
				tr.mu.Lock()
				tr.proxy = config.RedactURL(p.String())
				tr.mu.Unlock()
			}
			return p, err
		},
		DialContext:            (&net.Dialer{KeepAlive: -1}).DialContext,
		DisableKeepAlives:      true,
		ForceAttemptHTTP2:      true,
		MaxResponseHeaderBytes: 64 << 10,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{
		Transport:     transport,
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}

	var body io.Reader
	if r.Body != nil {
		body = bytes.NewReader(r.Body)
	}
	req, err := http.NewRequestWithContext(httptrace.WithClientTrace(ctx, tr.trace()), method, r.URL, body)
	if err != nil {
		return nil, &Error{Kind: KindBadURL, URL: safe, Err: err, msg: fmt.Sprintf("%q is not a usable address.", safe)}
	}
	for k, vs := range r.Header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("User-Agent", c.opts.UserAgent)

	tlsConf := c.tlsConfigFor(req, host, proxyFn)
	transport.TLSClientConfig = tlsConf
	tr.start(time.Now())
	resp, err := client.Do(req)
	proxyUsed := tr.proxyURL()
	if err != nil {
		t := tr.timings(time.Now())
		perr := classify(err, host, u.Port(), u.Scheme, tr.phase(), t, c.opts.Now())
		perr.URL, perr.Proxy, perr.Timings = safe, proxyUsed, t
		c.log(ctx, method, safe, 0, t.Total, perr)
		return nil, perr
	}
	defer resp.Body.Close()
	data, truncated, rerr := ReadBounded(resp.Body, c.opts.MaxBody)
	end := time.Now()
	t := tr.timings(end)
	out := &Response{
		Method:     method,
		URL:        safe,
		StatusCode: resp.StatusCode,
		Status:     resp.Status,
		Proto:      resp.Proto,
		Header:     resp.Header,
		Body:       data,
		Truncated:  truncated,
		Timings:    t,
		TLS:        tlsInfoFromState(resp.TLS, VerifiedBy(tlsConf), host, c.opts.Now()),
		Proxy:      proxyUsed,
		RemoteAddr: tr.remote(),
		Received:   tr.firstByteTime(),
	}
	if rerr != nil {
		// Headers arrived but the body broke off: keep what was read and
		// say so, the status line is still evidence.
		perr := classify(rerr, host, u.Port(), u.Scheme, phaseBody, t, c.opts.Now())
		perr.URL, perr.Proxy, perr.Timings, perr.Response = safe, proxyUsed, t, out
		c.log(ctx, method, safe, resp.StatusCode, t.Total, perr)
		return out, perr
	}
	c.log(ctx, method, safe, resp.StatusCode, t.Total, nil)
	return out, nil
}

func (c *Client) log(ctx context.Context, method, safeURL string, status int, latency time.Duration, err *Error) {
	l := c.opts.Logger
	if l == nil {
		l = slog.Default()
	}
	attrs := []slog.Attr{
		slog.String("method", method),
		slog.String("url", safeURL),
		slog.Int("status", status),
		slog.Float64("latency_ms", float64(latency.Microseconds())/1000),
	}
	if err != nil {
		attrs = append(attrs, slog.String("error", err.Kind.String()))
	}
	l.LogAttrs(ctx, slog.LevelInfo, "http request", attrs...)
}

// Phase is how far a request got.
type Phase string

const (
	phaseStart   Phase = "start"
	phaseDNS     Phase = "dns"
	phaseConnect Phase = "connect"
	phaseTLS     Phase = "tls"
	phaseWaiting Phase = "waiting" // request sent, no answer yet
	phaseBody    Phase = "body"
)

// tracer records httptrace events. Callbacks can come from several
// goroutines (parallel dials), hence the mutex.
type tracer struct {
	mu                                     sync.Mutex
	t0, dnsStart, dnsDone                  time.Time
	connStart, connDone, tlsStart, tlsDone time.Time
	gotConn, wrote, firstByte              time.Time
	addr, proxy                            string
}

func (tr *tracer) proxyURL() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.proxy
}

func (tr *tracer) start(t time.Time) {
	tr.mu.Lock()
	tr.t0 = t
	tr.mu.Unlock()
}

func (tr *tracer) set(field *time.Time) {
	now := time.Now()
	tr.mu.Lock()
	if field.IsZero() {
		*field = now
	}
	tr.mu.Unlock()
}

func (tr *tracer) trace() *httptrace.ClientTrace {
	return &httptrace.ClientTrace{
		DNSStart:          func(httptrace.DNSStartInfo) { tr.set(&tr.dnsStart) },
		DNSDone:           func(httptrace.DNSDoneInfo) { tr.set(&tr.dnsDone) },
		ConnectStart:      func(string, string) { tr.set(&tr.connStart) },
		TLSHandshakeStart: func() { tr.set(&tr.tlsStart) },
		TLSHandshakeDone:  func(tls.ConnectionState, error) { tr.set(&tr.tlsDone) },
		ConnectDone: func(_, addr string, err error) {
			if err == nil {
				tr.set(&tr.connDone)
				tr.mu.Lock()
				tr.addr = addr
				tr.mu.Unlock()
			}
		},
		GotConn: func(info httptrace.GotConnInfo) {
			tr.set(&tr.gotConn)
			if info.Conn != nil {
				tr.mu.Lock()
				if tr.addr == "" {
					tr.addr = info.Conn.RemoteAddr().String()
				}
				tr.mu.Unlock()
			}
		},
		WroteRequest:         func(httptrace.WroteRequestInfo) { tr.set(&tr.wrote) },
		GotFirstResponseByte: func() { tr.set(&tr.firstByte) },
	}
}

func (tr *tracer) remote() string {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.addr
}

func (tr *tracer) firstByteTime() time.Time {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	return tr.firstByte
}

// phase says how far the request got.
func (tr *tracer) phase() Phase {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	switch {
	case !tr.firstByte.IsZero():
		return phaseBody
	case !tr.wrote.IsZero() || !tr.gotConn.IsZero():
		return phaseWaiting
	case !tr.tlsStart.IsZero():
		return phaseTLS
	case !tr.connStart.IsZero():
		return phaseConnect
	case !tr.dnsStart.IsZero():
		return phaseDNS
	}
	return phaseStart
}

func span(a, b time.Time) time.Duration {
	if a.IsZero() || b.IsZero() || b.Before(a) {
		return 0
	}
	return b.Sub(a)
}

func (tr *tracer) timings(end time.Time) Timings {
	tr.mu.Lock()
	defer tr.mu.Unlock()
	t := Timings{
		DNS:     span(tr.dnsStart, tr.dnsDone),
		Connect: span(tr.connStart, tr.connDone),
		TLS:     span(tr.tlsStart, tr.tlsDone),
		Total:   span(tr.t0, end),
		HasTLS:  !tr.tlsStart.IsZero(),
	}
	sent := tr.wrote
	if sent.IsZero() {
		sent = tr.gotConn
	}
	if !tr.firstByte.IsZero() {
		t.Server = span(sent, tr.firstByte)
		t.Transfer = span(tr.firstByte, end)
	} else if !sent.IsZero() {
		t.Server = span(sent, end) // still waiting when it ended
	}
	return t
}

// Timings break a request down like httpstat does.
type Timings struct {
	DNS      time.Duration // name lookup
	Connect  time.Duration // TCP connect
	TLS      time.Duration // TLS handshake
	Server   time.Duration // request sent → first byte (the server's thinking time)
	Transfer time.Duration // first byte → last byte read
	Total    time.Duration // everything, end to end
	HasTLS   bool          // a TLS handshake took place
}

// TimingPhase is one named part of a request.
type TimingPhase struct {
	Name     string
	Duration time.Duration
}

// Phases lists the parts in order (TLS only when there was a handshake).
func (t Timings) Phases() []TimingPhase {
	ps := []TimingPhase{{"DNS", t.DNS}, {"connect", t.Connect}}
	if t.HasTLS || t.TLS > 0 {
		ps = append(ps, TimingPhase{"TLS", t.TLS})
	}
	return append(ps, TimingPhase{"server", t.Server}, TimingPhase{"transfer", t.Transfer})
}

// Line renders "DNS 1ms │ connect 0ms │ TLS 3ms │ server 12ms │ transfer 0ms".
func (t Timings) Line() string {
	ps := t.Phases()
	parts := make([]string, len(ps))
	for i, p := range ps {
		parts[i] = p.Name + " " + human.Duration(p.Duration)
	}
	return strings.Join(parts, " │ ")
}

// barGlyphs shade each phase differently, in Phases order (TLS may be absent).
var barGlyphs = map[string]string{"DNS": "░", "connect": "▒", "TLS": "▓", "server": "█", "transfer": "▄"}

// Bar renders the phases as a proportional bar of width cells followed by
// the total: "░▒▓▓████████████▄ 16ms". Every phase that took time gets at
// least one cell.
func (t Timings) Bar(width int) string {
	if width < 10 {
		width = 10
	}
	ps := t.Phases()
	var sum time.Duration
	for _, p := range ps {
		sum += p.Duration
	}
	var b strings.Builder
	b.WriteString("[")
	if sum <= 0 {
		b.WriteString(strings.Repeat(" ", width))
	} else {
		cells := make([]int, len(ps))
		used := 0
		for i, p := range ps {
			if p.Duration > 0 {
				cells[i] = max(1, int(int64(width)*int64(p.Duration)/int64(sum)))
				used += cells[i]
			}
		}
		// Give or take the rounding from the longest phase.
		longest := 0
		for i := range ps {
			if ps[i].Duration > ps[longest].Duration {
				longest = i
			}
		}
		cells[longest] = max(1, cells[longest]+width-used)
		for i, p := range ps {
			b.WriteString(strings.Repeat(barGlyphs[p.Name], cells[i]))
		}
	}
	b.WriteString("] ")
	b.WriteString(human.Duration(t.Total))
	b.WriteString(" total")
	return b.String()
}

// Lines is the breakdown as detail lines: the named phases, then the bar.
func (t Timings) Lines() []string { return []string{t.Line(), t.Bar(40)} }

// Kind classifies a failed request.
type Kind int

// The kinds of failure, each explained in plain words by Error.
const (
	KindUnknown     Kind = iota
	KindBadURL           // the address itself is unusable
	KindDNS              // the name does not exist
	KindDNSFailure       // the lookup itself failed (resolver down)
	KindRefused          // nothing listens there
	KindUnreachable      // no route to the host
	KindTimeout          // no answer in time
	KindCancelled        // the run was cancelled
	KindTLS              // certificate or handshake problem; see Error.TLS
	KindProtocol         // the answer was not HTTP
	KindClosed           // the server closed or reset the connection
	KindProxy            // the proxy failed
	KindBody             // the body broke off or was cut
	KindInsecure         // a credential would have gone over plain http:// to another host; nothing was sent
)

var kindNames = [...]string{"unknown", "bad-url", "dns", "dns-failure", "refused", "unreachable", "timeout", "cancelled", "tls", "protocol", "closed", "proxy", "body", "insecure"}

// String returns a short dashed name, used in logs.
func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("kind(%d)", int(k))
}

// errPlainHTTP is the reason of a KindInsecure error.
var errPlainHTTP = errors.New("a credential is never sent over plain http:// to a host that is not loopback")

// credentialHeaders are the request headers that carry a key or token.
var credentialHeaders = []string{"Authorization", "Proxy-Authorization", "X-Api-Key", "X-Api-Token", "Api-Key"}

func carriesCredential(h http.Header) bool {
	for _, name := range credentialHeaders {
		if h.Get(name) != "" {
			return true
		}
	}
	return false
}

// IsLoopback reports whether host (a name or an address, without port) is
// this machine: "localhost", 127.0.0.0/8 or ::1.
func IsLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") || strings.HasSuffix(strings.ToLower(host), ".localhost") {
		return true
	}
	ip := net.ParseIP(strings.Trim(host, "[]"))
	return ip != nil && ip.IsLoopback()
}

// Error is a failed probe. Its message is plain words without the URL's
// query or user info; Technical carries the underlying error text.
type Error struct {
	Kind     Kind
	Phase    Phase
	URL      string
	Proxy    string
	Timings  Timings
	TLS      *TLSInfo  // set for KindTLS
	Response *Response // set when headers arrived but the body failed
	Err      error
	msg      string
}

func (e *Error) Error() string { return e.msg }

// Unwrap exposes the underlying error for errors.Is (context.DeadlineExceeded ...).
func (e *Error) Unwrap() error { return e.Err }

// Technical is the underlying error's text without the request URL, for
// details.
func (e *Error) Technical() string { return technical(e.Err) }

// CouldNotTest reports whether the failure means the check could not tell
// (timeouts, cancellation, a broken resolver) rather than a finding.
func (e *Error) CouldNotTest() bool {
	switch e.Kind {
	case KindTimeout, KindCancelled, KindDNSFailure, KindProtocol, KindBody, KindUnknown:
		return true
	}
	return false
}

// technical strips *url.Error's "Get "https://...": " prefix.
func technical(err error) string {
	if err == nil {
		return ""
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// classify turns a transport error into plain words.
func classify(err error, host, port, scheme string, phase Phase, t Timings, now time.Time) *Error {
	if port == "" {
		port = map[string]string{"http": "80", "https": "443"}[scheme]
	}
	hp := net.JoinHostPort(host, port)
	e := &Error{Err: err, Phase: phase}
	var dnsErr *net.DNSError
	var opErr *net.OpError
	switch {
	case errors.Is(err, context.Canceled):
		e.Kind = KindCancelled
		e.msg = "Cancelled before " + host + " answered."
	case errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) || isTimeout(err):
		e.Kind = KindTimeout
		e.msg = timeoutWords(hp, phase, t)
	case errors.As(err, &dnsErr):
		if dnsErr.IsNotFound {
			e.Kind = KindDNS
			e.msg = fmt.Sprintf("The name %s could not be found in DNS (no such host): check the address for typos, or your network's DNS.", host)
		} else {
			e.Kind = KindDNSFailure
			e.msg = fmt.Sprintf("Could not look up %s: the DNS resolver did not answer properly (%s).", host, dnsErr.Err)
		}
	case isProxyError(err):
		e.Kind = KindProxy
		e.msg = fmt.Sprintf("The proxy did not let the request through to %s (%s).", hp, technical(err))
	case errors.Is(err, syscall.ECONNREFUSED):
		e.Kind = KindRefused
		e.msg = fmt.Sprintf("%s refused the connection: nothing is listening there, or a firewall rejects it.", hp)
	case errors.Is(err, syscall.EHOSTUNREACH) || errors.Is(err, syscall.ENETUNREACH):
		e.Kind = KindUnreachable
		e.msg = fmt.Sprintf("%s cannot be reached from this network (no route to host).", hp)
	default:
		if info := tlsInfoFromError(err, host, now); info != nil {
			e.Kind, e.TLS, e.msg = KindTLS, info, info.Reason
			break
		}
		text := technical(err)
		switch {
		case strings.Contains(text, "malformed HTTP") || strings.Contains(text, "malformed MIME") ||
			strings.Contains(text, "HTTP/1.x transport connection broken") && !strings.Contains(text, "EOF"):
			e.Kind = KindProtocol
			e.msg = fmt.Sprintf("%s answered with something that is not HTTP: a different service may be listening on that port.", hp)
		case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, syscall.ECONNRESET) ||
			strings.Contains(text, "server closed") || strings.Contains(text, "EOF"):
			e.Kind = KindClosed
			if phase == phaseBody {
				e.Kind = KindBody
				e.msg = fmt.Sprintf("%s closed the connection in the middle of its answer.", hp)
			} else {
				e.msg = fmt.Sprintf("%s closed the connection without answering.", hp)
			}
		case errors.As(err, &opErr):
			e.Kind = KindUnknown
			e.msg = fmt.Sprintf("The connection to %s failed (%s).", hp, text)
		case phase == phaseBody:
			e.Kind = KindBody
			e.msg = fmt.Sprintf("Reading the answer from %s failed (%s).", hp, text)
		default:
			e.Kind = KindUnknown
			e.msg = fmt.Sprintf("The request to %s failed (%s).", hp, text)
		}
	}
	return e
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

func isProxyError(err error) bool {
	var opErr *net.OpError
	if errors.As(err, &opErr) && opErr.Op == "proxyconnect" {
		return true
	}
	return strings.Contains(err.Error(), "proxyconnect")
}

func timeoutWords(hp string, phase Phase, t Timings) string {
	switch phase {
	case phaseStart, phaseDNS:
		return fmt.Sprintf("No answer in time while looking up %s: the DNS resolver is slow or unreachable.", hostOnly(hp))
	case phaseConnect:
		return fmt.Sprintf("No answer in time while connecting to %s: a firewall may be silently dropping the connection.", hp)
	case phaseTLS:
		return fmt.Sprintf("Connected to %s, but the secure (TLS) handshake did not finish in time.", hp)
	case phaseWaiting:
		return fmt.Sprintf("Connected to %s and sent the request, but no answer came within %s: the service is overloaded or stuck.", hp, human.Duration(t.Total))
	}
	return fmt.Sprintf("%s started answering but did not finish within %s.", hp, human.Duration(t.Total))
}
