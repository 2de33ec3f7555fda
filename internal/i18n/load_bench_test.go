package i18n

import (
	"sync"
	"testing"
)

// BenchmarkLoadEnglish is the cost a process pays on its first English
// message of an area: that file parsed and made ready to look up.
func BenchmarkLoadEnglish(b *testing.B) {
	for b.Loop() {
		mu.Lock()
		loaded = sync.Map{}
		for k := range sourcesParsed {
			delete(sourcesParsed, k)
		}
		mu.Unlock()
		T(English, "status.word.pass")
	}
}

// BenchmarkLoadEverything is every English file loaded (what IDs does).
func BenchmarkLoadEverything(b *testing.B) {
	for b.Loop() {
		mu.Lock()
		loaded = sync.Map{}
		for k := range sourcesParsed {
			delete(sourcesParsed, k)
		}
		mu.Unlock()
		IDs(English)
	}
}
