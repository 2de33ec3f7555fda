package suite

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
	"pitstop/internal/registry"
)

// TestEveryFamilyIsBuilt: each registry family has a constructor, and every
// check a constructor makes is the registry's (same family, same title).
func TestEveryFamilyIsBuilt(t *testing.T) {
	t.Parallel()
	for _, id := range registry.IDs() {
		require.Contains(t, constructors, id)
	}
	require.Len(t, constructors, len(registry.IDs()))
	p := &config.Profile{Name: "t"}
	for _, c := range For(p, registry.IDs()) {
		spec, fam, ok := registry.CheckByID(c.ID)
		require.True(t, ok, "%s is not in the registry", c.ID)
		require.Equal(t, fam.ID, c.Category, c.ID)
		en := spec.Title.In("en")
		prefix, suffix, _ := strings.Cut(en, "%s")
		require.True(t, strings.HasPrefix(c.Title, prefix) && strings.HasSuffix(c.Title, suffix),
			"%s: title %q is not the registry's %q (build checks with check.Define)", c.ID, c.Title, en)
		if c.ID != "smtp.send" { // waits on smtp.tls when there is no login
			require.Equal(t, spec.Requires, c.Requires, c.ID)
		}
		require.NotEmpty(t, spec.Title.In("es"), c.ID)
		require.NotNil(t, c.Run, c.ID)
	}
}

func TestParseOnly(t *testing.T) {
	t.Parallel()
	got, err := ParseOnly(" SMTP,api,smtp ")
	require.NoError(t, err)
	require.Equal(t, []string{"smtp", "api"}, got)
	_, err = ParseOnly("api,dns")
	require.ErrorContains(t, err, `unknown category "dns"`)
	require.ErrorContains(t, err, "api,crm,smtp,domain,content,cache")
}
