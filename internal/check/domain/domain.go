// Package domain holds the sender-domain checks: MX, SPF (with the include
// tree and its lookup counts), DKIM keys, DMARC policy and DNS blocklists.
// Every lookup goes through one probe.Resolver, which honours
// domain.dns_server, so all five checks see the same DNS.
package domain

import (
	"context"
	"errors"
	"net"
	"slices"
	"strings"
	"time"

	"golang.org/x/net/idna"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/probe"
)

// Knowledge articles the domain checks point to.
const (
	artMXMissing     = "domain-mx-missing"
	artSPFInvalid    = "domain-spf-invalid"
	artSPFLookups    = "domain-spf-too-many-lookups"
	artDKIMInvalid   = "domain-dkim-invalid"
	artDMARCMissing  = "domain-dmarc-missing"
	artBlocklisted   = "domain-blocklisted"
	artQueryRefused  = "domain-dnsbl-query-refused"
	artReputation    = "domain-reputation"
	artDeliveryFails = "email-delivery-failed"
)

// checker holds what the five checks share: the domain, the resolver and
// the SMTP host whose address SPF and the blocklists are asked about.
type checker struct {
	name      string
	selectors []string
	zones     []string
	smtpHost  string
	res       *probe.Resolver
	// compareTXT asks the domain's name servers and the system's resolver
	// for the TXT records at a name (probe.CompareTXT when nil); tests play
	// both servers.
	compareTXT func(ctx context.Context, name string) (probe.TXTSources, error)
}

// Checks returns the domain checks for a profile.
func Checks(p *config.Profile) []check.Check {
	c := &checker{
		name:      normalise(p.Domain.Name),
		selectors: cleanList(p.Domain.DKIMSelectors),
		zones:     cleanList(p.Domain.DNSBL),
		smtpHost:  strings.TrimSpace(p.SMTP.Host),
		res:       probe.NewResolver(strings.TrimSpace(p.Domain.DNSServer)),
	}
	wrap := func(f func(context.Context) check.Result) func(context.Context) check.Result {
		return func(ctx context.Context) check.Result {
			if c.name == "" {
				return check.Skipf("No sender domain is configured (domain.name, or the domain of smtp.from).")
			}
			ctx, cancel := withMargin(ctx)
			defer cancel()
			return f(ctx)
		}
	}
	return []check.Check{
		check.Define("domain.mx", "", wrap(c.mx)),
		check.Define("domain.spf", "", wrap(c.propagation(recordAt["domain.spf"], c.spf))),
		check.Define("domain.dkim", "", wrap(c.dkim)),
		check.Define("domain.dmarc", "", wrap(c.propagation(recordAt["domain.dmarc"], c.dmarc))),
		check.Define("domain.dnsbl", "", wrap(c.dnsbl)),
	}
}

func normalise(name string) string {
	name = strings.ToLower(strings.TrimSpace(name))
	if at := strings.LastIndexByte(name, '@'); at >= 0 {
		name = name[at+1:]
	}
	name = strings.TrimSuffix(name, ".")
	// Internationalised names go to DNS in their ASCII (punycode) form.
	if ascii, err := idna.Lookup.ToASCII(name); err == nil {
		name = ascii
	}
	return name
}

func cleanList(in []string) []string {
	var out []string
	for _, s := range in {
		s = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(s)), ".")
		if s != "" && !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out
}

// withMargin shortens ctx a little so a check returns its own explanation
// before the runner's timeout fires.
func withMargin(ctx context.Context) (context.Context, context.CancelFunc) {
	d, ok := ctx.Deadline()
	if !ok {
		return context.WithTimeout(ctx, 30*time.Second)
	}
	margin := min(time.Until(d)/10, 300*time.Millisecond)
	return context.WithDeadline(ctx, d.Add(-margin))
}

// resolverLine names the resolver for the details.
func (c *checker) resolverLine() string { return "Resolver: " + c.res.Describe() }

// dnsTrouble is the could-not-test result for a lookup that failed (as
// opposed to one that found nothing).
func (c *checker) dnsTrouble(what string, err error) check.Result {
	return check.Errorf("Could not test: looking up %s failed (%s).", what, dnsWords(err)).
		With(c.resolverLine(), "DNS error: "+err.Error())
}

// dnsWords says what a failed lookup means.
func dnsWords(err error) string {
	var de *net.DNSError
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &de) && de.IsTimeout:
		return "the DNS server did not answer in time"
	case errors.As(err, &de) && strings.Contains(de.Err, "server misbehaving"):
		return "the DNS server answered with an error such as SERVFAIL or REFUSED"
	case errors.As(err, &de) && strings.Contains(de.Err, "connection refused"):
		return "nothing answers DNS at that address"
	case errors.Is(err, context.Canceled):
		return "cancelled"
	}
	return err.Error()
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	if strings.HasSuffix(word, "s") {
		return check.Sentencef("%d %ses", n, word)
	}
	return check.Sentencef("%d %ss", n, word)
}

func trimDot(s string) string { return strings.TrimSuffix(s, ".") }
