package probe

import (
	"context"
	"errors"
	"net"
	"net/netip"
	"strings"
)

// Resolver looks up DNS records through one server: the one named in
// domain.dns_server, or the system's resolver when none is set. Every domain
// check uses one, so all of them see the same answers. Its methods match
// blitiri.com.ar/go/spf's DNSResolver, so SPF evaluation goes through it too.
type Resolver struct {
	server string
	r      *net.Resolver
}

// NewResolver returns a resolver that sends every query to server (host:port),
// or uses the system's resolver when server is empty.
func NewResolver(server string) *Resolver {
	if server == "" {
		return &Resolver{r: &net.Resolver{}}
	}
	return &Resolver{
		server: server,
		r: &net.Resolver{
			// Only Go's own resolver honours Dial; the cgo one would ask
			// the system's servers whatever Dial says.
			PreferGo: true,
			Dial: func(ctx context.Context, network, _ string) (net.Conn, error) {
				var d net.Dialer
				return d.DialContext(ctx, network, server)
			},
		},
	}
}

// Server returns the host:port queries go to, or "" for the system resolver.
func (r *Resolver) Server() string { return r.server }

// Describe names the resolver for evidence lines.
func (r *Resolver) Describe() string {
	if r.server == "" {
		return "the system resolver"
	}
	return r.server + " (domain.dns_server)"
}

// rooted ends a name with a dot so the system's search domains are never
// appended: "example.com" must not become "example.com.corp.local".
func rooted(name string) string {
	if name == "" || strings.HasSuffix(name, ".") || net.ParseIP(name) != nil {
		return name
	}
	return name + "."
}

// LookupTXT returns the TXT records of name, each record's strings joined.
func (r *Resolver) LookupTXT(ctx context.Context, name string) ([]string, error) {
	v, err := r.r.LookupTXT(ctx, rooted(name))
	return v, r.named(err)
}

// LookupMX returns the MX records of name, sorted by preference.
func (r *Resolver) LookupMX(ctx context.Context, name string) ([]*net.MX, error) {
	v, err := r.r.LookupMX(ctx, rooted(name))
	return v, r.named(err)
}

// LookupIPAddr returns the IPv4 and IPv6 addresses of host.
func (r *Resolver) LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error) {
	v, err := r.r.LookupIPAddr(ctx, rooted(host))
	return v, r.named(err)
}

// LookupNetIP returns the addresses of host for network "ip", "ip4" or "ip6".
func (r *Resolver) LookupNetIP(ctx context.Context, network, host string) ([]netip.Addr, error) {
	v, err := r.r.LookupNetIP(ctx, network, rooted(host))
	return v, r.named(err)
}

// LookupHost returns the addresses of host as strings.
func (r *Resolver) LookupHost(ctx context.Context, host string) ([]string, error) {
	v, err := r.r.LookupHost(ctx, rooted(host))
	return v, r.named(err)
}

// LookupAddr returns the names that point at addr (PTR records).
func (r *Resolver) LookupAddr(ctx context.Context, addr string) ([]string, error) {
	v, err := r.r.LookupAddr(ctx, addr)
	return v, r.named(err)
}

// named returns a lookup's error naming the server actually asked: with
// domain.dns_server set, Go's resolver still reports the system's server
// (say "on 10.255.255.53:53") because only Dial was replaced, and the
// evidence would point the user at the wrong machine.
func (r *Resolver) named(err error) error {
	var de *net.DNSError
	if r.server == "" || !errors.As(err, &de) || de.Server == r.server {
		return err
	}
	named := *de // a copy: the original may be shared with the resolver
	named.Server = r.server
	return &named
}

// IsNotFound reports whether err says the name or record does not exist
// (NXDOMAIN or no record of the type), as opposed to a failed query.
func IsNotFound(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && de.IsNotFound
}

// IsTemporary reports whether err is a DNS failure worth retrying: a timeout
// or a server failure, not an answer.
func IsTemporary(err error) bool {
	var de *net.DNSError
	return errors.As(err, &de) && (de.IsTimeout || de.IsTemporary) && !de.IsNotFound
}
