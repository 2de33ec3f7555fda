package kb

import (
	"bytes"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// parseFront parses front matter into a YAML node tree. Articles use a small
// regular shape (one "key: value" per line, values plain or quoted scalars
// or one-line [lists]); quickFront reads that shape directly, which is some
// fifty times faster than the full YAML parser, and hands anything else —
// comments, block lists, escapes, errors — to yaml.v3. Both give the same
// nodes (FuzzQuickFront checks it).
func parseFront(front []byte) (*yaml.Node, error) {
	if n, ok := quickFront(front); ok {
		return n, nil
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(front, &doc); err != nil {
		return nil, err
	}
	return &doc, nil
}

// quickFront builds the document node for front matter of the simple shape,
// or reports false.
func quickFront(front []byte) (*yaml.Node, bool) {
	m := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map", Line: 1, Column: 1}
	line := 0
	for len(front) > 0 {
		var l []byte
		l, front, _ = bytes.Cut(front, []byte("\n"))
		line++
		if len(bytes.TrimSpace(l)) == 0 {
			if len(l) > 0 {
				return nil, false // whitespace-only lines: let YAML decide
			}
			continue
		}
		if !printable(l) {
			return nil, false
		}
		colon := bytes.IndexByte(l, ':')
		if colon <= 0 || !isKey(l[:colon]) || colon+1 >= len(l) || l[colon+1] != ' ' {
			return nil, false
		}
		key := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: string(l[:colon]), Line: line, Column: 1}
		rest := string(l[colon+1:])
		col := colon + 2 + len(rest) - len(strings.TrimLeft(rest, " "))
		rest = strings.TrimLeft(rest, " ")
		var value *yaml.Node
		if strings.HasPrefix(rest, "[") {
			value = quickList(rest)
		} else {
			value = quickScalar(rest, false)
		}
		if value == nil {
			return nil, false
		}
		value.Line, value.Column = line, col
		for _, item := range value.Content {
			item.Line = line
		}
		m.Content = append(m.Content, key, value)
	}
	if len(m.Content) == 0 {
		return nil, false
	}
	m.Line = m.Content[0].Line
	return &yaml.Node{Kind: yaml.DocumentNode, Line: m.Line, Column: 1, Content: []*yaml.Node{m}}, true
}

// quickScalar reads a whole value: 'single', "double" (no escapes) or plain.
// In a flow list (inFlow), plain values are restricted further.
func quickScalar(s string, inFlow bool) *yaml.Node {
	s = strings.TrimRight(s, " ")
	if s == "" {
		return nil
	}
	switch s[0] {
	case '\'':
		if len(s) < 2 || s[len(s)-1] != '\'' {
			return nil
		}
		inner := s[1 : len(s)-1]
		if strings.Count(strings.ReplaceAll(inner, "''", ""), "'") > 0 {
			return nil
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.SingleQuotedStyle, Value: strings.ReplaceAll(inner, "''", "'")}
	case '"':
		if len(s) < 2 || s[len(s)-1] != '"' {
			return nil
		}
		inner := s[1 : len(s)-1]
		if strings.ContainsAny(inner, `"\`) {
			return nil
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Style: yaml.DoubleQuotedStyle, Value: inner}
	}
	if !inFlow && isDate(s) {
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!timestamp", Value: s}
	}
	if !plainOK(s, inFlow) {
		return nil
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
}

// isDate reports whether s is a plain date like 2026-12-01, which YAML
// reads as a timestamp (the reviewed field).
func isDate(s string) bool {
	if len(s) != len("2006-01-02") || s[4] != '-' || s[7] != '-' {
		return false
	}
	for i := 0; i < len(s); i++ {
		if i != 4 && i != 7 && !isDigit(s[i]) {
			return false
		}
	}
	_, err := time.Parse(time.DateOnly, s) // YAML reads an impossible date as text
	return err == nil
}

// quickList reads a one-line flow list: [a, 'b', "c"].
func quickList(s string) *yaml.Node {
	s = strings.TrimRight(s, " ")
	if len(s) < 2 || s[len(s)-1] != ']' {
		return nil
	}
	list := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq", Style: yaml.FlowStyle}
	inner := strings.TrimSpace(s[1 : len(s)-1])
	for inner != "" {
		var item string
		switch inner[0] {
		case '\'':
			end := 1
			for {
				i := strings.IndexByte(inner[end:], '\'')
				if i < 0 {
					return nil
				}
				end += i + 1
				if end < len(inner) && inner[end] == '\'' {
					end++ // '' inside single quotes
					continue
				}
				break
			}
			item, inner = inner[:end], inner[end:]
		case '"':
			i := strings.IndexByte(inner[1:], '"')
			if i < 0 {
				return nil
			}
			item, inner = inner[:i+2], inner[i+2:]
		default:
			i := strings.IndexByte(inner, ',')
			if i < 0 {
				i = len(inner)
			}
			item, inner = inner[:i], inner[i:]
		}
		n := quickScalar(item, true)
		if n == nil {
			return nil
		}
		list.Content = append(list.Content, n)
		inner = strings.TrimLeft(inner, " ")
		if inner == "" {
			break
		}
		if inner[0] != ',' {
			return nil
		}
		inner = strings.TrimLeft(inner[1:], " ")
		if inner == "" {
			return nil // a trailing comma: let YAML decide
		}
	}
	return list
}

// plainOK accepts plain scalars that YAML reads as the same text string:
// no indicator at the start, no ": " or " #", nothing YAML would read as
// null, a bool or a number (their Value would be the same, but not their
// tag), and in a flow list only letters, digits and ". _ / -" with spaces.
func plainOK(s string, inFlow bool) bool {
	if strings.ContainsRune("-?:,[]{}#&*!|>'\"%@` ", rune(s[0])) {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	if !unicode.IsLetter(rune(s[0])) && s[0] < utf8.RuneSelf {
		return false // numbers and anything odd: let YAML type them
	}
	switch strings.ToLower(s) {
	case "null", "true", "false", "yes", "no", "on", "off", "y", "n":
		return false
	}
	if inFlow {
		for _, r := range s {
			if !(unicode.IsLetter(r) || unicode.IsDigit(r) || strings.ContainsRune("._/- ", r)) {
				return false
			}
		}
	}
	return true
}

func isKey(b []byte) bool {
	for _, c := range b {
		if !('a' <= c && c <= 'z' || c == '_') {
			return false
		}
	}
	return true
}

// printable rejects tabs, control characters and the line and byte-order
// marks YAML treats specially.
func printable(l []byte) bool {
	for i := 0; i < len(l); {
		c := l[i]
		if c < utf8.RuneSelf {
			if c < 0x20 || c == 0x7f {
				return false
			}
			i++
			continue
		}
		r, size := utf8.DecodeRune(l[i:])
		if r == utf8.RuneError || r == 0x85 || r == 0x2028 || r == 0x2029 || r == 0xfeff || !unicode.IsPrint(r) {
			return false
		}
		i += size
	}
	return true
}
