// Package i18ntest builds a pseudo-locale for tests: every English message
// bracketed and its letters accented, so a screen rendered in it shows at a
// glance any text that bypassed the catalogue (plain ASCII words), and any
// layout that breaks on longer text. It also proves a language is one folder
// of message files.
package i18ntest

import (
	"fmt"
	"strings"
	"testing/fstest"

	"go.yaml.in/yaml/v3"

	"pitstop/internal/i18n"
)

// Code is the pseudo-locale's language code: accented English, the
// code pseudo-localisation conventionally uses (its plural rules are
// English's).
const Code = "en-XA"

// Open and Close mark where a catalogued message begins and ends.
const (
	Open  = "⟦"
	Close = "⟧"
)

var accents = map[rune]rune{
	'a': 'á', 'e': 'é', 'i': 'í', 'o': 'ó', 'u': 'ú', 'c': 'ç', 'n': 'ñ', 'y': 'ý',
	'A': 'Á', 'E': 'É', 'I': 'Í', 'O': 'Ó', 'U': 'Ú', 'C': 'Ç', 'N': 'Ñ', 'Y': 'Ý',
}

// Pseudo returns s as the pseudo-locale writes it: bracketed, letters
// accented, fmt verbs and escapes left as they are.
func Pseudo(s string) string {
	if s == "" {
		return s
	}
	verbs := i18n.VerbRe.FindAllStringIndex(s, -1)
	var b strings.Builder
	b.WriteString(Open)
	last := 0
	for _, v := range verbs {
		accent(&b, s[last:v[0]])
		b.WriteString(s[v[0]:v[1]])
		last = v[1]
	}
	accent(&b, s[last:])
	b.WriteString(Close)
	return b.String()
}

func accent(b *strings.Builder, s string) {
	for _, r := range s {
		if a, ok := accents[r]; ok {
			r = a
		}
		b.WriteRune(r)
	}
}

// Install registers the pseudo-locale under Code, built from every English
// message and every by-text file (check and fix sentences, keyed by their
// English text in the other languages' files). Call it once per test
// process; it is safe to call again.
func Install() error {
	files := fstest.MapFS{}
	// One file per area, as a language's folder has them: an id lives in
	// the file its first word names.
	areas := map[string]map[string]any{}
	for _, id := range i18n.IDs(i18n.English) {
		area, _, _ := strings.Cut(id, ".")
		if areas[area] == nil {
			areas[area] = map[string]any{}
		}
		if forms := i18n.Forms(i18n.English, id); forms != nil {
			pseudo := map[string]string{}
			for form, s := range forms {
				pseudo[form] = Pseudo(s)
			}
			areas[area][id] = pseudo
			continue
		}
		areas[area][id] = Pseudo(i18n.T(i18n.English, id))
	}
	for area, messages := range areas {
		if err := put(files, area+".yaml", messages); err != nil {
			return err
		}
	}
	for _, name := range i18n.ByText {
		byText := map[string]string{}
		for _, lang := range i18n.Languages() {
			for en := range i18n.File(lang, name) {
				byText[en] = Pseudo(en)
			}
		}
		if err := put(files, name+".yaml", byText); err != nil {
			return err
		}
	}
	return i18n.AddLanguage(Code, files)
}

func put[V any](files fstest.MapFS, name string, m map[string]V) error {
	data, err := yaml.Marshal(m)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	files[name] = &fstest.MapFile{Data: data}
	return nil
}
