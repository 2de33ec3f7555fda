package demo

import (
	"fmt"
	"strings"
)

// The records a sandbox CRM lists, and the faults of its list pages.

// CRM record and paging faults.
const (
	// CRMFaultDirtyData serves 600 contacts with known faults instead of
	// 240 clean ones; DirtyContact says which record has which.
	CRMFaultDirtyData = "dirty-data"
	// CRMFaultEmptyPage makes the second record page hold no records while
	// it says more follow.
	CRMFaultEmptyPage = "empty-page"
	// CRMFaultRepeatCursor makes the second record page point back at
	// itself as the next one.
	CRMFaultRepeatCursor = "repeat-cursor"
	// CRMFaultEndlessPages makes every record page hold one record and say
	// more follow, without end.
	CRMFaultEndlessPages = "endless-pages"
	// CRMFaultWrongTypes gives every 20th record of the first page an email
	// that is a number, and sends the second page's records in a shape the
	// API never uses.
	CRMFaultWrongTypes = "wrong-types"
	// CRMFaultFailHalfway answers the third record page with 503.
	CRMFaultFailHalfway = "fail-halfway"
	// CRMFaultBudgetDraining makes each record page use up a large part of
	// the API budget, so that under 10% is left after the second.
	CRMFaultBudgetDraining = "budget-draining"
	// CRMFaultSmallBudget reports a small API budget: a tenth of what is
	// left is one request (two on Salesforce).
	CRMFaultSmallBudget = "small-budget"
)

// Record set sizes.
const (
	CleanContacts = 240
	DirtyContacts = 600
)

// Contact is one sandbox CRM record, the same for every provider.
type Contact struct {
	First, Last, Email, Company, Phone string
	Score                              int // 0: empty
}

var (
	firstNames = []string{"Ottoline", "Peregrine", "Wilhelmina", "Bartholomew", "Clementine", "Evangeline", "Fitzwilliam",
		"Gwendolyn", "Hyacinth", "Ignatius", "Jessamy", "Lysander", "Marigold", "Octavius", "Rosalind", "Thaddeus", "Valentina", "Xenobia"}
	lastNames = []string{"Quillfeather", "Ravenscroft", "Thistlewood", "Underhill", "Whitlock", "Ashbourne", "Blackwood",
		"Cattermole", "Dunstable", "Fairweather", "Gravesend", "Hollowell", "Kettleburn", "Lockhart"}
	companies = []string{"Brightwater Roasters", "Copperleaf Studio", "Driftwood Analytics", "Emberline Foods",
		"Foxglove Travel", "Granite Peak Outfitters", "Harbourview Dental"}
)

// CleanContact is record i of the clean set: every field filled in, one
// phone format, unique valid addresses.
func CleanContact(i int) Contact {
	first, last := firstNames[i%len(firstNames)], lastNames[(i/len(firstNames))%len(lastNames)]
	return Contact{
		First: first, Last: last,
		Email:   fmt.Sprintf("%s.%s.%d@pitstop-crm.test", strings.ToLower(first), strings.ToLower(last), i),
		Company: companies[i%len(companies)],
		Phone:   fmt.Sprintf("+1 415 555 %04d", i),
		Score:   40 + i%60,
	}
}

// DirtyContact is record i of the dirty set, a clean record with these
// faults, by i: no first name when i%3 == 1; no company when i%10 == 7; no
// personalization score when i%25 == 3; no email when i%100 == 55; an
// invalid email when i%40 == 9 ("name(at)domain", or a domain without a
// dot); the address of record i-1 again, in capitals and with spaces around
// it, when i%50 == 21; a first name in capitals when i%30 == 5, in lower case
// when i%30 == 8; the phone written four ways, by i%4.
func DirtyContact(i int) Contact {
	c := CleanContact(i)
	if i%3 == 1 {
		c.First = ""
	}
	if i%10 == 7 {
		c.Company = ""
	}
	if i%25 == 3 {
		c.Score = 0
	}
	switch {
	case i%100 == 55:
		c.Email = ""
	case i%40 == 9 && (i/40)%2 == 0:
		c.Email = strings.Replace(c.Email, "@", "(at)", 1)
	case i%40 == 9:
		c.Email = strings.TrimSuffix(c.Email, ".test")
	case i%50 == 21:
		c.Email = "  " + strings.ToUpper(DirtyContact(i-1).Email) + " "
	}
	switch i % 30 {
	case 5:
		c.First = strings.ToUpper(c.First)
	case 8:
		c.First = strings.ToLower(c.First)
	}
	switch i % 4 {
	case 1:
		c.Phone = fmt.Sprintf("(415) 555-%04d", i)
	case 2:
		c.Phone = fmt.Sprintf("415-555-%04d", i)
	case 3:
		c.Phone = fmt.Sprintf("415555%04d", i)
	}
	return c
}

// Contacts returns the records the server lists.
func (s *CRMServer) Contacts() []Contact {
	return append([]Contact(nil), s.contacts...)
}

func (s *CRMServer) makeContacts() {
	n, gen := CleanContacts, CleanContact
	if s.faults[CRMFaultDirtyData] {
		n, gen = DirtyContacts, DirtyContact
	}
	s.contacts = make([]Contact, n)
	for i := range s.contacts {
		s.contacts[i] = gen(i)
	}
}

// PersonalData returns every name and address in the records, in the forms
// that could leak (as stored, trimmed, capitals and lower case), for tests
// that prove none reaches an output.
func (s *CRMServer) PersonalData() []string {
	seen := map[string]bool{}
	var out []string
	add := func(v string) {
		v = strings.TrimSpace(v)
		for _, f := range []string{v, strings.ToLower(v), strings.ToUpper(v)} {
			if len(f) >= 5 && !seen[f] {
				seen[f] = true
				out = append(out, f)
			}
		}
	}
	for _, c := range s.contacts {
		add(c.First)
		add(c.Last)
		add(c.Email)
		if c.First != "" {
			add(c.First + " " + c.Last)
		}
		add(c.Phone)
	}
	return out
}

// ListCalls is how many record pages the server was asked for (HubSpot's
// one-record probe without properties, which crm.auth sends, aside).
func (s *CRMServer) ListCalls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.listCalls
}

// recordPage is one page of records as the list faults shape it.
type recordPage struct {
	call  int   // which record page this is, from 1
	index []int // the records' places in the set
	next  int   // where the next page starts; -1 at the end
}

// pageMax is the most records a page holds: the provider's documented
// maximum, or CRMOptions.PageSize when smaller.
func (s *CRMServer) pageMax() int {
	max := map[string]int{CRMHubSpot: 100, CRMSalesforce: 2000, CRMPipedrive: 500}[s.Provider]
	if s.pageSize > 0 && s.pageSize < max {
		return s.pageSize
	}
	return max
}

// listPage serves the page starting at offset, at most limit records long.
func (s *CRMServer) listPage(offset, limit int) recordPage {
	s.mu.Lock()
	s.listCalls++
	call := s.listCalls
	s.mu.Unlock()
	if limit <= 0 || limit > s.pageMax() {
		limit = s.pageMax()
	}
	total := len(s.contacts)
	offset = min(max(offset, 0), total)
	pg := recordPage{call: call, next: -1}
	switch {
	case s.faults[CRMFaultEndlessPages]:
		pg.index, pg.next = []int{offset % total}, offset+1
		return pg
	case s.faults[CRMFaultEmptyPage] && call == 2:
		pg.next = offset + limit
		return pg
	}
	end := min(offset+limit, total)
	for i := offset; i < end; i++ {
		pg.index = append(pg.index, i)
	}
	if end < total {
		pg.next = end
	}
	if s.faults[CRMFaultRepeatCursor] && call == 2 && pg.next >= 0 {
		pg.next = offset
	}
	return pg
}

// failsNow reports whether this record page answers 503.
func (s *CRMServer) failsNow(pg recordPage) bool {
	return s.faults[CRMFaultFailHalfway] && pg.call == 3
}

// misshapen reports whether this record page's records come in a shape the
// API never uses.
func (s *CRMServer) misshapen(pg recordPage) bool {
	return s.faults[CRMFaultWrongTypes] && pg.call == 2
}

// numericEmail reports whether record i's email is sent as a number.
func (s *CRMServer) numericEmail(pg recordPage, i int) bool {
	return s.faults[CRMFaultWrongTypes] && pg.call == 1 && i%20 == 0
}

// budgetUsed is how many record pages have used up budget, for
// CRMFaultBudgetDraining.
func (s *CRMServer) budgetUsed() int {
	if !s.faults[CRMFaultBudgetDraining] {
		return 0
	}
	return s.ListCalls()
}
