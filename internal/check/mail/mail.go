// Package mail holds the mail checks.
package mail

import (
	"pitstop/internal/check"
	"pitstop/internal/config"
)

// Checks returns the mail checks for a profile.
func Checks(p *config.Profile) []check.Check { return nil }
