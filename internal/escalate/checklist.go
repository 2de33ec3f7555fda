package escalate

import (
	"encoding/json"
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"pitstop/internal/check"
)

// ChecklistFile is the checklists' file name, in the embedded knowledge tree
// and in a --kb directory.
const ChecklistFile = "checklists.yaml"

// Evidence keys: what lets Pitstop tick an item itself.
const (
	EvChecksRun       = "checks_run"
	EvErrorDetails    = "error_details"
	EvLogsCollected   = "logs_collected"
	EvReproSteps      = "repro_steps"
	EvImpactGiven     = "impact_given"
	EvTriedListed     = "tried_listed"
	EvConfigCollected = "config_collected"
	EvExpectedActual  = "expected_actual"
	EvArticlesRead    = "articles_read"
	EvDocumented      = "documented"
)

var evidenceKeys = []string{
	EvChecksRun, EvErrorDetails, EvLogsCollected, EvReproSteps, EvImpactGiven,
	EvTriedListed, EvConfigCollected, EvExpectedActual, EvArticlesRead, EvDocumented,
}

// ChecklistItem is one line of a checklist.
type ChecklistItem struct {
	ID       string `yaml:"id"`
	Label    Text   `yaml:"label"`
	Hint     Text   `yaml:"hint,omitempty"`
	Required bool   `yaml:"required,omitempty"`
	Evidence string `yaml:"evidence,omitempty"`
	// Checks settle the item from these checks' results: done when they
	// pass or warn, failing when one fails, open (with the reason) when
	// one could not test or was skipped.
	Checks []string `yaml:"checks,omitempty"`
	// Facts, with Checks, settle the item from boolean facts of those
	// results instead of their status: done when any is true, failing when
	// every one recorded is false.
	Facts []string `yaml:"facts,omitempty"`
}

// Checklist is a named list of items.
type Checklist struct {
	Name        string `yaml:"name"`
	Title       Text   `yaml:"title"`
	Description Text   `yaml:"description,omitempty"`
	// IncludeChecks makes every check that ran a required item.
	IncludeChecks bool            `yaml:"include_checks,omitempty"`
	Items         []ChecklistItem `yaml:"items"`
}

// Checklists is every checklist, in file order.
type Checklists struct {
	Lists  []Checklist `yaml:"checklists"`
	Source string      `yaml:"-"`
}

// Checklist names Pitstop's own code refers to.
const (
	ChecklistPrelaunch     = "prelaunch"
	ChecklistBeforeSupport = "before-support"
	ChecklistEscalation    = "escalation"
	ChecklistPrevention    = "prevention"
	ChecklistBulkSender    = "bulk-sender"
)

// LoadChecklists reads checklists.yaml from overlayDir when it holds one,
// else from fsys (the embedded knowledge tree). Titles, labels and hints
// are configuration in every language the file gives, not catalogue
// messages (see Text); the notes Pitstop adds to items are (escalate.cl.*).
func LoadChecklists(fsys fs.FS, overlayDir string) (*Checklists, error) {
	data, source, err := readOverlaid(fsys, overlayDir, ChecklistFile)
	if err != nil {
		return nil, err
	}
	return ParseChecklists(data, source)
}

// ParseChecklists decodes and validates checklists. source names them in errors.
func ParseChecklists(data []byte, source string) (*Checklists, error) {
	var c Checklists
	if err := decodeStrict(data, source, &c); err != nil {
		return nil, err
	}
	c.Source = source
	var errs []string
	names := map[string]bool{}
	for i, l := range c.Lists {
		if l.Name == "" {
			errs = append(errs, fmt.Sprintf("checklists[%d] has no name", i))
		}
		if names[l.Name] {
			errs = append(errs, fmt.Sprintf("checklist %q is defined twice", l.Name))
		}
		names[l.Name] = true
		ids := map[string]bool{}
		for j, it := range l.Items {
			if it.ID == "" {
				errs = append(errs, fmt.Sprintf("checklist %q item %d has no id", l.Name, j+1))
			}
			if ids[it.ID] {
				errs = append(errs, fmt.Sprintf("checklist %q has item %q twice", l.Name, it.ID))
			}
			ids[it.ID] = true
			if it.Label.In("en") == "" {
				errs = append(errs, fmt.Sprintf("checklist %q item %q has no label", l.Name, it.ID))
			}
			if it.Evidence != "" && !slices.Contains(evidenceKeys, it.Evidence) {
				errs = append(errs, fmt.Sprintf("checklist %q item %q: evidence %q is unknown; expected one of %s",
					l.Name, it.ID, it.Evidence, strings.Join(evidenceKeys, ", ")))
			}
			errs = append(errs, it.checkProblems(l.Name)...)
		}
	}
	if len(errs) > 0 {
		return nil, fmt.Errorf("%s: %s", source, strings.Join(errs, "; "))
	}
	return &c, nil
}

// Get returns the checklist with this name.
func (c *Checklists) Get(name string) (Checklist, bool) {
	for _, l := range c.Lists {
		if l.Name == name {
			return l, true
		}
	}
	return Checklist{}, false
}

// Names lists the checklist names in file order.
func (c *Checklists) Names() []string {
	out := make([]string, len(c.Lists))
	for i, l := range c.Lists {
		out[i] = l.Name
	}
	return out
}

// Evidence is what Pitstop saw, from which it ticks items itself.
type Evidence struct {
	// Results are the checks that ran.
	Results []check.Result
	// ErrorPasted: the person pasted the error they see.
	ErrorPasted bool
	// ArticlesRead are the knowledge articles the person opened.
	ArticlesRead []string
	// Suggested are articles Pitstop pointed to that were not opened.
	Suggested []string
	// ImpactGiven: the business impact questions were answered.
	ImpactGiven bool
	// ReproSteps: the person described steps to reproduce.
	ReproSteps bool
	// Symptoms: the person picked what they see from the symptom lists.
	Symptoms bool
	// ExpectedActual: expected and actual behaviour were both given.
	ExpectedActual bool
	// ConfigCollected: the redacted configuration goes with the report.
	ConfigCollected bool
	// Done are item ids the person ticked.
	Done []string
}

// ItemState is where a checklist item stands.
type ItemState int

// The item states.
const (
	Open          ItemState = iota // not done yet
	Done                           // ticked, by Pitstop or the person
	Failing                        // a check behind it failed
	NotApplicable                  // a check that was skipped: nothing to test
	Blocked                        // a check not tested because one it needs failed
)

var itemStateNames = [...]string{"open", "done", "failing", "n/a", "blocked"}

// String returns "open", "done", "failing", "n/a" or "blocked".
func (s ItemState) String() string {
	if s >= 0 && int(s) < len(itemStateNames) {
		return itemStateNames[s]
	}
	return fmt.Sprintf("state(%d)", int(s))
}

// Word is the state as the checklists say it in lang: "to do", "done",
// "failing", "not applicable", "not tested".
func (s ItemState) Word(lang string) string { return msg(lang, "cl.state."+s.String()) }

// MarshalText writes the state name (JSON).
func (s ItemState) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// FilledItem is a checklist item with its state.
type FilledItem struct {
	ID       string    `json:"id"`
	Label    string    `json:"label"`
	Hint     string    `json:"hint,omitempty"`
	Required bool      `json:"required"`
	State    ItemState `json:"state"`
	// Auto: Pitstop settled this item from evidence (or a check).
	Auto bool `json:"auto"`
	// Manual: the person may toggle this item.
	Manual bool `json:"manual"`
	// Warned: ticked because its check passed with a warning, which the
	// list still marks.
	Warned bool `json:"warned,omitempty"`
	// Note says why the item stands where it does.
	Note string `json:"note,omitempty"`
	// BlockedBy is the id of the failed check that kept a Blocked item
	// from being tested.
	BlockedBy string `json:"blocked_by,omitempty"`
}

// Filled is a checklist with every item's state.
type Filled struct {
	Name        string       `json:"name"`
	Title       string       `json:"title"`
	Description string       `json:"description,omitempty"`
	Items       []FilledItem `json:"items"`
}

// MarshalJSON adds the counts and whether the list is complete.
func (f Filled) MarshalJSON() ([]byte, error) {
	type plain Filled
	done, total := f.Counts()
	items := f.Items
	if items == nil {
		items = []FilledItem{}
	}
	p := plain(f)
	p.Items = items
	return json.Marshal(struct {
		plain
		Done     int  `json:"done"`
		Total    int  `json:"total"`
		Complete bool `json:"complete"`
	}{p, done, total, f.Complete()})
}

// Complete reports whether nothing is failing or blocked and no required
// item is open.
func (f Filled) Complete() bool {
	for _, it := range f.Items {
		if it.State == Failing || it.State == Blocked || it.Required && it.State == Open {
			return false
		}
	}
	return true
}

// Counts returns how many items are done (or not applicable) of all.
func (f Filled) Counts() (done, total int) {
	for _, it := range f.Items {
		if it.State == Done || it.State == NotApplicable {
			done++
		}
	}
	return done, len(f.Items)
}

// Blocking returns the items that keep the list from being complete.
func (f Filled) Blocking() []FilledItem {
	var out []FilledItem
	for _, it := range f.Items {
		if it.State == Failing || it.State == Blocked || it.Required && it.State == Open {
			out = append(out, it)
		}
	}
	return out
}

// Toggle flips a manual item between open and done and reports whether it could.
func (f *Filled) Toggle(id, lang string) bool {
	for i := range f.Items {
		it := &f.Items[i]
		if it.ID != id || !it.Manual {
			continue
		}
		switch it.State {
		case Open:
			it.State, it.Note = Done, msg(lang, "cl.ticked")
		case Done:
			it.State, it.Note = Open, ""
		default:
			return false
		}
		return true
	}
	return false
}

// ManualIDs lists the item ids the person may toggle.
func (f Filled) ManualIDs() []string {
	var out []string
	for _, it := range f.Items {
		if it.Manual {
			out = append(out, it.ID)
		}
	}
	return out
}

// Fill settles every item of the checklist from the evidence, in lang.
// Items Pitstop cannot settle stay open unless the person ticked them.
func (c Checklist) Fill(ev Evidence, lang string) Filled {
	f := Filled{Name: c.Name, Title: c.Title.In(lang), Description: c.Description.In(lang)}
	if c.IncludeChecks {
		if len(ev.Results) == 0 {
			f.Items = append(f.Items, FilledItem{
				ID: "checks", Label: msg(lang, "cl.no_checks"), Hint: msg(lang, "cl.no_checks_hint"),
				Required: true, State: Open, Auto: true,
			})
		}
		for _, r := range ev.Results {
			it := FilledItem{ID: r.ID, Label: checkTitle(r, lang), Required: true, Auto: true, Note: r.Summary}
			if it.Label == "" {
				it.Label = r.ID
			}
			switch r.Status {
			case check.Pass, check.Warn:
				it.State, it.Warned = Done, r.Status == check.Warn
			case check.Skip:
				it.State = NotApplicable
				if b, ok := blockedBy(r, ev.Results); ok {
					it.State, it.BlockedBy = Blocked, b.ID
					it.Note = msg(lang, "cl.blocked."+b.Status.String(), checkName(b, lang))
				}
			default:
				it.State = Failing
			}
			f.Items = append(f.Items, it)
		}
	}
	for _, item := range c.Items {
		it := FilledItem{ID: item.ID, Label: item.Label.In(lang), Hint: item.Hint.In(lang), Required: item.Required, Manual: true}
		if len(item.Checks) > 0 {
			item.settleFromChecks(&it, ev.Results, lang)
		}
		if note, ok := ev.settles(item.Evidence, lang); ok {
			it.State, it.Auto, it.Note = Done, true, note
		}
		if it.State == Open && slices.Contains(ev.Done, item.ID) {
			it.State, it.Note = Done, msg(lang, "cl.ticked")
		}
		f.Items = append(f.Items, it)
	}
	return f
}

// blockedBy returns the failed (or could-not-test) check that kept a skipped
// check from being tested: the prerequisite the runner names ("requires
// api.auth, which ended fail"), followed through prerequisites that were
// skipped themselves, or a failed check the skip's summary points to ("see
// api.auth"). A check skipped because nothing is configured has none.
func blockedBy(r check.Result, results []check.Result) (check.Result, bool) {
	if id, st, ok := check.BlockedAmong(r, results); ok && (st == check.Fail || st == check.Error) {
		for _, o := range results {
			if o.ID == id && o.ID != r.ID {
				return o, true
			}
		}
	}
	for _, o := range results {
		if (o.Status == check.Fail || o.Status == check.Error) && o.ID != r.ID && mentionsID(r.Summary, o.ID) {
			return o, true
		}
	}
	return check.Result{}, false
}

// mentionsID reports whether text names the check id as a whole word.
func mentionsID(text, id string) bool {
	word := func(b byte) bool {
		return b == '.' || b == '_' || b >= '0' && b <= '9' || b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z'
	}
	for i := 0; ; {
		j := strings.Index(text[i:], id)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(id)
		before := start == 0 || !word(text[start-1])
		after := end == len(text) || !word(text[end]) || text[end] == '.' && (end+1 == len(text) || !word(text[end+1]))
		if before && after {
			return true
		}
		i = start + 1
	}
}

// UnknownDone returns the ids in ev.Done that name no manual item of c, so a
// typo in --done is reported instead of ignored.
func (c Checklist) UnknownDone(done []string) []string {
	var out []string
	for _, id := range done {
		if !slices.ContainsFunc(c.Items, func(it ChecklistItem) bool { return it.ID == id }) {
			out = append(out, id)
		}
	}
	return out
}

// settles reports whether the evidence key is satisfied, with a note saying how.
func (ev Evidence) settles(key, lang string) (string, bool) {
	bad, detailed := 0, 0
	for _, r := range ev.Results {
		if r.Status == check.Fail || r.Status == check.Error {
			bad++
		}
		if len(r.Details) > 0 {
			detailed++
		}
	}
	switch key {
	case EvChecksRun:
		if n := len(ev.Results); n > 0 {
			return msgN(lang, "cl.checks_run", n, n), true
		}
	case EvErrorDetails:
		if ev.ErrorPasted {
			return msg(lang, "cl.error_pasted"), true
		}
		if bad > 0 && detailed > 0 {
			return msgN(lang, "cl.error_from_checks", bad, bad), true
		}
	case EvLogsCollected:
		if detailed > 0 {
			return msgN(lang, "cl.logs", detailed, detailed), true
		}
	case EvReproSteps:
		if ev.ReproSteps {
			return msg(lang, "cl.steps_given"), true
		}
		if bad > 0 {
			return msg(lang, "cl.steps_from_checks"), true
		}
	case EvImpactGiven:
		if ev.ImpactGiven {
			return msg(lang, "cl.impact"), true
		}
	case EvTriedListed:
		if len(ev.Results) > 0 || len(ev.ArticlesRead) > 0 {
			parts := []string{msgN(lang, "cl.tried_checks", len(ev.Results), len(ev.Results)), msgN(lang, "cl.articles", len(ev.ArticlesRead), len(ev.ArticlesRead))}
			if n := len(ev.Suggested); n > 0 {
				parts = append(parts, msgN(lang, "cl.tried_suggested", n, n))
			}
			return strings.Join(parts, ", "), true
		}
	case EvConfigCollected:
		if ev.ConfigCollected {
			return msg(lang, "cl.config"), true
		}
	case EvExpectedActual:
		if ev.ExpectedActual {
			return msg(lang, "cl.expected_actual"), true
		}
	case EvArticlesRead:
		if n := len(ev.ArticlesRead); n > 0 {
			return msgN(lang, "cl.articles", n, n), true
		}
		if n := len(ev.Suggested); n > 0 {
			return msgN(lang, "cl.articles_suggested", n, n), true
		}
	case EvDocumented:
		if ev.ErrorPasted || ev.Symptoms || ev.ReproSteps || ev.ExpectedActual {
			return msg(lang, "cl.documented"), true
		}
	}
	return "", false
}
