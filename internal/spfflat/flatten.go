// Package spfflat flattens an SPF record: it works out, with exact IP-set
// arithmetic, which addresses a record's include tree authorises today, so a
// record over the 10-lookup limit can be rewritten to authorise exactly the
// same addresses, and a record flattened earlier can be checked against the
// tree it came from.
package spfflat

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/netip"
	"slices"
	"sort"
	"strconv"
	"strings"

	"go4.org/netipx"
)

// LookupLimit is RFC 7208's limit on DNS-querying terms (section 4.6.4).
const LookupLimit = 10

// FlatModifier names the includes a flattened record wrote out as address
// ranges ("pitstop-flat=esp.example.net,crm.example.com"). Receivers ignore
// unknown modifiers (RFC 7208 section 6); Pitstop reads it to tell when a
// provider's addresses moved and the record must be made again.
const FlatModifier = "pitstop-flat"

// spfMaxDepth bounds include and redirect chains while flattening.
const spfMaxDepth = 10

// Resolver is what flattening needs from DNS: the same three lookups an
// SPF evaluator makes for ip-based terms.
type Resolver interface {
	LookupTXT(ctx context.Context, name string) ([]string, error)
	LookupMX(ctx context.Context, name string) ([]*net.MX, error)
	LookupIPAddr(ctx context.Context, host string) ([]net.IPAddr, error)
}

// ErrNotCertain means a record holds a term whose addresses cannot be known
// ahead of a message (ptr, exists, macros, a lookup that failed), so no
// flattened record can be promised to authorise exactly the same servers.
var ErrNotCertain = errors.New("not certain")

// Flat is a proposed SPF record with the same authorised addresses as the
// published one, within the lookup limit.
type Flat struct {
	Record  string   // the whole TXT value, "v=spf1 ... ~all"
	Lookups int      // DNS-querying terms the new record needs (at most 10)
	Before  int      // lookups the published record needs
	Kept    []string // include/a/mx terms kept as they are (they follow the provider's changes)
	Inlined []string // terms replaced by the addresses they authorise today
}

// spfTerm is one mechanism of a record, with what it matches today.
type spfTerm struct {
	qualifier byte   // '+', '-', '~', '?'
	text      string // the term as written, qualifier left out ("include:_spf.example.net")
	kind      string // all, include, a, mx, ip4, ip6
	set       *netipx.IPSet
	cost      int // DNS lookups if kept as written (including its subtree)
}

type spfRecord struct {
	terms    []spfTerm
	all      byte // qualifier of "all", 0 when absent
	redirect string
	lookups  int // lookups of the whole record as published
}

type flattener struct {
	ctx  context.Context
	res  Resolver
	seen map[string]bool
}

// Flatten proposes a record for domain that authorises exactly the
// addresses its published SPF record (published, the TXT value) authorises
// today, with at most 10 lookups: include, a and mx terms are kept while the
// budget allows (cheapest first) and the rest are replaced by the ip4:/ip6:
// ranges they stand for; a redirect= is followed and inlined. The qualifier
// of "all" is kept. It returns ErrNotCertain (wrapped) when the record holds
// ptr, exists, macros or a lookup fails.
func Flatten(ctx context.Context, res Resolver, domain, published string) (Flat, error) {
	f := &flattener{ctx: ctx, res: res, seen: map[string]bool{}}
	rec, err := f.parse(domain, published, 0)
	if err != nil {
		return Flat{}, err
	}
	// A redirect applies only when no "all" ends the record: inline the
	// target's terms (and its own "all") after the record's own.
	terms, all := rec.terms, rec.all
	for target, depth := rec.redirect, 0; all == 0 && target != ""; depth++ {
		if depth > spfMaxDepth {
			return Flat{}, fmt.Errorf("redirect chain is too long: %w", ErrNotCertain)
		}
		next, err := f.lookup(target, depth+1)
		if err != nil {
			return Flat{}, err
		}
		terms = append(append([]spfTerm(nil), terms...), next.terms...)
		all, target = next.all, next.redirect
	}
	if all == '+' {
		return Flat{}, fmt.Errorf("the record ends in +all, which authorises every address: %w", ErrNotCertain)
	}

	// Keep the cheapest DNS terms while they fit; includes first among equals,
	// since they follow a provider's own changes.
	keep := map[int]bool{}
	var order []int
	for i, t := range terms {
		if t.cost > 0 {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool {
		ta, tb := terms[order[a]], terms[order[b]]
		if ta.cost != tb.cost {
			return ta.cost < tb.cost
		}
		return ta.kind == "include" && tb.kind != "include"
	})
	budget := LookupLimit
	for _, i := range order {
		if terms[i].cost <= budget {
			keep[i] = true
			budget -= terms[i].cost
		}
	}

	out := Flat{Before: rec.lookups, Lookups: LookupLimit - budget}
	parts := []string{"v=spf1"}
	var matched netipx.IPSetBuilder // what written-out ranges match so far
	var pending netipx.IPSetBuilder // consecutive inlined terms with one qualifier
	var pendingQ byte
	flush := func() {
		if pendingQ == 0 {
			return
		}
		set, _ := pending.IPSet()
		for _, p := range set.Prefixes() {
			parts = append(parts, qualified(pendingQ, ipTerm(p)))
		}
		pending = netipx.IPSetBuilder{}
		pendingQ = 0
	}
	var spans []string // "name/start/count" of each include written out
	for i, t := range terms {
		if keep[i] {
			flush()
			parts = append(parts, qualified(t.qualifier, t.text))
			out.Kept = append(out.Kept, t.text)
			continue
		}
		// Addresses an earlier written-out range already matched never reach
		// this one. (Kept terms are left out of that: what they match may
		// change with the provider.)
		already, _ := matched.IPSet()
		var b netipx.IPSetBuilder
		b.AddSet(t.set)
		b.RemoveSet(already)
		s, _ := b.IPSet()
		matched.AddSet(t.set)
		if t.kind == "include" {
			// An include's ranges stand alone where the include stood, and
			// the modifier says where, so the record can be turned back
			// into its source (Source) when the provider moves.
			flush()
			at := len(parts) - 1
			for _, p := range s.Prefixes() {
				parts = append(parts, qualified(t.qualifier, ipTerm(p)))
			}
			span := strings.TrimPrefix(strings.ToLower(t.text), "include:")
			if t.qualifier != '+' {
				span = string(t.qualifier) + span
			}
			spans = append(spans, fmt.Sprintf("%s/%d/%d", span, at, len(parts)-1-at))
			out.Inlined = append(out.Inlined, t.text)
			continue
		}
		if pendingQ != 0 && pendingQ != t.qualifier {
			flush()
		}
		pendingQ = t.qualifier
		pending.AddSet(s)
		if t.cost > 0 {
			out.Inlined = append(out.Inlined, t.text)
		}
	}
	flush()
	if all != 0 {
		parts = append(parts, qualified(all, "all"))
	}
	if len(spans) > 0 {
		parts = append(parts, FlatModifier+"="+strings.Join(spans, ","))
	}
	out.Record = strings.Join(parts, " ")
	return out, nil
}

// Stale returns, for a record Flatten made (it names the includes it wrote
// out in its pitstop-flat= modifier), the includes that authorise today an
// address the record does not: the provider moved, and mail from its new
// addresses fails SPF until the record is made again. A record without the
// modifier is never stale.
func Stale(ctx context.Context, res Resolver, domain, record string) ([]string, error) {
	var from []string
	for _, sp := range flatSpans(record) {
		if !slices.Contains(from, sp.name) {
			from = append(from, sp.name)
		}
	}
	if len(from) == 0 {
		return nil, nil
	}
	f := &flattener{ctx: ctx, res: res, seen: map[string]bool{}}
	rec, err := f.parse(domain, record, 0)
	if err != nil {
		return nil, err
	}
	covered, err := f.passSet(rec, 0)
	if err != nil {
		return nil, err
	}
	var stale []string
	for _, target := range from {
		if target == "" {
			continue
		}
		sub, err := f.lookup(target, 1)
		if err != nil {
			return nil, err
		}
		want, err := f.passSet(sub, 1)
		if err != nil {
			return nil, err
		}
		var b netipx.IPSetBuilder
		b.AddSet(want)
		b.RemoveSet(covered)
		if missing, _ := b.IPSet(); len(missing.Prefixes()) > 0 {
			stale = append(stale, target)
		}
	}
	return stale, nil
}

func qualified(q byte, term string) string {
	if q == '+' {
		return term
	}
	return string(q) + term
}

func ipTerm(p netip.Prefix) string {
	if p.Addr().Is4() {
		if p.Bits() == 32 {
			return "ip4:" + p.Addr().String()
		}
		return "ip4:" + p.String()
	}
	if p.Bits() == 128 {
		return "ip6:" + p.Addr().String()
	}
	return "ip6:" + p.String()
}

// lookup fetches and parses the one SPF record of name.
func (f *flattener) lookup(name string, depth int) (*spfRecord, error) {
	if depth > spfMaxDepth {
		return nil, fmt.Errorf("include chain deeper than %d at %s: %w", spfMaxDepth, name, ErrNotCertain)
	}
	key := strings.ToLower(strings.TrimSuffix(name, "."))
	if f.seen[key] {
		return nil, fmt.Errorf("%s includes itself: %w", name, ErrNotCertain)
	}
	f.seen[key] = true
	defer delete(f.seen, key)
	txts, err := f.res.LookupTXT(f.ctx, name)
	if err != nil {
		return nil, fmt.Errorf("look up the SPF record of %s: %v: %w", name, err, ErrNotCertain)
	}
	var found []string
	for _, t := range txts {
		l := strings.ToLower(strings.TrimSpace(t))
		if l == "v=spf1" || strings.HasPrefix(l, "v=spf1 ") {
			found = append(found, t)
		}
	}
	if len(found) != 1 {
		return nil, fmt.Errorf("%s has %d SPF records, not one: %w", name, len(found), ErrNotCertain)
	}
	return f.parse(name, found[0], depth)
}

// parse reads a record and resolves what each term matches today.
func (f *flattener) parse(domain, record string, depth int) (*spfRecord, error) {
	fields := strings.Fields(record)
	if len(fields) == 0 || !strings.EqualFold(fields[0], "v=spf1") {
		return nil, fmt.Errorf("%q is not an SPF record: %w", record, ErrNotCertain)
	}
	rec := &spfRecord{}
	for _, field := range fields[1:] {
		if strings.Contains(field, "%") {
			return nil, fmt.Errorf("%s uses a macro (%s): %w", domain, field, ErrNotCertain)
		}
		lower := strings.ToLower(field)
		if name, value, ok := strings.Cut(lower, "="); ok && !strings.ContainsAny(name, ":/") {
			switch name {
			case "redirect":
				rec.redirect = value
				rec.lookups++
			case "exp":
				// Explanations don't change what is authorised.
			}
			continue
		}
		q := byte('+')
		if strings.ContainsRune("+-~?", rune(field[0])) {
			q, field, lower = field[0], field[1:], lower[1:]
		}
		t := spfTerm{qualifier: q, text: field}
		mech, arg, hasArg := strings.Cut(lower, ":")
		if !hasArg {
			mech, arg, _ = strings.Cut(lower, "/")
			if arg != "" {
				arg = "/" + arg
			}
		}
		var err error
		switch mech {
		case "all":
			rec.all = q
			t.kind = "all"
		case "ip4", "ip6":
			t.kind = mech
			t.set, err = ipSet(arg)
		case "include":
			t.kind = "include"
			var sub *spfRecord
			if sub, err = f.lookup(arg, depth+1); err == nil {
				t.set, err = f.passSet(sub, depth+1)
				t.cost = 1 + sub.lookups
			}
		case "a", "mx":
			t.kind = mech
			target, c4, c6, perr := hostCIDR(arg, domain)
			if perr != nil {
				return nil, perr
			}
			t.text = mech + ":" + target + cidrSuffix(c4, c6)
			t.set, err = f.hostSet(mech, target, c4, c6)
			t.cost = 1
		default:
			return nil, fmt.Errorf("%s uses %q, whose addresses can't be known ahead: %w", domain, field, ErrNotCertain)
		}
		if err != nil {
			return nil, err
		}
		if t.kind == "all" {
			// Terms after "all" are never reached.
			break
		}
		rec.lookups += t.cost
		rec.terms = append(rec.terms, t)
	}
	if rec.all != 0 {
		rec.redirect = ""
	} else if rec.redirect != "" {
		target, err := f.lookup(rec.redirect, depth+1)
		if err != nil {
			return nil, err
		}
		rec.lookups += target.lookups
	}
	return rec, nil
}

// passSet is every address for which rec evaluates to pass.
func (f *flattener) passSet(rec *spfRecord, depth int) (*netipx.IPSet, error) {
	var matched, pass netipx.IPSetBuilder
	for _, t := range rec.terms {
		if t.qualifier == '+' {
			already, _ := matched.IPSet()
			var b netipx.IPSetBuilder
			b.AddSet(t.set)
			b.RemoveSet(already)
			s, _ := b.IPSet()
			pass.AddSet(s)
		}
		matched.AddSet(t.set)
	}
	already, _ := matched.IPSet()
	switch {
	case rec.all == '+':
		var rest netipx.IPSetBuilder
		rest.AddPrefix(netip.MustParsePrefix("0.0.0.0/0"))
		rest.AddPrefix(netip.MustParsePrefix("::/0"))
		rest.RemoveSet(already)
		s, _ := rest.IPSet()
		pass.AddSet(s)
	case rec.all == 0 && rec.redirect != "":
		target, err := f.lookup(rec.redirect, depth+1)
		if err != nil {
			return nil, err
		}
		ts, err := f.passSet(target, depth+1)
		if err != nil {
			return nil, err
		}
		var b netipx.IPSetBuilder
		b.AddSet(ts)
		b.RemoveSet(already)
		s, _ := b.IPSet()
		pass.AddSet(s)
	}
	return pass.IPSet()
}

func ipSet(arg string) (*netipx.IPSet, error) {
	var b netipx.IPSetBuilder
	if strings.Contains(arg, "/") {
		p, err := netip.ParsePrefix(arg)
		if err != nil {
			return nil, fmt.Errorf("bad range %q: %w", arg, ErrNotCertain)
		}
		b.AddPrefix(p.Masked())
	} else {
		a, err := netip.ParseAddr(arg)
		if err != nil {
			return nil, fmt.Errorf("bad address %q: %w", arg, ErrNotCertain)
		}
		b.Add(a)
	}
	return b.IPSet()
}

// hostCIDR splits "example.com/24//64" (or "/24", or "") into the target
// name (the current domain when none) and its prefix lengths (-1 when absent).
func hostCIDR(arg, domain string) (string, int, int, error) {
	c4, c6 := -1, -1
	name := arg
	if i := strings.Index(arg, "//"); i >= 0 {
		n, err := strconv.Atoi(arg[i+2:])
		if err != nil || n < 0 || n > 128 {
			return "", 0, 0, fmt.Errorf("bad ip6 prefix length in %q: %w", arg, ErrNotCertain)
		}
		c6, name = n, arg[:i]
	}
	if i := strings.Index(name, "/"); i >= 0 {
		n, err := strconv.Atoi(name[i+1:])
		if err != nil || n < 0 || n > 32 {
			return "", 0, 0, fmt.Errorf("bad ip4 prefix length in %q: %w", arg, ErrNotCertain)
		}
		c4, name = n, name[:i]
	}
	if name == "" {
		name = strings.ToLower(strings.TrimSuffix(domain, "."))
	}
	return name, c4, c6, nil
}

func cidrSuffix(c4, c6 int) string {
	s := ""
	if c4 >= 0 {
		s += "/" + strconv.Itoa(c4)
	}
	if c6 >= 0 {
		s += "//" + strconv.Itoa(c6)
	}
	return s
}

// hostSet resolves an a or mx term to the ranges it matches.
func (f *flattener) hostSet(mech, target string, c4, c6 int) (*netipx.IPSet, error) {
	hosts := []string{target}
	if mech == "mx" {
		mxs, err := f.res.LookupMX(f.ctx, target)
		if err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("look up the MX of %s: %v: %w", target, err, ErrNotCertain)
		}
		hosts = hosts[:0]
		for _, mx := range mxs {
			hosts = append(hosts, strings.TrimSuffix(mx.Host, "."))
		}
	}
	var b netipx.IPSetBuilder
	for _, h := range hosts {
		addrs, err := f.res.LookupIPAddr(f.ctx, h)
		if err != nil && !isNotFound(err) {
			return nil, fmt.Errorf("look up the addresses of %s: %v: %w", h, err, ErrNotCertain)
		}
		for _, a := range addrs {
			ip, ok := netip.AddrFromSlice(a.IP)
			if !ok {
				continue
			}
			ip = ip.Unmap()
			bits := c4
			if ip.Is6() {
				bits = c6
			}
			if bits < 0 {
				b.Add(ip)
				continue
			}
			p, err := ip.Prefix(bits)
			if err != nil {
				return nil, fmt.Errorf("prefix /%d on %s: %w", bits, ip, ErrNotCertain)
			}
			b.AddPrefix(p)
		}
	}
	return b.IPSet()
}

func isNotFound(err error) bool {
	var dnsErr *net.DNSError
	return errors.As(err, &dnsErr) && dnsErr.IsNotFound
}

// flatSpan is one include a flattened record wrote out: its name and
// qualifier, and the terms (after v=spf1) its ranges took.
type flatSpan struct {
	name         string
	qualifier    byte
	start, count int
}

// flatSpans reads the pitstop-flat= modifier of a record.
func flatSpans(record string) []flatSpan {
	var out []flatSpan
	for _, field := range strings.Fields(record) {
		v, ok := strings.CutPrefix(strings.ToLower(field), FlatModifier+"=")
		if !ok {
			continue
		}
		for _, item := range strings.Split(v, ",") {
			parts := strings.Split(item, "/")
			if len(parts) != 3 || parts[0] == "" {
				continue
			}
			sp := flatSpan{name: parts[0], qualifier: '+'}
			if strings.ContainsRune("+-~?", rune(sp.name[0])) {
				sp.qualifier, sp.name = sp.name[0], sp.name[1:]
			}
			var err1, err2 error
			sp.start, err1 = strconv.Atoi(parts[1])
			sp.count, err2 = strconv.Atoi(parts[2])
			if err1 != nil || err2 != nil || sp.start < 0 || sp.count < 0 || sp.name == "" {
				continue
			}
			out = append(out, sp)
		}
	}
	return out
}

// Source turns a record Flatten made back into the record it came from: each
// include written out as ranges stands as the include again, and the
// pitstop-flat= modifier goes. ok is false for a record without the
// modifier, or one edited since so that the spans no longer fit.
func Source(record string) (string, bool) {
	fields := strings.Fields(record)
	spans := flatSpans(record)
	if len(fields) == 0 || len(spans) == 0 {
		return "", false
	}
	var terms []string
	for _, f := range fields[1:] {
		if !strings.HasPrefix(strings.ToLower(f), FlatModifier+"=") {
			terms = append(terms, f)
		}
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start > spans[j].start })
	for _, sp := range spans {
		if sp.start+sp.count > len(terms) {
			return "", false
		}
		for _, t := range terms[sp.start : sp.start+sp.count] {
			l := strings.ToLower(strings.TrimLeft(t, "+-~?"))
			if !strings.HasPrefix(l, "ip4:") && !strings.HasPrefix(l, "ip6:") {
				return "", false
			}
		}
		inc := qualified(sp.qualifier, "include:"+sp.name)
		terms = append(terms[:sp.start], append([]string{inc}, terms[sp.start+sp.count:]...)...)
	}
	return strings.Join(append([]string{fields[0]}, terms...), " "), true
}
