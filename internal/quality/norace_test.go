//go:build !race

package quality

// raceEnabled is false without -race: the size sweep draws every size.
const raceEnabled = false
