// Package kb is the knowledge base: articles with symptoms, patterns and the
// checks that point to them, loaded from the embedded knowledge/ tree plus an
// overlay directory, matched against evidence, and linted.
package kb

import (
	"pitstop/internal/check"
)

// Article is one knowledge article in one language.
type Article struct {
	ID       string   `yaml:"id" json:"id"`
	Title    string   `yaml:"title" json:"title"`
	Category string   `yaml:"category" json:"category"`
	Severity string   `yaml:"severity" json:"severity"` // critical | high | medium | low
	Symptoms []string `yaml:"symptoms" json:"symptoms,omitempty"`
	Patterns []string `yaml:"patterns" json:"patterns,omitempty"`
	Checks   []string `yaml:"checks" json:"checks,omitempty"`
	Related  []string `yaml:"related" json:"related,omitempty"`
	Sources  []string `yaml:"sources" json:"sources,omitempty"`   // authoritative pages the facts come from
	Reviewed string   `yaml:"reviewed" json:"reviewed,omitempty"` // when a person last checked them: 2026-12-01
	// Provider is the one service the article is about (hubspot, gmail:
	// one of Providers()), or empty when it applies to any.
	Provider string `yaml:"provider" json:"provider,omitempty"`

	Lang string `yaml:"-" json:"lang"`
	// Body is the Markdown after the front matter, ending with a section
	// that lists the sources, so that every screen that renders an article
	// shows where its facts come from.
	Body   string `yaml:"-" json:"-"`
	Source string `yaml:"-" json:"-"` // where it was read from: "knowledge/en/x.md" or an overlay path

	written int // length of the part of Body the author wrote (before the sources section)
}

// Written is the article's text as its author wrote it, without the
// sources section Body ends with.
func (a *Article) Written() string {
	if a.written > 0 && a.written <= len(a.Body) {
		return a.Body[:a.written]
	}
	return a.Body
}

// Warning is a problem found while loading an overlay: the article is
// skipped, the rest loads.
type Warning struct {
	File string
	Line int
	Msg  string

	problem Problem // the same, for In and String
}

// Evidence is what matching works from.
type Evidence struct {
	Text     string         // pasted error text or free words
	Symptoms []string       // symptoms the user picked (as written in the articles)
	Results  []check.Result // check outcomes; Warn/Fail/Error results vote for their Articles
	// Providers are the services the profile uses ("hubspot", "gmail",
	// "openai"), as the settings name them. An article about another
	// provider is left out unless the text names that provider. Nil means
	// no profile is known and no article is left out; a profile that uses
	// no provider gives an empty, non-nil list.
	Providers []string
}

// Match is one ranked article and why it matched.
type Match struct {
	Article    *Article
	Score      float64
	Confidence Confidence
	Reasons    []string // plain words: `check api.auth failed`, `pattern "\b429\b" found in the text`

	kind evidenceKind // the strongest kind of evidence: ranks before Score
}

// Confidence says how much a match can be trusted.
type Confidence string

const (
	// Strong: a pattern, a check or a symptom the user picked matched.
	// Matches are ranked by the kind of evidence first: a bad check that
	// names the article or a pattern; then a picked symptom or a bad check
	// the article covers; then words in common.
	Strong Confidence = "strong"
	// Weak: the article only shares words with the text; a guess.
	Weak Confidence = "weak"
)
