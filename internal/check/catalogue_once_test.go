package check

import (
	"sync"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestCatalogueBuiltOnceUnderConcurrentFirstCalls: callers that ask for a
// catalogue nobody has asked for yet, all at the same moment, get the same
// one, built once (it used to be built by each of them).
func TestCatalogueBuiltOnceUnderConcurrentFirstCalls(t *testing.T) {
	for _, lang := range []string{"es", "zz"} { // one with a catalogue, one without
		const file, callers = "fixes", 16
		catalogues.Delete(lang + "/" + file) // as nobody had asked yet (this test is not parallel)
		before := catalogueBuilds.Load()
		start := make(chan struct{})
		got := make([]*Catalogue, callers)
		var wg sync.WaitGroup
		for i := range callers {
			wg.Go(func() {
				<-start
				got[i] = catalogueOf(lang, file)
			})
		}
		close(start)
		wg.Wait()
		for _, c := range got {
			require.Same(t, got[0], c, lang)
		}
		if lang == "es" {
			require.NotNil(t, got[0])
		} else {
			require.Nil(t, got[0])
		}
		require.Equal(t, int64(1), catalogueBuilds.Load()-before, "%s: built once", lang)
	}
}
