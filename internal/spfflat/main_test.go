package spfflat

import (
	"os"
	"runtime/debug"
	"testing"
)

// TestMain collects garbage less often: every SPF evaluation of the
// property tests allocates the regexp library's backtracking table afresh
// (tens of KiB), and at the default GOGC the collector and its sweeper took
// over a third of the package's CPU under -race: 12.2 s of user and system
// time, 8.1 s at 400, for a peak resident size of 600 MiB rather than 100
// (the race detector's shadow memory included).
func TestMain(m *testing.M) {
	debug.SetGCPercent(400)
	os.Exit(m.Run())
}
