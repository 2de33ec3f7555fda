package mail

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestVisibleDropsEscapeSequences: a transcript spells a lone control byte
// out (a TLS record's \x16\x03), but a terminal sequence goes whole, so its
// words (a window title a server tries to set) never show.
func TestVisibleDropsEscapeSequences(t *testing.T) {
	t.Parallel()
	require.Equal(t, `535 \x16\x03 failed`, visible("535 \x16\x03 failed"))
	require.Equal(t, `535 failed \x00`, visible("535 \x1b]0;retitled\x07failed \x1b[2J\x00"))
}
