package i18n_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/i18n"
)

func TestJoinWords(t *testing.T) {
	t.Parallel()
	tests := []struct {
		lang  string
		items []string
		and   string
		or    string
	}{
		{"en", nil, "", ""},
		{"en", []string{"a"}, "a", "a"},
		{"en", []string{"a", "b"}, "a and b", "a or b"},
		{"en", []string{"a", "b", "c"}, "a, b and c", "a, b or c"},
		{"en", []string{"x, y", "b", "c"}, "x, y; b; and c", "x, y; b; or c"},
		{"es", []string{"a", "b"}, "a y b", "a o b"},
		{"es", []string{"a", "b", "c"}, "a, b y c", "a, b o c"},
		{"es", []string{"x, y", "b", "c"}, "x, y; b; y c", "x, y; b; o c"},
	}
	for _, tt := range tests {
		require.Equal(t, tt.and, i18n.JoinAnd(tt.lang, tt.items), "%s %q", tt.lang, tt.items)
		require.Equal(t, tt.or, i18n.JoinOr(tt.lang, tt.items), "%s %q", tt.lang, tt.items)
	}
}

func TestCapitalize(t *testing.T) {
	t.Parallel()
	require.Equal(t, "Setting changes", i18n.Capitalize("setting changes"))
	require.Equal(t, "Índice", i18n.Capitalize("índice"))
	require.Equal(t, "", i18n.Capitalize(""))
}
