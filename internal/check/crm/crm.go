// Package crm holds the crm checks.
package crm

import (
	"pitstop/internal/check"
	"pitstop/internal/config"
)

// Checks returns the crm checks for a profile.
func Checks(p *config.Profile) []check.Check { return nil }
