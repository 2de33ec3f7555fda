package domain

import (
	"context"
	"fmt"
	"net"
	"net/netip"
	"strconv"
	"strings"

	"blitiri.com.ar/go/spf"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/probe"
	"pitstop/internal/spfflat"
)

// RFC 7208 section 4.6.4 limits.
const (
	spfMaxLookups     = 10
	spfMaxVoidLookups = 2
	// spfWalkLimit stops following a runaway include tree.
	spfWalkLimit = 40
	spfMaxDepth  = 10
	// spfMaxLines bounds the evidence a record with thousands of terms
	// produces; spfMaxQueries stops a/mx lookups once a record is far past
	// the limit (its count still goes on, for the summary).
	spfMaxLines   = 100
	spfMaxQueries = 40
)

// spfRecords returns the v=spf1 records among TXT records.
func spfRecords(txts []string) []string {
	var out []string
	for _, t := range txts {
		l := strings.ToLower(strings.TrimSpace(t))
		if l == "v=spf1" || strings.HasPrefix(l, "v=spf1 ") {
			out = append(out, strings.TrimSpace(t))
		}
	}
	return out
}

// spf checks the domain's SPF record: exactly one, valid, within the lookup
// limits, ending in a meaningful "all", and authorising the SMTP host.
func (c *checker) spf(ctx context.Context) check.Result {
	txts, err := c.res.LookupTXT(ctx, c.name)
	if err != nil && !probe.IsNotFound(err) {
		return c.dnsTrouble("the TXT records of "+c.name, err).Explain(artSPFInvalid)
	}
	details := []string{c.resolverLine()}
	records := spfRecords(txts)
	switch len(records) {
	case 0:
		for _, t := range txts {
			details = append(details, "TXT "+quote(t))
		}
		return check.Failf("%s has no SPF record (a TXT record starting with v=spf1), so receivers cannot tell which servers may send its mail; more of it lands in spam.", c.name).
			With(details...).Explain(artSPFInvalid).WithFact("spf_records", 0)
	case 1:
	default:
		for _, r := range records {
			details = append(details, "TXT "+quote(r))
		}
		return check.Failf("%s has %d SPF records; there must be exactly one. Receivers treat this as a permanent error, so SPF fails for every message. Merge them into one record.", c.name, len(records)).
			With(details...).Explain(artSPFInvalid).WithFact("spf_records", len(records))
	}

	w := &spfWalk{ctx: ctx, res: c.res, path: map[string]bool{c.name: true}}
	w.lines = append(w.lines, fmt.Sprintf("SPF %s: %s", c.name, quote(records[0])))
	top := w.walk(c.name, records[0], 0)
	// The facts are counted over the whole tree, past the limit: a record
	// that needs 18 lookups says 18, not "more than 10".
	facts := map[string]any{"spf_records": 1, "dns_lookups": w.lookups, "void_lookups": w.voids, "all_qualifier": top.all,
		"tree_complete": !w.cut}
	lookups, voids := facts["dns_lookups"].(int), facts["void_lookups"].(int)

	var f check.Findings
	f = append(f, w.problems...)
	if voids > spfMaxVoidLookups {
		f = append(check.Findings{{Status: check.Fail, Articles: []string{artSPFLookups, artSPFInvalid},
			Text: check.Sentencef("%s's SPF record has %d lookups that find nothing (void lookups); the limit is %d, so receivers may treat SPF as broken. Remove terms that point at names that no longer exist.", c.name, voids, spfMaxVoidLookups)}}, f...)
	}
	if lookups > spfMaxLookups {
		f = append(check.Findings{{Status: check.Fail, Articles: []string{artSPFLookups, artSPFInvalid},
			Text: check.Sentencef("%s's SPF record needs %d DNS lookups; the limit is %d, so receivers stop with a permanent error and SPF fails for every message. Remove unused include: terms or replace them with ip4:/ip6: ranges.", c.name, lookups, spfMaxLookups)}}, f...)
	}
	switch top.all {
	case "+":
		f.Add(check.Warn, []string{artSPFInvalid}, "The SPF record ends in +all: it authorises every server on the internet to send as %s. Use ~all or -all.", c.name)
	case "?":
		f.Add(check.Warn, []string{artSPFInvalid}, "The SPF record ends in ?all (neutral): mail from unlisted servers gets no judgement, so SPF gives no protection. Use ~all or -all.")
	case "":
		if !top.redirect {
			f.Add(check.Warn, []string{artSPFInvalid}, "The SPF record has no \"all\" term at the end, so mail from unlisted servers gets a neutral result. End it with ~all or -all.")
		}
	}
	details = append(details, w.lines...)
	details = append(details, fmt.Sprintf("DNS lookups: %d of %d allowed · void lookups: %d of %d allowed", lookups, spfMaxLookups, voids, spfMaxVoidLookups))
	c.spfFlattened(ctx, records[0], &f, &details, facts)

	authorised := c.spfAuthorisation(ctx, &f, &details, facts)
	pass := check.Sentencef("%s has one valid SPF record (%s, ending in %sall)%s.", c.name, plural(lookups, "DNS lookup"), top.all, authorised)
	return f.Result(pass, details...).WithFacts(facts)
}

// spfFlattened compares a record pitstop fix flattened (it carries a
// pitstop-flat= modifier naming the includes it wrote out as ranges) with
// those includes as they are today: a provider that moved leaves its new
// addresses unauthorised until the record is made again. It records
// flattened_stale (how many includes moved) for such records.
func (c *checker) spfFlattened(ctx context.Context, record string, f *check.Findings, details *[]string, facts map[string]any) {
	if !strings.Contains(strings.ToLower(record), spfflat.FlatModifier+"=") {
		return
	}
	stale, err := spfflat.Stale(ctx, c.res, c.name, record)
	switch {
	case err != nil:
		*details = append(*details, "Could not compare the flattened record with the includes it came from: "+err.Error())
		return
	case len(stale) > 0:
		f.Add(check.Warn, []string{artSPFLookups}, "The flattened SPF record no longer covers every address of %s: the provider changed its addresses, so mail from the new ones fails SPF. Run pitstop fix to make the record again.", strings.Join(stale, ", "))
	default:
		*details = append(*details, "Flattened record (pitstop-flat=): it still covers every address of the includes it came from.")
	}
	facts["flattened_stale"] = len(stale)
}

// spfAuthorisation evaluates SPF for the SMTP host's addresses with
// blitiri.com.ar/go/spf through the same resolver, and returns a phrase for
// the summary.
//
// It records smtp_host_authorised in facts when it could tell.
func (c *checker) spfAuthorisation(ctx context.Context, f *check.Findings, details *[]string, facts map[string]any) string {
	if c.smtpHost == "" {
		*details = append(*details, "smtp.host is not set, so Pitstop did not check whether your mail server is authorised.")
		return ""
	}
	ips, err := c.hostAddrs(ctx, c.smtpHost)
	if err != nil {
		f.Add(check.Warn, nil, "Could not look up the SMTP host %s to see whether SPF authorises it (%s).", c.smtpHost, dnsWords(err))
		return ""
	}
	sender := "postmaster@" + c.name
	var denied []string
	passed := 0
	for _, ip := range ips {
		res, err := spf.CheckHostWithSender(net.IP(ip.AsSlice()), c.name, sender,
			spf.WithResolver(c.res), spf.WithContext(ctx))
		line := fmt.Sprintf("SPF for %s (smtp.host %s) sending as %s: %s", ip, c.smtpHost, c.name, res)
		if err != nil {
			line += " (" + err.Error() + ")"
		}
		*details = append(*details, line)
		switch res {
		case spf.Pass:
			passed++
		case spf.TempError:
			f.Add(check.Error, nil, "Could not evaluate SPF for %s: a DNS lookup failed on the way.", ip)
		case spf.PermError:
			// The record's own problems are already reported above.
		default:
			denied = append(denied, fmt.Sprintf("%s (%s)", ip, res))
		}
	}
	// Authorised only when SPF passes for every address; a permanent error
	// (the record's own problems, reported above) authorises nothing.
	facts["smtp_host_authorised"] = passed == len(ips)
	if len(denied) > 0 {
		f.Add(check.Warn, []string{artSPFInvalid}, "SPF does not authorise your SMTP server %s at %s. If this server hands mail to another one for delivery (Gmail, Microsoft 365, SendGrid ...), make sure that provider's include: is in the record.", c.smtpHost, strings.Join(denied, ", "))
		return ""
	}
	return check.Sentencef(" and authorises your SMTP server %s", c.smtpHost)
}

// hostAddrs resolves a host through the checker's resolver (IP literals as is).
func (c *checker) hostAddrs(ctx context.Context, host string) ([]netip.Addr, error) {
	if a, err := netip.ParseAddr(host); err == nil {
		return []netip.Addr{a.Unmap()}, nil
	}
	addrs, err := c.res.LookupNetIP(ctx, "ip", host)
	for i := range addrs {
		addrs[i] = addrs[i].Unmap()
	}
	return addrs, err
}

// spfWalk follows an SPF record's include tree without evaluating it, and
// counts the terms that cost a DNS lookup (include, a, mx, ptr, exists,
// redirect) and the lookups that find nothing (void), as checkdmarc does.
type spfWalk struct {
	ctx      context.Context
	res      *probe.Resolver
	path     map[string]bool // the includes being followed, to spot loops
	lookups  int
	voids    int
	walked   int
	cut      bool // a part of a runaway tree was not followed: the counts are lower bounds
	lines    []string
	problems check.Findings
}

// spfRecord is what the walk learns about one record.
type spfRecord struct {
	all      string // qualifier of the "all" term, "" when there is none
	redirect bool
}

func (w *spfWalk) line(depth int, format string, a ...any) {
	switch {
	case len(w.lines) > spfMaxLines:
		return
	case len(w.lines) == spfMaxLines:
		w.lines = append(w.lines, "  … (more terms not shown)")
		return
	}
	w.lines = append(w.lines, strings.Repeat("  ", depth+1)+fmt.Sprintf(format, a...))
}

func (w *spfWalk) syntax(domain, format string, a ...any) {
	w.problems.Add(check.Fail, []string{artSPFInvalid}, "SPF syntax error in %s: %s. Receivers treat the record as broken (permerror).", domain, fmt.Sprintf(format, a...))
}

// walk reads one record's terms, following includes and redirects.
func (w *spfWalk) walk(domain, record string, depth int) spfRecord {
	var rec spfRecord
	var redirect string
	hasAll := false
	terms := strings.Fields(record)[1:]
	for _, term := range terms {
		name, arg, isMod := splitTerm(term)
		if name == "" {
			w.syntax(domain, "%q is not a valid term", term)
			continue
		}
		if isMod {
			switch name {
			case "redirect":
				redirect = arg
			case "exp":
			default:
				if !validModifierName(name) {
					w.syntax(domain, "%q is not a valid term", term)
				}
			}
			continue
		}
		qual := "+"
		if strings.ContainsRune("+-~?", rune(name[0])) {
			qual, name = name[:1], name[1:]
		}
		switch strings.ToLower(name) {
		case "all":
			hasAll = true
			if depth == 0 {
				rec.all = qual
			}
		case "ip4", "ip6":
			if !validIPTerm(strings.ToLower(name), arg) {
				w.syntax(domain, "%q is not a valid address range", term)
			}
		case "include":
			if arg == "" {
				w.syntax(domain, "include needs a domain")
				continue
			}
			w.lookups++
			w.include(domain, "include:"+arg, arg, depth)
		case "a", "mx":
			w.lookups++
			target := domainSpec(arg, domain)
			w.addressTerm(strings.ToLower(name), term, target, depth)
		case "ptr":
			w.lookups++
			w.line(depth, "[%d] %s (ptr is deprecated and slow; receivers may ignore it)", w.lookups, term)
			w.problems.Add(check.Warn, []string{artSPFInvalid}, "The SPF record of %s uses ptr, which RFC 7208 says not to use; replace it with ip4:/ip6: ranges.", domain)
		case "exists":
			if arg == "" {
				w.syntax(domain, "exists needs a domain")
				continue
			}
			w.lookups++
			w.line(depth, "[%d] %s", w.lookups, term)
		default:
			w.syntax(domain, "unknown term %q", term)
		}
	}
	if redirect != "" {
		rec.redirect = true
		w.lookups++
		if !hasAll {
			// redirect applies only when there is no all; the target's all counts.
			sub := w.include(domain, "redirect="+redirect, redirect, depth)
			if depth == 0 {
				rec.all = sub.all
			}
		} else {
			w.line(depth, "[%d] redirect=%s (ignored: the record already has an all term)", w.lookups, redirect)
		}
	}
	return rec
}

// include follows include:target (or redirect=target); label is the term.
func (w *spfWalk) include(from, label, target string, depth int) spfRecord {
	n := w.lookups
	switch {
	case hasMacro(target):
		w.line(depth, "[%d] %s (has macros: not followed)", n, label)
		return spfRecord{}
	case w.path[strings.ToLower(target)]:
		w.line(depth, "[%d] %s (includes itself: a loop)", n, label)
		w.problems.Add(check.Fail, []string{artSPFInvalid}, "The SPF include tree of %s loops back to %s.", from, target)
		return spfRecord{}
	case depth >= spfMaxDepth || w.walked >= spfWalkLimit:
		w.line(depth, "[%d] %s (not followed: tree too large)", n, label)
		w.cut = true
		return spfRecord{}
	}
	w.walked++
	txts, err := w.res.LookupTXT(w.ctx, target)
	if err != nil && !probe.IsNotFound(err) {
		w.line(depth, "[%d] %s → lookup failed (%s)", n, label, dnsWords(err))
		w.problems.Add(check.Error, nil, "Could not test: looking up %s, which the SPF record includes, failed (%s).", target, dnsWords(err))
		return spfRecord{}
	}
	if len(txts) == 0 {
		w.voids++
		w.line(depth, "[%d] %s → no such record (void lookup %d)", n, label, w.voids)
		w.problems.Add(check.Fail, []string{artSPFInvalid}, "%s includes %s, which has no SPF record: receivers treat this as a permanent error.", from, target)
		return spfRecord{}
	}
	recs := spfRecords(txts)
	switch len(recs) {
	case 0:
		w.line(depth, "[%d] %s → no v=spf1 record", n, label)
		w.problems.Add(check.Fail, []string{artSPFInvalid}, "%s includes %s, which has no SPF record: receivers treat this as a permanent error.", from, target)
		return spfRecord{}
	case 1:
		w.line(depth, "[%d] %s → %s", n, label, quote(recs[0]))
		w.path[strings.ToLower(target)] = true
		defer delete(w.path, strings.ToLower(target))
		return w.walk(target, recs[0], depth+1)
	}
	w.line(depth, "[%d] %s → %d SPF records", n, label, len(recs))
	w.problems.Add(check.Fail, []string{artSPFInvalid}, "%s includes %s, which has %d SPF records (there must be one).", from, target, len(recs))
	return spfRecord{}
}

// addressTerm looks up the target of an a or mx term, counting void lookups.
func (w *spfWalk) addressTerm(kind, term, target string, depth int) {
	n := w.lookups
	if hasMacro(target) {
		w.line(depth, "[%d] %s (has macros: not looked up)", n, term)
		return
	}
	if n > spfMaxQueries {
		w.line(depth, "[%d] %s (not looked up: far past the limit)", n, term)
		w.cut = true
		return
	}
	var found int
	var err error
	if kind == "a" {
		var addrs []net.IPAddr
		addrs, err = w.res.LookupIPAddr(w.ctx, target)
		found = len(addrs)
	} else {
		var mxs []*net.MX
		mxs, err = w.res.LookupMX(w.ctx, target)
		found = len(mxs)
		if found > 10 {
			w.problems.Add(check.Fail, []string{artSPFLookups}, "The mx term for %s finds %d mail servers; SPF allows at most 10.", target, found)
		}
	}
	switch {
	case err != nil && !probe.IsNotFound(err):
		w.line(depth, "[%d] %s → lookup failed (%s)", n, term, dnsWords(err))
	case found == 0:
		w.voids++
		w.line(depth, "[%d] %s → nothing found (void lookup %d)", n, term, w.voids)
	default:
		w.line(depth, "[%d] %s → %d found", n, term, found)
	}
}

// splitTerm splits an SPF term into its name and argument, and says whether
// it is a modifier (name=value).
func splitTerm(term string) (name, arg string, modifier bool) {
	if i := strings.IndexAny(term, ":=/"); i >= 0 {
		if term[i] == '=' {
			return strings.ToLower(term[:i]), term[i+1:], true
		}
		if term[i] == ':' {
			return term[:i], term[i+1:], false
		}
		return term[:i], term[i:], false
	}
	return term, "", false
}

// domainSpec returns the domain an a/mx term looks up: its argument without
// the CIDR lengths, or the current domain.
func domainSpec(arg, domain string) string {
	if i := strings.IndexByte(arg, '/'); i >= 0 {
		arg = arg[:i]
	}
	if arg == "" {
		return domain
	}
	return arg
}

func validModifierName(name string) bool {
	if name == "" || !isAlpha(name[0]) {
		return false
	}
	for i := 1; i < len(name); i++ {
		if !isAlpha(name[i]) && (name[i] < '0' || name[i] > '9') && !strings.ContainsRune("-_.", rune(name[i])) {
			return false
		}
	}
	return true
}

func isAlpha(b byte) bool { return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') }

func validIPTerm(kind, arg string) bool {
	addr, bits, hasBits := strings.Cut(arg, "/")
	a, err := netip.ParseAddr(addr)
	if err != nil || (kind == "ip4") != a.Is4() {
		return false
	}
	if !hasBits {
		return true
	}
	n, err := strconv.Atoi(bits)
	return err == nil && n >= 0 && n <= a.BitLen()
}

func hasMacro(s string) bool { return strings.Contains(s, "%{") }

// quote shows a DNS text in quotes, cut if very long.
func quote(s string) string {
	var door *config.Scrubber // DNS holds no loaded secret; the door still strips and cuts before quoting
	return door.UntrustedQuoted(s, 1000)
}
