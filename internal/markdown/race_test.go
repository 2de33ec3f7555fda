//go:build race

package markdown

// raceEnabled is true under -race, where every render costs several times
// more: the width sweep then draws every thirtieth width (the full sweep runs
// without -race).
const raceEnabled = true
