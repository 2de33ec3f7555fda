// Package knowledge holds Pitstop's built-in knowledge base: one Markdown
// article per file, one directory per language (en/, es/), with the same id
// in every language. A language's directory may lack articles: those read
// in English.
package knowledge

import "embed"

// FS is the embedded knowledge tree: <lang>/*.md, plus the escalation
// policy and checklists (*.yaml).
//
//go:embed */*.md *.yaml
var FS embed.FS
