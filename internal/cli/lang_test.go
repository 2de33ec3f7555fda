package cli

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDefaultLangFromTheLocale: without --lang, PITSTOP_LANG and then the
// locale variables choose among the catalogue's languages; a locale
// Pitstop has no folder for is English.
func TestDefaultLangFromTheLocale(t *testing.T) {
	for _, tc := range []struct{ pitstop, lcAll, lang, want string }{
		{"", "", "", "en"},
		{"", "", "es_ES.UTF-8", "es"},
		{"", "", "es_MX", "es"},
		{"", "", "es", "es"},
		{"", "", "C", "en"},
		{"", "", "fr_FR.UTF-8", "en"},
		{"", "en_US.UTF-8", "es_ES.UTF-8", "en"},
		{"es", "en_US.UTF-8", "", "es"},
		{"", "", "ca_ES@valencia", "en"},
	} {
		t.Setenv("PITSTOP_LANG", tc.pitstop)
		t.Setenv("LC_ALL", tc.lcAll)
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tc.lang)
		require.Equal(t, tc.want, defaultLang(), "%+v", tc)
	}
}
