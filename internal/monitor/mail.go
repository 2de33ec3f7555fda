package monitor

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/tls"
	"encoding/hex"
	"errors"
	"fmt"
	"mime"
	"net"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
	"pitstop/internal/probe"
)

// Mailer emails alerts through the configured SMTP server, honouring its
// security setting: credentials never cross a connection that is not
// encrypted unless security is "none".
type Mailer struct {
	SMTP config.SMTPConfig
	To   string
	// Targets are named in the message so the reader knows what was watched.
	Targets []string
	// Scrub, when set, is applied to the message text.
	Scrub func(string) string
	// Now stamps the message (time.Now when nil).
	Now func() time.Time
	// Lang is the language of the message (--lang; English when "").
	Lang string
}

// NewMailer checks that the SMTP settings can send mail and returns a mailer.
func NewMailer(s config.SMTPConfig, to string) (*Mailer, error) {
	switch {
	case s.Host == "":
		return nil, errors.New("--alert-email needs the smtp section of your config (host, port, from)")
	case s.From == "":
		return nil, errors.New("--alert-email needs smtp.from in your config: the address alerts are sent from")
	case !strings.Contains(to, "@"):
		return nil, fmt.Errorf("--alert-email %q is not an email address", to)
	}
	return &Mailer{SMTP: s, To: to}, nil
}

// Send emails one alert.
func (m *Mailer) Send(ctx context.Context, a Alert) error {
	c, err := m.dial(ctx)
	if err != nil {
		return err
	}
	defer c.Close()
	if m.SMTP.Username != "" || m.SMTP.Password.IsSet() {
		if ok, _ := c.Extension("AUTH"); !ok {
			return errors.New("the mail server does not offer AUTH, so the alert could not be sent with your username and password")
		}
		auth := sasl.NewPlainClient("", m.SMTP.Username, m.SMTP.Password.Reveal())
		if err := c.Auth(auth); err != nil {
			return fmt.Errorf("the mail server refused the login: %w", err)
		}
	}
	if err := c.SendMail(m.SMTP.From, []string{m.To}, bytes.NewReader(m.message(a))); err != nil {
		return fmt.Errorf("the mail server did not accept the alert: %w", err)
	}
	return c.Quit()
}

func (m *Mailer) dial(ctx context.Context) (*smtp.Client, error) {
	tlsCfg, err := m.tlsConfig()
	if err != nil {
		return nil, err
	}
	addr := net.JoinHostPort(m.SMTP.Host, strconv.Itoa(m.SMTP.Port))
	d := net.Dialer{Timeout: 10 * time.Second}
	conn, err := d.DialContext(ctx, "tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("cannot reach the mail server %s: %w", addr, err)
	}
	if dl, ok := ctx.Deadline(); ok {
		_ = conn.SetDeadline(dl)
	} else {
		_ = conn.SetDeadline(time.Now().Add(30 * time.Second))
	}
	switch m.SMTP.Security {
	case "tls":
		c := smtp.NewClient(tls.Client(conn, tlsCfg))
		if err := c.Hello("localhost"); err != nil {
			c.Close()
			return nil, fmt.Errorf("TLS connection to %s failed: %w", addr, err)
		}
		return c, nil
	case "none":
		c := smtp.NewClient(conn)
		if err := c.Hello("localhost"); err != nil {
			c.Close()
			return nil, fmt.Errorf("the mail server %s did not greet: %w", addr, err)
		}
		return c, nil
	default: // starttls
		c, err := smtp.NewClientStartTLS(conn, tlsCfg)
		if err != nil {
			if strings.Contains(err.Error(), "doesn't support STARTTLS") {
				return nil, fmt.Errorf("the mail server %s does not offer STARTTLS, so the alert was not sent (your password would cross the network unencrypted)", addr)
			}
			return nil, fmt.Errorf("STARTTLS with %s failed: %w", addr, err)
		}
		// The handshake happens on the next command: greet again now so a
		// certificate problem shows here, before any credential is sent.
		if err := c.Hello("localhost"); err != nil {
			c.Close()
			return nil, fmt.Errorf("STARTTLS with %s failed: %w", addr, err)
		}
		return c, nil
	}
}

// tlsConfig is the one trust decision every client makes (probe.LoadTrust):
// the system's roots plus smtp.ca_file, never ca_file alone.
func (m *Mailer) tlsConfig() (*tls.Config, error) {
	trust, err := probe.LoadTrust(m.SMTP.CAFile, "smtp.ca_file")
	if err != nil {
		return nil, err
	}
	return trust.TLSConfig(m.SMTP.Host), nil
}

// message builds the RFC 5322 alert message.
func (m *Mailer) message(a Alert) []byte {
	now := time.Now
	if m.Now != nil {
		now = m.Now
	}
	scrub := func(s string) string { return s }
	if m.Scrub != nil {
		scrub = m.Scrub
	}
	id := make([]byte, 8)
	_, _ = rand.Read(id)
	domain := "pitstop.local"
	if at := strings.LastIndexByte(m.SMTP.From, '@'); at >= 0 {
		domain = strings.Trim(m.SMTP.From[at+1:], "> ")
	}
	var b strings.Builder
	hdr := func(k, v string) { fmt.Fprintf(&b, "%s: %s\r\n", k, v) }
	hdr("From", m.SMTP.From)
	hdr("To", m.To)
	lang := m.Lang
	if lang == "" {
		lang = i18n.English
	}
	say := func(key string, args ...any) string { return i18n.T(lang, "monitor.mail."+key, args...) }
	hdr("Subject", mime.QEncoding.Encode("utf-8", say("subject", a.Kind)))
	hdr("Date", now().Format(time.RFC1123Z))
	hdr("Message-ID", "<"+hex.EncodeToString(id)+"@"+domain+">")
	hdr("MIME-Version", "1.0")
	hdr("Content-Type", "text/plain; charset=utf-8")
	hdr("Auto-Submitted", "auto-generated")
	b.WriteString("\r\n")
	fields := [][2]string{
		{say("kind"), string(a.Kind)},
		{say("severity"), a.Severity.Word(lang)},
		{say("message"), a.Text(lang)},
		{say("since"), a.Since.Format(time.RFC3339)},
	}
	if len(m.Targets) > 0 {
		fields = append(fields, [2]string{say("watching"), strings.Join(m.Targets, ", ")})
	}
	width := 0
	for _, f := range fields {
		width = max(width, utf8.RuneCountInString(f[0]))
	}
	body := say("heading") + "\n\n"
	for _, f := range fields { // labels in one column: "Kind:     HIGH_ERROR_RATE"
		body += f[0] + ":" + strings.Repeat(" ", width-utf8.RuneCountInString(f[0])+1) + f[1] + "\n"
	}
	body += "\n" + say("once") + "\n" + say("next") + "\n"
	b.WriteString(strings.ReplaceAll(scrub(body), "\n", "\r\n"))
	return []byte(b.String())
}
