package monitor

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
	"pitstop/internal/demo"
)

func startSMTP(t *testing.T, opts demo.SMTPOptions) (*demo.SMTPServer, config.SMTPConfig) {
	t.Helper()
	srv, err := demo.StartSMTP(opts)
	require.NoError(t, err)
	t.Cleanup(func() { srv.Close() })
	p := &config.Profile{}
	require.NoError(t, srv.Configure(p))
	return srv, p.SMTP
}

// TestAlertEmailSentOncePerKind drives a monitor whose API always fails
// through several rounds: each alert kind reaches the mailbox exactly once.
func TestAlertEmailSentOncePerKind(t *testing.T) {
	t.Parallel()
	srv, smtpCfg := startSMTP(t, demo.SMTPOptions{})
	mailer, err := NewMailer(smtpCfg, "oncall@example.com")
	require.NoError(t, err)
	mailer.Targets = []string{"https://api.test/v2"}

	m := New(Options{
		Targets:  []Target{{Name: "https://api.test/v2"}},
		Interval: 5 * time.Millisecond,
		Probe: func(ctx context.Context, tg Target) Sample {
			return Sample{Status: 503, Latency: time.Millisecond}
		},
	})
	ctx := context.Background()
	var sendErrs []error
	for range 5 {
		for _, a := range m.Record(m.Round(ctx)...) {
			sendErrs = append(sendErrs, mailer.Send(ctx, a))
		}
	}
	for _, err := range sendErrs {
		require.NoError(t, err)
	}
	msgs := srv.Messages()
	// HIGH_ERROR_RATE and LOW_SUCCESS_RATE at once, ENDPOINT_DOWN on the third round.
	require.Len(t, msgs, 3)
	subjects := map[string]int{}
	for _, msg := range msgs {
		require.True(t, msg.TLS, "sent over STARTTLS")
		require.Equal(t, smtpCfg.Username, msg.User)
		require.Equal(t, []string{"oncall@example.com"}, msg.To)
		for _, line := range strings.Split(string(msg.Data), "\r\n") {
			if s, ok := strings.CutPrefix(line, "Subject: "); ok {
				subjects[s]++
			}
		}
		require.Contains(t, string(msg.Data), "https://api.test/v2")
		require.NotContains(t, string(msg.Data), smtpCfg.Password.Reveal())
	}
	require.Equal(t, map[string]int{
		"Pitstop alert: HIGH_ERROR_RATE":  1,
		"Pitstop alert: LOW_SUCCESS_RATE": 1,
		"Pitstop alert: ENDPOINT_DOWN":    1,
	}, subjects)
}

// TestEndpointDownEmailNamesEveryEndpoint: with two endpoints down, one
// ENDPOINT_DOWN email goes out and it names both.
func TestEndpointDownEmailNamesEveryEndpoint(t *testing.T) {
	t.Parallel()
	srv, smtpCfg := startSMTP(t, demo.SMTPOptions{})
	mailer, err := NewMailer(smtpCfg, "oncall@example.com")
	require.NoError(t, err)
	m := New(Options{
		Targets:  []Target{{Name: "https://eu.api.test/v2"}, {Name: "https://us.api.test/v2"}},
		Interval: 5 * time.Millisecond,
		Probe: func(ctx context.Context, tg Target) Sample {
			return Sample{Status: 503, Latency: time.Millisecond}
		},
	})
	ctx := context.Background()
	for range 4 {
		for _, a := range m.Record(m.Round(ctx)...) {
			if a.Kind == EndpointDown {
				require.NoError(t, mailer.Send(ctx, a))
			}
		}
	}
	msgs := srv.Messages()
	require.Len(t, msgs, 1, "one email for the kind")
	body := string(msgs[0].Data)
	require.Contains(t, body, "Subject: Pitstop alert: ENDPOINT_DOWN")
	require.Contains(t, body, "2 endpoints are down: https://eu.api.test/v2, https://us.api.test/v2; each failed at least its last 3 checks in a row.")
}

func TestAlertEmailSecurity(t *testing.T) {
	t.Parallel()
	alert := Alert{Kind: HighResponseTime, Severity: Warning, Message: "slow", Since: t0, Active: true}
	tests := []struct {
		name    string
		opts    demo.SMTPOptions
		change  func(*config.SMTPConfig)
		wantErr string
		sent    bool
	}{
		{name: "starttls", sent: true},
		{name: "implicit tls", opts: demo.SMTPOptions{ImplicitTLS: true}, sent: true},
		{name: "no starttls offered: password never sent", opts: demo.SMTPOptions{Faults: []string{demo.SMTPFaultNoStartTLS}},
			wantErr: "does not offer STARTTLS"},
		{name: "bad password", opts: demo.SMTPOptions{Faults: []string{demo.SMTPFaultBadCredentials}}, wantErr: "refused the login"},
		{name: "untrusted certificate", change: func(c *config.SMTPConfig) { c.CAFile = "" }, wantErr: "STARTTLS"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			srv, cfg := startSMTP(t, tc.opts)
			if tc.change != nil {
				tc.change(&cfg)
			}
			mailer, err := NewMailer(cfg, "oncall@example.com")
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			err = mailer.Send(ctx, alert)
			if tc.wantErr != "" {
				require.ErrorContains(t, err, tc.wantErr)
				require.NotContains(t, err.Error(), cfg.Password.Reveal())
			} else {
				require.NoError(t, err)
			}
			require.Equal(t, tc.sent, len(srv.Messages()) == 1)
			_, inClear := srv.AuthAttempts()
			require.Zero(t, inClear, "credentials never cross an unencrypted connection")
		})
	}
}

func TestNewMailerNeedsSettings(t *testing.T) {
	t.Parallel()
	_, err := NewMailer(config.SMTPConfig{}, "a@b.c")
	require.ErrorContains(t, err, "smtp section")
	_, err = NewMailer(config.SMTPConfig{Host: "h"}, "a@b.c")
	require.ErrorContains(t, err, "smtp.from")
	_, err = NewMailer(config.SMTPConfig{Host: "h", From: "x@y.z"}, "nobody")
	require.ErrorContains(t, err, "not an email address")
}
