// Package mail holds the SMTP checks: connect (greeting and extensions),
// TLS (STARTTLS or implicit, certificate), AUTH (PLAIN or LOGIN, never over
// an unencrypted connection unless security: none) and an optional test
// message. The four share one SMTP conversation per run, so a run costs one
// connection and one login, and each check's details hold its part of a
// swaks-style transcript with the credentials masked.
package mail

import (
	"context"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

// Checks returns the mail checks for a profile.
func Checks(p *config.Profile) []check.Check {
	return sessionChecks(newSession(newSettings(p.SMTP)))
}

// sessionChecks are the checks that share one SMTP session.
func sessionChecks(s *session) []check.Check {
	sendAfter := "smtp.auth"
	if s.set.username == "" {
		sendAfter = "smtp.tls"
	}
	step := func(ph phase) func(context.Context) check.Result {
		return func(ctx context.Context) check.Result { return s.run(ctx, ph) }
	}
	return []check.Check{
		{ID: "smtp.connect", Category: "smtp", Title: "SMTP server answers", Run: step(phaseConnect),
			Articles: []string{artConnection}},
		{ID: "smtp.tls", Category: "smtp", Title: "SMTP connection is encrypted", Requires: []string{"smtp.connect"}, Run: step(phaseTLS),
			Articles: []string{artTLSMismatch}},
		{ID: "smtp.auth", Category: "smtp", Title: "SMTP login works", Requires: []string{"smtp.tls"}, Run: step(phaseAuth),
			Articles: []string{artAuthFailed}},
		{ID: "smtp.send", Category: "smtp", Title: "SMTP server accepts a test message", Requires: []string{sendAfter}, Run: step(phaseSend),
			Articles: []string{artRejected, artDelivery}},
	}
}
