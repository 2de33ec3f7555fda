package demo

import (
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log"
	"net"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"pitstop/internal/config"
)

// SMTP faults a sandbox SMTP server can inject, by name.
const (
	// SMTPFaultBadCredentials rejects every login with 535 5.7.8.
	SMTPFaultBadCredentials = "bad-credentials"
	// SMTPFaultNoStartTLS offers no STARTTLS but still offers AUTH in clear
	// text, as a misconfigured server does.
	SMTPFaultNoStartTLS = "no-starttls"
	// SMTPFaultBusy answers every connection with 421 4.3.2 and hangs up.
	SMTPFaultBusy = "busy-421"
	// SMTPFaultSlowBanner waits (SMTPOptions.BannerDelay) before the greeting.
	SMTPFaultSlowBanner = "slow-banner"
	// SMTPFaultGarbageBanner greets with bytes that are not SMTP.
	SMTPFaultGarbageBanner = "garbage-banner"
	// SMTPFaultSilent accepts connections and never says anything.
	SMTPFaultSilent = "silent"
	// SMTPFaultM365AuthDisabled rejects logins as Microsoft 365 does when
	// SMTP AUTH is disabled for the tenant (535 5.7.139).
	SMTPFaultM365AuthDisabled = "m365-auth-disabled"
	// SMTPFaultGmailAppPassword rejects logins as Gmail does when an app
	// password is required (534-5.7.9).
	SMTPFaultGmailAppPassword = "gmail-app-password"
	// SMTPFaultRejectRecipient rejects every recipient with 550 5.1.1.
	SMTPFaultRejectRecipient = "reject-recipient"
	// SMTPFaultRejectMessage rejects every message after DATA with 554 5.7.1.
	SMTPFaultRejectMessage = "reject-message"
	// SMTPFaultExpiredCert serves a certificate that expired yesterday.
	SMTPFaultExpiredCert = "expired-certificate"
	// SMTPFaultWrongHostCert serves a certificate for another host name.
	SMTPFaultWrongHostCert = "wrong-host-certificate"
)

// SMTPFaults lists the SMTP fault names.
var SMTPFaults = []string{
	SMTPFaultBadCredentials, SMTPFaultNoStartTLS, SMTPFaultBusy, SMTPFaultSlowBanner,
	SMTPFaultGarbageBanner, SMTPFaultSilent, SMTPFaultM365AuthDisabled, SMTPFaultGmailAppPassword,
	SMTPFaultRejectRecipient, SMTPFaultRejectMessage, SMTPFaultExpiredCert, SMTPFaultWrongHostCert,
}

// DefaultBannerDelay is how long the slow-banner fault waits before greeting.
const DefaultBannerDelay = 2500 * time.Millisecond

// GarbageBanner is what the garbage-banner fault sends instead of a greeting.
const GarbageBanner = "\x00\x8f\xfe\x12garbage from a service that is not a mail server\r\n"

// SMTPOptions shape a sandbox SMTP server.
type SMTPOptions struct {
	// Addr to listen on; default 127.0.0.1 on a free port.
	Addr string
	// ImplicitTLS makes the server speak TLS from the first byte (port 465
	// style) instead of offering STARTTLS.
	ImplicitTLS bool
	// Faults by name (SMTPFaults).
	Faults []string
	// Username and Password the server accepts; defaults: a sandbox mailbox
	// and a random password.
	Username string
	Password string
	// AuthMechanisms the server offers; default PLAIN and LOGIN.
	AuthMechanisms []string
	// Domain is the server's name in its greeting; default mail.pitstop.test.
	Domain string
	// BannerDelay for the slow-banner fault; default DefaultBannerDelay.
	BannerDelay time.Duration
	// CA signs the server's certificate; a new one when nil.
	CA *CA
	// Dir is where Configure writes the CA certificate for ca_file; a
	// temporary directory removed by Close when empty.
	Dir string
}

// Message is one message the sandbox SMTP server accepted.
type Message struct {
	From string
	To   []string
	Data []byte
	// User is the login that sent it ("" without AUTH); TLS says whether the
	// connection was encrypted.
	User string
	TLS  bool
}

// SMTPServer is a loopback SMTP server on emersion/go-smtp with STARTTLS or
// implicit TLS, AUTH PLAIN and LOGIN, and injectable faults. It records the
// messages it accepts and every AUTH attempt.
type SMTPServer struct {
	// Addr is host:port; Host and Port are its parts.
	Addr string
	Host string
	Port int
	// CA signed the server's certificate.
	CA *CA

	opts    SMTPOptions
	srv     *smtp.Server
	ln      net.Listener
	dir     string
	tempDir bool
	caFile  string

	mu           sync.Mutex
	messages     []Message
	authAttempts int
	authInClear  int
	raw          map[net.Conn]struct{} // connections held by connection-level faults
	closed       chan struct{}
	closeOnce    sync.Once
	wg           sync.WaitGroup
}

// StartSMTP starts a sandbox SMTP server. Close it when done.
func StartSMTP(opts SMTPOptions) (*SMTPServer, error) {
	for _, f := range opts.Faults {
		if !slices.Contains(SMTPFaults, f) {
			return nil, fmt.Errorf("unknown SMTP fault %q; expected one of: %s", f, strings.Join(SMTPFaults, ", "))
		}
	}
	if opts.Username == "" {
		opts.Username = "mailer@" + HealthyDomain
	}
	if opts.Password == "" {
		opts.Password = randomPassword()
	}
	if opts.Domain == "" {
		opts.Domain = "mail.pitstop.test"
	}
	if opts.AuthMechanisms == nil {
		opts.AuthMechanisms = []string{sasl.Plain, sasl.Login}
	}
	if opts.BannerDelay <= 0 {
		opts.BannerDelay = DefaultBannerDelay
	}
	ca := opts.CA
	if ca == nil {
		var err error
		if ca, err = NewCA(); err != nil {
			return nil, err
		}
	}
	leaf := LeafOptions{Hosts: []string{"localhost", "127.0.0.1", opts.Domain}, NotAfter: time.Now().Add(90 * 24 * time.Hour)}
	if slices.Contains(opts.Faults, SMTPFaultExpiredCert) {
		leaf.NotBefore, leaf.NotAfter = time.Now().Add(-90*24*time.Hour), time.Now().Add(-24*time.Hour)
	}
	if slices.Contains(opts.Faults, SMTPFaultWrongHostCert) {
		leaf.Hosts = []string{"mail.other-provider.test"}
	}
	tlsConf, err := ca.ServerTLS(leaf)
	if err != nil {
		return nil, err
	}
	ln, err := listenLoopback("smtp", opts.Addr)
	if err != nil {
		return nil, err
	}
	s := &SMTPServer{
		Addr:   ln.Addr().String(),
		CA:     ca,
		opts:   opts,
		ln:     ln,
		dir:    opts.Dir,
		raw:    map[net.Conn]struct{}{},
		closed: make(chan struct{}),
	}
	host, port, _ := net.SplitHostPort(s.Addr)
	s.Host = host
	s.Port, _ = strconv.Atoi(port)

	srv := smtp.NewServer(smtp.BackendFunc(s.newSession))
	srv.Domain = opts.Domain
	srv.ReadTimeout = 30 * time.Second
	srv.WriteTimeout = 30 * time.Second
	srv.MaxMessageBytes = 10 << 20
	srv.MaxRecipients = 50
	srv.ErrorLog = log.New(io.Discard, "", 0)
	switch {
	case opts.ImplicitTLS:
		srv.TLSConfig = tlsConf // used by the listener below, not advertised
	case s.has(SMTPFaultNoStartTLS):
		srv.AllowInsecureAuth = true
	default:
		srv.TLSConfig = tlsConf
	}
	s.srv = srv
	var l net.Listener = &faultListener{Listener: ln, s: s}
	if opts.ImplicitTLS {
		l = tls.NewListener(l, tlsConf)
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		_ = srv.Serve(l)
	}()
	return s, nil
}

func randomPassword() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b)
	return "sandbox-" + hex.EncodeToString(b)
}

func (s *SMTPServer) has(fault string) bool { return slices.Contains(s.opts.Faults, fault) }

// Username and Password return the credentials the server accepts.
func (s *SMTPServer) Username() string { return s.opts.Username }

// Password returns the password the server accepts.
func (s *SMTPServer) Password() string { return s.opts.Password }

// Security returns the smtp.security value that matches the server:
// "tls" for implicit TLS, "starttls" otherwise.
func (s *SMTPServer) Security() string {
	if s.opts.ImplicitTLS {
		return "tls"
	}
	return "starttls"
}

// CAFile writes the CA certificate (once) and returns its path, for ca_file.
func (s *SMTPServer) CAFile() (string, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.caFile != "" {
		return s.caFile, nil
	}
	if s.dir == "" {
		d, err := os.MkdirTemp("", "pitstop-smtp-")
		if err != nil {
			return "", err
		}
		s.dir, s.tempDir = d, true
	}
	path, err := s.CA.WriteFile(s.dir, "sandbox-smtp-ca.pem")
	if err != nil {
		return "", err
	}
	s.caFile = path
	return path, nil
}

// Configure points a profile's smtp section at this server: host, port,
// security, credentials, a From address and the CA file. It does not set a
// test recipient (no message is sent unless the caller sets one).
func (s *SMTPServer) Configure(p *config.Profile) error {
	ca, err := s.CAFile()
	if err != nil {
		return err
	}
	p.SMTP.Host = s.Host
	p.SMTP.Port = s.Port
	p.SMTP.Security = s.Security()
	p.SMTP.Username = s.opts.Username
	p.SMTP.Password = config.NewSecret(s.opts.Password, "sandbox")
	p.SMTP.From = "news@" + HealthyDomain
	p.SMTP.CAFile = ca
	return nil
}

// Messages returns a copy of the messages accepted so far.
func (s *SMTPServer) Messages() []Message {
	s.mu.Lock()
	defer s.mu.Unlock()
	return slices.Clone(s.messages)
}

// AuthAttempts returns how many AUTH exchanges clients started, and how many
// of them came over a connection that was not encrypted.
func (s *SMTPServer) AuthAttempts() (total, inClear int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.authAttempts, s.authInClear
}

// Close stops the server, drops every connection and removes the temporary
// CA file.
func (s *SMTPServer) Close() error {
	var err error
	s.closeOnce.Do(func() {
		close(s.closed)
		err = s.srv.Close()
		if errors.Is(err, smtp.ErrServerClosed) || errors.Is(err, net.ErrClosed) {
			err = nil
		}
		// go-smtp closes only the listeners Serve has registered; Serve may
		// not have started yet.
		_ = s.ln.Close()
		s.mu.Lock()
		for c := range s.raw {
			_ = c.Close()
		}
		s.mu.Unlock()
		s.wg.Wait()
		if s.tempDir {
			_ = os.RemoveAll(s.dir)
		}
	})
	return err
}

// faultListener hands go-smtp the connections it should serve and deals with
// connection-level faults itself, without blocking Accept.
type faultListener struct {
	net.Listener
	s *SMTPServer
}

func (l *faultListener) Accept() (net.Conn, error) {
	for {
		c, err := l.Listener.Accept()
		if err != nil {
			return nil, err
		}
		s := l.s
		switch {
		case s.has(SMTPFaultBusy):
			s.hold(c, func() {
				_, _ = io.WriteString(c, "421 4.3.2 Service not available, closing transmission channel\r\n")
			}, false)
			continue
		case s.has(SMTPFaultGarbageBanner):
			s.hold(c, func() { _, _ = io.WriteString(c, GarbageBanner) }, true)
			continue
		case s.has(SMTPFaultSilent):
			s.hold(c, func() {}, true)
			continue
		case s.has(SMTPFaultSlowBanner):
			return &slowConn{Conn: c, delay: s.opts.BannerDelay, closed: s.closed}, nil
		}
		return c, nil
	}
}

// hold serves one connection-level fault: it runs say and, when keep is
// true, holds the connection open (reading and discarding) until the client
// or the server closes it.
func (s *SMTPServer) hold(c net.Conn, say func(), keep bool) {
	s.mu.Lock()
	select {
	case <-s.closed:
		s.mu.Unlock()
		_ = c.Close()
		return
	default:
	}
	s.raw[c] = struct{}{}
	s.wg.Add(1)
	s.mu.Unlock()
	go func() {
		defer s.wg.Done()
		defer func() {
			_ = c.Close()
			s.mu.Lock()
			delete(s.raw, c)
			s.mu.Unlock()
		}()
		say()
		if keep {
			_, _ = io.Copy(io.Discard, c)
		}
	}()
}

// slowConn delays the server's first write (the greeting).
type slowConn struct {
	net.Conn
	delay  time.Duration
	closed <-chan struct{}
	once   sync.Once
}

func (c *slowConn) Write(b []byte) (int, error) {
	c.once.Do(func() {
		t := time.NewTimer(c.delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-c.closed:
		}
	})
	return c.Conn.Write(b)
}

func (s *SMTPServer) newSession(c *smtp.Conn) (smtp.Session, error) {
	_, isTLS := c.TLSConnectionState()
	return &smtpSession{s: s, tls: isTLS}, nil
}

// smtpSession is one client's SMTP session.
type smtpSession struct {
	s    *SMTPServer
	tls  bool
	user string
	from string
	to   []string
}

// AuthMechanisms implements smtp.AuthSession.
func (ss *smtpSession) AuthMechanisms() []string { return ss.s.opts.AuthMechanisms }

// Auth implements smtp.AuthSession.
func (ss *smtpSession) Auth(mech string) (sasl.Server, error) {
	ss.s.mu.Lock()
	ss.s.authAttempts++
	if !ss.tls {
		ss.s.authInClear++
	}
	ss.s.mu.Unlock()
	if !slices.Contains(ss.s.opts.AuthMechanisms, strings.ToUpper(mech)) {
		return nil, smtp.ErrAuthUnknownMechanism
	}
	switch strings.ToUpper(mech) {
	case sasl.Plain:
		return sasl.NewPlainServer(func(identity, username, password string) error {
			if identity != "" && identity != username {
				return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Error: authorization identity not allowed"}
			}
			return ss.authenticate(username, password)
		}), nil
	case sasl.Login:
		return newLoginServer(ss.authenticate), nil
	}
	return nil, smtp.ErrAuthUnknownMechanism
}

// authenticate checks credentials, or fails as the configured fault says.
func (ss *smtpSession) authenticate(username, password string) error {
	switch {
	case ss.s.has(SMTPFaultM365AuthDisabled):
		return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 139},
			Message: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant. " +
				"Visit https://aka.ms/smtp_auth_disabled for more information. [PS2PR01CA0001.eurprd01.prod.sandbox.test]"}
	case ss.s.has(SMTPFaultGmailAppPassword):
		return &smtp.SMTPError{Code: 534, EnhancedCode: smtp.EnhancedCode{5, 7, 9},
			Message: "5.7.9 Application-specific password required. For more information, go to\n" +
				" https://support.google.com/mail/?p=InvalidSecondFactor a1-20020a05sandbox.3 - gsmtp"}
	case ss.s.has(SMTPFaultBadCredentials),
		username != ss.s.opts.Username,
		password != ss.s.opts.Password:
		return &smtp.SMTPError{Code: 535, EnhancedCode: smtp.EnhancedCode{5, 7, 8}, Message: "Error: authentication failed: authentication failure"}
	}
	ss.user = username
	return nil
}

// Mail implements smtp.Session.
func (ss *smtpSession) Mail(from string, _ *smtp.MailOptions) error {
	if ss.user == "" {
		return &smtp.SMTPError{Code: 530, EnhancedCode: smtp.EnhancedCode{5, 7, 0}, Message: "Authentication required"}
	}
	ss.from = from
	return nil
}

// Rcpt implements smtp.Session.
func (ss *smtpSession) Rcpt(to string, _ *smtp.RcptOptions) error {
	if ss.s.has(SMTPFaultRejectRecipient) {
		return &smtp.SMTPError{Code: 550, EnhancedCode: smtp.EnhancedCode{5, 1, 1},
			Message: fmt.Sprintf("<%s>: Recipient address rejected: User unknown in virtual mailbox table", to)}
	}
	ss.to = append(ss.to, to)
	return nil
}

// Data implements smtp.Session.
func (ss *smtpSession) Data(r io.Reader) error {
	b, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	if ss.s.has(SMTPFaultRejectMessage) {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 7, 1},
			Message: "Service unavailable; message content rejected as spam (sandbox policy)"}
	}
	ss.s.mu.Lock()
	ss.s.messages = append(ss.s.messages, Message{From: ss.from, To: slices.Clone(ss.to), Data: b, User: ss.user, TLS: ss.tls})
	ss.s.mu.Unlock()
	return nil
}

// Reset implements smtp.Session.
func (ss *smtpSession) Reset() { ss.from, ss.to = "", nil }

// Logout implements smtp.Session.
func (ss *smtpSession) Logout() error { return nil }
