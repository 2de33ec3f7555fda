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
	send := check.Define("smtp.send", "", step(phaseSend))
	send.Requires = []string{sendAfter}
	return []check.Check{
		check.Define("smtp.connect", "", step(phaseConnect)),
		check.Define("smtp.tls", "", step(phaseTLS)),
		check.Define("smtp.auth", "", step(phaseAuth)),
		send,
	}
}
