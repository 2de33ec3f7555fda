package crm

import (
	"bytes"
	"encoding/json"
	"hash/maphash"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"
)

// role is what a mapped field holds, as far as crm.data_quality cares.
type role int

const (
	roleOther   role = iota
	roleEmail        // the address the emails go to: validity and duplicates
	rolePhone        // phone numbers: their formats
	roleName         // a person's name: greetings use it, its case matters
	roleCompany      // the company: emails mention it
)

func (r role) String() string {
	return [...]string{"other", "email", "phone", "name", "company"}[r]
}

// sampleField is one mapped field crm.data_quality reads.
type sampleField struct {
	name  string // as the CRM spells it: in the request and the fact key
	label string // what people see in the CRM ("First Name")
	role  role
}

// display is the field as a person finds it in the CRM: its label, with the
// API name when they differ ("First Name (firstname)").
func (f sampleField) display() string {
	if f.label == "" || f.label == f.name {
		return f.name
	}
	return f.label + " (" + f.name + ")"
}

// rawRecord is one record as a page brought it: its ID (only when it looks
// like one, never free text) and the raw JSON of each sampled field, in the
// order of the fields. It lives until the tally has counted it.
type rawRecord struct {
	id     string
	values []json.RawMessage
}

// maxIDs is how many record IDs are listed per problem.
const maxIDs = 5

// idList counts the records with one problem and keeps the first IDs.
type idList struct {
	n   int
	ids []string
}

func (l *idList) add(id string) {
	l.n++
	if len(l.ids) < maxIDs {
		l.ids = append(l.ids, id)
	}
}

// phoneStyle is how a phone number is written.
type phoneStyle int

const (
	styleInternational phoneStyle = iota // +44 20 7946 0958, 0044…
	styleBrackets                        // (415) 555-0100
	styleDashes                          // 415-555-0100
	styleDots                            // 415.555.0100
	styleSpaces                          // 415 555 0100
	styleDigits                          // 4155550100
	styleOther                           // letters, extensions, anything else
	numStyles
)

func (s phoneStyle) String() string {
	return [...]string{"international (+…)", "with brackets", "with dashes", "with dots", "with spaces", "digits only", "with letters or other signs"}[s]
}

// fieldTally is what was counted for one field.
type fieldTally struct {
	filled int
	empty  idList
	upper  idList // names in capitals only
	lower  idList // names in lower case only
	styles [numStyles]idList
}

// tally counts a sample record by record. It keeps numbers, a few record
// IDs and a hash of each address it has seen (for duplicates), never a
// value: the records themselves are dropped as soon as they are counted.
type tally struct {
	fields []sampleField
	email  int // index of the address field in fields; -1 when none is mapped
	per    []fieldTally

	n          int
	complete   int
	addresses  int // non-empty addresses
	invalid    idList
	dups       idList
	unreadable idList // values of a type no field holds (an object for a name)

	seed maphash.Seed
	seen map[uint64]struct{}
	buf  []byte
	pick []pipedriveValue
}

// newTally starts counting a sample of about n records.
func newTally(fields []sampleField, n int) *tally {
	t := &tally{fields: fields, email: -1, per: make([]fieldTally, len(fields)),
		seed: maphash.MakeSeed(), seen: make(map[uint64]struct{}, n)}
	for i, f := range fields {
		if f.role == roleEmail {
			t.email = i
			break
		}
	}
	return t
}

// add counts one record.
func (t *tally) add(r rawRecord) {
	t.n++
	id := r.id
	if id == "" {
		id = "#" + strconv.Itoa(t.n) // its place in the sample
	}
	complete := true
	for i := range t.fields {
		var raw json.RawMessage
		if i < len(r.values) {
			raw = r.values[i]
		}
		v, ok := t.text(raw)
		ft := &t.per[i]
		switch {
		case !ok:
			t.unreadable.add(id)
			complete = false
			continue
		case len(v) == 0:
			ft.empty.add(id)
			complete = false
			continue
		}
		ft.filled++
		switch t.fields[i].role {
		case roleEmail:
			if i == t.email {
				t.judgeAddress(v, id)
			}
		case roleName:
			switch letterCase(v) {
			case caseUpper:
				ft.upper.add(id)
			case caseLower:
				ft.lower.add(id)
			}
		case rolePhone:
			ft.styles[styleOf(v)].add(id)
		}
	}
	if complete {
		t.complete++
	}
}

// judgeAddress counts an address as invalid or as a duplicate of one seen
// before, both judged trimmed and lower-cased.
func (t *tally) judgeAddress(v []byte, id string) {
	t.addresses++
	t.buf = lowerASCII(t.buf[:0], v)
	if !validAddress(t.buf) {
		t.invalid.add(id)
	}
	h := maphash.Bytes(t.seed, t.buf)
	if _, dup := t.seen[h]; dup {
		t.dups.add(id)
		return
	}
	t.seen[h] = struct{}{}
}

// lowerASCII appends v lower-cased to dst; non-ASCII text goes through
// Unicode's rules.
func lowerASCII(dst, v []byte) []byte {
	for _, c := range v {
		if c >= utf8.RuneSelf {
			return append(dst[:0], bytes.ToLower(v)...)
		}
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		dst = append(dst, c)
	}
	return dst
}

// pipedriveValue is one entry of Pipedrive's multi-value fields (email,
// phone): [{"value": "...", "primary": true, "label": "work"}].
type pipedriveValue struct {
	Value   json.RawMessage `json:"value"`
	Primary bool            `json:"primary"`
}

// text returns a field's value trimmed, and whether it is of a type a field
// holds. A missing field and null are empty; numbers and booleans count as
// filled; a list (Pipedrive's email and phone) is its primary entry, else
// its first non-empty one; an object with a "value" (a Pipedrive link to an
// organization or owner) is that value.
func (t *tally) text(raw json.RawMessage) ([]byte, bool) {
	raw = trim(raw)
	if len(raw) == 0 {
		return nil, true
	}
	switch c := raw[0]; {
	case c == '"':
		if len(raw) >= 2 && raw[len(raw)-1] == '"' && bytes.IndexByte(raw[1:len(raw)-1], '\\') < 0 {
			return trim(raw[1 : len(raw)-1]), true
		}
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return nil, false
		}
		return bytes.TrimSpace([]byte(s)), true
	case c == 'n':
		return nil, string(raw) == "null"
	case c == 't' || c == 'f' || c == '-' || ('0' <= c && c <= '9'):
		return raw, json.Valid(raw)
	case c == '[':
		t.pick = t.pick[:0]
		if json.Unmarshal(raw, &t.pick) != nil {
			var plain []json.RawMessage
			if json.Unmarshal(raw, &plain) != nil {
				return nil, false
			}
			for _, p := range plain {
				if v, ok := t.text(p); ok && len(v) > 0 {
					return v, true
				}
			}
			return nil, true
		}
		for _, p := range t.pick {
			if p.Primary {
				if v, ok := t.text(p.Value); ok && len(v) > 0 {
					return v, true
				}
			}
		}
		for _, p := range t.pick {
			if v, ok := t.text(p.Value); ok && len(v) > 0 {
				return v, true
			}
		}
		return nil, true
	case c == '{':
		var obj struct {
			Value json.RawMessage `json:"value"`
		}
		if json.Unmarshal(raw, &obj) != nil || obj.Value == nil || bytes.HasPrefix(bytes.TrimSpace(obj.Value), []byte("{")) {
			return nil, false
		}
		return t.text(obj.Value)
	}
	return nil, false
}

// trim is bytes.TrimSpace with a fast way out for the usual value that
// needs none.
func trim(b []byte) []byte {
	if len(b) == 0 || (b[0] > ' ' && b[0] < utf8.RuneSelf && b[len(b)-1] > ' ' && b[len(b)-1] < utf8.RuneSelf) {
		return b
	}
	return bytes.TrimSpace(b)
}

// validAddress judges a trimmed, lower-cased address: one @, a local part
// of allowed characters without dots at its ends or doubled, and a domain
// of at least two labels whose last is at least two letters.
// "name(at)example.com" and "ada@example" are not valid.
func validAddress(a []byte) bool {
	at := bytes.IndexByte(a, '@')
	if at <= 0 || at > 64 || len(a) > 254 || bytes.IndexByte(a[at+1:], '@') >= 0 {
		return false
	}
	local, domain := a[:at], a[at+1:]
	if local[0] == '.' || local[len(local)-1] == '.' || bytes.Contains(local, []byte("..")) {
		return false
	}
	for _, c := range local {
		if c >= utf8.RuneSelf || ('a' <= c && c <= 'z') || ('0' <= c && c <= '9') || strings.IndexByte(".!#$%&'*+/=?^_`{|}~-", c) >= 0 {
			continue
		}
		return false
	}
	dots := 0
	start := 0
	for i := 0; i <= len(domain); i++ {
		if i < len(domain) && domain[i] != '.' {
			c := domain[i]
			if c < utf8.RuneSelf && !('a' <= c && c <= 'z') && !('0' <= c && c <= '9') && c != '-' {
				return false
			}
			continue
		}
		label := domain[start:i]
		if len(label) == 0 || len(label) > 63 || label[0] == '-' || label[len(label)-1] == '-' {
			return false
		}
		if i < len(domain) {
			dots++
		}
		start = i + 1
	}
	if dots == 0 {
		return false
	}
	tld := domain[bytes.LastIndexByte(domain, '.')+1:]
	if len(tld) < 2 {
		return false
	}
	for _, c := range tld {
		if c < '0' || c > '9' {
			return true
		}
	}
	return false // an all-digit last label is an IP address, not a mail domain
}

type nameCase int

const (
	caseMixed nameCase = iota
	caseUpper
	caseLower
)

// letterCase says whether a name is written in capitals only or lower case
// only; one letter alone ("J") says nothing.
func letterCase(v []byte) nameCase {
	upper, lower, letters := false, false, 0
	for i := 0; i < len(v); {
		r, size := rune(v[i]), 1
		if r >= utf8.RuneSelf {
			r, size = utf8.DecodeRune(v[i:])
		}
		i += size
		switch {
		case unicode.IsUpper(r):
			upper = true
			letters++
		case unicode.IsLower(r):
			lower = true
			letters++
		}
	}
	switch {
	case letters < 2 || upper == lower:
		return caseMixed
	case upper:
		return caseUpper
	}
	return caseLower
}

// styleOf sorts a phone number by how it is written.
func styleOf(v []byte) phoneStyle {
	if v[0] == '+' || bytes.HasPrefix(v, []byte("00")) {
		return styleInternational
	}
	var brackets, dash, dot, space, other bool
	for _, c := range v {
		switch {
		case '0' <= c && c <= '9':
		case c == '(' || c == ')':
			brackets = true
		case c == '-':
			dash = true
		case c == '.':
			dot = true
		case c == ' ':
			space = true
		default:
			other = true
		}
	}
	switch {
	case other:
		return styleOther
	case brackets:
		return styleBrackets
	case dash:
		return styleDashes
	case dot:
		return styleDots
	case space:
		return styleSpaces
	}
	return styleDigits
}

// safeID returns a record ID fit to show: a JSON string or number made of
// letters, digits, '-' and '_' only, at most 40 long. Anything else (a
// server that put a name or an address where the ID goes) is dropped.
func safeID(raw json.RawMessage) string {
	raw = bytes.TrimSpace(raw)
	quoted := len(raw) >= 2 && raw[0] == '"' && raw[len(raw)-1] == '"'
	if quoted {
		raw = raw[1 : len(raw)-1]
	}
	if len(raw) == 0 || len(raw) > 40 {
		return ""
	}
	if !quoted { // a number: digits only
		for _, c := range raw {
			if c < '0' || c > '9' {
				return ""
			}
		}
	}
	for _, c := range raw {
		if !('a' <= c && c <= 'z') && !('A' <= c && c <= 'Z') && !('0' <= c && c <= '9') && c != '-' && c != '_' {
			return ""
		}
	}
	return string(raw)
}

// roleOf tells what a mapped field holds from its CopyCar-side name and the
// CRM's field.
func roleOf(source string, f field) role {
	name, src := normalize(f.name), normalize(source)
	label := normalize(f.label)
	has := func(words ...string) bool {
		for _, w := range words {
			if strings.Contains(name, w) || strings.Contains(src, w) || strings.Contains(label, w) {
				return true
			}
		}
		return false
	}
	switch {
	case f.kind == kindEmail || has("email") && !has("optout", "opted", "bounce", "unsubscribe"):
		return roleEmail
	case strings.Contains(strings.ToLower(f.rawType), "phone") || has("phone", "mobile"):
		return rolePhone
	case personName(name) || personName(src):
		return roleName
	case has("company", "organization", "organisation", "account", "org"):
		return roleCompany
	}
	return roleOther
}

// personName reports whether a normalized field name is a person's name.
func personName(n string) bool {
	switch n {
	case "name", "firstname", "lastname", "fullname", "givenname", "familyname", "surname", "middlename", "contactname", "personname":
		return true
	}
	return false
}
