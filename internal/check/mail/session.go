package mail

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/human"
	"pitstop/internal/probe"
)

const (
	// defaultPhaseTimeout bounds a phase whose context has no deadline.
	defaultPhaseTimeout = 30 * time.Second
	// idleClose closes a session that no further check picked up.
	idleClose = 5 * time.Second
	// slowGreeting is when a greeting counts as slow (session.slowGreeting).
	slowGreeting = 2 * time.Second
	// certWarn is how close to expiry a certificate gets a warning.
	certWarn = 14 * 24 * time.Hour
	// quitTimeout bounds the polite QUIT at the end.
	quitTimeout = time.Second
)

// phase is one step of the SMTP conversation; each check reports one.
type phase int

const (
	phaseConnect phase = iota
	phaseTLS
	phaseAuth
	phaseSend
	numPhases
)

var phaseIDs = [numPhases]string{"smtp.connect", "smtp.tls", "smtp.auth", "smtp.send"}

// settings are the smtp section with defaults filled in.
type settings struct {
	host, security, username, from, to, caFile string
	port                                       int
	password                                   config.Secret
	door                                       *config.Scrubber // the server's words enter results through it
}

func newSettings(c config.SMTPConfig) settings {
	s := settings{
		host:     strings.TrimSpace(c.Host),
		port:     c.Port,
		security: strings.ToLower(strings.TrimSpace(c.Security)),
		username: strings.TrimSpace(c.Username),
		password: c.Password,
		from:     strings.TrimSpace(c.From),
		to:       strings.TrimSpace(c.TestRecipient),
		caFile:   c.CAFile,
		door:     config.NewScrubber(c.Password),
	}
	if s.security == "" {
		s.security = "starttls"
		if s.port == 465 {
			s.security = "tls"
		}
	}
	if s.port == 0 {
		s.port = map[string]int{"starttls": 587, "tls": 465, "none": 25}[s.security]
	}
	if s.from == "" && strings.Contains(s.username, "@") {
		s.from = s.username
	}
	return s
}

// session is one SMTP conversation shared by the four checks of a run:
// smtp.connect opens it, each later check carries it one step further under
// its own context, and the last one says QUIT. A check that finds the
// session ended early (a failed step) reports Skip.
type session struct {
	set          settings
	now          func() time.Time
	helloName    string
	last         phase         // the last phase this run will ask for
	slowGreeting time.Duration // a greeting this late is a warning

	mu        sync.Mutex
	gen       int
	next      phase
	results   [numPhases]*check.Result
	dead      bool
	conn      *deadlineConn
	client    *smtp.Client
	tr        *transcript
	tlsMark   int               // transcript position where TLS starts
	ext       map[string]string // the latest EHLO extensions
	encrypted bool
	tlsState  *tls.ConnectionState
	verifyErr error
	caErr     error
	trust     *probe.Trust
	authed    bool
	idle      *time.Timer
	timings   timings
}

func newSession(set settings) *session {
	s := &session{set: set, now: time.Now, helloName: helloName(), slowGreeting: slowGreeting}
	s.last = phaseTLS
	if set.username != "" {
		s.last = phaseAuth
	}
	if set.to != "" {
		s.last = phaseSend
	}
	return s
}

// helloName is the name Pitstop gives in EHLO: the host name when it is
// fully qualified, else "localhost" as most clients do.
func helloName() string {
	h, err := os.Hostname()
	if err != nil || !strings.Contains(h, ".") || strings.ContainsAny(h, " \r\n") {
		return "localhost"
	}
	return h
}

// run carries the session up to ph and returns that phase's result. Asking
// for the first phase starts a new session.
func (s *session) run(ctx context.Context, ph phase) check.Result {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gen++
	if s.idle != nil {
		s.idle.Stop()
		s.idle = nil
	}
	if ph == phaseConnect {
		s.reset()
	}
	for s.next <= ph {
		p := s.next
		s.next++
		if s.results[p] != nil {
			continue // settled by an earlier phase
		}
		var r check.Result
		if s.dead {
			r = check.Skipf("Not run: the SMTP conversation ended at an earlier step.")
		} else {
			r = s.runPhase(ctx, p)
		}
		s.results[p] = &r
		slog.Debug("smtp check", "check", phaseIDs[p], "status", r.Status.String(), "summary", r.Summary, "details", r.Details)
	}
	res := *s.results[ph]
	switch {
	case s.dead:
		s.closeConn()
	case ph >= s.last:
		s.quit(ctx)
	default:
		gen := s.gen
		s.idle = time.AfterFunc(idleClose, func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			if s.gen == gen {
				s.closeConn()
			}
		})
	}
	return res
}

func (s *session) reset() {
	s.closeConn()
	s.next, s.results, s.dead = 0, [numPhases]*check.Result{}, false
	s.tr, s.tlsMark, s.ext = nil, 0, nil
	s.encrypted, s.tlsState, s.verifyErr, s.caErr, s.trust, s.authed = false, nil, nil, nil, nil, false
	s.timings = nil
}

func (s *session) runPhase(ctx context.Context, p phase) check.Result {
	switch p {
	case phaseConnect:
		if s.set.security != "none" {
			// The trust is loaded before the server is dialled, not while
			// it waits for the next command (the system's roots themselves
			// are parsed only if ca_file does not vouch for the server).
			_, _ = s.loadTrust()
		}
		return s.connect(ctx)
	case phaseTLS:
		// What loading the trusted roots found (an unusable SSL_CERT_FILE)
		// is said whatever the handshake gives: it may be why it failed.
		var notes []string
		if s.trust != nil {
			notes = s.trust.Findings
		}
		return s.startTLS(ctx).With(notes...)
	case phaseAuth:
		return s.auth(ctx)
	default:
		return s.send(ctx)
	}
}

func (s *session) closeConn() {
	switch {
	case s.client != nil:
		_ = s.client.Close()
	case s.conn != nil:
		_ = s.conn.Close()
	}
	s.client, s.conn = nil, nil
}

// quit ends the conversation politely, within quitTimeout. Right after
// STARTTLS (TLS not yet negotiated) go-smtp would shake hands just to say
// QUIT, so the connection is simply closed then.
func (s *session) quit(ctx context.Context) {
	if s.client != nil && s.conn != nil && (s.set.security != "starttls" || s.encrypted) {
		release := s.conn.bind(ctx, s.now().Add(quitTimeout))
		_ = s.client.Quit()
		release()
	}
	s.closeConn()
}

// bind limits the connection to the phase's budget.
func (s *session) bind(ctx context.Context) (deadline time.Time, release func()) {
	deadline = phaseDeadline(ctx, s.now())
	return deadline, s.conn.bind(ctx, deadline)
}

// ---------------------------------------------------------------- connect

func (s *session) connect(ctx context.Context) check.Result {
	set := s.set
	if set.host == "" {
		s.dead = true
		return check.Skipf("No SMTP server is configured (smtp.host).")
	}
	switch set.security {
	case "starttls", "tls", "none":
	default:
		s.dead = true
		return check.Failf("smtp.security is %q; it must be starttls (port 587), tls (port 465) or none.", set.security)
	}
	deadline := phaseDeadline(ctx, s.now())
	dctx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	where := check.Sentencef("%s port %d", set.host, set.port)

	t0 := s.now()
	addrs, err := lookupHost(dctx, set.host)
	if net.ParseIP(set.host) == nil {
		s.timings.add("DNS", s.now().Sub(t0))
	}
	if err != nil {
		s.dead = true
		return resolveFailure(set.host, err, deadline.Sub(t0))
	}

	t0 = s.now()
	var raw net.Conn
	var d net.Dialer
	for _, a := range addrs {
		raw, err = d.DialContext(dctx, "tcp", net.JoinHostPort(a, strconv.Itoa(set.port)))
		if err == nil || dctx.Err() != nil {
			break
		}
	}
	if err != nil {
		s.dead = true
		return dialFailure(where, set.port, err, deadline.Sub(t0)).With(fmt.Sprintf("Addresses tried: %s", strings.Join(addrs, ", ")))
	}
	s.timings.add("TCP connect", s.now().Sub(t0))
	s.conn = &deadlineConn{Conn: raw}
	release := s.conn.bind(ctx, deadline)
	defer release()
	s.tr = newTranscript(s.now)
	s.tr.door = s.set.door
	remote := raw.RemoteAddr().String()
	details := []string{fmt.Sprintf("Server: %s (%s), security: %s", where, remote, set.security)}

	connected := s.now()
	var probe *tlsProbe
	switch set.security {
	case "tls":
		tc := tls.Client(s.conn, s.tlsConfig())
		err = tc.HandshakeContext(dctx)
		s.timings.add("TLS handshake", s.now().Sub(connected))
		if err != nil {
			return s.implicitTLSFailure(err, where, deadline.Sub(connected), details)
		}
		st := tc.ConnectionState()
		s.tlsState, s.encrypted = &st, true
		s.client = smtp.NewClient(&tapConn{Conn: tc, tr: s.tr})
		err = s.client.Hello(s.helloName)
	case "starttls":
		probe = s.startProbe(ctx, remote, deadline)
		var c *smtp.Client
		c, err = smtp.NewClientStartTLS(&tapConn{Conn: s.conn, tr: s.tr}, s.tlsConfig())
		probe.stop()
		if err == nil {
			s.client = c
			c.DebugWriter = s.tr // from here on the tap hears only TLS
		}
	default:
		probe = s.startProbe(ctx, remote, deadline)
		s.client = smtp.NewClient(&tapConn{Conn: s.conn, tr: s.tr})
		err = s.client.Hello(s.helloName)
		probe.stop()
	}
	return s.connectResult(err, probe, where, connected, deadline, details)
}

// lookupHost resolves the SMTP host with the system's resolver, as the
// sending application would.
func lookupHost(ctx context.Context, host string) ([]string, error) {
	if ip := net.ParseIP(host); ip != nil {
		return []string{ip.String()}, nil
	}
	return net.DefaultResolver.LookupHost(ctx, host)
}

func resolveFailure(host string, err error, budget time.Duration) check.Result {
	var de *net.DNSError
	switch {
	case errors.As(err, &de) && de.IsNotFound:
		return check.Failf("The mail server name %q does not exist in DNS. Check smtp.host for a typo.", host).
			With("DNS: " + de.Error()).Explain(artConnection)
	case isTimeout(err):
		return check.Errorf("Could not test: looking up %q got no answer within %s. The DNS resolver may be down.", host, human.Duration(budget)).
			With("DNS: " + err.Error()).Explain(artConnection)
	}
	return check.Errorf("Could not test: looking up %q failed: %v.", host, err).Explain(artConnection)
}

func dialFailure(where string, port int, err error, budget time.Duration) check.Result {
	evidence := "Connect: " + err.Error()
	switch {
	case errors.Is(err, syscall.ECONNREFUSED):
		return check.Failf("Nothing accepts connections at %s (connection refused): the port is wrong, the mail server is down, or a firewall rejects the connection.", where).
			With(evidence).Explain(artConnection)
	case errors.Is(err, syscall.EHOSTUNREACH), errors.Is(err, syscall.ENETUNREACH):
		return check.Failf("There is no network route to %s.", where).With(evidence).Explain(artConnection)
	case isTimeout(err):
		hint := ""
		if port == 25 {
			hint = " Many internet and cloud providers block outgoing port 25; use the submission port 587."
		}
		return check.Errorf("Could not test: %s did not answer within %s. A firewall may be silently dropping the connection.%s", where, human.Duration(budget), hint).
			With(evidence).Explain(artConnection)
	}
	return check.Errorf("Could not connect to %s: %v.", where, err).With(evidence).Explain(artConnection)
}

func isTimeout(err error) bool {
	var ne net.Error
	return errors.Is(err, context.DeadlineExceeded) || errors.Is(err, os.ErrDeadlineExceeded) ||
		(errors.As(err, &ne) && ne.Timeout())
}

// connectResult turns the greeting and EHLO (and, with starttls, the STARTTLS
// command) into the connect result, settling the TLS result too when the
// outcome already decides it.
func (s *session) connectResult(err error, probe *tlsProbe, where string, connected, deadline time.Time, details []string) check.Result {
	lines := s.tr.since(0)
	ex := exchanges(lines)
	greet, hasGreet := greeting(ex)
	if hasGreet {
		s.timings.add("greeting", greet.at.Sub(connected))
	}
	if hello, ok := lastHello(ex); ok && hello.done() {
		s.timings.add("EHLO", hello.at.Sub(hello.sentAt))
		s.ext = parseEHLO(hello.reply)
	}
	if i := indexOfCommand(lines, "STARTTLS"); i >= 0 {
		s.tlsMark = i
	} else {
		s.tlsMark = len(lines)
	}
	tail := func(r check.Result) check.Result {
		return r.With(details...).With(s.timings.String()).With(transcriptLines(lines[:s.tlsMark])...).WithFact("port", s.set.port)
	}
	budget := deadline.Sub(connected)

	switch {
	case probe != nil && probe.speaks.Load():
		s.dead = true
		tlsRes := check.Failf("%s expects TLS from the first byte (implicit TLS, usual on port 465), but smtp.security is %s. Set security: tls for this port, or use port 587 with starttls.", where, s.set.security).
			With("Pitstop waited for a greeting that never came, then opened a second connection: it completed a TLS handshake.").
			Explain(artTLSMismatch)
		s.results[phaseTLS] = &tlsRes
		return tail(check.Warnf("Reached %s, but it speaks TLS from the first byte while smtp.security is %s; see the TLS check.", where, s.set.security).Explain(artTLSMismatch))
	case errors.Is(err, errTooMuch):
		s.dead = true
		return tail(check.Failf("%s sent more than %d KiB without finishing its reply, so Pitstop stopped reading: it does not behave like a mail server. Check smtp.host and smtp.port.", where, maxServerBytes>>10).
			Explain(artConnection))
	case !hasGreet && s.tr.pending() != "":
		s.dead = true
		return tail(notSMTP(where, s.tr.pending()))
	case !hasGreet && isTimeout(err):
		s.dead = true
		hint := "The server may be overloaded, or it is not a mail server."
		if s.set.port == 465 {
			hint = "Port 465 normally expects TLS from the first byte: set security: tls."
		}
		arts := []string{artConnection}
		if s.set.port == 465 {
			arts = []string{artTLSMismatch, artConnection}
		}
		return tail(check.Errorf("Could not test: %s accepted the connection but sent no greeting within %s. %s", where, human.Duration(budget), hint).Explain(arts...))
	case !hasGreet:
		s.dead = true
		return tail(check.Failf("%s accepted the connection and closed it without a greeting: it may be refusing this network address, or it is not a mail server.", where).
			With("Error: " + s.errText(err)).Explain(artConnection))
	case !isReplyLine(greet.reply[0]):
		s.dead = true
		return tail(notSMTP(where, greet.reply[0]))
	case greet.code() != 220:
		s.dead = true
		return tail(badGreeting(where, greet))
	}
	details = append(details, "Greeting: "+strings.Join(greet.reply, " / "))

	hello, helloOK := lastHello(ex)
	switch {
	case !helloOK || !hello.done():
		if err == nil {
			break
		}
		s.dead = true
		if isTimeout(err) {
			return tail(check.Errorf("Could not test: %s greeted but did not answer EHLO within %s.", where, human.Duration(budget)).Explain(artConnection))
		}
		return tail(check.Failf("%s greeted, then closed the connection at EHLO.", where).With("Error: " + s.errText(err)).Explain(artConnection))
	case !strings.HasPrefix(hello.reply[len(hello.reply)-1], "250"):
		s.dead = true
		return tail(check.Failf("%s rejected Pitstop's EHLO/HELO: %s", where, strings.Join(hello.reply, " / ")).Explain(artConnection))
	}
	details = append(details, "Extensions: "+describeExtensions(s.set.door, s.ext))

	if err != nil && s.set.security == "starttls" {
		// The greeting and EHLO worked; STARTTLS did not.
		s.dead = true
		tlsRes := s.startTLSRefused(err, ex, lines[s.tlsMark:])
		s.results[phaseTLS] = &tlsRes
	} else if err != nil {
		s.dead = true
		return tail(check.Errorf("The conversation with %s broke off: %s", where, s.errText(err)).Explain(artConnection))
	}

	took := greet.at.Sub(connected)
	_, starttls := s.ext["STARTTLS"]
	_, auth := s.ext["AUTH"]
	facts := map[string]any{"port": s.set.port, "greeting_code": greet.code(), "greeting_ms": human.Millis(took),
		"latency_ms": human.Millis(s.now().Sub(connected)), "starttls_offered": starttls, "auth_offered": auth}
	var res check.Result
	if took >= s.slowGreeting {
		res = check.Warnf("The SMTP server at %s answered, but took %s to greet. Sending apps often give up after a few seconds; the server may be overloaded or delaying on purpose.", where, human.Latency(facts["greeting_ms"].(float64))).
			Explain(artConnection, artLimits)
	} else {
		res = check.Passf("The SMTP server at %s answered in %s%s.", where, human.Latency(facts["latency_ms"].(float64)), offers(s.ext))
	}
	return tail(res).WithFacts(facts)
}

// offers summarises what matters in the EHLO reply for the summary line.
func offers(ext map[string]string) string {
	var parts []string
	if _, ok := ext["STARTTLS"]; ok {
		parts = append(parts, "STARTTLS")
	}
	if mechs, ok := ext["AUTH"]; ok {
		parts = append(parts, check.Sentencef("login (%s)", strings.Join(strings.Fields(mechs), ", ")))
	}
	if len(parts) == 0 {
		return ""
	}
	if len(parts) == 2 {
		return check.Sentencef(" and offers %s and %s", parts[0], parts[1])
	}
	return check.Sentencef(" and offers %s", parts[0])
}

func notSMTP(where, first string) check.Result {
	what := "a service that is not a mail server"
	arts := []string{artConnection}
	switch {
	case strings.HasPrefix(first, "SSH-"):
		what = "an SSH server"
	case strings.HasPrefix(first, "HTTP/"):
		what = "a web server"
	case strings.HasPrefix(first, "+OK"):
		what = "a POP3 mailbox server (for reading mail, not sending it)"
	case strings.HasPrefix(first, "* OK"):
		what = "an IMAP mailbox server (for reading mail, not sending it)"
	case strings.HasPrefix(first, `\x15\x03`), strings.HasPrefix(first, `\x16\x03`):
		what = "a TLS service (set security: tls)"
		arts = []string{artTLSMismatch, artConnection}
	}
	return check.Errorf("Could not test: %s answered with something that is not SMTP; it looks like %s. Check smtp.host and smtp.port.", where, what).
		With("First bytes: " + first).Explain(arts...)
}

func badGreeting(where string, greet exchange) check.Result {
	text := strings.Join(greet.reply, " / ")
	switch greet.code() {
	case 421:
		return check.Failf("%s refused the session (421): it is busy, rate-limiting this address, or down for maintenance. Try again later; if it lasts, ask the mail provider.", where).
			With("Greeting: "+text).Explain(artConnection, artLimits)
	case 554:
		return check.Failf("%s refused to talk to this network address (554). Your address may be on a blocklist or not allowed to use this server.", where).
			With("Greeting: "+text).Explain(artConnection, artBlocklisted)
	}
	return check.Failf("%s greeted with an error (%d).", where, greet.code()).With("Greeting: " + text).Explain(artConnection)
}

// startTLSRefused explains why STARTTLS did not happen.
func (s *session) startTLSRefused(err error, ex []exchange, lines []Line) check.Result {
	details := transcriptLines(lines)
	if _, ok := s.ext["STARTTLS"]; !ok {
		return check.Failf("The server does not offer STARTTLS, so the connection cannot be encrypted and Pitstop will not send your password over it.").
			With("Its EHLO reply lists: "+describeExtensions(s.set.door, s.ext)).
			With("If the server expects TLS from the first byte, use security: tls (port 465). Sending the password unencrypted needs security: none, which is unsafe outside a private network.").
			With(details...).Explain(artNoStartTLS, artTLSMismatch).WithFacts(map[string]any{"encrypted": false, "starttls_offered": false})
	}
	if r, ok := asReply(s.set.door, err); ok {
		return check.Failf("The server offers STARTTLS but refused it (%s): it cannot encrypt the connection right now, so Pitstop will not log in.", r).
			With(details...).Explain(artNoStartTLS).WithFacts(map[string]any{"encrypted": false, "starttls_offered": true, "reply_code": r.Code})
	}
	if isTimeout(err) {
		return check.Errorf("Could not test: the server did not answer STARTTLS in time.").With(details...).Explain(artConnection)
	}
	return check.Errorf("STARTTLS failed: %s", errText(err)).With(details...).Explain(artTLSMismatch)
}

// implicitTLSFailure explains a failed handshake on an implicit-TLS port. A
// plain-text greeting where TLS was expected is the classic mismatch.
func (s *session) implicitTLSFailure(err error, where string, budget time.Duration, details []string) check.Result {
	s.dead = true
	if isTimeout(err) {
		return check.Errorf("Could not test: %s accepted the connection but did not answer the TLS handshake within %s.", where, human.Duration(budget)).
			With(details...).With("Error: " + errText(err)).Explain(artConnection)
	}
	var rh tls.RecordHeaderError
	var tlsRes check.Result
	if errors.As(err, &rh) {
		first := s.set.door.Untrusted(string(rh.RecordHeader[:]), 300)
		plain := ""
		if isDigit(rh.RecordHeader[0]) {
			plain = " It greeted in plain text (\"" + first + "…\"), as a STARTTLS port does."
		}
		tlsRes = check.Failf("smtp.security is tls (TLS from the first byte), but %s does not speak TLS first.%s Set security: starttls for this port (usually 587), or use port 465 with tls.", where, plain).
			With("TLS error: " + s.errText(err)).Explain(artTLSMismatch)
	} else {
		tlsRes = check.Failf("The TLS handshake with %s failed: %s.", where, tlsErrorWords(err)).
			With("TLS error: " + s.errText(err)).Explain(artTLSMismatch)
	}
	s.results[phaseTLS] = &tlsRes
	return check.Warnf("Reached %s, but the TLS handshake failed; see the TLS check.", where).
		With(details...).With(s.timings.String()).Explain(artTLSMismatch)
}

// ---------------------------------------------------------------- TLS

// tlsConfig verifies the certificate itself (VerifyConnection) instead of
// failing the handshake, so a bad certificate can be described in full and
// the session knows not to send credentials.
func (s *session) tlsConfig() *tls.Config {
	conf := &tls.Config{
		MinVersion:         tls.VersionTLS12,
		InsecureSkipVerify: true, // verified below; credentials wait for the verdict
		VerifyConnection: func(cs tls.ConnectionState) error {
			s.verifyErr = s.verify(cs)
			return nil
		},
	}
	if net.ParseIP(s.set.host) == nil {
		conf.ServerName = s.set.host
	}
	return conf
}

// verify checks the chain against the system roots plus ca_file, the host
// name and the dates.
func (s *session) verify(cs tls.ConnectionState) error {
	if len(cs.PeerCertificates) == 0 {
		return errors.New("the server sent no certificate")
	}
	trust, err := s.loadTrust()
	if err != nil {
		s.caErr = err
		return err
	}
	return trust.Verify(cs.PeerCertificates, s.set.host, s.now())
}

// loadTrust loads the session's trust once: the system's roots and
// smtp.ca_file.
func (s *session) loadTrust() (*probe.Trust, error) {
	if s.trust != nil {
		return s.trust, nil
	}
	trust, err := probe.LoadTrust(s.set.caFile, "smtp.ca_file")
	if err != nil {
		return nil, err
	}
	s.trust = trust
	return trust, nil
}

func (s *session) startTLS(ctx context.Context) check.Result {
	switch s.set.security {
	case "none":
		lines := s.tr.since(s.tlsMark)
		_, offered := s.ext["STARTTLS"]
		facts := map[string]any{"encrypted": false, "starttls_offered": offered}
		if offered {
			return check.Warnf("The connection is not encrypted (security: none), although the server offers STARTTLS: the password and messages travel in clear text. Set security: starttls.").
				With(transcriptLines(lines)...).Explain(artNoStartTLS).WithFacts(facts)
		}
		return check.Warnf("The connection is not encrypted (security: none) and the server offers no STARTTLS: the password and messages travel in clear text. Use this only inside a private network.").
			With(transcriptLines(lines)...).Explain(artNoStartTLS).WithFacts(facts)
	case "tls":
		s.timings = nil
		return s.tlsVerdict(nil)
	}
	_, release := s.bind(ctx)
	defer release()
	s.timings = nil
	t0 := s.now()
	err := s.client.Hello(s.helloName) // the handshake happens on its first write
	lines := s.tr.since(s.tlsMark)
	st, _ := s.client.TLSConnectionState()
	if !st.HandshakeComplete {
		s.dead = true
		if isTimeout(err) {
			return check.Errorf("Could not test: the TLS handshake after STARTTLS got no answer in time.").
				With(transcriptLines(lines)...).Explain(artConnection)
		}
		return check.Failf("The TLS handshake after STARTTLS failed: %s.", tlsErrorWords(err)).
			With("TLS error: " + s.errText(err)).With(transcriptLines(lines)...).Explain(artTLSMismatch)
	}
	s.tlsState, s.encrypted = &st, true
	ex := exchanges(lines)
	if hello, ok := lastHello(ex); ok && hello.done() {
		s.timings.add("TLS + EHLO", hello.at.Sub(t0))
		s.ext = parseEHLO(hello.reply)
	}
	if err != nil {
		s.dead = true
		if r, ok := asReply(s.set.door, err); ok {
			return check.Failf("The connection is encrypted, but the server then rejected EHLO (%s).", r).
				With(transcriptLines(lines)...).Explain(artConnection)
		}
		return check.Errorf("The connection is encrypted, but the server stopped answering: %s", s.errText(err)).
			With(transcriptLines(lines)...).Explain(artConnection)
	}
	return s.tlsVerdict(lines)
}

// tlsVerdict reports the negotiated TLS and the certificate check.
func (s *session) tlsVerdict(lines []Line) check.Result {
	st := s.tlsState
	if st == nil {
		return check.Errorf("Pitstop has no TLS state for this connection.")
	}
	var details []string
	details = append(details, fmt.Sprintf("TLS: %s, %s", tls.VersionName(st.Version), tls.CipherSuiteName(st.CipherSuite)))
	var leaf *x509.Certificate
	if len(st.PeerCertificates) > 0 {
		leaf = st.PeerCertificates[0]
		details = append(details, describeCert(leaf, s.now()))
	}
	roots := "the system's trusted authorities"
	if s.set.caFile != "" {
		roots += " plus smtp.ca_file " + s.set.caFile
	}
	details = append(details, "Checked against: "+roots)
	if len(s.timings) > 0 {
		details = append(details, s.timings.String())
	}
	details = append(details, transcriptLines(lines)...)

	// The prose reads the facts: the version's name and the expiry day.
	facts := map[string]any{"encrypted": true, "tls_version": tls.VersionName(st.Version),
		"cipher_suite": tls.CipherSuiteName(st.CipherSuite), "cert_verified": s.caErr == nil && s.verifyErr == nil}
	if leaf != nil {
		facts["cert_expiry_unix"] = leaf.NotAfter.Unix()
		facts["cert_days_left"] = int(math.Floor(leaf.NotAfter.Sub(s.now()).Hours() / 24))
	}
	if s.caErr != nil {
		s.dead = true
		return check.Errorf("Could not check the server's certificate: %v.", s.caErr).With(details...).Explain(artTLSMismatch).WithFacts(facts)
	}
	if s.verifyErr != nil {
		s.dead = true
		return certFailure(s.verifyErr, s.set.host).With(details...).Explain(artTLSMismatch).WithFacts(facts)
	}
	version := facts["tls_version"]
	if leaf != nil && leaf.NotAfter.Sub(s.now()) < certWarn {
		return check.Warnf("The connection is encrypted (%s), but the server's certificate expires on %s; after that, apps will refuse to connect.", version, expiryDay(facts)).
			With(details...).Explain(artTLSMismatch).WithFacts(facts)
	}
	exp := ""
	if leaf != nil {
		exp = check.Sentencef(" and the certificate for %s is valid until %s", s.set.host, expiryDay(facts))
	}
	return check.Passf("The connection is encrypted (%s)%s.", version, exp).With(details...).WithFacts(facts)
}

// expiryDay is the cert_expiry_unix fact as the day people read (UTC).
func expiryDay(facts map[string]any) string {
	return time.Unix(facts["cert_expiry_unix"].(int64), 0).UTC().Format("2006-01-02")
}

func describeCert(c *x509.Certificate, now time.Time) string {
	names := append([]string(nil), c.DNSNames...)
	for _, ip := range c.IPAddresses {
		names = append(names, ip.String())
	}
	days := int(c.NotAfter.Sub(now).Hours() / 24)
	return fmt.Sprintf("Certificate: %s; names: %s; issued by %s; valid until %s (%d days)",
		c.Subject.CommonName, strings.Join(names, ", "), c.Issuer.CommonName, c.NotAfter.Format("2006-01-02"), days)
}

func certFailure(err error, host string) check.Result {
	var ua x509.UnknownAuthorityError
	var he x509.HostnameError
	var ci x509.CertificateInvalidError
	evidence := "Certificate error: " + err.Error()
	switch {
	case errors.As(err, &ua):
		return check.Failf("The server's certificate is not signed by an authority this computer trusts (self-signed, a private CA, or a corporate proxy). Pitstop did not send the password. If the certificate is expected, put its CA in smtp.ca_file.").
			With(evidence)
	case errors.As(err, &he):
		return check.Failf("The server's certificate is for another name, not %s. Use the host name the provider documents (the one the certificate names).", host).
			With(evidence)
	case errors.As(err, &ci) && ci.Reason == x509.Expired:
		return check.Failf("The server's certificate has expired (or this computer's clock is wrong). Pitstop did not send the password.").
			With(evidence)
	}
	return check.Failf("The server's certificate could not be verified, so Pitstop did not send the password.").With(evidence)
}

// tlsErrorWords says what a TLS handshake error means.
func tlsErrorWords(err error) string {
	msg := errText(err)
	switch {
	case strings.Contains(msg, "first record does not look like a TLS handshake"):
		return "the server did not answer in TLS (it may expect plain SMTP with STARTTLS)"
	case strings.Contains(msg, "protocol version"):
		return "the server only offers old TLS versions (before 1.2) that are no longer safe"
	case errors.Is(err, io.EOF), strings.Contains(msg, "connection reset"):
		return "the server closed the connection during the handshake"
	}
	return msg
}

// ---------------------------------------------------------------- AUTH

func (s *session) auth(ctx context.Context) check.Result {
	set := s.set
	switch {
	case set.username == "":
		return check.Skipf("No smtp.username is set, so Pitstop did not try to log in. Most submission servers (ports 587 and 465) require a login.")
	case !set.password.IsSet():
		s.dead = true
		return check.Failf("smtp.username is set but there is no password: set smtp.password (or the SMTP_PASSWORD environment variable).").Explain(artAuthFailed)
	case !s.encrypted && set.security != "none":
		s.dead = true
		return check.Failf("Pitstop did not send the password: the connection is not encrypted. The server must offer STARTTLS, or use security: tls on port 465.").Explain(artNoStartTLS)
	case s.encrypted && (s.verifyErr != nil || s.caErr != nil):
		s.dead = true
		return check.Failf("Pitstop did not send the password: the server's certificate could not be verified (see the TLS check).").Explain(artTLSMismatch)
	}
	mechs := strings.Fields(strings.ToUpper(s.ext["AUTH"]))
	var mech string
	for _, m := range []string{sasl.Plain, sasl.Login} {
		for _, offered := range mechs {
			if offered == m && mech == "" {
				mech = m
			}
		}
	}
	if mech == "" {
		s.dead = true
		if len(mechs) == 0 {
			if _, ok := s.ext["STARTTLS"]; ok && !s.encrypted {
				return check.Failf("The server offers login only after STARTTLS, and smtp.security is none. Set security: starttls.").
					Explain(artTLSMismatch, artNoStartTLS)
			}
			return check.Failf("The server does not offer login (no AUTH in its EHLO reply). It may accept mail only from known network addresses, or this is a server-to-server port (25) rather than the submission port (587).").
				With("Extensions: " + describeExtensions(s.set.door, s.ext)).Explain(artAuthFailed)
		}
		hint := ""
		for _, m := range mechs {
			if m == "XOAUTH2" || m == "OAUTHBEARER" {
				hint = " XOAUTH2/OAUTHBEARER means the provider wants OAuth tokens instead of a password."
			}
		}
		return check.Failf("The server offers only %s; Pitstop tests password logins (PLAIN or LOGIN).%s", strings.Join(mechs, ", "), hint).
			Explain(artAuthFailed)
	}

	_, release := s.bind(ctx)
	defer release()
	mark := s.tr.mark()
	t0 := s.now()
	var client sasl.Client
	if mech == sasl.Plain {
		client = sasl.NewPlainClient("", set.username, set.password.Reveal())
	} else {
		client = &loginClient{username: set.username, password: set.password.Reveal()}
	}
	err := s.client.Auth(client)
	facts := map[string]any{"mechanism": mech, "encrypted": s.encrypted, "latency_ms": human.Millis(s.now().Sub(t0))}
	details := transcriptLines(s.tr.since(mark))
	if err == nil {
		s.authed = true
		if !s.encrypted {
			return check.Warnf("Logged in as %s (%s), but the password travelled unencrypted because smtp.security is none.", set.username, mech).
				With(details...).Explain(artNoStartTLS).WithFacts(facts)
		}
		return check.Passf("Logged in as %s (%s) in %s.", set.username, mech, human.Latency(facts["latency_ms"].(float64))).With(details...).WithFacts(facts)
	}
	s.dead = true
	if r, ok := asReply(s.set.door, err); ok {
		facts["reply_code"] = r.Code
		if r.Enhanced != "" {
			facts["enhanced_code"] = r.Enhanced
		}
		return explainAuth(r, set.host, set.username).With(details...).WithFacts(facts)
	}
	if isTimeout(err) {
		return check.Errorf("Could not test: the server did not answer the login in time.").With(details...).Explain(artConnection)
	}
	if errors.Is(err, sasl.ErrUnexpectedServerChallenge) {
		return check.Errorf("The server's LOGIN prompts were not the usual Username:/Password:, so Pitstop stopped.").With(details...).Explain(artAuthFailed)
	}
	return check.Errorf("The login was cut short: %s", errText(err)).With(details...).Explain(artConnection)
}

// loginClient is the client side of LOGIN as swaks speaks it: no initial
// response, then the user name and password in answer to the server's
// "Username:" and "Password:" prompts (go-sasl's client insists on sending
// the user name up front, which some servers refuse).
type loginClient struct {
	username, password string
}

// Start implements sasl.Client.
func (c *loginClient) Start() (string, []byte, error) { return sasl.Login, nil, nil }

// Next implements sasl.Client.
func (c *loginClient) Next(challenge []byte) ([]byte, error) {
	p := strings.ToLower(string(challenge))
	switch {
	case strings.Contains(p, "user"):
		return []byte(c.username), nil
	case strings.Contains(p, "pass"):
		return []byte(c.password), nil
	}
	return nil, sasl.ErrUnexpectedServerChallenge
}

// ---------------------------------------------------------------- send

func (s *session) send(ctx context.Context) check.Result {
	set := s.set
	switch {
	case set.to == "":
		return check.Skipf("No smtp.test_recipient is set, so no test message was sent.")
	case set.from == "":
		return check.Failf("No sender address: set smtp.from.").Explain(artRejected)
	case set.username != "" && !s.authed:
		return check.Skipf("Not run: the login did not succeed.")
	}
	_, release := s.bind(ctx)
	defer release()
	mark := s.tr.mark()
	t0 := s.now()
	msg := testMessage(set.from, set.to, s.now())
	fail := func(stage string, err error) check.Result {
		s.dead = true
		details := transcriptLines(s.tr.since(mark))
		if r, ok := asReply(s.set.door, err); ok {
			facts := map[string]any{"stage": stage, "reply_code": r.Code}
			if r.Enhanced != "" {
				facts["enhanced_code"] = r.Enhanced
			}
			return explainSend(stage, r, set.from, set.to).With(details...).WithFacts(facts)
		}
		if isTimeout(err) {
			return check.Errorf("Could not test: the server did not answer %s in time.", stage).With(details...).Explain(artConnection)
		}
		return check.Errorf("Sending broke off at %s: %s", stage, s.errText(err)).With(details...).Explain(artConnection)
	}
	if err := s.client.Mail(set.from, nil); err != nil {
		return fail("MAIL", err)
	}
	if err := s.client.Rcpt(set.to, nil); err != nil {
		return fail("RCPT", err)
	}
	w, err := s.client.Data()
	if err != nil {
		return fail("DATA", err)
	}
	if _, err := w.Write(msg); err != nil {
		return fail("DATA", err)
	}
	resp, err := w.CloseWithResponse()
	if err != nil {
		return fail("DATA", err)
	}
	details := transcriptLines(s.tr.since(mark))
	queued := ""
	if resp != nil && resp.StatusText != "" {
		queued = " (" + s.set.door.Untrusted(resp.StatusText, 300) + ")"
	}
	facts := map[string]any{"message_bytes": len(msg), "latency_ms": human.Millis(s.now().Sub(t0))}
	return check.Passf("The server accepted a test message from %s to %s%s in %s. Look for it in that inbox, and in its spam folder.", set.from, set.to, queued, human.Latency(facts["latency_ms"].(float64))).
		With(fmt.Sprintf("Message: %d bytes, subject %q", facts["message_bytes"], testSubject)).With(details...).WithFacts(facts)
}

// ---------------------------------------------------------------- probe

// tlsProbe finds out, while Pitstop waits for a greeting, whether the port
// speaks TLS from the first byte: it opens a second connection and tries a
// handshake. A server that greets never triggers it.
type tlsProbe struct {
	cancel context.CancelFunc
	done   chan struct{}
	speaks atomic.Bool
}

func (s *session) startProbe(ctx context.Context, addr string, deadline time.Time) *tlsProbe {
	pctx, cancel := context.WithDeadline(ctx, deadline)
	p := &tlsProbe{cancel: cancel, done: make(chan struct{})}
	wait := time.Until(deadline) / 4
	wait = max(min(wait, 1500*time.Millisecond), 100*time.Millisecond)
	tr, conn, host := s.tr, s.conn, s.set.host
	finished := check.Go(func() {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-pctx.Done():
			return
		case <-t.C:
		}
		if tr.received() {
			return
		}
		var d net.Dialer
		c, err := d.DialContext(pctx, "tcp", addr)
		if err != nil {
			return
		}
		defer c.Close()
		conf := &tls.Config{InsecureSkipVerify: true} // only asks "is this TLS?"; nothing is sent
		if net.ParseIP(host) == nil {
			conf.ServerName = host
		}
		if tls.Client(c, conf).HandshakeContext(pctx) == nil {
			p.speaks.Store(true)
			conn.abort()
		}
	})
	go func() {
		<-finished // a panic in the sniff is only a sniff that found nothing
		close(p.done)
	}()
	return p
}

func (p *tlsProbe) stop() {
	if p == nil {
		return
	}
	p.cancel()
	<-p.done
}

// ---------------------------------------------------------------- helpers

// errText is an error's text, safe to show: stripped of control characters
// and cut. Errors that may quote the server go through the session's door.
func errText(err error) string {
	if err == nil {
		return "no error"
	}
	return printable(err.Error())
}

// errText is an error's text through the door, which also masks the
// password if the server echoed it.
func (s *session) errText(err error) string {
	if err == nil {
		return "no error"
	}
	return s.set.door.UntrustedError(err, 300)
}

// timings collects the time each step took, for one evidence line.
type timings []string

func (t *timings) add(step string, d time.Duration) { *t = append(*t, step+" "+human.Duration(d)) }

func (t timings) String() string { return "Timing: " + strings.Join(t, " · ") }
