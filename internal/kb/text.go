package kb

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldRune lower-cases r and drops the accent of the Latin letters Spanish
// (and French, Portuguese) use, so "Autenticación" and "autenticacion" are
// the same word.
func foldRune(r rune) rune {
	if r < utf8.RuneSelf {
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	}
	r = unicode.ToLower(r)
	switch r {
	case 'á', 'à', 'â', 'ä', 'ã', 'å':
		return 'a'
	case 'é', 'è', 'ê', 'ë':
		return 'e'
	case 'í', 'ì', 'î', 'ï':
		return 'i'
	case 'ó', 'ò', 'ô', 'ö', 'õ':
		return 'o'
	case 'ú', 'ù', 'û', 'ü':
		return 'u'
	case 'ñ':
		return 'n'
	case 'ç':
		return 'c'
	}
	return r
}

// fold lower-cases s and drops accents.
func fold(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= utf8.RuneSelf || ('A' <= c && c <= 'Z') {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	return strings.Map(foldRune, s)
}

func isDigit(b byte) bool { return '0' <= b && b <= '9' }

// Byte classes of ASCII for scanWords.
const (
	sepByte   = iota // ends a word
	wordByte         // a-z, 0-9
	upperByte        // A-Z
	dotByte          // '.', inside a word only between digits
)

var asciiClass = func() (t [utf8.RuneSelf]uint8) {
	for c := 'a'; c <= 'z'; c++ {
		t[c] = wordByte
	}
	for c := '0'; c <= '9'; c++ {
		t[c] = wordByte
	}
	for c := 'A'; c <= 'Z'; c++ {
		t[c] = upperByte
	}
	t['.'] = dotByte
	return t
}()

// scanWords calls yield with each word of s: where it is in s and its
// folded form, in a buffer that is only valid during the call. A dot
// between digits stays inside the word, so "5.7.8" is one word; underscores
// and hyphens split words.
func scanWords(s string, yield func(start, end int, folded []byte)) {
	var buf [64]byte
	folded := buf[:0]
	start := -1
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			class := asciiClass[c]
			switch {
			case class == upperByte:
				c += 'a' - 'A'
			case class == dotByte && (start < 0 || !isDigit(s[i-1]) || i+1 == len(s) || !isDigit(s[i+1])):
				class = sepByte
			}
			i++
			if class == sepByte {
				if start >= 0 {
					yield(start, i-1, folded)
					folded, start = folded[:0], -1
				}
				continue
			}
			if start < 0 {
				start = i - 1
			}
			folded = append(folded, c)
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			if start < 0 {
				start = i
			}
			folded = utf8.AppendRune(folded, foldRune(r))
		} else if start >= 0 {
			yield(start, i, folded)
			folded, start = folded[:0], -1
		}
		i += size
	}
	if start >= 0 {
		yield(start, len(s), folded)
	}
}

// words calls yield with each word of s as written (not folded).
func words(s string, yield func(word string)) {
	scanWords(s, func(start, end int, _ []byte) { yield(s[start:end]) })
}

// term turns a word into the form the index uses: folded, a light plural
// stem, and "" for stop words and words too short to mean anything.
func term(word string) string { return foldedTerm(fold(word)) }

// foldedTerm is term for a word that is already folded.
func foldedTerm(w string) string {
	if len(w) < 2 || stopWords[w] || shortNumber(w) {
		return ""
	}
	return stem(w)
}

// shortNumber reports whether w is a number of fewer than three digits,
// or a two-character word with a digit ("53", "1.1", "v2"): noise in
// pasted text, where "429" or "5.7.8" are not.
func shortNumber(w string) bool {
	digits, others := 0, 0
	for i := 0; i < len(w); i++ {
		switch {
		case isDigit(w[i]):
			digits++
		case w[i] != '.':
			others++
		}
	}
	if others == 0 {
		return digits < 3
	}
	return len(w) == 2 && digits > 0
}

// stem strips a plural ending, the same way for English and Spanish:
// "requests" → "request", "errores" → "error", "peticiones" → "peticion".
func stem(w string) string {
	w = pluralStem(w)
	if len(w) > stemLen && !isDigit(w[0]) {
		w = w[:stemLen]
		for len(w) > 0 && !utf8.ValidString(w) {
			w = w[:len(w)-1]
		}
	}
	return w
}

const stemLen = 6

func pluralStem(w string) string {
	n := len(w)
	if n < 4 || isDigit(w[n-1]) || w[n-1] != 's' || w[n-2] == 's' || w[n-2] == 'u' || w[n-2] == 'i' {
		return w
	}
	if n > 5 && w[n-2] == 'e' && strings.IndexByte("rlndz", w[n-3]) >= 0 {
		return w[:n-2]
	}
	return w[:n-1]
}

// terms calls yield with each index term of s and the word it came from.
func terms(s string, yield func(term, word string)) {
	scanWords(s, func(start, end int, folded []byte) {
		if t := foldedTerm(string(folded)); t != "" {
			yield(t, s[start:end])
		}
	})
}

// stopWords are dropped from matching: common English and Spanish words and
// the noise of pasted JSON and URLs.
var stopWords = func() map[string]bool {
	list := `a about after again all also am an and any are as at be because been before being but by can
could did do does doing done each either else even ever few for from get gets got had has have having he her
here hers him his how however i if in into is it its itself just let like may me might more most much must my
no nor not now of off on once one only or other our out over own per please same see she should since so some
still such than that the their them then there these they this those through to too under until up upon us very
via was we were what when where whether which while who whom why will with within without would yet you your
yours also use used using need needs make makes new
al algo alguna alguno algunos ante antes aqui asi aun bajo bien cada casi como con contra cual cuales cuando
de del desde donde dos el ella ellas ellos en entre era eres es esa ese eso esta estan estar este esto estos
fue ha hace hacer han has hasta hay la las le les lo los mas me mi mis muy ni no nos o os otra otro para
pero poco por porque puede pueden que se sea segun ser si sin sobre solo son su sus tambien te tiene tienen
todo todos tu tus un una uno unos usa usar va vas ya yo
null true false http https www com org net html json`
	m := map[string]bool{}
	for _, w := range strings.Fields(list) {
		m[w] = true
	}
	return m
}()
