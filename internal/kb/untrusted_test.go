package kb

import (
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestOverlayPassesTheDoor: an overlay article carrying terminal escape
// sequences, control characters and bidi overrides in every field (title,
// symptoms, patterns, sources, body) loads with all of them gone, whatever
// shows it; its words, line breaks and tabs stay.
func TestOverlayPassesTheDoor(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	const evil = `\e]0;pwned\a\e[2J\0\u202e`
	text := article("api-evil", "en", `"Evil`+evil+` title"`,
		`patterns: ["(?i)evil\e\a\0\u202epattern"]`, // a sequence's brackets would not compile
		`sources: ["https://example.com/`+evil+`docs"]`)
	text = strings.Replace(text, `symptoms: ["Something is off"]`, `symptoms: ["Odd`+evil+` symptom"]`, 1)
	text = strings.Replace(text, "Text.", "Body \x1b]8;;https://evil.test\x07link\x1b]8;;\x07 \x1b[31mred\x1b[0m\x00 \u202eend\n\tcode line", 1)
	writeFile(t, filepath.Join(dir, "en", "api-evil.md"), text)
	b, warnings, err := Load(nil, dir, "en")
	require.NoError(t, err)
	a, ok := b.Get("api-evil")
	require.True(t, ok, "%v", warnings)

	fields, err := json.Marshal(a)
	require.NoError(t, err)
	everything := string(fields) + a.Body
	for _, bad := range []string{"\x1b", "\a", "\x00", "\u202e", `\u001b`, `\u0007`, `\u0000`, `\u202e`, "pwned", "evil.test"} {
		require.NotContains(t, everything, bad)
	}
	require.Equal(t, "Evil title", a.Title)
	require.Equal(t, []string{"Odd symptom"}, a.Symptoms)
	require.Equal(t, []string{"(?i)evilpattern"}, a.Patterns)
	require.Equal(t, []string{"https://example.com/docs"}, a.Sources)
	require.Contains(t, a.Body, "Body link red end\n\tcode line", "words, line breaks and tabs stay")
	require.Contains(t, a.Body, "<https://example.com/docs>", "the sources section is built from the clean field")
}
