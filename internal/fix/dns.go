package fix

import (
	"context"
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/probe"
	"pitstop/internal/spfflat"
)

// spfRecordsOf returns the v=spf1 records among TXT values.
func spfRecordsOf(txts []string) []string {
	var out []string
	for _, t := range txts {
		l := strings.ToLower(strings.TrimSpace(t))
		if l == "v=spf1" || strings.HasPrefix(l, "v=spf1 ") {
			out = append(out, strings.TrimSpace(t))
		}
	}
	return out
}

// domainOf is the sender domain the domain checks ran on.
func domainOf(in *Input) string {
	return strings.TrimSuffix(strings.ToLower(in.Profile.Domain.Name), ".")
}

// spfFixes proposes one SPF record to publish: a record when there is none,
// one merged record for several, "~all" for "+all" or "?all", and a
// flattened record when the include tree needs more than 10 lookups.
func spfFixes(ctx context.Context, in *Input, r check.Result) []Fix {
	name := domainOf(in)
	if !bad(r) || name == "" || in.Resolver == nil {
		return nil
	}
	txts, err := in.Resolver.LookupTXT(ctx, name)
	if err != nil && !probe.IsNotFound(err) {
		return nil // could not read the record now: nothing certain to say
	}
	records := spfRecordsOf(txts)
	fx := Fix{ID: "spf-record", Check: "domain.spf", Kind: KindDNS}
	rec := Record{Name: name, Type: "TXT", Zone: name, TTL: DefaultTTL}
	var value string
	var notes []string
	switch len(records) {
	case 0:
		value = missingSPF(ctx, in)
		if value == "" {
			return nil
		}
		fx.Title = say("Publish an SPF record")
		notes = append(notes, say("The record authorises the SMTP server %s; add the include: your other sending services document (a newsletter tool, a CRM that sends mail).", in.Profile.SMTP.Host))
	case 1:
		rec.Replaces = records[0]
		value = records[0]
		fx.Title = say("Correct the SPF record")
		// A record flattened earlier whose includes moved is made again
		// from the record it came from.
		if stale, err := spfflat.Stale(ctx, in.Resolver, name, value); err == nil && len(stale) > 0 {
			if src, ok := spfflat.Source(value); ok {
				value = src
				notes = append(notes, say("The flattened record no longer covers %s: the provider moved. This record is made again from the includes it came from.", strings.Join(stale, ", ")))
			}
		}
	default:
		rec.Replaces = strings.Join(records, " | ")
		value = mergeSPF(records)
		fx.Title = say("Merge the SPF records into one")
		notes = append(notes, say("Delete the %d SPF records and publish this one in their place: receivers treat more than one as a permanent error.", len(records)))
	}
	if all := spfAll(value); all == "+" || all == "?" {
		value = replaceAll(value, "~")
		notes = append(notes, say("The record ended in %sall, which does not protect the domain; it now ends in ~all (soft fail). Once your DMARC reports show only your own servers, make it -all.", all))
	}
	flat, err := spfflat.Flatten(ctx, in.Resolver, name, value)
	switch {
	case err == nil && flat.Before > spfflat.LookupLimit:
		value = flat.Record
		fx.Title = say("Flatten the SPF record to fit 10 lookups")
		notes = append(notes,
			say("The record needed %d DNS lookups; this one needs %d and authorises exactly the same addresses today. Kept as includes: %s; written out as address ranges: %s.",
				flat.Before, flat.Lookups, listOrNone(flat.Kept), listOrNone(flat.Inlined)),
			say("A flattened record must be made again when a provider changes its addresses. It names the includes it wrote out (pitstop-flat=, which receivers ignore); every pitstop check compares them with the live includes and domain.spf warns when one moved: then run pitstop fix again."))
	case err != nil && !errors.Is(err, spfflat.ErrNotCertain):
		return nil
	case err != nil && len(records) == 1 && value == records[0]:
		return nil // nothing certain to change
	}
	if value == rec.Replaces {
		return nil
	}
	if len(value) > 450 {
		notes = append(notes, say("The record is %d characters long: some DNS consoles need it split into strings of 255 characters (the zone-file line below does it).", len(value)))
	}
	rec.Value = value
	fx.Records = []Record{rec}
	fx.Summary = say("Publish this TXT record at %s.", name)
	fx.Steps = append(notes, say("After publishing, run `pitstop check --only domain` (or `pitstop fix` again): it reads the record back from your DNS."))
	return []Fix{fx}
}

func listOrNone(items []string) string {
	if len(items) == 0 {
		return say("none")
	}
	return strings.Join(items, ", ")
}

// missingSPF is a record that authorises the SMTP server's addresses.
func missingSPF(ctx context.Context, in *Input) string {
	host := strings.TrimSpace(in.Profile.SMTP.Host)
	if host == "" {
		return ""
	}
	if ip, err := netip.ParseAddr(strings.Trim(host, "[]")); err == nil {
		if ip.Is4() {
			return "v=spf1 ip4:" + ip.String() + " ~all"
		}
		return "v=spf1 ip6:" + ip.String() + " ~all"
	}
	if addrs, err := in.Resolver.LookupIPAddr(ctx, host); err != nil || len(addrs) == 0 {
		return "" // the host does not resolve: an a: term would authorise nothing
	}
	return "v=spf1 a:" + strings.ToLower(host) + " ~all"
}

// spfAll returns the qualifier of the record's "all" term ("" when none).
func spfAll(record string) string {
	for _, f := range strings.Fields(record) {
		l := strings.ToLower(f)
		switch l {
		case "all", "+all":
			return "+"
		case "-all", "~all", "?all":
			return l[:1]
		}
	}
	return ""
}

// replaceAll puts q before the record's "all" term.
func replaceAll(record, q string) string {
	fields := strings.Fields(record)
	for i, f := range fields {
		switch strings.ToLower(f) {
		case "all", "+all", "-all", "~all", "?all":
			fields[i] = q + "all"
		}
	}
	return strings.Join(fields, " ")
}

// mergeSPF joins several records into one: every term once, in order, and
// the strictest "all" among them (soft fail when none has one).
func mergeSPF(records []string) string {
	terms := []string{"v=spf1"}
	all := ""
	rank := map[string]int{"": 0, "?": 1, "+": 1, "~": 2, "-": 3}
	for _, r := range records {
		for _, f := range strings.Fields(r)[1:] {
			l := strings.ToLower(f)
			if q := spfAll(l); q != "" && (l == q+"all" || l == "all") {
				if rank[q] > rank[all] {
					all = q
				}
				continue
			}
			if !slices.ContainsFunc(terms, func(t string) bool { return strings.EqualFold(t, f) }) {
				terms = append(terms, f)
			}
		}
	}
	if all == "" || all == "+" || all == "?" {
		all = "~"
	}
	return strings.Join(append(terms, all+"all"), " ")
}

// dmarcTags parses "v=DMARC1; p=none; rua=..." into lower-case tag names.
func dmarcTags(record string) map[string]string {
	tags := map[string]string{}
	for _, part := range strings.Split(record, ";") {
		k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
		if ok {
			tags[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
		}
	}
	return tags
}

// dmarcFixes proposes a DMARC record when none is published, and the next
// step of the policy ramp (none → quarantine → reject) as a decision for a
// person when the policy is "none".
func dmarcFixes(ctx context.Context, in *Input, r check.Result) []Fix {
	name := domainOf(in)
	if !bad(r) || name == "" || in.Resolver == nil {
		return nil
	}
	at := "_dmarc." + name
	txts, err := in.Resolver.LookupTXT(ctx, at)
	if err != nil && !probe.IsNotFound(err) {
		return nil
	}
	var records []string
	for _, t := range txts {
		if strings.HasPrefix(strings.TrimSpace(t), "v=DMARC1") {
			records = append(records, strings.TrimSpace(t))
		}
	}
	ramp := []string{
		say("Week 1: publish p=none and read the aggregate reports (rua) for two to four weeks: they list every server sending as your domain."),
		say("Then: authorise the legitimate senders you find (SPF include, DKIM keys) and move to p=quarantine; watch the reports for a few more weeks."),
		say("Finally: p=reject, once the reports show only your own servers passing."),
	}
	switch len(records) {
	case 0:
		value := fmt.Sprintf("v=DMARC1; p=none; rua=mailto:dmarc-reports@%s", name)
		return []Fix{{
			ID: "dmarc-record", Check: "domain.dmarc", Kind: KindDNS,
			Title:   say("Publish a DMARC record"),
			Summary: say("Publish this TXT record at %s; start with p=none, which changes no delivery and sends you reports.", at),
			Records: []Record{{Name: at, Type: "TXT", Value: value, Zone: name, TTL: DefaultTTL}},
			Steps: append([]string{
				say("Create the mailbox dmarc-reports@%s (or point rua= at a DMARC report service's address) before publishing: reports arrive daily.", name),
			}, ramp...),
		}}
	case 1:
		tags := dmarcTags(records[0])
		if !strings.EqualFold(tags["p"], "none") {
			return nil
		}
		next := strings.Replace(records[0], "p="+tags["p"], "p=quarantine", 1)
		return []Fix{{
			ID: "dmarc-ramp", Check: "domain.dmarc", Kind: KindManual,
			Title:   say("Decide when to move DMARC from p=none to p=quarantine"),
			Summary: say("p=none only reports: mail that fakes your domain is still delivered. The next step is a decision for you, once the reports show every legitimate sender passing."),
			Records: []Record{{Name: at, Type: "TXT", Value: next, Replaces: records[0], Zone: name, TTL: DefaultTTL}},
			Steps:   ramp[1:],
		}}
	}
	return nil
}
