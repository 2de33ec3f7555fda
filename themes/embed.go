// Package themes holds Pitstop's color themes as data: one YAML file per
// theme with a palette of semantic colors and the Markdown style built
// from it.
package themes

import "embed"

// FS holds the theme files: dark.yaml, light.yaml, high-contrast.yaml.
//
//go:embed *.yaml
var FS embed.FS
