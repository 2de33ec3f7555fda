package domain

import (
	"context"
	"net/netip"
	"strings"

	"github.com/emersion/go-msgauth/dmarc"
	"golang.org/x/net/publicsuffix"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/probe"
)

// Knowledge articles of the bulk-sender checks.
const (
	artBulkSender  = "email-bulk-sender-requirements"
	artBIMI        = "domain-bimi"
	artPTRMismatch = "domain-ptr-mismatch"
)

// DefaultBIMISelector is the selector domain.bimi reads when
// domain.bimi_selector is empty.
const DefaultBIMISelector = "default"

// bulkChecker holds what domain.bimi and domain.ptr need beyond the shared
// checker: the BIMI selector, the CA bundle for HTTPS fetches, and the test
// that tells public addresses from the rest.
type bulkChecker struct {
	*checker
	bimiSelector string
	caFile       string
	// classify says whether an address is public, and if not, what it is
	// ("loopback", "private" ...). Tests replace it to treat the sandbox's
	// loopback addresses as public.
	classify func(netip.Addr) (public bool, kind string)
}

// BulkSenderChecks returns the checks mailbox providers' bulk-sender rules
// add to the domain family: the brand logo (BIMI) and reverse DNS (PTR).
func BulkSenderChecks(p *config.Profile) []check.Check {
	return newBulkChecker(p).checks()
}

func newBulkChecker(p *config.Profile) *bulkChecker {
	selector := strings.ToLower(strings.TrimSpace(p.Domain.BIMISelector))
	if selector == "" {
		selector = DefaultBIMISelector
	}
	return &bulkChecker{
		checker: &checker{
			name:     normalise(p.Domain.Name),
			smtpHost: strings.TrimSpace(p.SMTP.Host),
			res:      probe.NewResolver(strings.TrimSpace(p.Domain.DNSServer)),
		},
		bimiSelector: selector,
		caFile:       strings.TrimSpace(p.Domain.CAFile),
		classify:     publicAddress,
	}
}

func (c *bulkChecker) checks() []check.Check {
	margin := func(f func(context.Context) check.Result) func(context.Context) check.Result {
		return func(ctx context.Context) check.Result {
			ctx, cancel := withMargin(ctx)
			defer cancel()
			return f(ctx)
		}
	}
	return []check.Check{
		check.Define("domain.bimi", "", margin(func(ctx context.Context) check.Result {
			if c.name == "" {
				return check.Skipf("No sender domain is configured (domain.name, or the domain of smtp.from).")
			}
			return c.bimi(ctx)
		})),
		check.Define("domain.ptr", "", margin(c.ptr)),
	}
}

// DMARCPolicy is the DMARC record that governs a domain, found as receivers
// find it: the domain's own, else its organisational domain's.
type DMARCPolicy struct {
	// Record is nil when no usable record applies (none, several, or one
	// that does not parse); Problem then says which.
	Record *dmarc.Record
	// At is the domain whose _dmarc record applies.
	At string
	// Raw is the record's text.
	Raw string
	// Inherited: the record is the organisational domain's.
	Inherited bool
	Problem   string
}

// Policy is the policy that applies to the domain asked about: the
// subdomain policy (sp=) when the record is inherited and has one.
func (d DMARCPolicy) Policy() dmarc.Policy {
	if d.Record == nil {
		return ""
	}
	if d.Inherited && d.Record.SubdomainPolicy != "" {
		return d.Record.SubdomainPolicy
	}
	return d.Record.Policy
}

// Percent is the pct= coverage, 100 when absent.
func (d DMARCPolicy) Percent() int {
	if d.Record == nil || d.Record.Percent == nil {
		return 100
	}
	return *d.Record.Percent
}

// StrictDKIM and StrictSPF report the adkim= and aspf= modes (relaxed, the
// DMARC default, when no record applies).
func (d DMARCPolicy) StrictDKIM() bool {
	return d.Record != nil && d.Record.DKIMAlignment == dmarc.AlignmentStrict
}

// StrictSPF reports aspf=s.
func (d DMARCPolicy) StrictSPF() bool {
	return d.Record != nil && d.Record.SPFAlignment == dmarc.AlignmentStrict
}

// LookupDMARC finds the DMARC record that governs domain through res, with
// the organisational-domain fallback of RFC 7489 section 6.6.3. An error
// means the lookup itself failed.
func LookupDMARC(ctx context.Context, res *probe.Resolver, domain string) (DMARCPolicy, error) {
	c := &checker{res: res}
	domain = normalise(domain)
	out := DMARCPolicy{At: domain}
	records, err := c.lookupDMARC(ctx, domain)
	if err != nil {
		return out, err
	}
	if len(records) == 0 {
		if org, oerr := publicsuffix.EffectiveTLDPlusOne(domain); oerr == nil && org != domain {
			if records, err = c.lookupDMARC(ctx, org); err != nil {
				return out, err
			}
			if len(records) > 0 {
				out.At, out.Inherited = org, true
			}
		}
	}
	switch len(records) {
	case 0:
		out.Problem = "none"
		return out, nil
	case 1:
	default:
		out.Problem = "several"
		return out, nil
	}
	out.Raw = records[0]
	rec, perr := dmarc.Parse(out.Raw)
	if perr != nil {
		out.Problem = "invalid"
		return out, nil
	}
	out.Record = rec
	return out, nil
}

// OrgDomain returns the organisational domain of name (its registrable part
// under the public suffix list), or name itself when it has none.
func OrgDomain(name string) string {
	name = normalise(name)
	if org, err := publicsuffix.EffectiveTLDPlusOne(name); err == nil {
		return org
	}
	return name
}

// Aligned reports whether domain aligns with from in DMARC's sense: the
// same name in strict mode, the same organisational domain in relaxed mode.
func Aligned(from, domain string, strict bool) bool {
	from, domain = normalise(from), normalise(domain)
	if from == "" || domain == "" {
		return false
	}
	if strict {
		return from == domain
	}
	return OrgDomain(from) == OrgDomain(domain)
}

// ParseTags reads a tag=value list (DKIM, DMARC, BIMI records and the
// DKIM-Signature header): keys lower-cased, values trimmed. ok is false when
// a part has no "=".
func ParseTags(s string) (map[string]string, bool) { return parseTags(s) }
