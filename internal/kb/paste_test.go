package kb

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/i18n"
)

func TestUnpaste(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, in, want string
	}{
		{"plain text is left alone", "535 5.7.8 Error: authentication failed", "535 5.7.8 Error: authentication failed"},
		{"python bytes repr", `(535, b'5.7.8 Username and Password not accepted. Learn more at\n5.7.8  https://support.google.com/mail/?p=BadCredentials')`,
			"(535, b'5.7.8 Username and Password not accepted. Learn more at\n5.7.8  https://support.google.com/mail/?p=BadCredentials')"},
		{"json log line", `{"log":"Failed to send: 550 The from address\r\ndoes not match\t a verified \"Sender Identity\"\n"}`,
			"{\"log\":\"Failed to send: 550 The from address\ndoes not match  a verified \"Sender Identity\"\n\"}"},
		{"escaped twice", `"stack": "Error: Invalid login\\n    at SMTPConnection"`, "\"stack\": \"Error: Invalid login\n    at SMTPConnection\""},
		{"unknown escapes stay", `C:\Users\app\x41`, `C:\Users\app\x41`},
		{"trailing backslash", `oops\`, `oops\`},
		{"smtp continuation lines", "550-5.7.26 This message does not have authentication information or fails to pass\n550-5.7.26 authentication checks (SPF or DKIM). To best protect our users from spam, the\n550 5.7.26 message has been blocked.",
			"550-5.7.26 This message does not have authentication information or fails to pass\nauthentication checks (SPF or DKIM). To best protect our users from spam, the\nmessage has been blocked."},
		{"a new reply is not a continuation", "550 5.1.1 User unknown\n550 5.1.1 User unknown", "550 5.1.1 User unknown\n550 5.1.1 User unknown"},
	}
	for _, tc := range tests {
		require.Equal(t, tc.want, unpaste(tc.in), tc.name)
	}
}

func TestFlattenSpaceMapsBack(t *testing.T) {
	t.Parallel()
	in := "535 5.7.139\n   Authentication\tunsuccessful,  señor"
	flat, at := flattenSpace(in)
	require.Equal(t, "535 5.7.139 Authentication unsuccessful, señor", flat)
	require.Len(t, at, len(flat)+1)
	i := len("535 5.7.139 ")
	require.Equal(t, "Authentication", in[at[i]:at[i+len("Authentication")]])
	require.Equal(t, len(in), at[len(flat)])

	same, at := flattenSpace("already flat: one space, no breaks")
	require.Equal(t, "already flat: one space, no breaks", same)
	require.Nil(t, at)
}

// Patterns match a message however the paste broke or escaped it.
func TestMatchSurvivesPastes(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name, text, want string
	}{
		{"wrapped by the terminal", "javax.mail.AuthenticationFailedException: 535 5.7.139\n    Authentication\n    unsuccessful, the request did not meet the criteria", "smtp-m365-auth-disabled"},
		{"json log with escaped line breaks", `{"level":"error","msg":"send failed: 550 5.7.30 Basic authentication is not\nsupported for Client Submission.\r\n","ts":1733130000}`, "smtp-m365-auth-disabled"},
		{"escaped quotes in an embedded body", `@body="{\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}"`, "api-provider-outage"},
		{"gmail reply over three lines", "550-5.7.26 Unauthenticated email from example.com is not accepted due to\n550-5.7.26 domain's DMARC policy. Please contact the administrator of\n550 5.7.26 example.com domain.", "domain-dmarc-missing"},
	}
	for _, lang := range i18n.Languages() {
		for _, tc := range tests {
			got := embedded()[lang].Match(Evidence{Text: tc.text})
			require.NotEmpty(t, got, tc.name)
			require.Equal(t, tc.want, got[0].Article.ID, "%s/%s: %s", lang, tc.name, describe(got))
			require.Equal(t, Strong, got[0].Confidence, tc.name)
		}
	}
}

// When one article's pattern covers more of the same text than another's,
// the more specific article wins: a refused Spamhaus query is not a listing.
func TestMoreSpecificPatternWins(t *testing.T) {
	t.Parallel()
	b := embedded()["en"]
	refused := b.Match(Evidence{Text: "554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org; Error: open resolver; https://check.spamhaus.org/returnc/pub/203.0.113.9/"})
	require.Equal(t, "domain-dnsbl-query-refused", refused[0].Article.ID, describe(refused))
	listed := b.Match(Evidence{Text: "554 5.7.1 Service unavailable; Client host [198.51.100.7] blocked using zen.spamhaus.org; https://www.spamhaus.org/query/ip/198.51.100.7"})
	require.Equal(t, "domain-blocklisted", listed[0].Article.ID, describe(listed))
}

// A pattern with .* does not reach across a long log once line breaks are
// made spaces, and so cannot swallow the hits of the message in between.
func TestWideHitsStayLocal(t *testing.T) {
	t.Parallel()
	b := embedded()["en"]
	var log strings.Builder
	log.WriteString("worker: dnsbl checks use spamhaus via the local resolver\n")
	for range 20 {
		log.WriteString("INFO queue ok\n")
	}
	log.WriteString("535 5.7.8 Error: authentication failed: authentication failure\n")
	for range 20 {
		log.WriteString("INFO queue ok\n")
	}
	log.WriteString("smtp: connection refused by peer during shutdown\n")
	got := b.Match(Evidence{Text: log.String()})
	require.Equal(t, "smtp-auth-failed", got[0].Article.ID, describe(got))
}

// mtaWordings are the ways the major receivers and sending services word
// SPF, DKIM, DMARC and login rejections, written from their documentation
// and error lists (the tuning set; the held-out texts are publicErrors).
var mtaWordings = []struct {
	who, text, want string
}{
	{"gmail spf", "550-5.7.27 The sender's SPF record doesn't authorize this server. Gmail requires all bulk senders to authenticate with SPF.", "domain-spf-invalid"},
	{"gmail spf 5.7.23", "550 5.7.23 The message was not sent because it violates the SPF record policy of the sender domain.", "domain-spf-invalid"},
	{"outlook spf", "550 5.7.23 The message was rejected because of Sender Policy Framework violation", "domain-spf-invalid"},
	{"postfix policyd-spf", "NOQUEUE: reject: RCPT from unknown[203.0.113.5]: 550 5.7.23 <bob@example.net>: Recipient address rejected: Message rejected due to: SPF fail - not authorized.", "domain-spf-invalid"},
	{"exim spf", "H=(mail.example.com) [203.0.113.5] F=<news@example.com> rejected RCPT <bob@example.net>: SPF check failed: 203.0.113.5 is not allowed to send mail from example.com", "domain-spf-invalid"},
	{"mimecast-like spf", "550 Rejected by SPF: sender domain example.com does not authorize 203.0.113.5", "domain-spf-invalid"},
	{"ses spf header", "Received-SPF: fail (amazonses.com: domain of example.com does not designate 203.0.113.5 as permitted sender)", "domain-spf-invalid"},
	{"gmail dkim", "550-5.7.20 No passing DKIM signature found. The message isn't signed by the sending domain.", "domain-dkim-invalid"},
	{"gmail dkim none", "550 5.7.22 No valid author-matched DKIM signature found", "domain-dkim-invalid"},
	{"rspamd dkim", "Authentication-Results: mx.example.net; dkim=permerror (bad message/signature format) header.d=example.com", "domain-dkim-invalid"},
	{"postfix opendkim", "opendkim[457]: 727171F825F: bad signature data; DKIM verification failed", "domain-dkim-invalid"},
	{"yahoo unauthenticated", "550 5.7.9 This mail has been blocked because the sender is unauthenticated. Yahoo requires all senders to authenticate with either SPF or DKIM.", "domain-dmarc-missing"},
	{"outlook dmarc", "550 5.7.509 Access denied, sending domain example.com does not pass DMARC verification and has a DMARC policy of reject.", "domain-dmarc-missing"},
	{"generic dmarc", "550 5.7.1 Email rejected per DMARC policy for example.com", "domain-dmarc-missing"},
	{"opendmarc", "opendmarc: 5E2A1: example.com fail; message rejected: DMARC check failed", "domain-dmarc-missing"},
	{"exim auth", "535 Incorrect authentication data", "smtp-auth-failed"},
	{"postfix sasl", "warning: unknown[203.0.113.5]: SASL LOGIN authentication failed: authentication failure", "smtp-auth-failed"},
	{"ses auth", "535 Authentication Credentials Invalid", "smtp-auth-failed"},
	{"sendgrid auth", "535 Authentication failed: Bad username / password", "smtp-auth-failed"},
	{"yahoo auth", "535 5.7.0 (#AUTH005) Too many bad auth attempts.", "smtp-auth-failed"},
	{"brevo auth", "535 5.7.0 Invalid login or password", "smtp-auth-failed"},
	{"nodemailer auth", "Error: Invalid login: 535 5.7.3 Authentication unsuccessful\n    code: 'EAUTH'", "smtp-m365-auth-disabled"},
	{"gmail auth", "535-5.7.8 Username and Password not accepted. For more information, go to 535 5.7.8 https://support.google.com/mail/?p=BadCredentials", "smtp-gmail-app-password"},
	{"m365 basic", "550 5.7.30 Basic authentication is not supported for Client Submission.", "smtp-m365-auth-disabled"},
}

func TestMatchMTAWordings(t *testing.T) {
	t.Parallel()
	for _, lang := range i18n.Languages() {
		for _, tc := range mtaWordings {
			got := embedded()[lang].Match(Evidence{Text: tc.text})
			require.NotEmpty(t, got, tc.who)
			require.Equal(t, tc.want, got[0].Article.ID, "%s/%s: %s", lang, tc.who, describe(got))
		}
	}
}

func TestConfidence(t *testing.T) {
	t.Parallel()
	b := embedded()["en"]
	words := b.Match(Evidence{Text: "the weekly summary feels generic and a bit boring"})
	require.NotEmpty(t, words)
	for _, m := range words {
		require.Equal(t, Weak, m.Confidence, m.Article.ID)
	}
	pattern := b.Match(Evidence{Text: `{"error":{"code":"insufficient_quota"}}`})
	require.Equal(t, Strong, pattern[0].Confidence)
	symptom := b.Match(Evidence{Symptoms: []string{"429 Too Many Requests"}})
	require.Equal(t, Strong, symptom[0].Confidence)

	// A warned check covered by an article (15 points) still ranks above
	// an article that only shares words (up to 20).
	mixed := b.Match(Evidence{
		Text:    "personalization personalization score generic copy",
		Results: []check.Result{{ID: "api.ratelimit", Status: check.Warn}},
	})
	seenWeak := false
	for _, m := range mixed {
		if m.Confidence == Weak {
			seenWeak = true
			continue
		}
		require.False(t, seenWeak, "a strong match (%s) came after a weak one: %s", m.Article.ID, describe(mixed))
	}
	require.Equal(t, Strong, mixed[0].Confidence, describe(mixed))
}

// uncovered are real error texts about things no article covers. Any match
// must be a guess, never presented as the answer.
var uncovered = []string{
	"Error: Kubernetes pod api-7f9c CrashLoopBackOff: back-off 5m0s restarting failed container",
	"fatal: refusing to merge unrelated histories",
	"npm ERR! ERESOLVE unable to resolve dependency tree: peer react@\"^17\" from react-dom@18.2.0",
	"Segmentation fault (core dumped)",
	"ERROR: relation \"users\" does not exist at character 15",
	"Traceback (most recent call last): ZeroDivisionError: division by zero",
	"The printer on floor 3 is out of toner again",
	"docker: Error response from daemon: Conflict. The container name \"/web\" is already in use.",
	"La impresora del tercer piso se quedó sin tóner",
}

func TestUncoveredTextsGetNoStrongMatch(t *testing.T) {
	t.Parallel()
	for _, lang := range i18n.Languages() {
		for _, text := range uncovered {
			for _, m := range embedded()[lang].Match(Evidence{Text: text}) {
				require.Equal(t, Weak, m.Confidence, "%s: %q matched %s strongly: %v", lang, text, m.Article.ID, m.Reasons)
			}
		}
	}
}
