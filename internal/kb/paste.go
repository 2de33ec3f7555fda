package kb

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// unpaste undoes what logging did to an error message before it reached
// the user: the escapes of a JSON or Python string (a log line holding
// "...not accepted.\n5.7.8 https://..." or {\"error\":...}) become the
// characters they stand for, twice at most for text escaped twice, and the
// repeated code at the start of each line of a multi-line SMTP reply
// ("550-5.7.26 ... fails to pass\n550-5.7.26 authentication checks") is
// dropped, so the reply reads as the one sentence it is.
func unpaste(s string) string {
	for range 2 {
		if !strings.Contains(s, `\`) {
			break
		}
		s = unescape(s)
	}
	return joinSMTPReply(s)
}

// unescape replaces \n, \r, \t, \", \/ and \\ by what they stand for.
func unescape(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c != '\\' || i+1 == len(s) {
			b.WriteByte(c)
			continue
		}
		switch s[i+1] {
		case 'n':
			b.WriteByte('\n')
		case 'r':
			if strings.HasPrefix(s[i+2:], `\n`) {
				i += 2
			}
			b.WriteByte('\n')
		case 't':
			b.WriteByte(' ')
		case '"', '/', '\\', '\'':
			b.WriteByte(s[i+1])
		default:
			b.WriteByte(c)
			continue
		}
		i++
	}
	return b.String()
}

// joinSMTPReply drops the reply code (and enhanced status code) that starts
// each continuation line of a multi-line SMTP reply: a line following one
// that started with "550-" and itself starting with "550-" or "550 ".
func joinSMTPReply(s string) string {
	if !strings.Contains(s, "\n") {
		return s
	}
	lines := strings.Split(s, "\n")
	prevCode := ""
	for i, l := range lines {
		trimmed := strings.TrimLeft(l, " \t")
		code, rest, cont := replyCode(trimmed)
		if code != "" && code == prevCode {
			lines[i] = rest
		}
		prevCode = ""
		if cont {
			prevCode = code
		}
	}
	return strings.Join(lines, "\n")
}

// replyCode reads "550-5.7.26 text" or "550 5.7.26 text": the code, the
// text after the codes, and whether the reply continues on the next line.
func replyCode(l string) (code, rest string, cont bool) {
	if len(l) < 4 || !isDigit(l[0]) || !isDigit(l[1]) || !isDigit(l[2]) || (l[3] != '-' && l[3] != ' ') {
		return "", "", false
	}
	code, rest, cont = l[:3], l[4:], l[3] == '-'
	// An enhanced status code (5.7.26) after the reply code goes too.
	if len(rest) > 4 && isDigit(rest[0]) && rest[1] == '.' {
		if end := strings.IndexByte(rest, ' '); end > 0 && strings.Count(rest[:end], ".") == 2 {
			rest = rest[end:]
		}
	}
	return code, strings.TrimLeft(rest, " "), cont
}

// flattenSpace returns s with every run of white space (line breaks
// included) made one space, and for each byte offset of the result (and
// its end) the offset in s it came from; nil offsets when s is already flat
// and comes back unchanged.
func flattenSpace(s string) (string, []int) {
	if !needsFlattening(s) {
		return s, nil // already flat: offsets are the same
	}
	var b strings.Builder
	b.Grow(len(s))
	at := make([]int, 0, len(s)+1)
	space := false
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if unicode.IsSpace(r) {
			if !space {
				b.WriteByte(' ')
				at = append(at, i)
			}
			space = true
			i += size
			continue
		}
		space = false
		b.WriteString(s[i : i+size])
		for range size {
			at = append(at, i)
			i++
		}
	}
	at = append(at, len(s))
	return b.String(), at
}

// needsFlattening reports whether s has white space other than single
// spaces between words.
func needsFlattening(s string) bool {
	prevSpace := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == ' ':
			if prevSpace {
				return true
			}
			prevSpace = true
		case c == '\n' || c == '\r' || c == '\t' || c == '\v' || c == '\f' || c >= 0x80:
			return true // line breaks, tabs, and non-ASCII spaces
		default:
			prevSpace = false
		}
	}
	return false
}
