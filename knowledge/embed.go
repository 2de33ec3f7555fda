// Package knowledge holds Pitstop's built-in knowledge base: one Markdown
// article per file under en/ and es/, with the same id in both languages.
package knowledge

import "embed"

// FS is the embedded knowledge tree: en/*.md and es/*.md, plus the
// escalation policy and checklists (*.yaml).
//
//go:embed en es *.yaml
var FS embed.FS
