package mail

import (
	"bytes"
	"context"
	"encoding/base64"
	"log/slog"
	"net"
	"net/mail"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
)

func startSMTP(t testing.TB, opts demo.SMTPOptions) *demo.SMTPServer {
	t.Helper()
	srv, err := demo.StartSMTP(opts)
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	return srv
}

func profileFor(t testing.TB, srv *demo.SMTPServer) *config.Profile {
	t.Helper()
	p := &config.Profile{}
	require.NoError(t, srv.Configure(p))
	return p
}

func runChecks(p *config.Profile, timeout time.Duration) map[string]check.Result {
	r := &check.Runner{Timeout: timeout}
	out := map[string]check.Result{}
	for _, res := range r.Run(context.Background(), Checks(p)) {
		out[res.ID] = res
	}
	return out
}

// everything returns every string of the results, for leak checks.
func everything(results map[string]check.Result) string {
	var b strings.Builder
	for _, r := range results {
		b.WriteString(r.Summary + "\n" + strings.Join(r.Details, "\n") + "\n")
	}
	return b.String()
}

func TestChecksAgainstSandbox(t *testing.T) {
	t.Parallel()
	const (
		P = check.Pass
		W = check.Warn
		F = check.Fail
		S = check.Skip
		E = check.Error
	)
	tests := []struct {
		name     string
		opts     demo.SMTPOptions
		edit     func(p *config.Profile)
		want     [4]check.Status // connect, tls, auth, send
		articles map[string]string
		summary  map[string]string
		detail   map[string]string
	}{
		{
			name: "healthy starttls sends a message",
			edit: func(p *config.Profile) { p.SMTP.TestRecipient = "inbox@pitstop-healthy.test" },
			want: [4]check.Status{P, P, P, P},
			summary: map[string]string{
				"smtp.connect": "offers STARTTLS",
				"smtp.tls":     "encrypted (TLS 1.3)",
				"smtp.auth":    "Logged in as mailer@pitstop-healthy.test (PLAIN)",
				"smtp.send":    "accepted a test message",
			},
			detail: map[string]string{"smtp.connect": "<- 220 mail.pitstop.test", "smtp.tls": "-> STARTTLS", "smtp.send": "<- 250 2.0.0 OK: queued"},
		},
		{
			name: "implicit TLS",
			opts: demo.SMTPOptions{ImplicitTLS: true},
			want: [4]check.Status{P, P, P, S},
			summary: map[string]string{
				"smtp.send": "No smtp.test_recipient",
			},
		},
		{
			name: "LOGIN when the server offers only LOGIN",
			opts: demo.SMTPOptions{AuthMechanisms: []string{"LOGIN"}},
			want: [4]check.Status{P, P, P, S},
			summary: map[string]string{
				"smtp.auth": "(LOGIN)",
			},
			detail: map[string]string{"smtp.auth": "<- 334 VXNlcm5hbWU6 (Username:)"},
		},
		{
			name:     "implicit TLS on a STARTTLS port",
			edit:     func(p *config.Profile) { p.SMTP.Security = "tls" },
			want:     [4]check.Status{W, F, S, S},
			articles: map[string]string{"smtp.tls": "smtp-tls-mismatch"},
			summary:  map[string]string{"smtp.tls": "does not speak TLS first"},
			detail:   map[string]string{"smtp.tls": "first record does not look like a TLS handshake"},
		},
		{
			name:     "plain text against an implicit TLS port",
			opts:     demo.SMTPOptions{ImplicitTLS: true},
			edit:     func(p *config.Profile) { p.SMTP.Security = "starttls" },
			want:     [4]check.Status{W, F, S, S},
			articles: map[string]string{"smtp.tls": "smtp-tls-mismatch"},
			summary:  map[string]string{"smtp.tls": "expects TLS from the first byte"},
		},
		{
			name:     "no STARTTLS offered",
			opts:     demo.SMTPOptions{Faults: []string{demo.SMTPFaultNoStartTLS}},
			want:     [4]check.Status{P, F, S, S},
			articles: map[string]string{"smtp.tls": "smtp-no-starttls"},
			summary:  map[string]string{"smtp.tls": "does not offer STARTTLS", "smtp.auth": "does not offer STARTTLS"},
		},
		{
			name:     "security none is explicit, so the password goes in clear",
			opts:     demo.SMTPOptions{Faults: []string{demo.SMTPFaultNoStartTLS}},
			edit:     func(p *config.Profile) { p.SMTP.Security = "none" },
			want:     [4]check.Status{P, W, W, S},
			articles: map[string]string{"smtp.auth": "smtp-no-starttls"},
			summary:  map[string]string{"smtp.auth": "travelled unencrypted"},
		},
		{
			name:     "security none while the server offers login only after STARTTLS",
			edit:     func(p *config.Profile) { p.SMTP.Security = "none" },
			want:     [4]check.Status{P, W, F, S},
			articles: map[string]string{"smtp.auth": "smtp-tls-mismatch"},
			summary:  map[string]string{"smtp.tls": "offers STARTTLS", "smtp.auth": "only after STARTTLS"},
		},
		{
			name:     "bad credentials",
			opts:     demo.SMTPOptions{Faults: []string{demo.SMTPFaultBadCredentials}},
			want:     [4]check.Status{P, P, F, S},
			articles: map[string]string{"smtp.auth": "smtp-auth-failed"},
			detail:   map[string]string{"smtp.auth": "535 5.7.8"},
		},
		{
			name:     "wrong password",
			edit:     func(p *config.Profile) { p.SMTP.Password = config.NewSecret("not-the-password", "test") },
			want:     [4]check.Status{P, P, F, S},
			articles: map[string]string{"smtp.auth": "smtp-auth-failed"},
		},
		{
			name:     "Microsoft 365 with SMTP AUTH disabled",
			opts:     demo.SMTPOptions{Faults: []string{demo.SMTPFaultM365AuthDisabled}},
			want:     [4]check.Status{P, P, F, S},
			articles: map[string]string{"smtp.auth": "smtp-m365-auth-disabled"},
			summary:  map[string]string{"smtp.auth": "SMTP AUTH is turned off"},
		},
		{
			name:     "Gmail wants an app password",
			opts:     demo.SMTPOptions{Faults: []string{demo.SMTPFaultGmailAppPassword}},
			want:     [4]check.Status{P, P, F, S},
			articles: map[string]string{"smtp.auth": "smtp-gmail-app-password"},
			summary:  map[string]string{"smtp.auth": "app password"},
			detail:   map[string]string{"smtp.auth": "534 5.7.9"},
		},
		{
			name:     "busy 421",
			opts:     demo.SMTPOptions{Faults: []string{demo.SMTPFaultBusy}},
			want:     [4]check.Status{F, S, S, S},
			articles: map[string]string{"smtp.connect": "smtp-connection-failed"},
			summary:  map[string]string{"smtp.connect": "(421)"},
		},
		{
			name:     "garbage banner",
			opts:     demo.SMTPOptions{Faults: []string{demo.SMTPFaultGarbageBanner}},
			want:     [4]check.Status{E, S, S, S},
			articles: map[string]string{"smtp.connect": "smtp-connection-failed"},
			summary:  map[string]string{"smtp.connect": "not SMTP"},
			detail:   map[string]string{"smtp.connect": `First bytes: \x00\x8f`},
		},
		{
			name:     "recipient rejected",
			opts:     demo.SMTPOptions{Faults: []string{demo.SMTPFaultRejectRecipient}},
			edit:     func(p *config.Profile) { p.SMTP.TestRecipient = "nobody@pitstop-healthy.test" },
			want:     [4]check.Status{P, P, P, F},
			articles: map[string]string{"smtp.send": "smtp-message-rejected"},
			summary:  map[string]string{"smtp.send": "does not exist"},
		},
		{
			name:     "message rejected",
			opts:     demo.SMTPOptions{Faults: []string{demo.SMTPFaultRejectMessage}},
			edit:     func(p *config.Profile) { p.SMTP.TestRecipient = "inbox@pitstop-healthy.test" },
			want:     [4]check.Status{P, P, P, F},
			articles: map[string]string{"smtp.send": "smtp-message-rejected"},
			detail:   map[string]string{"smtp.send": "554 5.7.1"},
		},
		{
			name:     "expired certificate",
			opts:     demo.SMTPOptions{Faults: []string{demo.SMTPFaultExpiredCert}},
			want:     [4]check.Status{P, F, S, S},
			articles: map[string]string{"smtp.tls": "smtp-tls-mismatch"},
			summary:  map[string]string{"smtp.tls": "expired"},
		},
		{
			name:    "certificate for another host",
			opts:    demo.SMTPOptions{Faults: []string{demo.SMTPFaultWrongHostCert}},
			want:    [4]check.Status{P, F, S, S},
			summary: map[string]string{"smtp.tls": "for another name"},
		},
		{
			name:    "unknown authority without ca_file",
			edit:    func(p *config.Profile) { p.SMTP.CAFile = "" },
			want:    [4]check.Status{P, F, S, S},
			summary: map[string]string{"smtp.tls": "not signed by an authority"},
		},
		{
			name:    "no username: no login, message sent without one fails politely",
			edit:    func(p *config.Profile) { p.SMTP.Username = "" },
			want:    [4]check.Status{P, P, S, S},
			summary: map[string]string{"smtp.auth": "No smtp.username"},
		},
		{
			name:    "username without password",
			edit:    func(p *config.Profile) { p.SMTP.Password = config.Secret{} },
			want:    [4]check.Status{P, P, F, S},
			summary: map[string]string{"smtp.auth": "no password"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startSMTP(t, tt.opts)
			p := profileFor(t, srv)
			if tt.edit != nil {
				tt.edit(p)
			}
			got := runChecks(p, 5*time.Second)
			for i, id := range phaseIDs {
				require.Equalf(t, tt.want[i].String(), got[id].Status.String(), "%s: %s\n%s", id, got[id].Summary, strings.Join(got[id].Details, "\n"))
			}
			for id, art := range tt.articles {
				require.Contains(t, got[id].Articles, art, id)
			}
			for id, s := range tt.summary {
				require.Contains(t, got[id].Summary, s, id)
			}
			for id, s := range tt.detail {
				require.Contains(t, strings.Join(got[id].Details, "\n"), s, id)
			}
		})
	}
}

func TestSendDeliversAWellFormedMessage(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, demo.SMTPOptions{})
	p := profileFor(t, srv)
	p.SMTP.TestRecipient = "inbox@pitstop-healthy.test"
	got := runChecks(p, 5*time.Second)
	require.Equal(t, check.Pass, got["smtp.send"].Status)
	msgs := srv.Messages()
	require.Len(t, msgs, 1)
	require.True(t, msgs[0].TLS)
	require.Equal(t, []string{"inbox@pitstop-healthy.test"}, msgs[0].To)
	m, err := mail.ReadMessage(bytes.NewReader(msgs[0].Data))
	require.NoError(t, err)
	for _, h := range []string{"Date", "Message-Id", "From", "To", "Subject"} {
		require.NotEmpty(t, m.Header.Get(h), h)
	}
	_, err = m.Header.Date()
	require.NoError(t, err)
}

func TestNoCredentialsWithoutEncryption(t *testing.T) {
	t.Parallel()
	for _, fault := range []string{demo.SMTPFaultNoStartTLS, demo.SMTPFaultExpiredCert, demo.SMTPFaultWrongHostCert} {
		t.Run(fault, func(t *testing.T) {
			t.Parallel()
			srv := startSMTP(t, demo.SMTPOptions{Faults: []string{fault}})
			p := profileFor(t, srv)
			// Even run directly, without the runner's Requires, the auth step refuses.
			for _, c := range Checks(p) {
				if c.ID == "smtp.auth" {
					ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
					res := c.Run(ctx)
					cancel()
					require.NotEqual(t, check.Pass, res.Status)
				}
			}
			total, _ := srv.AuthAttempts()
			require.Zero(t, total, "no AUTH may reach a server over an unverified or unencrypted connection")
		})
	}
}

// TestHostileServersReturnInTime checks the bound: a server that accepts and
// never speaks, or answers slowly, gives a result within the timeout plus
// half a second, and an Error (could not test), never a Fail.
func TestHostileServersReturnInTime(t *testing.T) {
	t.Parallel()
	const timeout = time.Second
	tests := []struct {
		name     string
		opts     demo.SMTPOptions
		security string
		want     check.Status
	}{
		{"silent, starttls", demo.SMTPOptions{Faults: []string{demo.SMTPFaultSilent}}, "starttls", check.Error},
		{"silent, implicit tls", demo.SMTPOptions{Faults: []string{demo.SMTPFaultSilent}}, "tls", check.Error},
		{"silent, none", demo.SMTPOptions{Faults: []string{demo.SMTPFaultSilent}}, "none", check.Error},
		{"greeting slower than the timeout", demo.SMTPOptions{Faults: []string{demo.SMTPFaultSlowBanner}, BannerDelay: 5 * time.Second}, "starttls", check.Error},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv := startSMTP(t, tt.opts)
			p := profileFor(t, srv)
			p.SMTP.Security = tt.security
			start := time.Now()
			got := runChecks(p, timeout)
			require.Less(t, time.Since(start), timeout+500*time.Millisecond)
			require.Equal(t, tt.want, got["smtp.connect"].Status, got["smtp.connect"].Summary)
			require.Contains(t, got["smtp.connect"].Summary, "Could not test")
			require.Equal(t, check.Skip, got["smtp.auth"].Status)
		})
	}
}

func TestSlowGreetingWarns(t *testing.T) {
	t.Parallel()
	// The threshold is injected (the product's is slowGreeting): a
	// greeting held back past it warns, a prompt one passes.
	const threshold = 500 * time.Millisecond
	for _, tt := range []struct {
		faults []string
		want   check.Status
	}{{[]string{demo.SMTPFaultSlowBanner}, check.Warn}, {nil, check.Pass}} {
		srv := startSMTP(t, demo.SMTPOptions{Faults: tt.faults, BannerDelay: threshold + 100*time.Millisecond})
		s := newSession(newSettings(profileFor(t, srv).SMTP))
		s.slowGreeting = threshold
		got := map[string]check.Result{}
		for _, res := range (&check.Runner{Timeout: 10 * time.Second}).Run(context.Background(), sessionChecks(s)) {
			got[res.ID] = res
		}
		require.Equal(t, tt.want, got["smtp.connect"].Status, got["smtp.connect"].Summary)
		if tt.want == check.Warn {
			require.Contains(t, got["smtp.connect"].Summary, "to greet")
		}
		require.Equal(t, check.Pass, got["smtp.auth"].Status)
	}
	require.Equal(t, 2*time.Second, newSession(settings{}).slowGreeting, "the product's threshold")
}

func TestConnectionRefused(t *testing.T) {
	t.Parallel()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	port := ln.Addr().(*net.TCPAddr).Port
	require.NoError(t, ln.Close())
	p := &config.Profile{SMTP: config.SMTPConfig{Host: "127.0.0.1", Port: port, Security: "starttls"}}
	got := runChecks(p, 2*time.Second)
	require.Equal(t, check.Fail, got["smtp.connect"].Status)
	require.Contains(t, got["smtp.connect"].Summary, "connection refused")
	require.Contains(t, got["smtp.connect"].Articles, "smtp-connection-failed")
}

func TestCancelStopsTheWait(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, demo.SMTPOptions{Faults: []string{demo.SMTPFaultSilent}})
	p := profileFor(t, srv)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(200*time.Millisecond, cancel)
	start := time.Now()
	res := Checks(p)[0].Run(ctx)
	require.Less(t, time.Since(start), 2*time.Second)
	require.Equal(t, check.Error, res.Status)
}

func TestRunTwiceStartsAFreshSession(t *testing.T) {
	t.Parallel()
	srv := startSMTP(t, demo.SMTPOptions{})
	p := profileFor(t, srv)
	p.SMTP.TestRecipient = "inbox@pitstop-healthy.test"
	checks := Checks(p)
	r := &check.Runner{Timeout: 5 * time.Second}
	for range 2 {
		for _, res := range r.Run(context.Background(), checks) {
			require.Equal(t, check.Pass, res.Status, res.ID+": "+res.Summary)
		}
	}
	require.Len(t, srv.Messages(), 2)
}

func TestSettingsDefaults(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in       config.SMTPConfig
		security string
		port     int
		from     string
	}{
		{config.SMTPConfig{Host: "h"}, "starttls", 587, ""},
		{config.SMTPConfig{Host: "h", Port: 465}, "tls", 465, ""},
		{config.SMTPConfig{Host: "h", Security: "none"}, "none", 25, ""},
		{config.SMTPConfig{Host: "h", Security: "TLS"}, "tls", 465, ""},
		{config.SMTPConfig{Host: "h", Username: "me@example.com"}, "starttls", 587, "me@example.com"},
	}
	for _, tt := range tests {
		s := newSettings(tt.in)
		require.Equal(t, tt.security, s.security)
		require.Equal(t, tt.port, s.port)
		require.Equal(t, tt.from, s.from)
	}
}

func TestBadSecurityValue(t *testing.T) {
	t.Parallel()
	p := &config.Profile{SMTP: config.SMTPConfig{Host: "127.0.0.1", Port: 1, Security: "ssl"}}
	got := runChecks(p, time.Second)
	require.Equal(t, check.Fail, got["smtp.connect"].Status)
	require.Contains(t, got["smtp.connect"].Summary, "starttls")
}

// TestCanaryPasswordNeverShows runs the conversations that carry the
// password (PLAIN, LOGIN, rejected, in clear with security: none) and looks
// for the password, and each of its encodings, in every summary, every
// detail and the debug log. It sets the default logger, so it does not run
// in parallel.
func TestCanaryPasswordNeverShows(t *testing.T) {
	const user = "mailer@pitstop-healthy.test"
	const canary = "Canary-Pa55w0rd-7f3a9c1e"
	forbidden := []string{
		canary,
		base64.StdEncoding.EncodeToString([]byte(canary)),
		base64.StdEncoding.EncodeToString([]byte("\x00" + user + "\x00" + canary)),
		base64.StdEncoding.EncodeToString([]byte(user + "\x00" + canary)),
		"Pa55w0rd",
	}
	var logBuf bytes.Buffer
	old := slog.Default()
	slog.SetDefault(slog.New(slog.NewJSONHandler(&logBuf, &slog.HandlerOptions{Level: slog.LevelDebug})))
	t.Cleanup(func() { slog.SetDefault(old) })

	cases := []struct {
		opts demo.SMTPOptions
		edit func(p *config.Profile)
	}{
		{opts: demo.SMTPOptions{}},
		{opts: demo.SMTPOptions{AuthMechanisms: []string{"LOGIN"}}},
		{opts: demo.SMTPOptions{Faults: []string{demo.SMTPFaultBadCredentials}}},
		{opts: demo.SMTPOptions{AuthMechanisms: []string{"LOGIN"}, Faults: []string{demo.SMTPFaultGmailAppPassword}}},
		{opts: demo.SMTPOptions{Faults: []string{demo.SMTPFaultNoStartTLS}}, edit: func(p *config.Profile) { p.SMTP.Security = "none" }},
		{opts: demo.SMTPOptions{ImplicitTLS: true}, edit: func(p *config.Profile) { p.SMTP.TestRecipient = "inbox@pitstop-healthy.test" }},
	}
	for i, c := range cases {
		c.opts.Username, c.opts.Password = user, canary
		srv := startSMTP(t, c.opts)
		p := profileFor(t, srv)
		if c.edit != nil {
			c.edit(p)
		}
		got := runChecks(p, 5*time.Second)
		total, _ := srv.AuthAttempts()
		require.Equal(t, 1, total, "case %d should have logged in once", i)
		all := everything(got) + logBuf.String()
		require.Contains(t, all, "credentials hidden", "case %d", i)
		for _, f := range forbidden {
			require.NotContains(t, all, f, "case %d leaked %q", i, f)
		}
	}
}

func BenchmarkSMTPChecks(b *testing.B) {
	for _, bc := range []struct {
		name string
		opts demo.SMTPOptions
		to   string
	}{
		{"starttls+auth", demo.SMTPOptions{}, ""},
		{"starttls+auth+send", demo.SMTPOptions{}, "inbox@pitstop-healthy.test"},
		{"implicit-tls+auth", demo.SMTPOptions{ImplicitTLS: true}, ""},
	} {
		b.Run(bc.name, func(b *testing.B) {
			srv := startSMTP(b, bc.opts)
			p := profileFor(b, srv)
			p.SMTP.TestRecipient = bc.to
			checks := Checks(p)
			r := &check.Runner{Timeout: 5 * time.Second}
			b.ResetTimer()
			for b.Loop() {
				for _, res := range r.Run(context.Background(), checks) {
					if res.Status != check.Pass && res.Status != check.Skip {
						b.Fatalf("%s: %s %s", res.ID, res.Status, res.Summary)
					}
				}
			}
		})
	}
}

func BenchmarkTranscript(b *testing.B) {
	lines := []string{"220 mail.example.com ESMTP", "EHLO x", "250-mail.example.com", "250-AUTH PLAIN LOGIN", "250 SIZE 1000"}
	var chunk []byte
	for _, l := range lines {
		chunk = append(chunk, l+"\r\n"...)
	}
	b.SetBytes(int64(len(chunk)))
	for b.Loop() {
		tr := newTranscript(time.Now)
		tr.tap(Received, []byte(lines[0]+"\r\n"))
		tr.tap(Sent, []byte(lines[1]+"\r\n"))
		for _, l := range lines[2:] {
			tr.tap(Received, []byte(l+"\r\n"))
		}
		_ = strconv.Itoa(len(tr.since(0)))
	}
}
