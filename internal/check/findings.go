package check

import (
	"fmt"
	"slices"
)

// Finding is one thing a check noticed. The worst finding sets a result's
// status, and the first of the worst its summary.
type Finding struct {
	Status   Status
	Text     string
	Articles []string
}

// Findings collects what a check noticed, in order, for checks that weigh
// several things (a DNS record's many rules, an email's headers).
type Findings []Finding

// Add records a finding; format is a summary sentence (catalogued for
// translation like Failf's).
func (f *Findings) Add(status Status, articles []string, format string, a ...any) {
	*f = append(*f, Finding{Status: status, Text: fmt.Sprintf(format, a...), Articles: articles})
}

// Result builds the check's result: the worst finding's status and summary
// (pass when there is none), the other findings as details before the given
// ones, and every article of a finding that is not a pass, once.
func (f Findings) Result(pass string, details ...string) Result {
	worst := Pass
	for _, x := range f {
		if severity(x.Status) > severity(worst) {
			worst = x.Status
		}
	}
	if worst == Pass {
		return Passf("%s", pass).With(details...)
	}
	var res Result
	var extra []string
	for _, x := range f {
		if x.Status == worst && res.Summary == "" {
			res = Result{Status: worst, Summary: x.Text}
			continue
		}
		if x.Status != Pass {
			extra = append(extra, fmt.Sprintf("Also (%s): %s", x.Status, x.Text))
		}
	}
	res = res.With(extra...).With(details...)
	for _, x := range f {
		if x.Status == Pass {
			continue
		}
		for _, a := range x.Articles {
			if !slices.Contains(res.Articles, a) {
				res.Articles = append(res.Articles, a)
			}
		}
	}
	return res
}

// severity orders statuses for "worst": a failure outranks a could-not-test,
// which outranks a warning.
func severity(s Status) int {
	switch s {
	case Fail:
		return 4
	case Error:
		return 3
	case Warn:
		return 2
	case Skip:
		return 1
	}
	return 0
}
