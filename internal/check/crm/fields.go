package crm

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"pitstop/internal/check"
	"pitstop/internal/config"

	"github.com/agnivade/levenshtein"
)

// kind is what a field holds, across the three CRMs' type names.
type kind int

const (
	kindUnknown kind = iota // a type Pitstop does not judge
	kindText
	kindEmail
	kindNumber
	kindDate
	kindBool
	kindChoice // a dropdown: only listed values are accepted
	kindLink   // a reference to another record (owner, organization, account)
)

func (k kind) String() string {
	return [...]string{"other", "text", "email", "number", "date", "yes/no", "dropdown", "link to another record"}[k]
}

// field is one field of a CRM object's live schema.
type field struct {
	name     string // the API name the mapping must use
	label    string // what people see in the CRM
	rawType  string // the CRM's own type name, for evidence
	kind     kind
	readOnly bool
	why      string // why it is read-only ("calculated", "set by HubSpot")
}

// schema is an object's fields as one CRM reports them.
type schema struct {
	object string // "contacts", "Contact", "person"
	fields []field
	// caseInsensitive is true when the CRM matches API names regardless of
	// case (Salesforce).
	caseInsensitive bool
	// byLabel is true when a mapping written with a field's label should be
	// recognised and corrected (Pipedrive's custom fields have hash keys).
	byLabel bool
	// evidence is the request lines behind the schema.
	evidence []string
	// notes are shown with every field mapping result (Salesforce's
	// field-level security).
	notes []string
	// missingNote is added to the summary when a field is missing.
	missingNote string
}

// find returns the field the target names, and how it matched.
func (s *schema) find(target string) (f field, how string, ok bool) {
	for _, f := range s.fields {
		if f.name == target {
			return f, "name", true
		}
	}
	if s.caseInsensitive {
		for _, f := range s.fields {
			if strings.EqualFold(f.name, target) {
				return f, "name", true
			}
		}
	}
	if s.byLabel {
		for _, f := range s.fields {
			if strings.EqualFold(strings.TrimSpace(f.label), strings.TrimSpace(target)) {
				return f, "label", true
			}
		}
	}
	return field{}, "", false
}

// fieldMapping compares every field_mapping target with the object's live
// schema: missing targets (with the closest existing names), targets whose
// type does not fit the value, and read-only targets.
func fieldMapping(ctx context.Context, p provider, cfg config.CRMConfig) check.Result {
	if len(cfg.FieldMapping) == 0 {
		return check.Skipf("crm.field_mapping is empty, so there is nothing to compare with %s's fields.", p.label())
	}
	s, bad := p.schema(ctx)
	if bad != nil {
		return *bad
	}
	sources := make([]string, 0, len(cfg.FieldMapping))
	for src := range cfg.FieldMapping {
		sources = append(sources, src)
	}
	sort.Strings(sources)

	var missing, warnings, ok []string
	suggested := map[string]any{}
	for _, src := range sources {
		target := strings.TrimSpace(cfg.FieldMapping[src])
		if target == "" {
			missing = append(missing, check.Sentencef("%s is mapped to nothing (an empty name)", src))
			continue
		}
		f, how, found := s.find(target)
		if !found {
			sugg := suggest(target, s.fields, 3)
			missing = append(missing, missingLine(target, sugg))
			if len(sugg) == 1 && !sugg[0].readOnly && typeProblem(src, sugg[0]) == "" {
				// One close field that can hold the values: a fix may map it.
				suggested["suggested_field."+src] = sugg[0].name
			}
			continue
		}
		line := fmt.Sprintf("%s → %s (%s", src, f.name, f.rawType)
		if f.label != "" && normalize(f.label) != normalize(f.name) {
			line += fmt.Sprintf(", %q", f.label)
		}
		line += ")"
		var problems []string
		if how == "label" {
			problems = append(problems, check.Sentencef("%s is the label of field %s; the API needs the key %s", target, f.name, f.name))
			// The label names exactly one field: a fix may write its key.
			suggested["suggested_field."+src] = f.name
		}
		if msg := typeProblem(src, f); msg != "" {
			problems = append(problems, msg)
		}
		if f.readOnly {
			why := "it is read-only"
			if f.why != "" {
				why = "it is read-only (" + f.why + ")"
			}
			problems = append(problems, check.Sentencef("%s cannot be written: %s, so updates to it will be rejected or ignored", displayName(f), why))
		}
		if len(problems) == 0 {
			ok = append(ok, "ok: "+line)
			continue
		}
		warnings = append(warnings, problems...)
		ok = append(ok, "check: "+line)
	}

	where := fmt.Sprintf("%s %s", p.label(), s.object)
	details := append([]string{}, missing...)
	details = append(details, warnings...)
	details = append(details, ok...)
	details = append(details, fmt.Sprintf("%d fields on %s", len(s.fields), where))
	details = append(details, s.notes...)
	details = append(details, s.evidence...)
	total := len(sources)
	facts := map[string]any{"fields_mapped": total, "fields_missing": len(missing), "field_problems": len(warnings), "object_fields": len(s.fields)}
	for k, v := range suggested {
		facts[k] = v
	}
	switch {
	case len(missing) > 0:
		verb := "does"
		if len(missing) > 1 {
			verb = "do"
		}
		summary := check.Sentencef("%d of %d mapped fields %s not exist on %s: %s", len(missing), total, verb, where, missing[0])
		if len(missing) > 1 {
			summary += check.Sentencef(" (and %d more)", len(missing)-1)
		}
		if !strings.HasSuffix(summary, "?") {
			summary += "."
		}
		if s.missingNote != "" {
			summary += " " + s.missingNote
		}
		return check.Failf("%s", summary).With(details...).Explain(artFieldMapping, artIntegration).WithFacts(facts)
	case len(warnings) > 0:
		summary := check.Sentencef("All %d mapped fields exist on %s, but one needs attention: %s", total, where, warnings[0])
		if len(warnings) > 1 {
			summary = check.Sentencef("All %d mapped fields exist on %s, but %d need attention; first: %s", total, where, len(warnings), warnings[0])
		}
		return check.Warnf("%s.", summary).With(details...).Explain(artFieldMapping).WithFacts(facts)
	}
	return check.Passf("All %d mapped fields exist on %s and can hold their values.", total, where).With(details...).WithFacts(facts)
}

// missingLine is "pz_score not found; did you mean personalization_score?".
func missingLine(target string, sugg []field) string {
	if len(sugg) == 0 {
		return check.Sentencef("%s not found, and no field has a similar name", target)
	}
	names := make([]string, len(sugg))
	for i, f := range sugg {
		names[i] = displayName(f)
	}
	if len(names) == 1 {
		return check.Sentencef("%s not found; did you mean %s?", target, names[0])
	}
	return check.Sentencef("%s not found; did you mean %s? (or %s)", target, names[0], strings.Join(names[1:], ", "))
}

// displayName is the API name, with the label when the name alone would not
// tell a person which field it is (Pipedrive's hash keys).
func displayName(f field) string {
	if f.label == "" || normalize(f.label) == normalize(f.name) || similarity(f.label, f.name) > 0.6 {
		return f.name
	}
	return fmt.Sprintf("%s (%q)", f.name, f.label)
}

// expectedKind guesses what a CopyCar-side field holds from its name.
func expectedKind(source string) kind {
	toks := tokens(source)
	has := func(words ...string) bool {
		for _, t := range toks {
			for _, w := range words {
				if t == w {
					return true
				}
			}
		}
		return false
	}
	switch {
	case has("score", "count", "amount", "revenue", "rating", "percent", "probability"):
		return kindNumber
	case has("email", "mail"):
		return kindEmail
	case has("date", "time", "timestamp", "day", "contacted", "created", "updated", "modified") ||
		strings.HasSuffix(strings.ToLower(source), "_at"):
		return kindDate
	case has("is", "has", "opt", "optin", "opted", "consent", "unsubscribed", "subscribed", "flag"):
		return kindBool
	}
	return kindText
}

// typeProblem says why a value named source does not fit field f, or "".
func typeProblem(source string, f field) string {
	want := expectedKind(source)
	got := f.kind
	if got == kindUnknown {
		return ""
	}
	fits := map[kind][]kind{
		kindText:   {kindText, kindEmail, kindChoice},
		kindEmail:  {kindEmail, kindText},
		kindNumber: {kindNumber},
		kindDate:   {kindDate},
		kindBool:   {kindBool, kindChoice},
	}
	for _, k := range fits[want] {
		if k == got {
			return ""
		}
	}
	name := displayName(f)
	switch {
	case want == kindNumber && (got == kindText || got == kindEmail):
		return check.Sentencef("%s is a number, while %s is a %s field (%s): numbers would be stored as words, and sorting, filters and scoring rules would not treat them as numbers",
			source, name, got, f.rawType)
	case want == kindDate && got == kindText:
		return check.Sentencef("%s is a date, while %s is a %s field (%s): dates would be stored as words", source, name, got, f.rawType)
	}
	return check.Sentencef("%s holds %s values, while %s is a %s field (%s): the CRM may reject them", source, article(want), name, got, f.rawType)
}

func article(k kind) string {
	switch k {
	case kindEmail:
		return "email"
	case kindNumber:
		return "number"
	case kindDate:
		return "date"
	case kindBool:
		return "yes/no"
	}
	return "text"
}

// suggest returns up to n fields whose name or label is closest to target,
// best first, leaving out poor matches.
func suggest(target string, fields []field, n int) []field {
	type scored struct {
		f     field
		score float64
	}
	t := prepare(target)
	var sc scratch
	var all []scored
	for _, f := range fields {
		s := sc.similarity(t, prepare(f.name))
		if f.label != "" && s < 1 {
			s = max(s, sc.similarity(t, prepare(f.label)))
		}
		if s >= 0.5 {
			all = append(all, scored{f, s})
		}
	}
	sort.SliceStable(all, func(i, j int) bool {
		if all[i].score != all[j].score {
			return all[i].score > all[j].score
		}
		return all[i].f.name < all[j].f.name
	})
	var out []field
	for i := 0; i < len(all) && i < n; i++ {
		// Keep only names nearly as good as the best.
		if i > 0 && all[i].score < all[0].score-0.25 {
			break
		}
		out = append(out, all[i].f)
	}
	return out
}

// similarity scores two field names from 0 to 1: the better of their edit
// distance and a token match that knows abbreviations ("pz" for
// "personalization") and Salesforce's "__c" suffix.
func similarity(a, b string) float64 {
	var sc scratch
	return sc.similarity(prepare(a), prepare(b))
}

// prepared is a name split once for comparing against many.
type prepared struct {
	norm string
	toks []string
}

func prepare(s string) prepared {
	toks := tokens(s)
	return prepared{norm: strings.Join(toks, ""), toks: toks}
}

// scratch holds the buffer the token comparisons reuse.
type scratch struct {
	used []bool
}

func (sc *scratch) similarity(a, b prepared) float64 {
	if a.norm == "" || b.norm == "" {
		return 0
	}
	if a.norm == b.norm {
		return 1
	}
	tok := sc.tokenSimilarity(a.toks, b.toks)
	// The edit similarity cannot beat 1 - (length gap / longer length).
	la, lb := utf8.RuneCountInString(a.norm), utf8.RuneCountInString(b.norm)
	if 1-float64(max(la, lb)-min(la, lb))/float64(max(la, lb)) <= tok {
		return tok
	}
	return max(editSimilarity(a.norm, b.norm), tok)
}

// normalize lower-cases a name, drops "__c" and every separator.
func normalize(s string) string {
	return strings.Join(tokens(s), "")
}

// tokens splits a name into lower-case words on separators and camelCase
// boundaries, dropping Salesforce's custom suffix.
func tokens(s string) []string {
	s = strings.TrimSpace(s)
	if ls := strings.ToLower(s); strings.HasSuffix(ls, "__c") {
		s = s[:len(s)-3]
	}
	var out []string
	var cur []rune
	flush := func() {
		if len(cur) > 0 {
			out = append(out, strings.ToLower(string(cur)))
			cur = cur[:0]
		}
	}
	rs := []rune(s)
	for i, r := range rs {
		switch {
		case !unicode.IsLetter(r) && !unicode.IsDigit(r):
			flush()
		case unicode.IsUpper(r) && i > 0 && (unicode.IsLower(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]) && unicode.IsUpper(rs[i-1]))):
			flush()
			cur = append(cur, r)
		default:
			cur = append(cur, r)
		}
	}
	flush()
	return out
}

func (sc *scratch) tokenSimilarity(a, b []string) float64 {
	if len(a) == 0 || len(b) == 0 {
		return 0
	}
	sc.used = append(sc.used[:0], make([]bool, len(b))...)
	total := 0.0
	for _, x := range a {
		best, at := 0.0, -1
		for j, y := range b {
			if sc.used[j] {
				continue
			}
			if s := sc.tokenMatch(x, y); s > best {
				best, at = s, j
			}
		}
		if at >= 0 {
			sc.used[at] = true
			total += best
		}
	}
	return total / float64(max(len(a), len(b)))
}

func (sc *scratch) tokenMatch(x, y string) float64 {
	switch {
	case x == y:
		return 1
	case abbreviates(x, y) || abbreviates(y, x):
		return 0.8
	}
	// The length gap alone bounds the edit similarity; skip hopeless pairs.
	if lx, ly := utf8.RuneCountInString(x), utf8.RuneCountInString(y); float64(max(lx, ly)-min(lx, ly)) > 0.25*float64(max(lx, ly)) {
		return 0
	}
	if s := editSimilarity(x, y); s >= 0.75 {
		return s
	}
	return 0
}

// abbreviates reports whether short is an abbreviation of long: same first
// letter and its letters in order ("pz" for "personalization", "addr" for
// "address").
func abbreviates(short, long string) bool {
	if len(short) < 2 || len(short) >= len(long) || short[0] != long[0] {
		return false
	}
	i := 0
	for j := 0; j < len(long) && i < len(short); j++ {
		if long[j] == short[i] {
			i++
		}
	}
	return i == len(short)
}

// editSimilarity is 1 minus the edit distance over the longer length, in
// runes: 1 for equal strings, 0 for nothing in common.
func editSimilarity(a, b string) float64 {
	n := max(utf8.RuneCountInString(a), utf8.RuneCountInString(b))
	if n == 0 {
		return 1
	}
	return 1 - float64(levenshtein.ComputeDistance(a, b))/float64(n)
}
