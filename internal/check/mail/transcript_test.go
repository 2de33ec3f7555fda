package mail

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/emersion/go-smtp"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
)

func drawn(tr *transcript) string {
	return strings.Join(transcriptLines(tr.since(0)), "\n")
}

func TestTranscriptMasksAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		feed   func(tr *transcript)
		want   string
		absent []string
	}{
		{
			name: "PLAIN with an initial response, direction known",
			feed: func(tr *transcript) {
				tr.tap(Received, []byte("220 hi\r\n"))
				tr.tap(Sent, []byte("AUTH PLAIN AG1lAHNlY3JldA==\r\n"))
				tr.tap(Received, []byte("235 2.7.0 ok\r\n"))
			},
			want:   "<- 220 hi\n-> AUTH PLAIN ******** (credentials hidden)\n<- 235 2.7.0 ok",
			absent: []string{"AG1lAHNlY3JldA=="},
		},
		{
			name: "LOGIN with both prompts pipelined, direction inferred",
			feed: func(tr *transcript) {
				for _, chunk := range []string{
					"220 hi\r\n", "AUTH LOGIN\r\n", "334 VXNlcm5hbWU6\r\n334 UGFzc3dvcmQ6\r\n", "bWU=\r\n",
					"c2VjcmV0\r\n", "535 5.7.8 no\r\n",
				} {
					_, _ = tr.Write([]byte(chunk))
				}
			},
			want: strings.Join([]string{
				"<- 220 hi", "-> AUTH LOGIN", "<- 334 VXNlcm5hbWU6 (Username:)", "<- 334 UGFzc3dvcmQ6 (Password:)",
				"-> ******** (credentials hidden)", "-> ******** (credentials hidden)", "<- 535 5.7.8 no",
			}, "\n"),
			absent: []string{"bWU=", "c2VjcmV0"},
		},
		{
			name: "LOGIN step by step, direction inferred",
			feed: func(tr *transcript) {
				for _, chunk := range []string{
					"220 hi\r\n", "AUTH LOGIN\r\n", "334 VXNlcm5hbWU6\r\n", "bWU=\r\n",
					"334 UGFzc3dvcmQ6\r\n", "c2VjcmV0\r\n", "535 5.7.8 no\r\n", "*\r\n", "501 5.5.2 bad\r\n",
				} {
					_, _ = tr.Write([]byte(chunk))
				}
			},
			want: strings.Join([]string{
				"<- 220 hi", "-> AUTH LOGIN", "<- 334 VXNlcm5hbWU6 (Username:)", "-> ******** (credentials hidden)",
				"<- 334 UGFzc3dvcmQ6 (Password:)", "-> ******** (credentials hidden)", "<- 535 5.7.8 no",
			}, "\n"),
			absent: []string{"c2VjcmV0", "bWU="},
		},
		{
			name: "a reply split across reads and a multi-line reply",
			feed: func(tr *transcript) {
				tr.tap(Received, []byte("220 h"))
				tr.tap(Received, []byte("i\r\n"))
				tr.tap(Sent, []byte("EHLO x\r\n"))
				tr.tap(Received, []byte("250-a\r\n250-AUTH PLAIN\r\n25"))
				tr.tap(Received, []byte("0 SIZE 10\r\n"))
			},
			want: "<- 220 hi\n-> EHLO x\n<- 250-a\n<- 250-AUTH PLAIN\n<- 250 SIZE 10",
		},
		{
			name: "the message body is counted, not shown",
			feed: func(tr *transcript) {
				for _, chunk := range []string{"220 hi\r\n", "DATA\r\n", "354 go\r\n", "Subject: x\r\n\r\nbody\r\n.\r\n", "250 queued\r\n"} {
					_, _ = tr.Write([]byte(chunk))
				}
			},
			want:   "<- 220 hi\n-> DATA\n<- 354 go\n** 3 message lines sent\n-> .\n<- 250 queued",
			absent: []string{"Subject: x", "body"},
		},
		{
			name: "the tap stops once STARTTLS is accepted",
			feed: func(tr *transcript) {
				tr.tap(Received, []byte("220 hi\r\n"))
				tr.tap(Sent, []byte("STARTTLS\r\n"))
				tr.tap(Received, []byte("220 2.0.0 go ahead\r\n"))
				tr.tap(Sent, []byte("\x16\x03\x01 handshake bytes"))
				_, _ = tr.Write([]byte("EHLO x\r\n"))
				_, _ = tr.Write([]byte("250 ok\r\n"))
			},
			want: "<- 220 hi\n-> STARTTLS\n<- 220 2.0.0 go ahead\n-> EHLO x\n<- 250 ok",
		},
		{
			name: "garbage is escaped",
			feed: func(tr *transcript) { tr.tap(Received, []byte("\x00\xffSSH\r\n")) },
			want: `<- \x00\xffSSH`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			tr := newTranscript(time.Now)
			tt.feed(tr)
			got := drawn(tr)
			require.Equal(t, tt.want, got)
			for _, a := range tt.absent {
				require.NotContains(t, got, a)
			}
		})
	}
}

func TestTranscriptBoundsLinesWithoutNewline(t *testing.T) {
	t.Parallel()
	tr := newTranscript(time.Now)
	tr.tap(Received, []byte(strings.Repeat("x", 10000)))
	require.True(t, tr.received())
	lines := tr.since(0)
	require.NotEmpty(t, lines)
	for _, l := range lines {
		require.LessOrEqual(t, len(l.Text), 310)
	}
}

func TestExplainAuth(t *testing.T) {
	t.Parallel()
	tests := []struct {
		reply   reply
		host    string
		status  check.Status
		article string
		words   string
	}{
		{reply{Code: 535, Enhanced: "5.7.8", Text: "Error: authentication failed: authentication failure"}, "mail.example.com", check.Fail, "smtp-auth-failed", "rejected the user name or password"},
		{reply{Code: 535, Enhanced: "5.7.8", Text: "Username and Password not accepted. For more information, go to / https://support.google.com/mail/?p=BadCredentials"}, "smtp.gmail.com", check.Fail, "smtp-gmail-app-password", "Google did not accept"},
		{reply{Code: 534, Enhanced: "5.7.9", Text: "Application-specific password required."}, "smtp.gmail.com", check.Fail, "smtp-gmail-app-password", "app password"},
		{reply{Code: 534, Enhanced: "5.7.14", Text: "Please log in via your web browser"}, "smtp.gmail.com", check.Fail, "smtp-gmail-app-password", "web browser"},
		{reply{Code: 535, Enhanced: "5.7.139", Text: "Authentication unsuccessful, SmtpClientAuthentication is disabled for the Tenant."}, "smtp.office365.com", check.Fail, "smtp-m365-auth-disabled", "SMTP AUTH is turned off"},
		{reply{Code: 535, Enhanced: "5.7.3", Text: "Authentication unsuccessful"}, "smtp.office365.com", check.Fail, "smtp-m365-auth-disabled", "Microsoft 365"},
		{reply{Code: 454, Enhanced: "4.7.0", Text: "Temporary authentication failure"}, "mail.example.com", check.Error, "smtp-auth-failed", "temporary"},
		{reply{Code: 530, Enhanced: "5.7.0", Text: "Must issue a STARTTLS command first"}, "mail.example.com", check.Fail, "smtp-tls-mismatch", "unencrypted"},
		{reply{Code: 538, Enhanced: "5.7.11", Text: "Encryption required for requested authentication mechanism"}, "mail.example.com", check.Fail, "smtp-no-starttls", "unencrypted"},
		{reply{Code: 504, Enhanced: "5.7.4", Text: "Unrecognized authentication type"}, "mail.example.com", check.Fail, "smtp-auth-failed", "login method"},
		{reply{Code: 421, Enhanced: "4.7.0", Text: "Try again later, closing connection"}, "mail.example.com", check.Error, "email-sending-limits", "busy"},
	}
	for _, tt := range tests {
		t.Run(tt.reply.String(), func(t *testing.T) {
			t.Parallel()
			r := explainAuth(tt.reply, tt.host, "me@example.com")
			require.Equal(t, tt.status, r.Status)
			require.Contains(t, r.Articles, tt.article)
			require.Contains(t, r.Summary, tt.words)
			require.Contains(t, strings.Join(r.Details, "\n"), tt.reply.String())
		})
	}
}

func TestExplainSend(t *testing.T) {
	t.Parallel()
	tests := []struct {
		stage   string
		reply   reply
		status  check.Status
		article string
		words   string
	}{
		{"RCPT", reply{Code: 550, Enhanced: "5.1.1", Text: "<x@y>: Recipient address rejected: User unknown"}, check.Fail, "smtp-message-rejected", "does not exist"},
		{"RCPT", reply{Code: 554, Enhanced: "5.7.1", Text: "<x@y>: Relay access denied"}, check.Fail, "smtp-message-rejected", "relay"},
		{"MAIL", reply{Code: 553, Enhanced: "5.7.1", Text: "Sender address rejected: not owned by user"}, check.Fail, "smtp-message-rejected", "send as"},
		{"DATA", reply{Code: 552, Enhanced: "5.3.4", Text: "Message size exceeds fixed limit"}, check.Fail, "smtp-message-rejected", "too large"},
		{"DATA", reply{Code: 554, Enhanced: "5.7.1", Text: "Service unavailable; Client host [192.0.2.1] blocked using zen.spamhaus.org"}, check.Fail, "domain-blocklisted", "blocklist"},
		{"DATA", reply{Code: 554, Enhanced: "5.7.1", Text: "Message rejected as spam"}, check.Fail, "email-spam-score", "policy or spam filter"},
		{"RCPT", reply{Code: 451, Enhanced: "4.7.1", Text: "Greylisted, try again"}, check.Warn, "email-sending-limits", "deferred"},
		{"MAIL", reply{Code: 421, Enhanced: "4.7.0", Text: "Too many messages, slow down"}, check.Warn, "email-sending-limits", "throttling"},
		{"MAIL", reply{Code: 530, Enhanced: "5.7.0", Text: "Authentication required"}, check.Fail, "smtp-auth-failed", "login"},
		{"RCPT", reply{Code: 553, Enhanced: "5.7.1", Text: "<news@x>: Sender address rejected: not owned by user me@x"}, check.Fail, "smtp-message-rejected", "send as"},
		{"RCPT", reply{Code: 454, Enhanced: "4.7.1", Text: "<a@b>: Relay access denied"}, check.Fail, "smtp-message-rejected", "relay"},
		{"MAIL", reply{Code: 530, Enhanced: "5.7.0", Text: "Must issue a STARTTLS command first"}, check.Fail, "smtp-tls-mismatch", "encrypted"},
	}
	for _, tt := range tests {
		t.Run(tt.stage+" "+tt.reply.String(), func(t *testing.T) {
			t.Parallel()
			r := explainSend(tt.stage, tt.reply, "from@example.com", "to@example.com")
			require.Equal(t, tt.status, r.Status)
			require.Contains(t, r.Articles, tt.article)
			require.Contains(t, r.Summary, tt.words)
		})
	}
}

func TestAsReply(t *testing.T) {
	t.Parallel()
	r, ok := asReply(nil, &smtp.SMTPError{Code: 534, EnhancedCode: smtp.EnhancedCode{5, 7, 9}, Message: "line one\n line two"})
	require.True(t, ok)
	require.Equal(t, "534 5.7.9 line one / line two", r.String())
	_, ok = asReply(nil, errors.New("plain"))
	require.False(t, ok)
}

func TestParseEHLOAndDescribe(t *testing.T) {
	t.Parallel()
	ext := parseEHLO([]string{"250-mail.example.com", "250-PIPELINING", "250-SIZE 52428800", "250-AUTH PLAIN LOGIN XOAUTH2", "250 STARTTLS"})
	require.Equal(t, "PLAIN LOGIN XOAUTH2", ext["AUTH"])
	require.Equal(t, "STARTTLS, AUTH PLAIN LOGIN XOAUTH2, SIZE 52428800 (messages up to 50 MB), PIPELINING", describeExtensions(nil, ext))
	require.Equal(t, "(none)", describeExtensions(nil, nil))
}
