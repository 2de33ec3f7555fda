//go:build !race

package markdown

// raceEnabled is false without -race: the width sweep draws every width.
const raceEnabled = false
