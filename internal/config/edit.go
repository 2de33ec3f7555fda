package config

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"pitstop/internal/i18n"
)

// Edit is one change to a profile's settings. Key is the dotted path under
// the profile ("smtp.port", "crm.field_mapping.company"); Value is a string,
// an int or a []string.
type Edit struct {
	Key   string
	Value any
}

// EditProfile returns the settings file data with the edits made to the
// named profile, changing only the text of the edited values: comments, key
// order, blank lines, quoting and everything else stay byte for byte. A value
// is replaced where it is written; a missing key is added after its section's
// last line, indented like its neighbours (a missing section is added too).
// The result is parsed, and each edited value read back, before it is
// returned. Multi-line values and block lists are not edited in place: the
// error says so.
func EditProfile(name string, data []byte, profile string, edits []Edit) ([]byte, error) {
	out := data
	for _, e := range edits {
		var err error
		out, err = editOne(out, profile, e)
		if err != nil {
			return nil, at(name, 0, newError(msgEditKey, e.Key).because(err))
		}
	}
	if _, err := Parse(name, out); err != nil {
		return nil, newError(msgEditWouldNotLoad, name).because(err)
	}
	return out, nil
}

// What editing says when it cannot, in locales/<lang>/config.yaml.
const (
	msgEditKey          i18n.Text = "config.edit.key"
	msgEditWouldNotLoad i18n.Text = "config.edit.would_not_load"
	msgEditNotYAML      i18n.Text = "config.edit.not_yaml"
	msgEditNoMapping    i18n.Text = "config.edit.no_mapping"
	msgEditNoProfiles   i18n.Text = "config.edit.no_profiles"
	msgEditNoProfile    i18n.Text = "config.edit.no_profile"
	msgEditNotSection   i18n.Text = "config.edit.not_section"
	msgEditNotFound     i18n.Text = "config.edit.not_found"
	msgEditOneLine      i18n.Text = "config.edit.one_line"
	msgEditSpans        i18n.Text = "config.edit.spans"
	msgEditBlock        i18n.Text = "config.edit.block"
	msgEditFlow         i18n.Text = "config.edit.flow"
	msgEditEmpty        i18n.Text = "config.edit.empty"
)

func editOne(data []byte, profile string, e Edit) ([]byte, error) {
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		return nil, newError(msgEditNotYAML).because(err)
	}
	if doc.Kind != yaml.DocumentNode || len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		return nil, newError(msgEditNoMapping)
	}
	profiles := lookup(doc.Content[0], "profiles")
	if profiles == nil || profiles.Kind != yaml.MappingNode {
		return nil, newError(msgEditNoProfiles)
	}
	prof := lookup(profiles, profile)
	if prof == nil || prof.Kind != yaml.MappingNode {
		return nil, newError(msgEditNoProfile, profile)
	}
	lines := splitLines(data)
	path := strings.Split(e.Key, ".")
	parent := prof
	for i, k := range path[:len(path)-1] {
		next := lookup(parent, k)
		if next == nil {
			// Add the missing sections and the value as new lines.
			return insertLines(lines, parent, path[i:], e.Value)
		}
		if next.Kind != yaml.MappingNode {
			return nil, newError(msgEditNotSection, strings.Join(path[:i+1], "."))
		}
		parent = next
	}
	last := path[len(path)-1]
	value := lookup(parent, last)
	if value == nil {
		return insertLines(lines, parent, path[len(path)-1:], e.Value)
	}
	if value.Kind == yaml.ScalarNode && value.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0 {
		return replaceBlock(lines, keyNode(parent, last), value, e.Value)
	}
	return replaceValue(lines, value, e.Value)
}

// keyNode returns the key node of key in mapping m.
func keyNode(m *yaml.Node, key string) *yaml.Node {
	for i := 0; i+1 < len(m.Content); i += 2 {
		if m.Content[i].Value == key {
			return m.Content[i]
		}
	}
	return nil
}

// replaceBlock replaces a block scalar ("key: |" and its indented lines)
// with the value on the key's line.
func replaceBlock(lines [][]byte, key, n *yaml.Node, v any) ([]byte, error) {
	if key == nil || n.Line < 1 || n.Line > len(lines) {
		return nil, newError(msgEditNotFound)
	}
	text, err := renderValue(v, 0)
	if err != nil {
		return nil, err
	}
	first := lines[n.Line-1]
	start := n.Column - 1
	if start < 0 || start > len(first) {
		return nil, newError(msgEditNotFound)
	}
	end := n.Line // index of the first line after the block
	for end < len(lines) {
		body := strings.TrimRight(string(lines[end]), "\r\n")
		indent := len(body) - len(strings.TrimLeft(body, " "))
		if strings.TrimSpace(body) != "" && indent <= key.Column-1 {
			break
		}
		end++
	}
	// Blank lines at the end of the block stay: they separate sections.
	for end > n.Line && strings.TrimSpace(string(lines[end-1])) == "" {
		end--
	}
	edited := append(append(append([]byte{}, first[:start]...), text...), '\n')
	out := append(append(append([][]byte{}, lines[:n.Line-1]...), edited), lines[end:]...)
	return bytes.Join(out, nil), nil
}

// splitLines splits data into lines that keep their line endings.
func splitLines(data []byte) [][]byte {
	return bytes.SplitAfter(data, []byte("\n"))
}

// renderValue writes a value as YAML on one line, in style (a scalar's
// quoting style is kept when it is replaced).
func renderValue(v any, style yaml.Style) (string, error) {
	switch v := v.(type) {
	case int:
		return strconv.Itoa(v), nil
	case string:
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v, Style: style &^ (yaml.LiteralStyle | yaml.FoldedStyle)}
		b, err := yaml.Marshal(n)
		if err != nil {
			return "", err
		}
		s := strings.TrimSuffix(string(b), "\n")
		if strings.Contains(s, "\n") {
			return "", newError(msgEditOneLine)
		}
		return s, nil
	case []string:
		parts := make([]string, len(v))
		for i, item := range v {
			s, err := renderValue(item, 0)
			if err != nil {
				return "", err
			}
			parts[i] = s
		}
		return "[" + strings.Join(parts, ", ") + "]", nil
	}
	return "", newError(msgValueType, fmt.Sprintf("%T", v))
}

// replaceValue replaces the text of a one-line value where it is written.
func replaceValue(lines [][]byte, n *yaml.Node, v any) ([]byte, error) {
	if n.Line < 1 || n.Line > len(lines) {
		return nil, newError(msgEditNotFound)
	}
	line := lines[n.Line-1]
	start := n.Column - 1
	if start < 0 || start > len(line) {
		return nil, newError(msgEditNotFound)
	}
	end, err := valueEnd(line, start, n)
	if err != nil {
		return nil, err
	}
	text, err := renderValue(v, n.Style)
	if err != nil {
		return nil, err
	}
	if n.Kind == yaml.ScalarNode && n.Tag == "!!null" && n.Value == "" {
		text = " " + text // "key:" with nothing after it
	}
	edited := append(append(append([]byte{}, line[:start]...), text...), line[end:]...)
	lines[n.Line-1] = edited
	return bytes.Join(lines, nil), nil
}

// valueEnd finds where a one-line value that starts at start ends.
func valueEnd(line []byte, start int, n *yaml.Node) (int, error) {
	body := strings.TrimRight(string(line), "\r\n")
	switch {
	case n.Kind == yaml.ScalarNode && n.Style&yaml.DoubleQuotedStyle != 0:
		for i := start + 1; i < len(body); i++ {
			switch body[i] {
			case '\\':
				i++
			case '"':
				return i + 1, nil
			}
		}
	case n.Kind == yaml.ScalarNode && n.Style&yaml.SingleQuotedStyle != 0:
		for i := start + 1; i < len(body); i++ {
			if body[i] == '\'' {
				if i+1 < len(body) && body[i+1] == '\'' {
					i++
					continue
				}
				return i + 1, nil
			}
		}
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) == 0:
		if n.Value == "" && n.Tag == "!!null" {
			return start, nil
		}
		end := len(body)
		if i := strings.Index(body[start:], " #"); i >= 0 {
			end = start + i
		}
		if inFlow := strings.LastIndexAny(body[:start], "{[") > strings.LastIndexAny(body[:start], "}]"); inFlow {
			if i := strings.IndexAny(body[start:], ",}]"); i >= 0 && start+i < end {
				end = start + i
			}
		}
		end = start + len(strings.TrimRight(body[start:end], " \t"))
		if strings.TrimRight(body[start:end], " \t") != n.Value && !plainMatches(body[start:end], n.Value) {
			return 0, newError(msgEditSpans)
		}
		return end, nil
	case n.Kind == yaml.SequenceNode && n.Style&yaml.FlowStyle != 0 && start < len(body) && body[start] == '[':
		depth := 0
		for i := start; i < len(body); i++ {
			switch body[i] {
			case '[':
				depth++
			case ']':
				depth--
				if depth == 0 {
					return i + 1, nil
				}
			}
		}
	}
	return 0, newError(msgEditBlock)
}

// plainMatches reports whether a plain scalar's text reads as value (numbers
// and booleans are written as they are).
func plainMatches(text, value string) bool {
	var v any
	if err := yaml.Unmarshal([]byte(text), &v); err != nil {
		return false
	}
	return fmt.Sprint(v) == value
}

// lastLine is the last line a node's text reaches.
func lastLine(n *yaml.Node) int {
	l := n.Line
	for _, c := range n.Content {
		if cl := lastLine(c); cl > l {
			l = cl
		}
	}
	return l
}

// insertLines adds keys (a path of sections ending in the value's key) after
// the last line of mapping parent, indented like parent's keys.
func insertLines(lines [][]byte, parent *yaml.Node, keys []string, v any) ([]byte, error) {
	if parent.Style&yaml.FlowStyle != 0 {
		return nil, newError(msgEditFlow)
	}
	if len(parent.Content) == 0 {
		return nil, newError(msgEditEmpty)
	}
	indent := parent.Content[0].Column - 1
	text, err := renderValue(v, 0)
	if err != nil {
		return nil, err
	}
	var add []byte
	for i, k := range keys {
		pad := strings.Repeat(" ", indent+2*i)
		if i == len(keys)-1 {
			add = append(add, fmt.Sprintf("%s%s: %s\n", pad, k, text)...)
		} else {
			add = append(add, fmt.Sprintf("%s%s:\n", pad, k)...)
		}
	}
	after := lastLine(parent)
	if after > len(lines) {
		after = len(lines)
	}
	// A last line without its line ending gets one first.
	if after > 0 && !bytes.HasSuffix(lines[after-1], []byte("\n")) {
		lines[after-1] = append(append([]byte{}, lines[after-1]...), '\n')
	}
	out := make([][]byte, 0, len(lines)+1)
	out = append(out, lines[:after]...)
	out = append(out, add)
	out = append(out, lines[after:]...)
	return bytes.Join(out, nil), nil
}
