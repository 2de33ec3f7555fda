package escalate

import (
	"fmt"
	"slices"
	"strings"

	"pitstop/internal/check"
)

// RunsChecks reports whether filling the list needs live check results:
// every check as an item (include_checks), or items settled by checks.
func (c Checklist) RunsChecks() bool {
	return c.IncludeChecks || slices.ContainsFunc(c.Items, func(it ChecklistItem) bool { return len(it.Checks) > 0 })
}

// Categories returns the check categories the items name, in order of
// first use; nil for a list that includes every check.
func (c Checklist) Categories() []string {
	if c.IncludeChecks {
		return nil
	}
	var out []string
	for _, it := range c.Items {
		for _, id := range it.Checks {
			cat, _, _ := strings.Cut(id, ".")
			if !slices.Contains(out, cat) {
				out = append(out, cat)
			}
		}
	}
	return out
}

// checkProblems validates an item's checks and facts.
func (it ChecklistItem) checkProblems(list string) []string {
	var errs []string
	for _, id := range it.Checks {
		if !slices.Contains(check.KnownIDs, id) {
			errs = append(errs, fmt.Sprintf("checklist %q item %q: check %q is not a known check id", list, it.ID, id))
		}
	}
	if len(it.Facts) > 0 && len(it.Checks) == 0 {
		errs = append(errs, fmt.Sprintf("checklist %q item %q: facts need the checks that record them", list, it.ID))
	}
	return errs
}

// settleFromChecks sets an item's state from the results of its checks.
// Items stay open (and the person may tick them) when a check did not run,
// was skipped or could not test; the note says why.
func (it ChecklistItem) settleFromChecks(f *FilledItem, results []check.Result, lang string) {
	var ran []check.Result
	for _, id := range it.Checks {
		for _, r := range results {
			if r.ID == id {
				ran = append(ran, r)
			}
		}
	}
	if len(ran) == 0 {
		f.Note = msg(lang, "cl.not_run", strings.Join(it.Checks, ", "))
		return
	}
	if len(it.Facts) > 0 {
		var falses []string
		var from string
		for _, r := range ran {
			for _, name := range it.Facts {
				raw, _ := r.Fact(name)
				v, ok := raw.(bool)
				if !ok {
					continue
				}
				if v {
					f.State, f.Auto, f.Note = Done, true, msg(lang, "cl.fact", r.ID, name+" = true")
					return
				}
				falses, from = append(falses, name+" = false"), r.ID
			}
		}
		if len(falses) > 0 {
			f.State, f.Auto, f.Note = Failing, true, msg(lang, "cl.fact", from, strings.Join(falses, ", "))
			return
		}
		// No fact recorded: the check could not judge; its status says why.
	}
	worst := ran[0]
	for _, r := range ran[1:] {
		if rank(r.Status) > rank(worst.Status) {
			worst = r
		}
	}
	switch worst.Status {
	case check.Pass, check.Warn:
		if len(it.Facts) == 0 {
			f.State, f.Auto, f.Note = Done, true, worst.Summary
			return
		}
		f.Note = worst.Summary
	case check.Fail:
		f.State, f.Auto, f.Note = Failing, true, worst.Summary
	default:
		f.Note = fmt.Sprintf("%s: %s", worst.ID, worst.Summary)
	}
}

// rank orders statuses for an item that several checks settle: a failure
// outranks a could-not-test, which outranks a skip, a warning, a pass.
func rank(s check.Status) int {
	switch s {
	case check.Fail:
		return 4
	case check.Error:
		return 3
	case check.Skip:
		return 2
	case check.Warn:
		return 1
	}
	return 0
}
