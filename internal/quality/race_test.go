//go:build race

package quality

// raceEnabled is true under -race, where every render costs several times
// more: the size sweep then draws a sample of its sizes (the full sweep runs
// without -race: go test ./internal/quality).
const raceEnabled = true
