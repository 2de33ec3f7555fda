package wizard

import (
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/config"
	"pitstop/internal/kb"
	"pitstop/internal/registry"
)

func TestFamiliesFor(t *testing.T) {
	t.Parallel()
	art := func(checks ...string) kb.Match { return kb.Match{Article: &kb.Article{Checks: checks}} }
	p := &config.Profile{SMTP: config.SMTPConfig{Host: "smtp.example.test"}}
	email, _ := ProblemByID("email")
	tests := []struct {
		name    string
		problem Problem
		matches []kb.Match
		want    []string
	}{
		{"the problem's families", email, nil, []string{"smtp", "domain"}},
		{"the best article adds its checks' family", Problem{}, []kb.Match{art("api.auth")}, []string{"api"}},
		{"later articles only when configured", Problem{}, []kb.Match{art("api.auth"), art("crm.auth", "smtp.auth")}, []string{"api", "smtp"}},
		{"nothing matched: what is configured", Problem{}, nil, []string{"smtp"}},
	}
	for _, tt := range tests {
		require.Equal(t, tt.want, FamiliesFor(tt.problem, tt.matches, p), tt.name)
	}
}

// TestProblemsNameFamilies: every family a problem runs is in the registry.
func TestProblemsNameFamilies(t *testing.T) {
	t.Parallel()
	for _, p := range Problems {
		for _, f := range p.Families {
			_, ok := registry.Get(f)
			require.True(t, ok, "%s names family %q", p.ID, f)
		}
	}
}
