package probe

import (
	"context"
	"errors"
	"fmt"
	"net"
	"slices"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// TXTSources is what the domain's name servers and a resolver say about the
// TXT records at one name. After a change at the DNS provider the two differ
// until the resolver's cached answer expires (Wait).
type TXTSources struct {
	// Authoritative is what the zone's name servers serve now; Resolver is
	// what the resolver the checks use serves.
	Authoritative, Resolver []string
	// Wait is how long the resolver may keep its answer (its TTL).
	Wait time.Duration
	// Asked names the servers asked.
	Asked []string
}

// Differ reports whether the name servers serve other records than the
// resolver (order aside).
func (s TXTSources) Differ() bool {
	a, b := slices.Clone(s.Authoritative), slices.Clone(s.Resolver)
	slices.Sort(a)
	slices.Sort(b)
	return !slices.Equal(a, b)
}

// ErrNoNameServers means the zone's name servers could not be found or none
// answered.
var ErrNoNameServers = errors.New("no name server of the domain answered")

// dnsExchange sends one query, over TCP when the UDP answer is cut.
func dnsExchange(ctx context.Context, m *dns.Msg, server string) (*dns.Msg, error) {
	c := &dns.Client{Timeout: 3 * time.Second}
	in, _, err := c.ExchangeContext(ctx, m, server)
	if err == nil && in.Truncated {
		c.Net = "tcp"
		in, _, err = c.ExchangeContext(ctx, m, server)
	}
	return in, err
}

// txtAt asks server for the TXT values at name, with the answer's TTL (the
// SOA minimum for "no such record", as RFC 2308 caches it).
func txtAt(ctx context.Context, server, name string, recurse bool) ([]string, time.Duration, error) {
	m := new(dns.Msg)
	m.SetQuestion(dns.Fqdn(name), dns.TypeTXT)
	m.RecursionDesired = recurse
	in, err := dnsExchange(ctx, m, server)
	if err != nil {
		return nil, 0, err
	}
	if in.Rcode != dns.RcodeSuccess && in.Rcode != dns.RcodeNameError {
		return nil, 0, fmt.Errorf("%s answered %s", server, dns.RcodeToString[in.Rcode])
	}
	var out []string
	var ttl uint32
	for _, rr := range in.Answer {
		if t, ok := rr.(*dns.TXT); ok {
			out = append(out, strings.Join(t.Txt, ""))
			if ttl == 0 || t.Hdr.Ttl < ttl {
				ttl = t.Hdr.Ttl
			}
		}
	}
	if len(out) == 0 && len(in.Ns) > 0 {
		if soa, ok := in.Ns[0].(*dns.SOA); ok {
			ttl = min(soa.Hdr.Ttl, soa.Minttl)
		}
	}
	return out, time.Duration(ttl) * time.Second, nil
}

// CompareTXT asks the domain's name servers and the resolver for the TXT
// records at name. With domain.dns_server set (dnsServer), that server is
// the one asked for both, as the checks ask it; otherwise the zone's name
// servers are found through the system's resolver and asked directly.
func CompareTXT(ctx context.Context, dnsServer, name string) (TXTSources, error) {
	if dnsServer != "" {
		return CompareTXTAt(ctx, []string{dnsServer}, dnsServer, name)
	}
	conf, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(conf.Servers) == 0 {
		return TXTSources{}, fmt.Errorf("no system resolver: %w", ErrNoNameServers)
	}
	system := net.JoinHostPort(conf.Servers[0], conf.Port)
	auth, err := nameServers(ctx, system, name)
	if err != nil {
		return TXTSources{Asked: []string{system}}, err
	}
	return CompareTXTAt(ctx, auth, system, name)
}

// CompareTXTAt asks the first name server in auth that answers (without
// recursion) and the resolver for the TXT records at name.
func CompareTXTAt(ctx context.Context, auth []string, resolver, name string) (TXTSources, error) {
	st := TXTSources{Asked: append(slices.Clone(auth), resolver)}
	answered := false
	for _, server := range auth {
		vals, _, err := txtAt(ctx, server, name, false)
		if err == nil {
			st.Authoritative, answered = vals, true
			break
		}
	}
	if !answered {
		return st, ErrNoNameServers
	}
	vals, ttl, err := txtAt(ctx, resolver, name, true)
	if err != nil {
		return st, fmt.Errorf("the resolver %s: %w", resolver, err)
	}
	st.Resolver, st.Wait = vals, ttl
	return st, nil
}

// nameServers finds the name servers of the zone name falls in, as
// host:port, by asking the resolver for NS records from name upwards.
func nameServers(ctx context.Context, resolver, name string) ([]string, error) {
	labels := dns.SplitDomainName(name)
	for i := range labels {
		zone := dns.Fqdn(strings.Join(labels[i:], "."))
		m := new(dns.Msg)
		m.SetQuestion(zone, dns.TypeNS)
		in, err := dnsExchange(ctx, m, resolver)
		if err != nil {
			return nil, err
		}
		var out []string
		for _, rr := range in.Answer {
			ns, ok := rr.(*dns.NS)
			if !ok {
				continue
			}
			addrs, err := net.DefaultResolver.LookupHost(ctx, ns.Ns)
			if err != nil {
				continue
			}
			for _, a := range addrs {
				out = append(out, net.JoinHostPort(a, "53"))
			}
		}
		if len(out) > 0 {
			return out, nil
		}
	}
	return nil, ErrNoNameServers
}
