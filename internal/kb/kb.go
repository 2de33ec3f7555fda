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

	Lang   string `yaml:"-" json:"lang"`
	Body   string `yaml:"-" json:"-"` // Markdown after the front matter
	Source string `yaml:"-" json:"-"` // where it was read from: "knowledge/en/x.md" or an overlay path
}

// Warning is a problem found while loading an overlay: the article is
// skipped, the rest loads.
type Warning struct {
	File string
	Line int
	Msg  string
}

// Evidence is what matching works from.
type Evidence struct {
	Text     string         // pasted error text or free words
	Symptoms []string       // symptoms the user picked (as written in the articles)
	Results  []check.Result // check outcomes; Warn/Fail/Error results vote for their Articles
}

// Match is one ranked article and why it matched.
type Match struct {
	Article *Article
	Score   float64
	Reasons []string // plain words: `check api.auth failed`, `pattern "\b429\b" found in the text`
}
