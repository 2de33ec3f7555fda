// Command samewords lists the messages of the catalogue (locales/) that say
// the same words as another message of the same language under another id:
// the places where one fact may be said twice, for the one-fact-one-message
// rule. Some pairs are the same words by coincidence (a heading and a flag's
// usage, "down" the key and "down" the endpoint); the list is a place to
// look, not a verdict.
//
//	go run ./scripts/samewords          every language
//	go run ./scripts/samewords es       one language
package main

import (
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"

	"pitstop/internal/i18n"
)

func main() {
	langs := i18n.Languages()
	if len(os.Args) > 1 {
		langs = os.Args[1:]
	}
	for _, lang := range langs {
		if !i18n.Supported(lang) {
			fmt.Fprintf(os.Stderr, "samewords: no language %q (have %s)\n", lang, strings.Join(i18n.Languages(), ", "))
			os.Exit(2)
		}
		byText := map[string][]string{}
		for _, id := range i18n.IDs(lang) {
			byText[text(lang, id)] = append(byText[text(lang, id)], id)
		}
		var groups [][]string
		for t, ids := range byText {
			if len(ids) > 1 {
				groups = append(groups, append([]string{t}, ids...))
			}
		}
		sort.Slice(groups, func(i, j int) bool { return groups[i][1] < groups[j][1] })
		fmt.Printf("%s: %d texts said by more than one message\n", lang, len(groups))
		for _, g := range groups {
			fmt.Printf("  %q: %s\n", g[0], strings.Join(g[1:], " "))
		}
	}
}

// text is a message as one string: its plural forms joined, so that two
// messages match only when every form does.
func text(lang, id string) string {
	forms := i18n.Forms(lang, id)
	if forms == nil {
		return i18n.T(lang, id)
	}
	keys := make([]string, 0, len(forms))
	for k := range forms {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	var b strings.Builder
	for _, k := range keys {
		fmt.Fprintf(&b, "%s: %s; ", k, forms[k])
	}
	return strings.TrimSuffix(b.String(), "; ")
}
