package fix

import (
	"context"
	"fmt"
	"net"
	"strings"
	"time"

	"github.com/miekg/dns"
)

// Publication says whether a proposed record is live.
type Publication int

// The states of a proposed record.
const (
	// NotPublished: the authoritative servers don't serve the value yet.
	NotPublished Publication = iota
	// Published: the authoritative servers and the resolver both serve it.
	Published
	// Propagating: the authoritative servers serve it, the resolver still
	// has the old answer cached (for up to Wait).
	Propagating
	// Unknown: the servers could not be asked.
	Unknown
)

// PublishState is what asking the servers found.
type PublishState struct {
	State Publication
	// Wait is how long the resolver may keep the old answer (its TTL).
	Wait time.Duration
	// Asked names the servers asked, for evidence.
	Asked []string
}

// Sentence says the state in plain words.
func (s PublishState) Sentence() string {
	switch s.State {
	case Published:
		return say("Published: the domain's name servers and your resolver both serve this record.")
	case Propagating:
		return say("Published, but your resolver still serves the old record for up to %d s; checks see the new one after that.", int(s.Wait.Seconds()))
	case NotPublished:
		return say("Not published yet: the domain's name servers do not serve this record.")
	}
	return say("Could not ask the domain's name servers whether this record is published.")
}

// dnsExchange sends one query; it is a variable so tests can count queries.
var dnsExchange = func(ctx context.Context, m *dns.Msg, server string) (*dns.Msg, error) {
	c := &dns.Client{Timeout: 3 * time.Second}
	in, _, err := c.ExchangeContext(ctx, m, server)
	if err == nil && in.Truncated {
		c.Net = "tcp"
		in, _, err = c.ExchangeContext(ctx, m, server)
	}
	return in, err
}

// txtAt asks server for the TXT values at name, with the answer's TTL.
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
		// A negative answer is cached for the SOA's minimum (RFC 2308).
		if soa, ok := in.Ns[0].(*dns.SOA); ok {
			ttl = min(soa.Hdr.Ttl, soa.Minttl)
		}
	}
	return out, time.Duration(ttl) * time.Second, nil
}

// CheckPublished asks the authoritative servers and the resolver whether
// value is published at name. With domain.dns_server set (resolver), that
// server is the one asked, as the checks do; otherwise the zone's name
// servers are found and asked directly, and the system's resolver too.
func CheckPublished(ctx context.Context, resolver, name, value string) PublishState {
	if resolver != "" {
		return comparePublished(ctx, []string{resolver}, resolver, name, value)
	}
	conf, err := dns.ClientConfigFromFile("/etc/resolv.conf")
	if err != nil || len(conf.Servers) == 0 {
		return PublishState{State: Unknown}
	}
	system := net.JoinHostPort(conf.Servers[0], conf.Port)
	auth, err := authoritative(ctx, system, name)
	if err != nil || len(auth) == 0 {
		return PublishState{State: Unknown, Asked: []string{system}}
	}
	return comparePublished(ctx, auth, system, name, value)
}

// comparePublished asks each authoritative server (no recursion) and the
// resolver for the TXT values at name.
func comparePublished(ctx context.Context, auth []string, resolver, name, value string) PublishState {
	st := PublishState{Asked: append(append([]string{}, auth...), resolver)}
	onAuth, answered := false, false
	for _, server := range auth {
		vals, _, err := txtAt(ctx, server, name, false)
		if err != nil {
			continue
		}
		onAuth, answered = containsValue(vals, value), true
		break
	}
	if !answered {
		st.State = Unknown
		return st
	}
	if !onAuth {
		st.State = NotPublished
		return st
	}
	vals, ttl, err := txtAt(ctx, resolver, name, true)
	switch {
	case err != nil:
		st.State = Unknown
	case containsValue(vals, value):
		st.State = Published
	default:
		st.State, st.Wait = Propagating, ttl
	}
	return st
}

func containsValue(vals []string, value string) bool {
	for _, v := range vals {
		if v == value {
			return true
		}
	}
	return false
}

// authoritative finds the name servers of the zone name falls in, as
// host:port addresses, by asking the resolver for NS records from name
// upwards.
func authoritative(ctx context.Context, resolver, name string) ([]string, error) {
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
	return nil, fmt.Errorf("no name servers found for %s", name)
}
