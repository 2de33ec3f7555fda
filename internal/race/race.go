// Package race says whether the race detector is on, for the tests whose
// work grows with a range: the sweeps.
//
// A sweep is a test named TestSweep…: every size of a window, every screen
// in the pseudo-locale, a thousand profiles, ten thousand articles, sixty
// random SPF trees. The
// detector makes each step several times dearer and finds nothing more on
// the hundredth step than on the first, so under -race a sweep takes a
// sample of its range (see Pick), and make test runs the sweeps a second
// time without -race, over the whole range.
package race

// Pick returns all without the race detector and sample with it.
func Pick[T any](all, sample T) T {
	if Enabled {
		return sample
	}
	return all
}
