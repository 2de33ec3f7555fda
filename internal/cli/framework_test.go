package cli

import (
	"context"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/stretchr/testify/require"

	"pitstop/internal/i18n"
	"pitstop/internal/i18n/i18ntest"
)

// frameworkEnglish are the words cobra and fang write on their own: a
// Spanish run must show none of them.
var frameworkEnglish = []string{
	"USAGE", "EXAMPLES", "COMMANDS", "FLAGS", "help for ", "Help for ", "version for", "Version for",
	"Help about any command", "autocompletion", "Generate the", "no-descriptions  Disable",
	"unknown flag", "unknown shorthand", "unknown command", "invalid argument", "flag needs an argument",
	"bad flag syntax", "accepts ", "requires at least", "Did you mean", "Try --help", "for usage",
	"expected one of", "Run `", " version ",
}

// TestFrameworkSpeaksSpanish: with --lang es the help pages, the help and
// completion commands, a flag or argument that does not parse and an
// unknown command are all in Spanish: nothing of cobra's or fang's English
// is left. The same runs in English show the English words, so the test
// can fail.
func TestFrameworkSpeaksSpanish(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, tc := range []struct {
		args []string
		code int
		want []string // in stdout and stderr together
	}{
		{[]string{"--help"}, ExitOK, []string{"USO", "EJEMPLOS", "COMANDOS", "OPCIONES", "Ayuda de pitstop", "La versión de pitstop",
			"Ayuda de cualquier comando", "Autocompletado: bash"}},
		{[]string{"--version"}, ExitOK, []string{"pitstop versión dev"}},
		{[]string{"check", "--help"}, ExitOK, []string{"USO", "EJEMPLOS", "OPCIONES", "Ayuda de check"}},
		{[]string{"kb", "--help"}, ExitOK, []string{"COMANDOS", "Ayuda de kb"}},
		{[]string{"help", "check"}, ExitOK, []string{"Check ejecuta todas las comprobaciones", "OPCIONES"}},
		{[]string{"help", "--help"}, ExitOK, []string{"Help muestra la ayuda", "Ayuda de help"}},
		{[]string{"completion", "--help"}, ExitOK, []string{"Script de autocompletado para bash", "COMANDOS"}},
		{[]string{"completion", "bash", "--help"}, ExitOK, []string{"Imprime el script de autocompletado para bash", "Completa sin las descripciones"}},
		{[]string{"completion", "fish", "x"}, ExitUsage, []string{`"x" no es un comando de pitstop completion fish`}},
		{[]string{"check", "--nope"}, ExitUsage, []string{"opción desconocida: --nope", "Ejecuta `pitstop check --help`"}},
		{[]string{"check", "-z"}, ExitUsage, []string{"opción desconocida: -z"}},
		{[]string{"check", "--timeout", "x"}, ExitUsage, []string{`"x" no es un valor válido para --timeout: se esperaba una duración`}},
		{[]string{"check", "--timeout"}, ExitUsage, []string{"--timeout necesita un valor"}},
		{[]string{"diagnose", "--limit", "many", "x"}, ExitUsage, []string{`"many" no es un valor válido para --limit: se esperaba un número entero`}},
		{[]string{"chek"}, ExitUsage, []string{`"chek" no es un comando de pitstop. ¿Quisiste decir check?`, "Ejecuta `pitstop --help`"}},
		{[]string{"check", "extra"}, ExitUsage, []string{`"extra" no es un comando de pitstop check.`}},
		{[]string{"kb", "show"}, ExitUsage, []string{"pitstop kb show admite exactamente 1 argumento; recibió 0"}},
		{[]string{"kb", "search"}, ExitUsage, []string{"pitstop kb search necesita al menos 1 argumento; recibió 0"}},
		{[]string{"checklist", "a", "b"}, ExitUsage, []string{"pitstop checklist admite como mucho 1 argumento; recibió 2"}},
	} {
		name := strings.Join(tc.args, " ")
		code, out, errOut := runCLI(t, ctx, append([]string{"--lang", "es"}, tc.args...)...)
		all := ansi.Strip(out + errOut)
		require.Equal(t, tc.code, code, "%s: %s", name, all)
		for _, w := range tc.want {
			require.Contains(t, all, w, name)
		}
		for _, en := range frameworkEnglish {
			require.NotContains(t, all, en, "pitstop --lang es %s:\n%s", name, all)
		}
		_, out, errOut = runCLI(t, ctx, append([]string{"--lang", "en"}, tc.args...)...)
		english := 0
		for _, en := range frameworkEnglish {
			if strings.Contains(ansi.Strip(out+errOut), en) {
				english++
			}
		}
		require.Positive(t, english, "pitstop --lang en %s shows none of the framework's English words: the test cannot fail", name)
	}
}

// TestBadLangSaysSoInTheLocalesLanguage: a --lang Pitstop does not speak is
// said in the language the environment asks for, naming the languages it
// has.
func TestBadLangSaysSoInTheLocalesLanguage(t *testing.T) {
	for lang, want := range map[string]string{
		"es": `--lang es "xx"; se esperaba uno de: `,
		"en": `--lang is "xx"; expected one of: `,
	} {
		t.Setenv("PITSTOP_LANG", lang)
		code, _, errOut := runCLI(t, context.Background(), "--lang", "xx", "check")
		require.Equal(t, ExitUsage, code)
		require.Contains(t, errOut, want+strings.Join(i18n.Languages(), ", "))
		require.Contains(t, errOut, i18n.T(lang, "cli.usage_hint", "pitstop check"))
	}
}

// TestPseudoLocaleHelp renders the help of every command in the
// pseudo-locale: every line is inside a catalogue message (⟦…⟧) but for
// command and flag names, argument placeholders and default values. A
// heading, a flag's usage or a summary the framework wrote itself would be
// plain English outside the brackets.
//
// Not parallel: the pseudo-locale joins i18n.Languages for the rest of the
// process, so every parallel test that goes through the languages sees it
// from the start.
func TestPseudoLocaleHelp(t *testing.T) {
	require.NoError(t, i18ntest.Install())
	root := NewRoot(&App{})
	localizeFramework(root, nil, i18n.English, "test", argRules{lang: new(string)})
	names := map[string]bool{}
	placeholders := map[string]bool{}
	var paths [][]string
	var walk func(c *cobra.Command, path []string)
	walk = func(c *cobra.Command, path []string) {
		if c.Hidden {
			return
		}
		names[c.Name()] = true
		for _, w := range strings.Fields(c.Use)[1:] {
			placeholders[w] = true
		}
		paths = append(paths, path)
		for _, sub := range c.Commands() {
			walk(sub, append(append([]string{}, path...), sub.Name()))
		}
	}
	walk(root, nil)
	require.Greater(t, len(paths), 15, "every command, help and completion's shells included")

	plain := regexp.MustCompile(`^(-{1,2}[a-z][a-z-]*|\[.*\]|\(.*\)|[|>]+)$`)
	for _, path := range paths {
		args := append(append([]string{"--lang", i18ntest.Code}, path...), "--help")
		code, out, errOut := runCLI(t, context.Background(), args...)
		require.Equal(t, ExitOK, code, errOut)
		inside := false
		for _, line := range strings.Split(ansi.Strip(out), "\n") {
			var outside strings.Builder
			for _, r := range line {
				switch {
				case string(r) == i18ntest.Open:
					inside = true
				case string(r) == i18ntest.Close:
					inside = false
				case !inside:
					outside.WriteRune(r)
				}
			}
			for _, w := range strings.Fields(outside.String()) {
				if names[w] || placeholders[w] || plain.MatchString(w) {
					continue
				}
				t.Errorf("pitstop %s --help: %q is outside the catalogue in line %q", strings.Join(path, " "), w, line)
			}
		}
		require.False(t, inside, "pitstop %s --help: a message left open", strings.Join(path, " "))
	}
}

// TestSpanishLocaleWithoutLang: a Spanish locale alone (no --lang) gives the
// framework's words in Spanish too.
func TestSpanishLocaleWithoutLang(t *testing.T) {
	for _, v := range []string{"PITSTOP_LANG", "LC_ALL", "LC_MESSAGES"} {
		t.Setenv(v, "")
	}
	t.Setenv("LANG", "es_ES.UTF-8")
	code, out, _ := runCLI(t, context.Background(), "check", "--help")
	require.Equal(t, ExitOK, code)
	require.Contains(t, out, "OPCIONES")
	require.Contains(t, out, "Ayuda de check")
	code, _, errOut := runCLI(t, context.Background(), "check", "--nope")
	require.Equal(t, ExitUsage, code)
	require.Equal(t, "pitstop: opción desconocida: --nope.\n"+i18n.T("es", "cli.usage_hint", "pitstop check")+"\n", errOut)
}

// TestFlagErrorsQuoteTypedTextSafely: a flag the user typed is quoted back
// without its control bytes (an escape sequence would drive the terminal)
// and without cutting a character in two.
func TestFlagErrorsQuoteTypedTextSafely(t *testing.T) {
	t.Parallel()
	for _, arg := range []string{"--x\x1b]0;pwn\a", "-é", "--bad=\x1b[2J", "--timeout=\x1b[2J"} {
		code, stdout, stderr := runKB(t, "", "check", arg)
		require.Equal(t, ExitUsage, code, arg)
		out := stdout + stderr
		require.NotContains(t, out, "\x1b", arg)
		require.NotContains(t, out, "\a", arg)
		require.True(t, utf8.ValidString(out), "%q: %q", arg, out)
	}
}
