package demo

import (
	"crypto/tls"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
)

func TestLoginServer(t *testing.T) {
	t.Parallel()
	check := func(u, p string) error {
		if u == "me" && p == "pw" {
			return nil
		}
		return errors.New("no")
	}
	// Without an initial response: Username:, then Password:.
	s := newLoginServer(check)
	ch, done, err := s.Next(nil)
	require.NoError(t, err)
	require.False(t, done)
	require.Equal(t, "Username:", string(ch))
	ch, done, err = s.Next([]byte("me"))
	require.NoError(t, err)
	require.False(t, done)
	require.Equal(t, "Password:", string(ch))
	_, done, err = s.Next([]byte("pw"))
	require.NoError(t, err)
	require.True(t, done)
	_, _, err = s.Next([]byte("again"))
	require.Error(t, err)

	// With the user name as the initial response.
	s = newLoginServer(check)
	ch, _, err = s.Next([]byte("me"))
	require.NoError(t, err)
	require.Equal(t, "Password:", string(ch))
	_, done, err = s.Next([]byte("wrong"))
	require.True(t, done)
	require.Error(t, err)
}

func TestStartSMTPRejectsUnknownFaults(t *testing.T) {
	t.Parallel()
	_, err := StartSMTP(SMTPOptions{Faults: []string{"nope"}})
	require.ErrorContains(t, err, "unknown SMTP fault")
}

func dialSandbox(t *testing.T, s *SMTPServer) *smtp.Client {
	t.Helper()
	conf := &tls.Config{RootCAs: s.CA.Pool(), ServerName: "127.0.0.1"}
	var c *smtp.Client
	var err error
	if s.Security() == "tls" {
		c, err = smtp.DialTLS(s.Addr, conf)
	} else {
		c, err = smtp.DialStartTLS(s.Addr, conf)
	}
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func TestSMTPServerAcceptsAndRecords(t *testing.T) {
	t.Parallel()
	for _, implicit := range []bool{false, true} {
		s, err := StartSMTP(SMTPOptions{ImplicitTLS: implicit, Password: "pw-123456"})
		require.NoError(t, err)
		t.Cleanup(func() { _ = s.Close() })
		c := dialSandbox(t, s)
		require.NoError(t, c.Auth(sasl.NewPlainClient("", s.Username(), "pw-123456")))
		require.NoError(t, c.SendMail("a@pitstop-healthy.test", []string{"b@pitstop-healthy.test"}, strings.NewReader("Subject: hi\r\n\r\nhello\r\n")))
		msgs := s.Messages()
		require.Len(t, msgs, 1)
		require.Equal(t, s.Username(), msgs[0].User)
		require.True(t, msgs[0].TLS)
		total, clear := s.AuthAttempts()
		require.Equal(t, 1, total)
		require.Zero(t, clear)
	}
}

func TestSMTPFaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		fault string
		code  int
		enh   string
	}{
		{SMTPFaultBadCredentials, 535, "5.7.8"},
		{SMTPFaultM365AuthDisabled, 535, "5.7.139"},
		{SMTPFaultGmailAppPassword, 534, "5.7.9"},
	}
	for _, tt := range tests {
		t.Run(tt.fault, func(t *testing.T) {
			t.Parallel()
			s, err := StartSMTP(SMTPOptions{Faults: []string{tt.fault}})
			require.NoError(t, err)
			t.Cleanup(func() { _ = s.Close() })
			c := dialSandbox(t, s)
			err = c.Auth(sasl.NewPlainClient("", s.Username(), s.Password()))
			var se *smtp.SMTPError
			require.ErrorAs(t, err, &se)
			require.Equal(t, tt.code, se.Code)
			e := se.EnhancedCode
			require.Equal(t, tt.enh, fmt.Sprintf("%d.%d.%d", e[0], e[1], e[2]))
		})
	}
}

func TestSMTPNoStartTLSOffersAuthInClear(t *testing.T) {
	t.Parallel()
	s, err := StartSMTP(SMTPOptions{Faults: []string{SMTPFaultNoStartTLS}})
	require.NoError(t, err)
	t.Cleanup(func() { _ = s.Close() })
	c, err := smtp.Dial(s.Addr)
	require.NoError(t, err)
	t.Cleanup(func() { _ = c.Close() })
	require.NoError(t, c.Hello("localhost"))
	ok, _ := c.Extension("STARTTLS")
	require.False(t, ok)
	require.True(t, c.SupportsAuth("PLAIN"))
}

func TestSMTPConfigureAndClose(t *testing.T) {
	t.Parallel()
	s, err := StartSMTP(SMTPOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	p := &config.Profile{}
	require.NoError(t, s.Configure(p))
	require.Equal(t, "127.0.0.1", p.SMTP.Host)
	require.Equal(t, s.Port, p.SMTP.Port)
	require.Equal(t, "starttls", p.SMTP.Security)
	require.Equal(t, s.Password(), p.SMTP.Password.Reveal())
	require.FileExists(t, p.SMTP.CAFile)
	require.NoError(t, s.Close())
	require.NoError(t, s.Close(), "Close twice is fine")
}

func TestSMTPCloseReleasesHeldConnections(t *testing.T) {
	t.Parallel()
	s, err := StartSMTP(SMTPOptions{Faults: []string{SMTPFaultSilent}})
	require.NoError(t, err)
	c, err := smtp.Dial(s.Addr)
	require.NoError(t, err)
	defer c.Close()
	done := make(chan error, 1)
	go func() { done <- c.Hello("x") }()
	require.NoError(t, s.Close())
	select {
	case err := <-done:
		require.Error(t, err)
	case <-time.After(5 * time.Second):
		t.Fatal("a held connection survived Close")
	}
}
