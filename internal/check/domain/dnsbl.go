package domain

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/probe"
)

// domainZones are blocklists that list domain names rather than addresses.
var domainZones = []string{"dbl.spamhaus.org", "multi.uribl.com", "multi.surbl.org"}

// spamhausCodes say what a Spamhaus ZEN answer means.
var spamhausCodes = map[string]string{
	"127.0.0.2":  "SBL: a known spam source",
	"127.0.0.3":  "SBL CSS: snowshoe spam",
	"127.0.0.4":  "XBL: an infected or hijacked machine",
	"127.0.0.5":  "XBL",
	"127.0.0.6":  "XBL",
	"127.0.0.7":  "XBL",
	"127.0.0.9":  "SBL DROP: a hijacked network",
	"127.0.0.10": "PBL: an address range that should not send mail directly (ISP policy)",
	"127.0.0.11": "PBL: an address range that should not send mail directly (Spamhaus policy)",
}

// refusedCodes are the answers that mean "this query was not answered", not
// "listed" (Spamhaus's return codes for blocked queries).
var refusedCodes = map[string]string{
	"127.255.255.252": "the blocklist zone name is misspelled",
	"127.255.255.254": "the blocklist refuses queries that come through a public or open DNS resolver (such as 8.8.8.8 or 1.1.1.1)",
	"127.255.255.255": "the blocklist refuses this resolver because it sent too many queries",
}

// target is an address (or, for domain blocklists, a name) to look up.
type target struct {
	query string   // what goes before the zone: reversed address or domain
	show  string   // 192.0.2.1, or the domain
	why   []string // "smtp.host mail.example.com", "MX mx1.example.com"
}

// listing is one blocklist's answer for one target.
type listing struct {
	t       *target
	zone    string
	answers []string
	reason  string
	err     error
}

// dnsbl looks the SMTP host's and MX addresses up in each domain.dnsbl zone.
func (c *checker) dnsbl(ctx context.Context) check.Result {
	if len(c.zones) == 0 {
		return check.Skipf("No blocklists are configured (domain.dnsbl).")
	}
	details := []string{c.resolverLine()}
	var f check.Findings
	targets := c.blocklistTargets(ctx, &f, &details)
	var jobs []*listing
	for _, z := range c.zones {
		byDomain := slices.Contains(domainZones, z)
		for i := range targets {
			t := &targets[i]
			if byDomain != (t.show == c.name) {
				continue
			}
			jobs = append(jobs, &listing{t: t, zone: z})
		}
	}
	if len(jobs) == 0 && len(f) > 0 {
		// The lookups that find the addresses failed: nothing was tested.
		f.Add(check.Error, nil, "Could not test: the addresses to look up on the blocklists could not be found, because the DNS lookups failed.")
		return f.Result("", details...)
	}
	if len(jobs) == 0 {
		f.Add(check.Skip, nil, "Found no address to look up: set smtp.host, or publish MX records.")
		return f.Result("", details...)
	}
	sem := make(chan struct{}, 8)
	done := make([]<-chan error, len(jobs))
	for i, j := range jobs {
		done[i] = check.Go(func() { // recovered: outside the runner's reach
			sem <- struct{}{}
			defer func() { <-sem }()
			c.queryBlocklist(ctx, j)
		})
	}
	for _, d := range done {
		if r, ok := check.ResultOf(<-d); ok {
			return r
		}
	}

	listed, refused, failed := 0, 0, 0
	for _, j := range jobs {
		name := j.t.query + "." + j.zone
		who := fmt.Sprintf("%s (%s)", j.t.show, strings.Join(j.t.why, ", "))
		switch {
		case j.err != nil:
			failed++
			f.Add(check.Error, nil, "Could not test %s on %s: the lookup failed (%s).", j.t.show, j.zone, dnsWords(j.err))
			details = append(details, fmt.Sprintf("%s → lookup failed: %s", name, j.err))
		case len(j.answers) == 0:
			details = append(details, fmt.Sprintf("%s → not listed", name))
		case refusal(j.answers) != "":
			refused++
			f.Add(check.Error, []string{artQueryRefused}, "Could not test %s on %s: %s (answer %s). This is not a listing. Query through your own DNS resolver (domain.dns_server), or use the blocklist's data service.", j.t.show, j.zone, refusedCodes[refusal(j.answers)], refusal(j.answers))
			details = append(details, fmt.Sprintf("%s → %s (query refused, not listed)", name, strings.Join(j.answers, ", ")))
		case !allLoopback(j.answers):
			failed++
			f.Add(check.Error, nil, "Could not test %s on %s: the resolver answered %s, which is not a blocklist answer (a resolver that rewrites missing names?).", j.t.show, j.zone, strings.Join(j.answers, ", "))
			details = append(details, fmt.Sprintf("%s → %s (unexpected)", name, strings.Join(j.answers, ", ")))
		default:
			listed++
			meaning := ""
			if strings.Contains(j.zone, "spamhaus") {
				if m, ok := spamhausCodes[j.answers[0]]; ok {
					meaning = " (" + m + ")"
				}
			}
			reason := ""
			if j.reason != "" {
				reason = " Reason given: " + quote(j.reason) + "."
			}
			f.Add(check.Fail, []string{artBlocklisted, artReputation}, "%s is listed on %s%s: receivers that use this list reject or junk mail from it.%s", who, j.zone, meaning, reason)
			details = append(details, fmt.Sprintf("%s → %s%s", name, strings.Join(j.answers, ", "), meaning))
		}
	}
	var checked []string
	for _, t := range targets {
		if t.show != c.name {
			checked = append(checked, t.show)
		}
	}
	pass := check.Sentencef("No checked address (%s) is listed on %s.", strings.Join(checked, ", "), strings.Join(c.zones, ", "))
	if len(checked) == 0 {
		pass = check.Sentencef("%s is not listed on %s.", c.name, strings.Join(c.zones, ", "))
	}
	// listed counts the (address, blocklist) pairs that are listed; a
	// refused or failed query is no listing and is counted apart.
	return f.Result(pass, details...).WithFacts(map[string]any{"listed": listed, "queries": len(jobs),
		"queries_refused": refused, "queries_failed": failed, "addresses_checked": len(checked), "blocklists": len(c.zones)})
}

// blocklistTargets gathers the SMTP host's addresses, the MX addresses and,
// for domain blocklists, the domain itself.
func (c *checker) blocklistTargets(ctx context.Context, f *check.Findings, details *[]string) []target {
	byAddr := map[netip.Addr]*target{}
	var order []netip.Addr
	add := func(a netip.Addr, why string) {
		a = a.Unmap()
		if t, ok := byAddr[a]; ok {
			if !slices.Contains(t.why, why) {
				t.why = append(t.why, why)
			}
			return
		}
		byAddr[a] = &target{query: reverse(a), show: a.String(), why: []string{why}}
		order = append(order, a)
	}
	if c.smtpHost != "" {
		addrs, err := c.hostAddrs(ctx, c.smtpHost)
		if err != nil {
			f.Add(check.Warn, nil, "Could not look up the SMTP host %s (%s), so its address was not checked.", c.smtpHost, dnsWords(err))
		}
		for _, a := range addrs {
			add(a, "smtp.host "+c.smtpHost)
		}
	}
	mxs, err := c.res.LookupMX(ctx, c.name)
	if err != nil && !probe.IsNotFound(err) {
		f.Add(check.Warn, nil, "Could not look up the MX records of %s (%s), so the mail servers' addresses were not checked.", c.name, dnsWords(err))
	}
	for _, m := range mxs {
		host := trimDot(m.Host)
		if host == "" {
			continue
		}
		addrs, err := c.hostAddrs(ctx, host)
		if err != nil {
			continue // domain.mx reports it
		}
		for _, a := range addrs {
			add(a, "MX "+host)
		}
	}
	var out []target
	for _, a := range order {
		t := byAddr[a]
		if a.IsPrivate() || a.IsLoopback() {
			*details = append(*details, fmt.Sprintf("%s is a private or local address; public blocklists do not list those.", a))
		}
		out = append(out, *t)
	}
	out = append(out, target{query: c.name, show: c.name, why: []string{"sender domain"}})
	return out
}

// queryBlocklist looks one target up in one zone: NXDOMAIN means not listed.
func (c *checker) queryBlocklist(ctx context.Context, j *listing) {
	name := j.t.query + "." + j.zone
	addrs, err := c.res.LookupHost(ctx, name)
	if err != nil {
		if !probe.IsNotFound(err) {
			j.err = err
		}
		return
	}
	j.answers = addrs
	if refusal(addrs) == "" && allLoopback(addrs) {
		if txts, err := c.res.LookupTXT(ctx, name); err == nil && len(txts) > 0 {
			j.reason = strings.Join(txts, " ")
		}
	}
}

// refusal returns the answer that means the query was refused, or "".
func refusal(answers []string) string {
	for _, a := range answers {
		if _, ok := refusedCodes[a]; ok {
			return a
		}
	}
	return ""
}

func allLoopback(answers []string) bool {
	for _, a := range answers {
		ip, err := netip.ParseAddr(a)
		if err != nil || !ip.Is4() || ip.As4()[0] != 127 {
			return false
		}
	}
	return true
}

// reverse returns the DNSBL form of an address: reversed octets for IPv4,
// reversed nibbles for IPv6.
func reverse(a netip.Addr) string {
	if a.Is4() {
		b := a.As4()
		return fmt.Sprintf("%d.%d.%d.%d", b[3], b[2], b[1], b[0])
	}
	b := a.As16()
	const hexDigits = "0123456789abcdef"
	nibbles := make([]string, 0, 32)
	for i := len(b) - 1; i >= 0; i-- {
		nibbles = append(nibbles, string(hexDigits[b[i]&0xf]), string(hexDigits[b[i]>>4]))
	}
	return strings.Join(nibbles, ".")
}
