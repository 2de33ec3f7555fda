// Package check is the engine: a Check returns a Result; a Runner runs many
// in parallel with a per-check timeout and streams progress as values. A
// check never prints.
package check

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"time"

	"pitstop/internal/i18n"
	"pitstop/internal/registry"
)

// Status is a check's outcome. Error means the check itself could not run
// (timeout, the probe's own DNS failure, a refused blocklist query): it is
// never a Fail.
type Status int

// The statuses, from best to worst for sorting; Skip and Error sit apart.
const (
	Pass Status = iota
	Warn
	Fail
	Skip
	Error
)

var statusNames = [...]string{"pass", "warn", "fail", "skip", "error"}

// Word is the status as people read it in lang ("passed", "correcta"):
// the one set of words the wizard, the report and the command line use.
func (s Status) Word(lang string) string { return i18n.T(lang, "status.word."+s.String()) }

// Count is n checks of this status in lang ("3 passed", "1 aviso"), in
// the plural form n takes.
func (s Status) Count(lang string, n int) string { return i18n.N(lang, "status.count."+s.String(), n) }

// String returns the lower-case name used in JSON ("pass", "warn" ...).
func (s Status) String() string {
	if int(s) < len(statusNames) && s >= 0 {
		return statusNames[s]
	}
	return fmt.Sprintf("status(%d)", int(s))
}

// MarshalJSON writes the lower-case name.
func (s Status) MarshalJSON() ([]byte, error) { return json.Marshal(s.String()) }

// UnmarshalJSON reads the lower-case name.
func (s *Status) UnmarshalJSON(b []byte) error {
	var name string
	if err := json.Unmarshal(b, &name); err != nil {
		return err
	}
	st, ok := ParseStatus(name)
	if !ok {
		return fmt.Errorf("unknown status %q", name)
	}
	*s = st
	return nil
}

// ParseStatus reads a status name.
func ParseStatus(name string) (Status, bool) {
	for i, n := range statusNames {
		if strings.EqualFold(n, name) {
			return Status(i), true
		}
	}
	return 0, false
}

// Bad reports whether the status means something needs attention (Warn, Fail, Error).
func (s Status) Bad() bool { return s == Warn || s == Fail || s == Error }

// Result is what a check found.
type Result struct {
	ID       string        `json:"id"`       // stable, dotted: "api.auth"
	Category string        `json:"category"` // api | crm | smtp | domain | content | cache
	Title    string        `json:"title"`
	Status   Status        `json:"status"`
	Summary  string        `json:"summary"` // one plain sentence
	Details  []string      `json:"details"` // evidence, secrets masked
	Duration time.Duration `json:"-"`
	Articles []string      `json:"articles"` // knowledge articles that explain this outcome
	// Facts are the measured values behind the summary, named in
	// snake_case: numbers, booleans and short strings, never a secret. The
	// prose, the JSON, the exporter's metrics and the fixes all read them.
	Facts map[string]any `json:"facts"`
}

// MarshalJSON writes the documented shape (docs/ARCHITECTURE.md), keys in its order: id, category,
// title, status, summary, details, duration_ms, articles (lists never null).
func (r Result) MarshalJSON() ([]byte, error) {
	details, articles, facts := r.Details, r.Articles, r.Facts
	if details == nil {
		details = []string{}
	}
	if articles == nil {
		articles = []string{}
	}
	if facts == nil {
		facts = map[string]any{}
	}
	return json.Marshal(struct {
		ID         string         `json:"id"`
		Category   string         `json:"category"`
		Title      string         `json:"title"`
		Status     Status         `json:"status"`
		Summary    string         `json:"summary"`
		Details    []string       `json:"details"`
		DurationMS float64        `json:"duration_ms"`
		Articles   []string       `json:"articles"`
		Facts      map[string]any `json:"facts"`
	}{r.ID, r.Category, r.Title, r.Status, r.Summary, details, float64(r.Duration.Microseconds()) / 1000, articles, facts})
}

// Check is one test. Run must honour ctx (the runner sets the deadline) and
// must not print. Requires names checks that must pass (or warn) first; if
// one of them did not, the runner skips this check and says why.
type Check struct {
	ID       string
	Category string
	Title    string
	Requires []string
	Run      func(ctx context.Context) Result
	// Articles name the knowledge articles for a result that names none,
	// including the ones the runner makes itself (timeout, panic).
	Articles []string
}

// Passf builds a passing result with a formatted summary.
func Passf(format string, a ...any) Result {
	return Result{Status: Pass, Summary: fmt.Sprintf(format, a...)}
}

// Warnf builds a warning result.
func Warnf(format string, a ...any) Result {
	return Result{Status: Warn, Summary: fmt.Sprintf(format, a...)}
}

// Failf builds a failing result.
func Failf(format string, a ...any) Result {
	return Result{Status: Fail, Summary: fmt.Sprintf(format, a...)}
}

// Skipf builds a skipped result; the summary says why.
func Skipf(format string, a ...any) Result {
	return Result{Status: Skip, Summary: fmt.Sprintf(format, a...)}
}

// Errorf builds a could-not-test result; the summary says why.
func Errorf(format string, a ...any) Result {
	return Result{Status: Error, Summary: fmt.Sprintf(format, a...)}
}

// Sentencef formats a sentence, or part of one, that ends up in a summary
// (a finding kept for later, a pass message built in steps). It is
// fmt.Sprintf; the name tells the catalogue test (knowledge/<lang>/checks.yaml)
// that the format needs a translation, as with Passf and the others.
func Sentencef(format string, a ...any) string { return fmt.Sprintf(format, a...) }

// With returns r with details appended.
func (r Result) With(details ...string) Result {
	r.Details = append(r.Details, details...)
	return r
}

// WithFact returns r with one measured value recorded under key (snake_case).
// The map is copied, so results that share a base never share facts.
func (r Result) WithFact(key string, value any) Result {
	facts := make(map[string]any, len(r.Facts)+1)
	for k, v := range r.Facts {
		facts[k] = v
	}
	facts[key] = value
	r.Facts = facts
	return r
}

// WithFacts returns r with every measured value of facts recorded (see
// WithFact); a key already there takes the new value.
func (r Result) WithFacts(facts map[string]any) Result {
	merged := make(map[string]any, len(r.Facts)+len(facts))
	for k, v := range r.Facts {
		merged[k] = v
	}
	for k, v := range facts {
		merged[k] = v
	}
	r.Facts = merged
	return r
}

// Fact returns the value recorded under key, if any.
func (r Result) Fact(key string) (any, bool) {
	v, ok := r.Facts[key]
	return v, ok
}

// Explain returns r with the knowledge articles that explain it appended.
func (r Result) Explain(articles ...string) Result {
	r.Articles = append(r.Articles, articles...)
	return r
}

// Summary counts results by status.
type Summary struct {
	Pass  int `json:"pass"`
	Warn  int `json:"warn"`
	Fail  int `json:"fail"`
	Skip  int `json:"skip"`
	Error int `json:"error"`
}

// Summarize counts results by status.
func Summarize(results []Result) Summary {
	var s Summary
	for _, r := range results {
		switch r.Status {
		case Pass:
			s.Pass++
		case Warn:
			s.Warn++
		case Fail:
			s.Fail++
		case Skip:
			s.Skip++
		case Error:
			s.Error++
		}
	}
	return s
}

// OK reports whether the run passes: no Fail or Error, and no Warn when strict.
func (s Summary) OK(strict bool) bool {
	return s.Fail == 0 && s.Error == 0 && (!strict || s.Warn == 0)
}

// KnownIDs are the stable check IDs (docs/ARCHITECTURE.md), from the family registry.
// Knowledge lint accepts only these.
var KnownIDs = registry.KnownIDs()

// Define builds the check with this ID from its entry in the family
// registry (category, English title, prerequisites, articles) and run. The
// provider's name fills a title that has a place for it ("HubSpot token
// accepted"); an ID the registry lacks is a programming mistake.
func Define(id, provider string, run func(ctx context.Context) Result) Check {
	spec, fam, ok := registry.CheckByID(id)
	if !ok {
		panic(fmt.Sprintf("check %q is not in the family registry (internal/registry/table.go)", id))
	}
	return Check{
		ID:       id,
		Category: fam.ID,
		Title:    spec.EnglishTitle(provider),
		Requires: slices.Clone(spec.Requires),
		Articles: slices.Clone(spec.Articles),
		Run:      run,
	}
}
