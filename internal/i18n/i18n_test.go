package i18n_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/i18n"
	"pitstop/internal/i18n/i18ntest"
)

func TestEveryLanguageLoads(t *testing.T) {
	langs := i18n.Languages()
	require.Equal(t, i18n.English, langs[0], "English comes first")
	require.Contains(t, langs, "es")
	for _, lang := range langs {
		require.NoError(t, i18n.Err(lang), lang)
		require.True(t, i18n.Supported(lang))
	}
	require.False(t, i18n.Supported("xx"))
	require.NotEmpty(t, i18n.IDs(i18n.English))
}

// TestEveryMessageTranslated fails when a language lacks a message English
// has, or has one English does not (a renamed or removed id).
func TestEveryMessageTranslated(t *testing.T) {
	en := i18n.IDs(i18n.English)
	for _, lang := range i18n.Languages()[1:] {
		var missing, orphans []string
		for _, id := range en {
			if !i18n.Has(lang, id) {
				missing = append(missing, id)
			}
		}
		for _, id := range i18n.IDs(lang) {
			if !i18n.Has(i18n.English, id) {
				orphans = append(orphans, id)
			}
		}
		require.Empty(t, missing, "add these to locales/%s/", lang)
		require.Empty(t, orphans, "locales/%s/ has ids English lacks", lang)
	}
}

// TestVerbsAgree fails when a translation's fmt verbs do not fit the
// English message's: a wrong or missing verb prints %!s(MISSING).
func TestVerbsAgree(t *testing.T) {
	for _, lang := range i18n.Languages()[1:] {
		for _, id := range i18n.IDs(lang) {
			en, tr := i18n.T(i18n.English, id), i18n.T(lang, id)
			require.NoError(t, i18n.SameVerbs(i18n.Verbs(en), i18n.Verbs(tr)), "%s %s", lang, id)
		}
		for _, file := range i18n.ByText {
			for en, tr := range i18n.File(lang, file) {
				require.NoError(t, i18n.SameVerbs(i18n.Verbs(en), i18n.Verbs(tr)), "%s/%s %q", lang, file, en)
			}
		}
	}
}

func TestLookup(t *testing.T) {
	require.Equal(t, "Monitor", i18n.T("en", "monitor.title"))
	require.Equal(t, "una prueba cada 5s", i18n.T("es", "monitor.every", "5s"))
	// A language Pitstop does not have reads in English.
	require.Equal(t, "a probe every 5s", i18n.T("fr", "monitor.every", "5s"))
	require.False(t, i18n.Has("fr", "monitor.every"))
	// An id nobody has comes back as itself, and is reported.
	require.Equal(t, "no.such.message", i18n.T("es", "no.such.message"))
	require.Contains(t, i18n.Misses(), "es no.such.message")
}

func TestPlurals(t *testing.T) {
	require.Equal(t, "1 probe", i18n.N("en", "monitor.probes", 1, 1))
	require.Equal(t, "2 probes", i18n.N("en", "monitor.probes", 2, 2))
	require.Equal(t, "0 probes", i18n.N("en", "monitor.probes", 0, 0))
	require.Equal(t, "1 prueba", i18n.N("es", "monitor.probes", 1, 1))
	require.Equal(t, "5 pruebas", i18n.N("es", "monitor.probes", 5, 5))
}

// TestPseudoLocale proves a language is one set of message files: the
// pseudo-locale, built from English in a test, is a language like the
// others, and every message reads bracketed.
func TestPseudoLocale(t *testing.T) {
	require.NoError(t, i18ntest.Install())
	require.Contains(t, i18n.Languages(), i18ntest.Code)
	for _, id := range i18n.IDs(i18n.English) {
		got := i18n.T(i18ntest.Code, id)
		require.True(t, strings.HasPrefix(got, i18ntest.Open) && strings.HasSuffix(got, i18ntest.Close), "%s: %q", id, got)
	}
	require.Equal(t, "⟦á próbé évérý 5s⟧", i18n.T(i18ntest.Code, "monitor.every", "5s"))
	require.Equal(t, "⟦1 próbé⟧", i18n.N(i18ntest.Code, "monitor.probes", 1, 1))
	require.Equal(t, i18ntest.Pseudo("%d of %d endpoints answer; down: %s."), "⟦%d óf %d éñdpóíñts áñswér; dówñ: %s.⟧")
}

func TestAnswers(t *testing.T) {
	require.Equal(t, "y", i18n.YesKey("en"))
	require.Equal(t, "s", i18n.YesKey("es"))
	for _, yes := range []string{"y", " YES ", "Yes"} {
		require.True(t, i18n.IsYes("en", yes), yes)
		require.True(t, i18n.IsYes("es", yes), "English's yes works in every language: %q", yes)
	}
	for _, yes := range []string{"s", "Sí", "si"} {
		require.True(t, i18n.IsYes("es", yes), yes)
		require.False(t, i18n.IsYes("en", yes), yes)
	}
	for _, no := range []string{"n", "No", ""} {
		require.False(t, i18n.IsYes("es", no), no)
	}
	require.True(t, i18n.IsNo("es", "no"))
	require.False(t, i18n.IsNo("en", "yes"))
}
