package tuitest

import (
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unicode/utf8"

	"pitstop/internal/i18n/i18ntest"
)

// The pseudo-locale check: with i18ntest's pseudo-locale installed, every
// message reads bracketed (⟦Ñó çhéçks rúñ.⟧), so a word on screen outside
// the brackets is English that did not come through the catalogue, unless
// it is data.

// allowed are the words that are data, not interface text, each with why.
// Key names, host names, addresses, check IDs and anything with a digit,
// dot, hyphen, slash or @ are data by their shape and need no entry here.
var allowed = map[string]string{
	// Names: the same in every language.
	"Pitstop": "the product", "API": "acronym", "CRM": "acronym", "SMTP": "protocol", "TLS": "protocol",
	"STARTTLS": "protocol command", "DNS": "protocol", "SPF": "DNS record", "DKIM": "DNS record",
	"DMARC": "DNS record", "BIMI": "DNS record", "TXT": "DNS record type", "HubSpot": "provider",
	"Gmail": "provider", "Redis": "product",
	// Setting values, shown as the config file spells them.
	"copycar": "api.provider", "hubspot": "crm.provider", "starttls": "smtp.security", "login": "smtp.auth",
	// Keys, as the help bar and the prompts name them.
	"enter": "key", "esc": "key", "space": "key", "tab": "key", "home": "key", "end": "key",
}

// dataShape matches a token that is data by its shape: it holds a digit or
// one of . - _ / @ : = + $ % # ~ ` (code, a fence's language).
var dataShape = regexp.MustCompile("[0-9._/@:=+$%#~`\\\\-]")

// wordRe finds candidate words: runs of letters, digits and data punctuation.
var wordRe = regexp.MustCompile("[\\p{L}\\p{N}._/@:=+$%#~`\\\\'-]+")

// asciiWord is three or more ASCII letters (an accented word is the
// pseudo-locale's, even when a truncation cut its bracket).
var asciiWord = regexp.MustCompile(`^[A-Za-z]{3,}$`)

// Bypasses returns the words of frame outside ⟦…⟧ that are neither data
// nor allowed. data are texts the frame may show as they are (what the user
// typed, a check's evidence lines), matched across wrapped lines. A bracket
// left open at the end of a line stays open on the next (a wrapped
// message, or a column beside); a "…" inside one is where a cut message
// ended.
func Bypasses(frame string, data ...string) []string {
	var outside strings.Builder
	depth, lineStart := 0, 0
	runes := []rune(frame)
	for i, r := range runes {
		switch {
		case r == '\n':
			lineStart = depth
		case string(r) == i18ntest.Open:
			depth++
			r = ' '
		case string(r) == i18ntest.Close:
			depth = max(0, depth-1)
			r = ' '
		case r == '…' && depth > 0 && (i+1 == len(runes) || string(runes[i+1]) != i18ntest.Close):
			// A message cut short: what it opened on this line ends here.
			if depth > lineStart {
				depth = lineStart
			} else {
				depth--
			}
			r = ' '
		case depth > 0:
			continue
		}
		outside.WriteRune(r)
	}
	text := " " + flatten(outside.String()) + " "
	for _, d := range data {
		if d = flatten(d); d != "" {
			text = removeWhole(text, d)
		}
	}
	var out []string
	for _, tok := range wordRe.FindAllString(text, -1) {
		tok = strings.Trim(tok, ".:'-")
		if dataShape.MatchString(tok) || !asciiWord.MatchString(tok) {
			continue
		}
		if _, ok := allowed[tok]; ok {
			continue
		}
		out = append(out, tok)
	}
	return out
}

// removeWhole blanks every whole-word occurrence of d in text: typed "spf"
// is not the middle of domain-spf-invalid.
func removeWhole(text, d string) string {
	inWord := func(r rune) bool { return unicode.IsLetter(r) || unicode.IsNumber(r) || r == '_' || r == '-' }
	var b strings.Builder
	for {
		i := strings.Index(text, d)
		if i < 0 {
			b.WriteString(text)
			return b.String()
		}
		before, _ := utf8.DecodeLastRuneInString(text[:i])
		after, _ := utf8.DecodeRuneInString(text[i+len(d):])
		whole := (i == 0 || !inWord(before)) && (i+len(d) == len(text) || !inWord(after))
		if whole {
			b.WriteString(text[:i] + " ")
		} else {
			b.WriteString(text[:i+len(d)])
		}
		text = text[i+len(d):]
	}
}

// flatten turns frames, scroll bars and separators between words into
// spaces, and every run of spaces and line breaks into one space.
func flatten(s string) string {
	s = strings.Map(func(r rune) rune {
		if strings.ContainsRune("│┃█▐▌░▒▓╭╮╰╯─•·›▸", r) {
			return ' '
		}
		return r
	}, s)
	return strings.Join(strings.Fields(s), " ")
}

// RequirePseudo fails when a frame shows a word that bypassed the catalogue.
func RequirePseudo(t testing.TB, what, frame string, data ...string) {
	t.Helper()
	words := Bypasses(frame, data...)
	if len(words) == 0 {
		return
	}
	words = compact(words)
	var lines []string
	for _, l := range strings.Split(frame, "\n") {
		for _, w := range words {
			if regexp.MustCompile(`\b` + w + `\b`).MatchString(l) {
				lines = append(lines, l)
				break
			}
		}
	}
	t.Errorf("%s: words outside the catalogue: %v\nin these lines:\n%s", what, words, strings.Join(lines, "\n"))
}

func compact(words []string) []string {
	slices.Sort(words)
	return slices.Compact(words)
}
