package mail

import (
	"errors"
	"fmt"
	"strings"

	"github.com/emersion/go-smtp"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

// Knowledge articles the mail checks point to.
const (
	artConnection    = "smtp-connection-failed"
	artTLSMismatch   = "smtp-tls-mismatch"
	artNoStartTLS    = "smtp-no-starttls"
	artAuthFailed    = "smtp-auth-failed"
	artGmail         = "smtp-gmail-app-password"
	artM365          = "smtp-m365-auth-disabled"
	artRejected      = "smtp-message-rejected"
	artLimits        = "email-sending-limits"
	artDelivery      = "email-delivery-failed"
	artBlocklisted   = "domain-blocklisted"
	artAuthProblems  = "security-authentication-problems"
	artReputation    = "domain-reputation"
	artSpamScore     = "email-spam-score"
	artSenderDomains = "domain-spf-invalid"
)

// reply is a server's answer in a form the checks can reason about.
type reply struct {
	Code     int
	Enhanced string // "5.7.8", "" when the server sent none
	Text     string // the message, lines joined with " / "
}

// String renders the reply as the server would have sent it, on one line.
func (r reply) String() string {
	s := fmt.Sprintf("%d", r.Code)
	if r.Enhanced != "" {
		s += " " + r.Enhanced
	}
	if r.Text != "" {
		s += " " + r.Text
	}
	return s
}

// asReply extracts the server's reply from a go-smtp error.
func asReply(door *config.Scrubber, err error) (reply, bool) {
	var se *smtp.SMTPError
	if !errors.As(err, &se) {
		return reply{}, false
	}
	r := reply{Code: se.Code, Text: door.Untrusted(strings.ReplaceAll(strings.TrimSpace(se.Message), "\n", " / "), 300)}
	if se.EnhancedCode != (smtp.EnhancedCode{}) && se.EnhancedCode != smtp.NoEnhancedCode {
		e := se.EnhancedCode
		r.Enhanced = fmt.Sprintf("%d.%d.%d", e[0], e[1], e[2])
	}
	return r, true
}

// has reports whether the reply's text contains any of the words, ignoring case.
func (r reply) has(words ...string) bool {
	t := strings.ToLower(r.Text)
	for _, w := range words {
		if strings.Contains(t, strings.ToLower(w)) {
			return true
		}
	}
	return false
}

// The mail providers Pitstop knows by their SMTP host, named as the
// knowledge articles' provider field names them.
const (
	ProviderGmail = "gmail"
	ProviderM365  = "m365"
)

// HostProvider returns the mail provider an SMTP host belongs to
// (smtp.gmail.com: gmail; smtp.office365.com: m365), or "".
func HostProvider(host string) string {
	h := strings.ToLower(host)
	switch {
	case strings.Contains(h, "gmail") || strings.Contains(h, "google"):
		return ProviderGmail
	case strings.Contains(h, "office365") || strings.Contains(h, "outlook"):
		return ProviderM365
	}
	return ""
}

// explainAuth turns a reply to AUTH into a result in plain words.
func explainAuth(r reply, host, user string) check.Result {
	quoted := fmt.Sprintf("The server answered: %s", r)
	gmailHost, m365Host := HostProvider(host) == ProviderGmail, HostProvider(host) == ProviderM365
	switch {
	case r.Enhanced == "5.7.139" || r.has("SmtpClientAuthentication is disabled", "basic authentication is disabled") ||
		(m365Host && r.Enhanced == "5.7.3"):
		return check.Failf("Microsoft 365 refused the login because SMTP AUTH is turned off for this mailbox or the whole tenant (or Security Defaults block it). The password itself may be right.").
			With(quoted, "An administrator must enable Authenticated SMTP for the mailbox (Microsoft 365 admin center → user → Mail → Manage email apps), or the app must use OAuth.").
			Explain(artM365, artAuthFailed)
	case r.Code == 534 && (r.Enhanced == "5.7.9" || r.has("application-specific password")):
		return check.Failf("Google requires an app password for this account: it has 2-Step Verification, so the normal password is refused for SMTP.").
			With(quoted, "Create an app password at myaccount.google.com → Security → App passwords and use it as smtp.password.").
			Explain(artGmail, artAuthFailed)
	case r.Code == 534 && (r.Enhanced == "5.7.14" || r.has("web browser", "WebLoginRequired")):
		return check.Failf("Google blocked this sign-in until someone signs in to the account in a web browser and confirms it.").
			With(quoted).Explain(artGmail, artAuthFailed)
	case r.Code == 535 && (gmailHost || r.has("Username and Password not accepted", "support.google.com")):
		return check.Failf("Google did not accept the user name and password (%s). Accounts with 2-Step Verification need an app password for SMTP.", user).
			With(quoted).Explain(artGmail, artAuthFailed)
	case r.Code == 535:
		return check.Failf("The server rejected the user name or password for %s.", user).
			With(quoted, "Check for a typo, an expired or changed password, or a user name that must be the full address.").
			Explain(artAuthFailed, artAuthProblems)
	case r.Code == 454 || r.Code == 432:
		return check.Errorf("The server could not check the password right now (a temporary fault on its side, %d). Try again in a few minutes.", r.Code).
			With(quoted).Explain(artAuthFailed)
	case r.Code == 530 || r.Code == 538 || r.Code == 523 || r.has("Must issue a STARTTLS", "encryption required", "TLS is required"):
		return check.Failf("The server refuses to take a password over an unencrypted connection. Use security: starttls (port 587) or security: tls (port 465).").
			With(quoted).Explain(artTLSMismatch, artNoStartTLS)
	case r.Code == 504 || r.Code == 502:
		return check.Failf("The server does not accept this login method.").
			With(quoted).Explain(artAuthFailed)
	case r.Code == 421:
		return check.Errorf("The server closed the session during login (421): it is busy, rate-limiting this address, or shutting down.").
			With(quoted).Explain(artConnection, artLimits)
	}
	if r.Code >= 500 {
		return check.Failf("The server refused the login (%d).", r.Code).With(quoted).Explain(artAuthFailed)
	}
	return check.Errorf("The server gave an unexpected answer to the login (%d).", r.Code).With(quoted).Explain(artAuthFailed)
}

// explainSend turns a reply to MAIL, RCPT or DATA into a result.
func explainSend(stage string, r reply, from, to string) check.Result {
	quoted := fmt.Sprintf("The server answered %s with: %s", stage, r)
	switch {
	case r.has("relay access denied", "relaying denied", "unable to relay", "relay not permitted"):
		return check.Failf("The server will not relay to %s for this sender: log in first, or the account may not send to outside addresses.", to).
			With(quoted).Explain(artRejected)
	case r.has("sender address rejected", "not owned by user", "SendAsDenied", "not allowed to send as"):
		return check.Failf("The server does not let this login send as %s (the From address). Use an address the account owns or has \"send as\" rights for.", from).
			With(quoted).Explain(artRejected, artSenderDomains)
	case r.Code == 421 || r.Code == 450 || r.Code == 451 || (r.Code == 452 && stage != "DATA") || r.Enhanced == "4.7.1" || r.Enhanced == "4.7.0":
		return check.Warnf("The server deferred the test message (%d, a temporary refusal): it may be throttling this account, greylisting, or short of resources. Try again later.", r.Code).
			With(quoted).Explain(artLimits, artRejected)
	case r.has("STARTTLS", "encryption required"):
		return check.Failf("The server accepts mail only over an encrypted connection. Use security: starttls (port 587) or security: tls (port 465).").
			With(quoted).Explain(artTLSMismatch, artNoStartTLS)
	case r.Code == 530 || (r.Code == 554 && r.has("auth")):
		return check.Failf("The server wants a login before it accepts mail. Set smtp.username and smtp.password.").
			With(quoted).Explain(artAuthFailed)
	case r.has("spamhaus", "blocked using", "blacklist", "blocklist"):
		return check.Failf("The server refused the message because a blocklist lists the sending address.").
			With(quoted).Explain(artBlocklisted, artRejected)
	case r.Code == 552 || r.Enhanced == "5.3.4":
		return check.Failf("The server refused the message as too large (552).").With(quoted).Explain(artRejected)
	case stage == "MAIL" && (r.Code == 550 || r.Code == 553 || r.Code == 555):
		return check.Failf("The server does not let this login send as %s (the From address). Use an address the account owns or has \"send as\" rights for.", from).
			With(quoted).Explain(artRejected, artSenderDomains)
	case stage == "RCPT" && (r.Enhanced == "5.1.1" || r.Enhanced == "5.1.10" || r.has("user unknown", "does not exist", "no such user", "recipient not found")):
		return check.Failf("The server says the test recipient %s does not exist.", to).
			With(quoted).Explain(artRejected)
	case r.Code == 554 || r.Code == 550:
		return check.Failf("The server refused the test message (%d): a policy or spam filter rejected it.", r.Code).
			With(quoted).Explain(artRejected, artDelivery, artSpamScore)
	}
	if r.Code >= 500 {
		return check.Failf("The server refused the test message at %s (%d).", stage, r.Code).With(quoted).Explain(artRejected)
	}
	return check.Errorf("The server gave an unexpected answer at %s (%d).", stage, r.Code).With(quoted).Explain(artDelivery)
}
