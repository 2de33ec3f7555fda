package api

import (
	"strings"

	"pitstop/internal/config"
	"pitstop/internal/probe"
)

// AuthRequest returns the request api.auth sends (the provider's cheapest
// authenticated call), aimed at base: the API base URL or one of its
// endpoints[]. The monitor probes with it, so both follow the same provider
// conventions.
func AuthRequest(p *config.Profile, base string) probe.Request {
	f := newFamily(p, probe.Options{})
	f.base = strings.TrimRight(base, "/")
	return f.authRequest()
}
