// Package api holds the api checks.
package api

import (
	"pitstop/internal/check"
	"pitstop/internal/config"
)

// Checks returns the api checks for a profile.
func Checks(p *config.Profile) []check.Check { return nil }
