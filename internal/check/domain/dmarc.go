package domain

import (
	"context"
	"fmt"
	"strings"

	"github.com/emersion/go-msgauth/dmarc"
	"golang.org/x/net/publicsuffix"

	"pitstop/internal/check"
	"pitstop/internal/probe"
)

// dmarcRecords returns the v=DMARC1 records among TXT records.
func dmarcRecords(txts []string) []string {
	var out []string
	for _, t := range txts {
		if strings.HasPrefix(strings.TrimSpace(t), "v=DMARC1") {
			out = append(out, strings.TrimSpace(t))
		}
	}
	return out
}

// dmarc checks the DMARC policy at _dmarc.<domain>, falling back to the
// organisational domain as receivers do (RFC 7489 6.6.3).
func (c *checker) dmarc(ctx context.Context) check.Result {
	details := []string{c.resolverLine()}
	at := c.name
	records, err := c.lookupDMARC(ctx, at)
	if err != nil {
		return c.dnsTrouble("_dmarc."+at, err).Explain(artDMARCMissing)
	}
	inherited := false
	if len(records) == 0 {
		details = append(details, "_dmarc."+c.name+": no record")
		if org, oerr := publicsuffix.EffectiveTLDPlusOne(c.name); oerr == nil && org != c.name {
			at, inherited = org, true
			records, err = c.lookupDMARC(ctx, org)
			if err != nil {
				return c.dnsTrouble("_dmarc."+org, err).Explain(artDMARCMissing)
			}
			if len(records) == 0 {
				details = append(details, "_dmarc."+org+" (organisational domain): no record")
			}
		}
	}
	switch len(records) {
	case 0:
		return check.Failf("%s has no DMARC record (_dmarc.%s). Without one, receivers do not know what to do with mail that fakes your domain, and Gmail and Yahoo require one from bulk senders since 2024.", c.name, c.name).
			With(details...).Explain(artDMARCMissing, artReputation).WithFact("dmarc_records", 0)
	case 1:
	default:
		for _, r := range records {
			details = append(details, "TXT "+quote(r))
		}
		return check.Failf("_dmarc.%s has %d DMARC records; receivers ignore DMARC entirely unless there is exactly one.", at, len(records)).
			With(details...).Explain(artDMARCMissing).WithFact("dmarc_records", len(records))
	}
	raw := records[0]
	details = append(details, fmt.Sprintf("_dmarc.%s: %s", at, quote(raw)))
	if inherited {
		details = append(details, fmt.Sprintf("%s has no record of its own; receivers use the one of its organisational domain %s.", c.name, at))
	}
	rec, err := dmarc.Parse(raw)
	if err != nil {
		return check.Failf("The DMARC record at _dmarc.%s has an error, so receivers ignore it: %s.", at, strings.TrimPrefix(err.Error(), "dmarc: ")).
			With(details...).Explain(artDMARCMissing).WithFacts(map[string]any{"dmarc_records": 1, "valid": false})
	}
	policy := rec.Policy
	if inherited && rec.SubdomainPolicy != "" {
		policy = rec.SubdomainPolicy
	}
	pct := 100
	if rec.Percent != nil {
		pct = *rec.Percent
	}
	facts := map[string]any{"dmarc_records": 1, "valid": true, "policy": string(policy), "pct": pct,
		"inherited": inherited, "report_addresses": len(rec.ReportURIAggregate)}
	details = append(details, describeDMARC(rec))

	var f check.Findings
	if tags, _ := parseTags(raw); !strings.HasPrefix(strings.TrimSpace(raw), "v=DMARC1;") && len(tags) > 1 {
		f.Add(check.Warn, []string{artDMARCMissing}, "The DMARC record should start exactly with \"v=DMARC1;\".")
	}
	if policy == dmarc.PolicyNone {
		f.Add(check.Warn, []string{artDMARCMissing, artReputation}, "The DMARC policy is p=none (monitoring only): mail that fakes %s is still delivered. Once reports show your own mail passes, move to p=quarantine, then p=reject.", c.name)
	}
	if pct < 100 && policy != dmarc.PolicyNone {
		f.Add(check.Warn, []string{artDMARCMissing}, "The DMARC policy applies to only %d%% of failing mail (pct=%d).", pct, pct)
	}
	if len(rec.ReportURIAggregate) == 0 {
		f.Add(check.Warn, []string{artDMARCMissing}, "The DMARC record has no rua= address, so you get no reports on who sends mail as %s. Add rua=mailto:dmarc-reports@%s.", c.name, at)
	}
	where := ""
	if inherited {
		where = " (inherited from " + at + ")"
	}
	return f.Result(check.Sentencef("%s publishes DMARC p=%s%s with aggregate reports to %s.", c.name, facts["policy"], where, strings.Join(rec.ReportURIAggregate, ", ")), details...).
		WithFacts(facts)
}

func (c *checker) lookupDMARC(ctx context.Context, domain string) ([]string, error) {
	txts, err := c.res.LookupTXT(ctx, "_dmarc."+domain)
	if err != nil && !probe.IsNotFound(err) {
		return nil, err
	}
	return dmarcRecords(txts), nil
}

func describeDMARC(r *dmarc.Record) string {
	parts := []string{"policy " + string(r.Policy)}
	if r.SubdomainPolicy != "" {
		parts = append(parts, "subdomains "+string(r.SubdomainPolicy))
	}
	if r.Percent != nil {
		parts = append(parts, fmt.Sprintf("pct %d", *r.Percent))
	}
	parts = append(parts, "DKIM alignment "+alignment(r.DKIMAlignment), "SPF alignment "+alignment(r.SPFAlignment))
	if len(r.ReportURIAggregate) > 0 {
		parts = append(parts, "rua "+strings.Join(r.ReportURIAggregate, ", "))
	}
	if len(r.ReportURIFailure) > 0 {
		parts = append(parts, "ruf "+strings.Join(r.ReportURIFailure, ", "))
	}
	return "Parsed: " + strings.Join(parts, "; ")
}

func alignment(a dmarc.AlignmentMode) string {
	if a == dmarc.AlignmentStrict {
		return "strict"
	}
	return "relaxed"
}
