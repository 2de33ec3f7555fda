// Package locales holds Pitstop's interface messages: one folder per
// language (en/, es/), each a set of go-i18n message files (YAML) read
// through internal/i18n. A third language is one more folder; see
// CONTRIBUTING.md.
package locales

import "embed"

// FS is the embedded message tree: <lang>/*.yaml.
//
//go:embed */*.yaml
var FS embed.FS
