// Package cache holds the cache checks.
package cache

import (
	"pitstop/internal/check"
	"pitstop/internal/config"
)

// Checks returns the cache checks for a profile.
func Checks(p *config.Profile) []check.Check { return nil }
