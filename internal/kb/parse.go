package kb

import (
	"bytes"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
)

// Categories lists the valid article categories, in the order they are shown.
var Categories = []string{
	"api", "performance", "content", "email", "crm", "workflow",
	"security", "data", "operations", "support",
}

// Severities lists the valid article severities, worst first.
var Severities = []string{"critical", "high", "medium", "low"}

// sectionKeys are the catalogue keys (kb.section.<key>) of the headings
// every article must have, in order.
var sectionKeys = []string{"see", "why", "fix", "prevent", "escalate"}

// Sections returns the headings ("## What you see" ...) every article in
// lang must have, in order.
func Sections(lang string) []string {
	out := make([]string, len(sectionKeys))
	for i, k := range sectionKeys {
		out[i] = "## " + i18n.T(lang, "kb.section."+k)
	}
	return out
}

// Problem is one thing wrong with an article file, at a line (1-based; 0
// when the problem concerns the whole file).
type Problem struct {
	File string `json:"file"`
	Line int    `json:"line"`
	Msg  string `json:"message"`
	// Warn marks a problem that does not fail lint (an article due for
	// review): it is reported, and the exit code stays 0.
	Warn bool `json:"warning,omitempty"`

	// key and args are the message in the catalogue (kb.lint.<key>); Msg
	// is it in English until In gives another language.
	key  string
	args []any
	lang string
}

// problem is a Problem whose message is the catalogue's kb.lint.<key>.
func problem(file string, line int, key string, args ...any) Problem {
	return Problem{File: file, Line: line, key: key, args: args, Msg: i18n.T(i18n.English, "kb.lint."+key, args...)}
}

// In returns the problem with its message in lang.
func (p Problem) In(lang string) Problem {
	if p.key != "" {
		p.Msg = i18n.T(lang, "kb.lint."+p.key, p.args...)
	}
	p.lang = lang
	return p
}

// String formats the problem as "file:line: message" ("file:line:
// warning: message" for a warning). The file name and the message may
// quote an overlay article's own text (a pattern that does not compile),
// so control characters and escape sequences are stripped.
func (p Problem) String() string {
	msg := p.Msg
	if p.Warn {
		msg = i18n.T(p.lang, "kb.lint.warning", msg)
	}
	file, msg := config.StripControls(p.File), config.StripControls(msg)
	if p.Line > 0 {
		return fmt.Sprintf("%s:%d: %s", file, p.Line, msg)
	}
	return fmt.Sprintf("%s: %s", file, msg)
}

// String formats the warning as "file:line: message".
func (w Warning) String() string { return w.problem.String() }

// In returns the warning with its message in lang.
func (w Warning) In(lang string) Warning {
	w.problem = w.problem.In(lang)
	w.Msg = w.problem.Msg
	return w
}

// parsed is an article as read from one file, with the line of each
// front-matter field (for messages) and its compiled patterns.
type parsed struct {
	art       *Article
	lines     map[string]int // front-matter key → file line
	bodyLine  int            // file line where the body starts
	patterns  []*regexp.Regexp
	fatal     []Problem // the article cannot be used
	problems  []Problem // the article loads but lint would complain
	headingAt map[string]int
}

// problemAt records a problem on line (0 = whole file).
func (p *parsed) problemAt(fatal bool, line int, key string, a ...any) {
	pr := problem(p.art.Source, line, key, a...)
	if fatal {
		p.fatal = append(p.fatal, pr)
	} else {
		p.problems = append(p.problems, pr)
	}
}

// all returns fatal and lint problems together.
func (p *parsed) all() []Problem { return append(append([]Problem(nil), p.fatal...), p.problems...) }

// line returns the file line of a front-matter key, or 1.
func (p *parsed) line(key string) int {
	if l, ok := p.lines[key]; ok {
		return l
	}
	return 1
}

// parseArticle reads one article file. It never fails: whatever is wrong is
// in the returned fatal (unusable) or problems (lint) lists. Patterns are
// compiled (and checked) only when compile is set: the embedded articles are
// linted, and their patterns are compiled when first needed.
func parseArticle(source, lang string, data []byte, compile bool) *parsed {
	p := &parsed{art: &Article{Lang: lang, Source: source}, lines: map[string]int{}}
	data = bytes.TrimPrefix(data, []byte("\xef\xbb\xbf"))
	front, body, bodyLine, ok := splitFrontMatter(data)
	if !ok {
		p.problemAt(true, 1, "no_front")
		return p
	}
	p.bodyLine = bodyLine
	p.art.Body = body
	p.decodeFront(front)
	if len(p.fatal) > 0 {
		return p
	}
	p.validate(compile)
	return p
}

// splitFrontMatter cuts "---\n<yaml>\n---\n<body>". bodyLine is the file line
// where the body starts.
func splitFrontMatter(data []byte) (front []byte, body string, bodyLine int, ok bool) {
	first, rest, found := bytes.Cut(data, []byte("\n"))
	if !found || strings.TrimSpace(string(first)) != "---" {
		return nil, "", 0, false
	}
	line := 2
	start := rest
	for len(rest) > 0 {
		l, next, _ := bytes.Cut(rest, []byte("\n"))
		if t := strings.TrimSpace(string(l)); t == "---" || t == "..." {
			front = start[:len(start)-len(rest)]
			return front, strings.ReplaceAll(string(next), "\r\n", "\n"), line + 1, true
		}
		rest = next
		line++
	}
	return nil, "", 0, false
}

// decodeFront reads the YAML front matter field by field so that every
// problem can name its line. YAML line n is file line n+1.
func (p *parsed) decodeFront(front []byte) {
	doc, err := parseFront(front)
	if err != nil {
		p.problemAt(true, yamlErrLine(err)+1, "bad_yaml", yamlErrText(err))
		return
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		p.problemAt(true, 2, "not_fields")
		return
	}
	m := doc.Content[0]
	a := p.art
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		line := k.Line + 1
		if _, dup := p.lines[k.Value]; dup {
			p.problemAt(true, line, "twice", k.Value)
			continue
		}
		p.lines[k.Value] = line
		switch k.Value {
		case "id":
			p.scalar(v, k.Value, &a.ID)
		case "title":
			p.scalar(v, k.Value, &a.Title)
		case "category":
			p.scalar(v, k.Value, &a.Category)
		case "severity":
			p.scalar(v, k.Value, &a.Severity)
		case "symptoms":
			p.list(v, k.Value, &a.Symptoms)
		case "patterns":
			p.list(v, k.Value, &a.Patterns)
		case "checks":
			p.list(v, k.Value, &a.Checks)
		case "related":
			p.list(v, k.Value, &a.Related)
		case "sources":
			p.list(v, k.Value, &a.Sources)
		case "reviewed":
			p.scalar(v, k.Value, &a.Reviewed)
		case "provider":
			p.scalar(v, k.Value, &a.Provider)
		default:
			p.problemAt(false, line, "unknown_field", k.Value)
		}
	}
}

func (p *parsed) scalar(v *yaml.Node, key string, dst *string) {
	if v.Kind != yaml.ScalarNode {
		p.problemAt(true, v.Line+1, "scalar", key)
		return
	}
	*dst = strings.TrimSpace(v.Value)
}

func (p *parsed) list(v *yaml.Node, key string, dst *[]string) {
	if v.Kind == yaml.ScalarNode && v.Tag == "!!null" {
		return
	}
	if v.Kind != yaml.SequenceNode {
		p.problemAt(true, v.Line+1, "list", key)
		return
	}
	out := make([]string, 0, len(v.Content))
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode {
			p.problemAt(true, item.Line+1, "item", key)
			continue
		}
		out = append(out, item.Value)
	}
	*dst = out
}

// validate checks what one file can tell on its own. Missing identity,
// unknown category or severity, and patterns that do not compile make the
// article unusable; the rest is for lint.
func (p *parsed) validate(compile bool) {
	a := p.art
	for _, f := range []struct {
		name, value string
	}{{"id", a.ID}, {"title", a.Title}, {"category", a.Category}, {"severity", a.Severity}} {
		if f.value == "" {
			p.problemAt(true, p.line(f.name), "missing", f.name)
		}
	}
	if a.Category != "" && !slices.Contains(Categories, a.Category) {
		p.problemAt(true, p.line("category"), "category", a.Category, strings.Join(Categories, ", "))
	}
	if a.Severity != "" && !slices.Contains(Severities, a.Severity) {
		p.problemAt(true, p.line("severity"), "severity", a.Severity, strings.Join(Severities, ", "))
	}
	if a.Provider != "" && !slices.Contains(Providers(), a.Provider) {
		p.problemAt(false, p.line("provider"), "provider", a.Provider, strings.Join(Providers(), ", "))
	}
	if want := idProvider(a.ID); want != "" && a.Provider != want {
		p.problemAt(false, p.line("provider"), "provider_id", want)
	}
	if len(a.Symptoms) == 0 {
		p.problemAt(false, p.line("symptoms"), "no_symptoms")
	}
	if len(a.Sources) == 0 {
		p.problemAt(false, p.line("sources"), "no_sources")
	}
	for _, src := range a.Sources {
		if u, err := url.Parse(src); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			p.problemAt(false, p.line("sources"), "source", src)
		}
	}
	if a.Reviewed == "" {
		p.problemAt(false, p.line("reviewed"), "no_reviewed")
	} else if _, err := time.Parse(time.DateOnly, a.Reviewed); err != nil {
		p.problemAt(false, p.line("reviewed"), "reviewed", a.Reviewed)
	}
	for _, pat := range a.Patterns {
		if !compile {
			break
		}
		re, err := regexp.Compile(pat)
		if err != nil {
			p.problemAt(true, p.line("patterns"), "pattern", pat, err)
			continue
		}
		p.patterns = append(p.patterns, re)
	}
	p.headingAt = map[string]int{}
	line := p.bodyLine
	for l := range strings.Lines(a.Body) {
		h := strings.TrimRight(l, " \t\r\n")
		if strings.HasPrefix(h, "## ") {
			if _, seen := p.headingAt[h]; !seen {
				p.headingAt[h] = line
			}
		}
		line++
	}
	for _, h := range Sections(a.Lang) {
		if _, ok := p.headingAt[h]; !ok {
			p.problemAt(false, p.bodyLine, "section", h)
		}
	}
}

var yamlLineRE = regexp.MustCompile(`line (\d+)`)

// yamlErrLine finds the YAML line an error names (1 when it names none).
// yaml.v3 counts the lines of its parser errors ("did not find expected
// ...") from 0 and those of its scanner errors from 1.
func yamlErrLine(err error) int {
	m := yamlLineRE.FindStringSubmatch(err.Error())
	if m == nil {
		return 1
	}
	n, _ := strconv.Atoi(m[1])
	if strings.Contains(err.Error(), "did not find expected") {
		n++
	}
	return n
}

// yamlErrText drops the "yaml: line N:" prefix: the caller gives the line.
func yamlErrText(err error) string {
	s := strings.TrimPrefix(err.Error(), "yaml: ")
	if i := strings.Index(s, ": "); i >= 0 && strings.HasPrefix(s, "line ") {
		s = s[i+2:]
	}
	return s
}

// Word is an article's severity or category as a plain word in lang
// (kb.word.<id>), or id itself for one Pitstop has no word for (an overlay
// article's own category).
func Word(lang, id string) string { return i18n.Or(lang, "kb.word."+id, id) }
