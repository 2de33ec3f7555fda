// Package content holds the content checks.
package content

import (
	"pitstop/internal/check"
	"pitstop/internal/config"
)

// Checks returns the content checks for a profile.
func Checks(p *config.Profile) []check.Check { return nil }
