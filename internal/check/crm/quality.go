package crm

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strings"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

// Knowledge articles crm.data_quality's results point to.
const (
	artPersonalization = "content-low-personalization"
	artDuplicates      = "crm-duplicate-records"
	artReputation      = "domain-reputation"
	artDeliveryFailed  = "email-delivery-failed"
)

// Thresholds of crm.data_quality (the guides' personalisation threshold is
// 70% complete records).
const (
	minComplete   = 0.70 // fail below this share of records with every mapped field
	maxInvalid    = 0.05 // fail above this share of invalid addresses
	minFill       = 0.90 // warn when a mapped field is filled in less often
	maxDuplicates = 0.01 // warn above this share of duplicate addresses
	// sampleShare is the most of an API budget's remaining requests the
	// sample may spend.
	sampleShare = 0.10
)

// page is one list page as a provider read it.
type page struct {
	ex      exchange
	shown   string // the request as evidence shows it (readable, no cursor)
	records []rawRecord
	next    string // the cursor of the next page; "" at the end
	bad     string // why the page could not be read; "" when it could
}

// sampling is how the sample went.
type sampling struct {
	requested int
	calls     int
	first     string   // the first request and its answer, as evidence
	budgets   []budget // the budgets last reported
	stop      string   // why the sample ended before it was full; "" when it did not
	failed    bool     // the stop was the CRM's doing, not Pitstop's budget rule
	ranOut    bool     // the CRM had no more records to give
}

// dataQuality reads up to crm.sample_size records of the object, asking
// only for the mapped fields, and measures what personalisation will find:
// empty fields, invalid and duplicate addresses, names and phone numbers
// written inconsistently.
func dataQuality(ctx context.Context, p provider, cfg config.CRMConfig) check.Result {
	name := p.label()
	n := cfg.Sample()
	switch {
	case n == 0:
		return check.Skipf("crm.sample_size is 0, so Pitstop does not read any %s records.", name)
	case len(cfg.FieldMapping) == 0:
		return check.Skipf("crm.field_mapping is empty, so there are no fields to measure in %s's records.", name)
	}
	s, bad := p.schema(ctx)
	if bad != nil {
		return *bad
	}
	fields, left := sampleFields(cfg, s)
	if len(fields) == 0 {
		return check.Skipf("None of the mapped fields exist on %s %s (crm.field_mapping says which), so there is nothing to measure.", name, s.object).
			With(left...).Explain(artFieldMapping)
	}
	if r, unsupported := p.cannotList(); unsupported {
		return r
	}
	t := newTally(fields, n)
	sm, failed := sampleRecords(ctx, p, fields, n, t)
	if failed != nil {
		return *failed
	}
	return qualityResult(name, s.object, t, sm, left, p.listNotes())
}

// sampleFields are the mapped fields that exist on the object, each once,
// spelled as the CRM spells them; left explains the ones left out.
func sampleFields(cfg config.CRMConfig, s *schema) (fields []sampleField, left []string) {
	sources := make([]string, 0, len(cfg.FieldMapping))
	for src := range cfg.FieldMapping {
		sources = append(sources, src)
	}
	sort.Strings(sources)
	seen := map[string]bool{}
	for _, src := range sources {
		target := strings.TrimSpace(cfg.FieldMapping[src])
		f, _, ok := s.find(target)
		if !ok {
			left = append(left, fmt.Sprintf("%s → %s is not a field of %s (crm.field_mapping checks it), so the sample leaves it out", src, target, s.object))
			continue
		}
		if seen[f.name] {
			continue
		}
		seen[f.name] = true
		fields = append(fields, sampleField{name: f.name, label: f.label, role: roleOf(src, f)})
	}
	// The address field first among equals: the one mapped from "email".
	for i, f := range fields {
		if f.role == roleEmail {
			if normalize(f.name) == "email" {
				fields[0], fields[i] = fields[i], fields[0]
				break
			}
		}
	}
	return fields, left
}

// sampleRecords pages through the object until the sample is full, the CRM
// has no more, a budget rule says stop, or a page goes wrong. It returns a
// finished result instead when nothing could be read at all.
func sampleRecords(ctx context.Context, p provider, fields []sampleField, n int, t *tally) (sampling, *check.Result) {
	name := p.label()
	sm := sampling{requested: n}
	start, err := p.startBudgets(ctx)
	if err != nil {
		r := cancelled(err)
		return sm, &r
	}
	sm.budgets = start
	if low := lowestBudget(start); low != nil && low.fraction() < lowBudget {
		r := check.Skipf("Not sampled: only %s of %s's %s is left (%d of %d), and Pitstop leaves it for your syncs.",
			pct(low.fraction()), name, low.name, low.remaining, low.limit).With(budgetLines(start)...).Explain(artRateLimit)
		return sm, &r
	}
	maxCalls, capping := callCap(start)
	if maxCalls == 0 {
		r := check.Skipf("Not sampled: %s's %s has only %d requests left, and Pitstop leaves them for your syncs.", name, capping.name, capping.remaining).
			With(budgetLines(start)...).Explain(artRateLimit)
		return sm, &r
	}
	// A CRM may send smaller pages than asked, but not without end.
	maxPages := (n+p.pageFloor()-1)/p.pageFloor() + 2
	// Requests end a little before the check's deadline, so that what was
	// read is still reported rather than lost to the runner's timeout.
	rctx := ctx
	if dl, ok := ctx.Deadline(); ok {
		margin := min(1500*time.Millisecond, time.Until(dl)/4)
		var cancel context.CancelFunc
		rctx, cancel = context.WithDeadline(ctx, dl.Add(-margin))
		defer cancel()
	}
	stop := func(reason string, failed bool) { sm.stop, sm.failed = reason, failed }
	cursor := p.firstCursor()
	seen := map[string]bool{cursor: true}
	for t.n < n {
		switch {
		case ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled):
			r := cancelled(ctx.Err())
			return sm, &r
		case rctx.Err() != nil:
			stop(check.Sentencef("the time limit was near, so Pitstop stopped reading"), true)
		case sm.calls >= maxPages:
			stop(check.Sentencef("%s sent far fewer records per page than asked, so Pitstop stopped after %d requests", name, sm.calls), true)
		case maxCalls > 0 && sm.calls >= maxCalls:
			stop(check.Sentencef("Pitstop spends no more than a tenth of what is left of %s's %s", name, capping.name), false)
		}
		if sm.stop != "" {
			break
		}
		pg := p.listPage(rctx, fields, cursor, n-t.n)
		sm.calls++
		if sm.calls == 1 {
			shown := pg.ex
			shown.path = pg.shown
			sm.first = shown.line()
		}
		if pg.ex.header != nil {
			if bs := p.headerBudgets(pg.ex.header); len(bs) > 0 {
				sm.budgets = bs
			}
		}
		if !pg.ex.ok() {
			if ctx.Err() != nil && errors.Is(ctx.Err(), context.Canceled) {
				r := cancelled(ctx.Err())
				return sm, &r
			}
			if t.n == 0 {
				r := unexpected(name, pg.ex)
				return sm, &r
			}
			switch {
			case pg.ex.status == http.StatusTooManyRequests:
				stop(check.Sentencef("%s refused more requests (429: its rate limit was reached)", name), true)
			case pg.ex.err != nil || pg.ex.status >= 500:
				stop(check.Sentencef("%s stopped answering", name), true)
			default:
				stop(check.Sentencef("%s answered %d %s to the next page", name, pg.ex.status, http.StatusText(pg.ex.status)), true)
			}
			break
		}
		if pg.bad != "" {
			if t.n == 0 {
				r := check.Errorf("Could not test: no record could be read, because %s.", pg.bad).With(pg.ex.line()).Explain(artIntegration)
				return sm, &r
			}
			stop(pg.bad, true)
			break
		}
		got := len(pg.records)
		for _, r := range pg.records {
			if t.n >= n {
				break
			}
			t.add(r)
		}
		pg.records = nil // the page's values go now that they are counted
		switch {
		case pg.next == "":
			sm.ranOut = t.n < n
		case t.n >= n:
		case got == 0:
			stop(check.Sentencef("%s sent an empty page but said more would follow", name), true)
		case seen[pg.next]:
			stop(check.Sentencef("%s sent the same page twice", name), true)
		}
		if pg.next == "" || sm.stop != "" {
			break
		}
		seen[pg.next] = true
		cursor = pg.next
		if t.n < n {
			if low := lowestBudget(sm.budgets); low != nil && low.fraction() < lowBudget {
				stop(check.Sentencef("only %s of %s's %s is left, so Pitstop stopped to leave it for your syncs", pct(low.fraction()), name, low.name), false)
				break
			}
			if more, _ := callCap(sm.budgets); more >= 0 && (maxCalls < 0 || sm.calls+more < maxCalls) {
				maxCalls = sm.calls + more
			}
		}
	}
	return sm, nil
}

// callCap is the most requests the sample may make: a tenth of the
// smallest remaining budget, and the budget that sets it; -1 when no budget
// is known. A per-second rate is left out: it refills before a sample of a
// few pages could use it up.
func callCap(bs []budget) (int, budget) {
	limit, by := -1, budget{}
	for _, b := range bs {
		if b.perSecond {
			continue
		}
		c := int(math.Floor(float64(b.remaining) * sampleShare))
		if limit < 0 || c < limit {
			limit, by = c, b
		}
	}
	return limit, by
}

// ratio is part/whole, 0 for an empty whole.
func ratio(part, whole int) float64 {
	if whole == 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

// qualityResult judges a sample and says what it means for the emails.
func qualityResult(name, object string, t *tally, sm sampling, left, notes []string) check.Result {
	n := t.n
	tail := ""
	if sm.stop != "" {
		tail = check.Sentencef(" Sampled %d of the requested %d: %s.", n, sm.requested, sm.stop)
	}
	details := sampleLines(object, t, sm)
	details = append(details, left...)
	details = append(details, notes...)
	if sm.first != "" {
		details = append(details, sm.first)
	}
	details = append(details, budgetLines(sm.budgets)...)
	details = append(details, "record values were counted in memory and dropped; only record IDs are shown")
	if n == 0 {
		if sm.stop != "" && sm.failed {
			return check.Errorf("Could not test: no record could be read, because %s.", sm.stop).With(details...).Explain(artUnavailable)
		}
		if sm.stop != "" {
			return check.Skipf("No record was sampled, because %s.", sm.stop).With(details...).Explain(artRateLimit)
		}
		return check.Skipf("%s has no %s yet, so there is nothing to measure.", name, object).With(details...)
	}

	complete := ratio(t.complete, n)
	worst := -1
	for i := range t.fields {
		if worst < 0 || t.per[i].filled < t.per[worst].filled {
			worst = i
		}
	}
	worstFill := ratio(t.per[worst].filled, n)
	invalid, dups := ratio(t.invalid.n, t.addresses), ratio(t.dups.n, t.addresses)
	gap := gapClause(t, worst)

	var r check.Result
	switch {
	case complete < minComplete:
		r = check.Failf("Only %s of the %d contacts sampled have every mapped field filled in, below the 70%% that personalisation needs; %s.%s",
			pct(complete), n, gap, tail).Explain(artPersonalization, artFieldMapping)
	case invalid > maxInvalid:
		r = check.Failf("%d of the %d email addresses sampled (%s) are not valid: those contacts cannot be emailed, and the bounces hurt your sender reputation.%s",
			t.invalid.n, t.addresses, pct(invalid), tail).Explain(artReputation, artDeliveryFailed)
	case worstFill < minFill:
		r = check.Warnf("Most contacts sampled are complete, but %s.%s", gap, tail).Explain(artPersonalization, artFieldMapping)
	case dups > maxDuplicates:
		r = check.Warnf("%d of the %d contacts sampled share an email address with one sampled before them (%s of the addresses): those people may get the same email twice.%s",
			t.dups.n, n, pct(dups), tail).Explain(artDuplicates)
	case sm.failed:
		r = check.Warnf("The %d contacts sampled look ready for personalisation, but the sample is incomplete.%s", n, tail).Explain(artUnavailable)
	case t.email < 0:
		r = check.Passf("The %d contacts sampled are ready for personalisation: %s have every mapped field filled in.%s", n, pct(complete), tail)
	default:
		r = check.Passf("The %d contacts sampled are ready for personalisation: %s have every mapped field filled in, with %d invalid and %d duplicate email addresses.%s",
			n, pct(complete), t.invalid.n, t.dups.n, tail)
	}
	r = r.With(details...)
	r = r.WithFact("records_sampled", n).WithFact("records_requested", sm.requested).WithFact("list_calls", sm.calls).
		WithFact("complete_ratio", complete)
	if t.email >= 0 {
		r = r.WithFact("duplicate_emails", t.dups.n).WithFact("invalid_emails", t.invalid.n)
	}
	for i, f := range t.fields {
		r = r.WithFact("fill_ratio."+f.name, ratio(t.per[i].filled, n))
	}
	return r
}

// gapClause says in plain words what the emptiest field means for the
// emails: "a third of your contacts have no First Name: those emails will
// open with a generic greeting".
func gapClause(t *tally, worst int) string {
	f := t.fields[worst]
	missing := t.n - t.per[worst].filled
	if ratio(t.per[worst].filled, t.n) >= minFill {
		short := 0
		for i := range t.fields {
			if t.per[i].filled < t.n {
				short++
			}
		}
		return check.Sentencef("the gaps are spread over %d fields, each mostly filled in", short)
	}
	var what string
	switch f.role {
	case roleName:
		what = check.Sentencef("those emails will open with a generic greeting")
	case roleEmail:
		what = check.Sentencef("they cannot be emailed at all")
	case roleCompany:
		what = check.Sentencef("those emails cannot mention their company")
	case rolePhone:
		what = check.Sentencef("calls and text messages cannot reach them")
	default:
		what = check.Sentencef("personalisation falls back to defaults for them")
	}
	label := f.label
	if label == "" {
		label = f.name
	}
	return check.Sentencef("%s have no %s: %s", shareWords(missing, t.n), label, what)
}

// shareWords says a share of the contacts the way people do: "a third of
// your contacts", "half of your contacts", "12% of your contacts".
func shareWords(part, whole int) string {
	r := ratio(part, whole)
	near := func(x float64) bool { return math.Abs(r-x) <= min(0.02, x/10) }
	switch {
	case part == whole:
		return check.Sentencef("all of your contacts")
	case near(3.0 / 4):
		return check.Sentencef("three quarters of your contacts")
	case near(2.0 / 3):
		return check.Sentencef("two thirds of your contacts")
	case near(1.0 / 2):
		return check.Sentencef("half of your contacts")
	case near(1.0 / 3):
		return check.Sentencef("a third of your contacts")
	case near(1.0 / 4):
		return check.Sentencef("a quarter of your contacts")
	case near(1.0 / 5):
		return check.Sentencef("a fifth of your contacts")
	case near(1.0 / 10):
		return check.Sentencef("one in ten of your contacts")
	}
	return check.Sentencef("%s of your contacts", pct(r))
}

// sampleLines are the evidence of a sample: what was read, each field's
// fill, and every problem with up to maxIDs record IDs.
func sampleLines(object string, t *tally, sm sampling) []string {
	n := t.n
	head := fmt.Sprintf("sampled %d of the requested %d %s in %d list requests (read-only)", n, sm.requested, object, sm.calls)
	switch {
	case sm.stop != "":
		head += "; stopped early: " + sm.stop
	case sm.ranOut:
		head += fmt.Sprintf("; that is every record the CRM returned")
	}
	out := []string{head}
	if n == 0 {
		return out
	}
	for i, f := range t.fields {
		ft := t.per[i]
		line := fmt.Sprintf("filled in: %s %d of %d (%s)", f.display(), ft.filled, n, pct(ratio(ft.filled, n)))
		if ft.empty.n > 0 {
			line += "; empty in " + idLine(ft.empty)
		}
		out = append(out, line)
	}
	out = append(out, fmt.Sprintf("complete (every mapped field filled in): %d of %d (%s)", t.complete, n, pct(ratio(t.complete, n))))
	if t.email >= 0 {
		f := t.fields[t.email]
		out = append(out, fmt.Sprintf("email addresses in %s: %d; invalid: %d (%s)%s; duplicates: %d (%s)%s",
			f.name, t.addresses, t.invalid.n, pct(ratio(t.invalid.n, t.addresses)), idSuffix(t.invalid),
			t.dups.n, pct(ratio(t.dups.n, t.addresses)), idSuffix(t.dups)))
	} else {
		out = append(out, "no mapped field holds email addresses, so addresses were not judged")
	}
	for i, f := range t.fields {
		ft := t.per[i]
		if ft.upper.n > 0 {
			out = append(out, fmt.Sprintf("format: %s written in capitals only: %d%s", f.display(), ft.upper.n, idSuffix(ft.upper)))
		}
		if ft.lower.n > 0 {
			out = append(out, fmt.Sprintf("format: %s written in lower case only: %d%s", f.display(), ft.lower.n, idSuffix(ft.lower)))
		}
		if f.role == rolePhone {
			if l := phoneLine(f, ft); l != "" {
				out = append(out, l)
			}
		}
	}
	if t.unreadable.n > 0 {
		out = append(out, fmt.Sprintf("values of a type no field holds (counted as empty): %d%s", t.unreadable.n, idSuffix(t.unreadable)))
	}
	return out
}

// phoneLine describes mixed phone formats, most common first, with IDs of
// records in the less common ones; "" when every number is written one way.
func phoneLine(f sampleField, ft fieldTally) string {
	type style struct {
		s phoneStyle
		l idList
	}
	var used []style
	for s := range numStyles {
		if ft.styles[s].n > 0 {
			used = append(used, style{s, ft.styles[s]})
		}
	}
	if len(used) < 2 {
		return ""
	}
	sort.SliceStable(used, func(i, j int) bool { return used[i].l.n > used[j].l.n })
	var parts []string
	var odd idList
	for i, u := range used {
		parts = append(parts, fmt.Sprintf("%d %s", u.l.n, u.s))
		if i > 0 {
			odd.n += u.l.n
			for _, id := range u.l.ids {
				if len(odd.ids) < maxIDs {
					odd.ids = append(odd.ids, id)
				}
			}
		}
	}
	return fmt.Sprintf("format: %s is written %d ways: %s; one format (international, +country code) is safest for dialers and text messages; not in the most common format: %s",
		f.display(), len(used), strings.Join(parts, ", "), idLine(odd))
}

func idSuffix(l idList) string {
	if l.n == 0 {
		return ""
	}
	return " in " + idLine(l)
}

// idLine lists a problem's record IDs: "records 151, 152 and 3 more".
func idLine(l idList) string {
	word := "records"
	if l.n == 1 {
		word = "record"
	}
	s := word + " " + strings.Join(l.ids, ", ")
	if more := l.n - len(l.ids); more > 0 {
		s += fmt.Sprintf(" and %d more", more)
	}
	return s
}
