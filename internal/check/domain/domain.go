// Package domain holds the domain checks.
package domain

import (
	"pitstop/internal/check"
	"pitstop/internal/config"
)

// Checks returns the domain checks for a profile.
func Checks(p *config.Profile) []check.Check { return nil }
