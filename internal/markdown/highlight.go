package markdown

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// class is what a piece of code is, for its color.
type class uint8

const (
	plain   class = iota
	comment       // # or ; to the end of the line
	str           // a quoted string
	key           // a yaml or json key, a variable, a zone record's name
	number        // a number
	keyword       // a command, a keyword, a record type or class
	flag          // an option, an operator, punctuation
)

// token is a piece of code of one class. Tokens may span lines.
type token struct {
	s  string
	c  class
	at int // where s starts in the code
}

// lexers by the name a fence gives its language.
var lexers = map[string]func(string) []token{
	"bash": lexShell, "sh": lexShell, "shell": lexShell, "zsh": lexShell, "console": lexShell,
	"yaml": lexYAML, "yml": lexYAML,
	"json": lexJSON, "jsonc": lexJSON,
	"dns": lexZone, "zone": lexZone, "bind": lexZone,
	"powershell": lexPowerShell, "pwsh": lexPowerShell, "ps1": lexPowerShell,
}

// highlight splits code into tokens by its language; an unknown language
// (text, none) is one plain token.
func highlight(lang, code string) []token {
	if lex, ok := lexers[strings.ToLower(strings.TrimSpace(lang))]; ok {
		return lex(code)
	}
	return []token{{code, plain, 0}}
}

// scanner walks code and collects tokens; a plain token merges into the
// one before it when that one is plain too.
type scanner struct {
	s   string
	i   int
	out []token
}

func (sc *scanner) emit(n int, c class) {
	if n <= 0 {
		return
	}
	n = min(n, len(sc.s)-sc.i)
	start := sc.i
	sc.i += n
	if k := len(sc.out) - 1; k >= 0 && sc.out[k].c == c {
		sc.out[k].s = sc.s[sc.out[k].at:sc.i]
		return
	}
	sc.out = append(sc.out, token{sc.s[start:sc.i], c, start})
}

func (sc *scanner) rest() string { return sc.s[sc.i:] }

// toEOL is the length of the rest of the line.
func (sc *scanner) toEOL() int {
	if j := strings.IndexByte(sc.rest(), '\n'); j >= 0 {
		return j
	}
	return len(sc.rest())
}

// quoted is the length of the string that starts at the scanner, quote
// included, up to its closing quote (escaped with esc, 0 for none) or the
// end of the code.
func (sc *scanner) quoted(esc byte) int {
	r := sc.rest()
	q := r[0]
	for j := 1; j < len(r); j++ {
		switch r[j] {
		case esc:
			if esc != 0 {
				j++
			}
		case q:
			return j + 1
		}
	}
	return len(r)
}

// prevSpace reports whether the character before the scanner is a space
// or a line start.
func (sc *scanner) prevSpace() bool {
	return sc.i == 0 || strings.IndexByte(" \t\n", sc.s[sc.i-1]) >= 0
}

func isNumber(w string) bool {
	if w == "" {
		return false
	}
	digits := 0
	for i, r := range w {
		switch {
		case r >= '0' && r <= '9':
			digits++
		case r == '.' || r == '_' || r == 'e' || r == 'E' || ((r == '-' || r == '+') && (i == 0 || w[i-1] == 'e' || w[i-1] == 'E')):
		default:
			return false
		}
	}
	return digits > 0
}

// word is the length of the run of characters at the scanner that are none
// of stop, no space.
func (sc *scanner) word(stop string) int {
	r := sc.rest()
	for j, c := range r {
		if unicode.IsSpace(c) || strings.ContainsRune(stop, c) {
			return j
		}
	}
	return len(r)
}

// emitWord emits the word at the scanner (up to a space or one of stop) in
// the class classify gives it; a word left plain that is a number is a
// number. A character that starts no word is plain.
func (sc *scanner) emitWord(stop string, classify func(w string) class) {
	r := sc.rest()
	n := sc.word(stop)
	if n == 0 {
		sc.emit(runeLen(r), plain)
		return
	}
	c := classify(r[:n])
	if c == plain && isNumber(r[:n]) {
		c = number
	}
	sc.emit(n, c)
}

// through is the length of s up to the end of the first close found after
// its first skip bytes, or all of s when it is not closed.
func through(s string, skip int, close string) int {
	if j := strings.Index(s[min(skip, len(s)):], close); j >= 0 {
		return skip + j + len(close)
	}
	return len(s)
}

var shellKeywords = set("if then else elif fi for while until do done case esac in function select return break continue export local readonly unset set source time sudo")

// shellDeclares are the commands whose arguments are assignments.
var shellDeclares = set("export local readonly declare")

// isName reports whether s is a variable name.
func isName(s string) bool {
	for i := 0; i < len(s); i++ {
		if !isIdent(s[i]) {
			return false
		}
	}
	return s != "" && (s[0] < '0' || s[0] > '9')
}

// shellContinues are keywords after which a command starts.
var shellContinues = set("if then else elif do while until time sudo !")

func set(words string) map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(words) {
		m[w] = true
	}
	return m
}

// lexShell colors bash and sh: the command word of each command, its
// options, strings, variables, comments.
func lexShell(code string) []token {
	sc := &scanner{s: code}
	start := true    // the next word is a command
	declare := false // the words after export, local...: assignments
	for sc.i < len(code) {
		c := code[sc.i]
		r := sc.rest()
		switch {
		case c == '\n':
			start = sc.i == 0 || code[sc.i-1] != '\\' || start
			sc.emit(1, plain)
		case c == ' ' || c == '\t' || c == '\\':
			sc.emit(1, plain)
		case c == '#' && sc.prevSpace():
			sc.emit(sc.toEOL(), comment)
		case c == '\'':
			sc.emit(sc.quoted(0), str)
			start = false
		case c == '"':
			sc.emit(sc.quoted('\\'), str)
			start = false
		case c == '$' && start && (strings.HasPrefix(r, "$ ") || r == "$"):
			sc.emit(1, flag) // a prompt
		case strings.HasPrefix(r, "$("):
			sc.emit(2, flag)
			start = true
		case strings.HasPrefix(r, "${"):
			sc.emit(through(r, 2, "}"), key)
			start = false
		case c == '$':
			n := 1
			if n < len(r) && strings.IndexByte("?!#@*$0123456789", r[n]) >= 0 {
				n = 2
			} else {
				for n < len(r) && isIdent(r[n]) {
					n++
				}
			}
			sc.emit(n, key)
			start = false
		case strings.IndexByte(";|&(){}", c) >= 0:
			sc.emit(1, flag)
			start = c != ')'
		case c == '<' || c == '>':
			sc.emit(1, flag)
		default:
			const stop = ";|&(){}<>\"'$`"
			w := r[:sc.word(stop)]
			wasDeclare := declare
			declare = false
			if eq := strings.IndexByte(w, '='); (start || wasDeclare) && eq > 0 && isName(w[:eq]) {
				sc.emit(eq, key) // NAME=value
				sc.emit(1, flag)
				sc.emit(len(w)-eq-1, plain)
				declare = wasDeclare
				continue
			}
			sc.emitWord(stop, func(w string) class {
				switch {
				case start || shellKeywords[w]:
					start, declare = shellContinues[w], shellDeclares[w]
					return keyword
				case strings.HasPrefix(w, "-"):
					return flag
				}
				return plain
			})
		}
	}
	return sc.out
}

// runeLen is the length of the first character of s.
func runeLen(s string) int {
	_, n := utf8.DecodeRuneInString(s)
	return max(n, 1)
}

func isIdent(c byte) bool {
	return c == '_' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9'
}

var psKeywords = set("if else elseif foreach for while do until switch function filter param return try catch finally throw begin process end in break continue exit trap")

// lexPowerShell colors PowerShell: cmdlets and keywords, -Parameters and
// -operators, variables, strings, comments.
func lexPowerShell(code string) []token {
	sc := &scanner{s: code}
	start := true
	for sc.i < len(code) {
		c := code[sc.i]
		r := sc.rest()
		switch {
		case c == '\n':
			start = sc.i == 0 || code[sc.i-1] != '`' || start
			sc.emit(1, plain)
		case c == ' ' || c == '\t' || c == '`':
			sc.emit(1, plain)
		case strings.HasPrefix(r, "<#"):
			sc.emit(through(r, 2, "#>"), comment)
		case c == '#':
			sc.emit(sc.toEOL(), comment)
		case strings.HasPrefix(r, "@\"") || strings.HasPrefix(r, "@'"):
			sc.emit(through(r, 2, r[1:2]+"@"), str)
			start = false
		case c == '\'':
			sc.emit(sc.quoted(0), str)
			start = false
		case c == '"':
			sc.emit(sc.quoted('`'), str)
			start = false
		case c == '$':
			n := 1
			if strings.HasPrefix(r, "${") {
				n = through(r, 2, "}")
			} else {
				for n < len(r) && (isIdent(r[n]) || r[n] == ':' || (n == 1 && (r[n] == '?' || r[n] == '_'))) {
					n++
				}
			}
			sc.emit(n, key)
			start = false
		case strings.IndexByte("|;{}()", c) >= 0:
			sc.emit(1, flag)
			start = c != ')' && c != '}'
		case strings.IndexByte("[]=,<>!+*/%.", c) >= 0:
			sc.emit(1, flag)
		default:
			sc.emitWord("|;{}()[]=,\"'$`", func(w string) class {
				lw := strings.ToLower(w)
				switch {
				case psKeywords[lw]:
					start = lw != "in"
					return keyword
				case strings.HasPrefix(w, "-") && len(w) > 1 && !isNumber(w):
					return flag
				case start:
					start = false
					return keyword
				}
				return plain
			})
		}
	}
	return sc.out
}

var yamlWords = set("true false yes no on off null ~ True False Null TRUE FALSE NULL")

// lexYAML colors YAML line by line: keys, list dashes, strings, numbers,
// booleans and null, comments; block scalars (| and >) stay strings.
func lexYAML(code string) []token {
	sc := &scanner{s: code}
	block := -1 // indentation of the key that opened a block scalar; -1: none
	for sc.i < len(code) {
		line := sc.rest()[:sc.toEOL()]
		body := strings.TrimLeft(line, " ")
		indent := len(line) - len(body)
		switch {
		case block >= 0 && (body == "" || indent > block):
			sc.emit(len(line), str)
		default:
			sc.emit(indent, plain)
			block = yamlLine(sc, body, indent)
		}
		if sc.i < len(code) {
			sc.emit(1, plain) // the newline
		}
	}
	return sc.out
}

// yamlLine colors one line's content (after its indentation) and returns
// the indentation of a block scalar it opens, or -1.
func yamlLine(sc *scanner, body string, indent int) int {
	if body == "" {
		return -1
	}
	end := sc.i + len(body)
	lineStart := sc.i - indent
	if body == "---" || body == "..." || strings.HasPrefix(body, "#") {
		c := flag // a document marker
		if strings.HasPrefix(body, "#") {
			c = comment
		}
		sc.emit(len(body), c)
		return -1
	}
	for strings.HasPrefix(sc.s[sc.i:end], "- ") || sc.s[sc.i:end] == "-" {
		sc.emit(1, flag)
		n := len(sc.s[sc.i:end]) - len(strings.TrimLeft(sc.s[sc.i:end], " "))
		sc.emit(n, plain)
	}
	col := sc.i - lineStart
	rest := sc.s[sc.i:end]
	if k := yamlKey(rest); k > 0 {
		sc.emit(k, key)
		sc.emit(1, flag) // the colon
	}
	for sc.i < end {
		r := sc.s[sc.i:end]
		switch c := r[0]; {
		case c == ' ':
			sc.emit(1, plain)
		case c == '#' && sc.prevSpace():
			sc.emit(len(r), comment)
		case c == '"':
			sc.emit(min(sc.quoted('\\'), len(r)), str)
		case c == '\'':
			sc.emit(min(sc.quoted(0), len(r)), str)
		case (c == '|' || c == '>') && strings.TrimSpace(strings.TrimLeft(r[1:], "+-0123456789")) == "":
			sc.emit(len(r), flag)
			return col
		case strings.IndexByte("[]{},", c) >= 0:
			sc.emit(1, flag)
		case c == '&' || c == '*':
			sc.emit(max(1, wordIn(r, " ,]}")), keyword)
		default:
			n := max(1, wordIn(r, ",]}#"))
			w := strings.TrimSpace(r[:n])
			switch {
			case yamlWords[w]:
				sc.emit(n, keyword)
			case isNumber(w):
				sc.emit(n, number)
			default:
				sc.emit(n, plain)
			}
		}
	}
	return -1
}

// yamlKey is the length of a mapping key at the start of s (followed by
// ": " or a colon at the end), or 0.
func yamlKey(s string) int {
	if s == "" || strings.IndexByte("#[{&*!|>%@`-", s[0]) >= 0 {
		return 0
	}
	if s[0] == '"' || s[0] == '\'' {
		j := strings.IndexByte(s[1:], s[0])
		if j < 0 || !strings.HasPrefix(s[j+2:], ":") {
			return 0
		}
		if k := j + 2; k+1 == len(s) || s[k+1] == ' ' {
			return k
		}
		return 0
	}
	for j := 0; j < len(s); j++ {
		if s[j] == ':' && (j+1 == len(s) || s[j+1] == ' ') {
			return j
		}
		if s[j] == ' ' && j+1 < len(s) && s[j+1] == '#' {
			return 0
		}
	}
	return 0
}

// wordIn is the length of s up to the first of stop (a space before "#"
// for a comment).
func wordIn(s, stop string) int {
	for j := 0; j < len(s); j++ {
		if strings.IndexByte(stop, s[j]) >= 0 && (s[j] != '#' || j > 0 && s[j-1] == ' ') {
			return j
		}
	}
	return len(s)
}

// lexJSON colors JSON: keys, strings, numbers, true/false/null,
// punctuation.
func lexJSON(code string) []token {
	sc := &scanner{s: code}
	for sc.i < len(code) {
		r := sc.rest()
		switch c := r[0]; {
		case c == '"':
			n := sc.quoted('\\')
			after := strings.TrimLeft(r[n:], " \t\r\n")
			if strings.HasPrefix(after, ":") {
				sc.emit(n, key)
			} else {
				sc.emit(n, str)
			}
		case strings.IndexByte("{}[],:", c) >= 0:
			sc.emit(1, flag)
		case strings.HasPrefix(r, "//"):
			sc.emit(sc.toEOL(), comment)
		default:
			sc.emitWord("{}[],:\"", func(w string) class {
				if w == "true" || w == "false" || w == "null" {
					return keyword
				}
				return plain
			})
		}
	}
	return sc.out
}

var zoneWords = set("IN CH HS A AAAA CAA CNAME DNAME DNSKEY DS HINFO HTTPS MX NAPTR NS NSEC PTR RRSIG SOA SPF SRV SSHFP SVCB TLSA TXT")

// lexZone colors zone-file lines: a record's name, TTL, class and type,
// quoted strings, $ directives, comments.
func lexZone(code string) []token {
	sc := &scanner{s: code}
	for sc.i < len(code) {
		c := code[sc.i]
		switch {
		case c == '\n' || c == ' ' || c == '\t':
			sc.emit(1, plain)
		case c == ';':
			sc.emit(sc.toEOL(), comment)
		case c == '"':
			sc.emit(sc.quoted('\\'), str)
		case c == '(' || c == ')':
			sc.emit(1, flag)
		default:
			lineStart := sc.i == 0 || code[sc.i-1] == '\n'
			sc.emitWord("();\"", func(w string) class {
				switch {
				case lineStart && strings.HasPrefix(w, "$"):
					return keyword // $ORIGIN, $TTL
				case lineStart:
					return key // the record's name
				case zoneWords[strings.ToUpper(w)]:
					return keyword
				}
				return plain
			})
		}
	}
	return sc.out
}
