package tui_test

import (
	"bytes"
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"reflect"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	tea "charm.land/bubbletea/v2"
	"github.com/stretchr/testify/require"
	"go.yaml.in/yaml/v3"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/escalate"
	"pitstop/internal/i18n"
	"pitstop/internal/i18n/i18ntest"
	"pitstop/internal/kb"
	"pitstop/internal/race"
	"pitstop/internal/tui"
	"pitstop/internal/tui/accessible"
	"pitstop/internal/tui/common"
	"pitstop/internal/tui/tuitest"
	"pitstop/knowledge"
)

// The pseudo-locale test draws every screen with every message bracketed
// (⟦Ñó çhéçks rúñ.⟧): a word on screen outside the brackets is English that
// did not come through the catalogue, unless it is data. The checks are the
// real ones against the sandbox, so their summaries come through
// locales/*/checks.yaml; the articles are the knowledge base with their
// titles, symptoms and text bracketed the same way, standing in for a
// knowledge/<lang>/ folder.

var (
	pseudoOnce       sync.Once
	pseudoErr        error
	pseudoKB         *kb.Base
	pseudoPolicy     *escalate.Policy
	pseudoChecklists *escalate.Checklists
)

// installPseudo installs the pseudo-locale and builds its knowledge base
// (once per test binary).
func installPseudo(t *testing.T) *kb.Base {
	t.Helper()
	pseudoOnce.Do(func() {
		if pseudoErr = i18ntest.Install(); pseudoErr != nil {
			return
		}
		if pseudoKB, pseudoErr = pseudoKnowledge(); pseudoErr != nil {
			return
		}
		if pseudoPolicy, pseudoErr = escalate.LoadPolicy(knowledge.FS, ""); pseudoErr != nil {
			return
		}
		if pseudoChecklists, pseudoErr = escalate.LoadChecklists(knowledge.FS, ""); pseudoErr != nil {
			return
		}
		pseudoTexts(reflect.ValueOf(pseudoPolicy))
		pseudoTexts(reflect.ValueOf(pseudoChecklists))
	})
	require.NoError(t, pseudoErr)
	return pseudoKB
}

// pseudoKnowledge loads the knowledge base in the pseudo-locale from a
// knowledge folder of its own: the English articles with their title,
// symptoms and text bracketed, as a translation would replace them.
func pseudoKnowledge() (*kb.Base, error) {
	names, err := fs.Glob(knowledge.FS, "en/*.md")
	if err != nil {
		return nil, err
	}
	folder := fstest.MapFS{}
	for _, name := range names {
		data, err := fs.ReadFile(knowledge.FS, name)
		if err != nil {
			return nil, err
		}
		out, err := pseudoArticle(string(data))
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		folder[path.Join(i18ntest.Code, path.Base(name))] = &fstest.MapFile{Data: []byte(out)}
	}
	base, warnings, err := kb.Load(folder, "", i18ntest.Code)
	if err == nil && len(warnings) > 0 {
		err = fmt.Errorf("pseudo articles: %v", warnings)
	}
	return base, err
}

// pseudoTexts gives every escalate.Text under v (the policy's and the
// checklists' names and labels, which a team translates in its own files)
// a pseudo-locale entry, as a translator adds one per language.
func pseudoTexts(v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if !v.IsNil() {
			pseudoTexts(v.Elem())
		}
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				pseudoTexts(v.Field(i))
			}
		}
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			pseudoTexts(v.Index(i))
		}
	case reflect.Map:
		if t, ok := v.Interface().(escalate.Text); ok {
			if en := t["en"]; en != "" {
				t[i18ntest.Code] = i18ntest.Pseudo(en)
			}
			return
		}
		for _, k := range v.MapKeys() {
			e := v.MapIndex(k)
			if e.Kind() == reflect.Map || e.Kind() == reflect.Pointer {
				pseudoTexts(e)
				continue
			}
			if e.Kind() == reflect.Struct { // map values are not addressable: copy, fill, put back
				c := reflect.New(e.Type()).Elem()
				c.Set(e)
				pseudoTexts(c)
				v.SetMapIndex(k, c)
			}
		}
	}
}

var mdPrefix = regexp.MustCompile(`^(\s*(?:#{1,6} |[-*+] |\d+\. |> )*)(.*)$`)

// pseudoArticle brackets an article's title, symptoms and text; code stays
// as it is, bracketed whole.
func pseudoArticle(src string) (string, error) {
	_, rest, _ := strings.Cut(src, "---\n")
	front, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		return "", fmt.Errorf("no front matter")
	}
	var b strings.Builder
	b.WriteString("---\n")
	for _, line := range strings.Split(front, "\n") {
		key, val, _ := strings.Cut(line, ": ")
		switch key {
		case "title":
			var s string
			if err := yaml.Unmarshal([]byte(val), &s); err != nil {
				return "", err
			}
			line = "title: " + jsonish(i18ntest.Pseudo(s))
		case "symptoms":
			var list []string
			if err := yaml.Unmarshal([]byte(val), &list); err != nil {
				return "", err
			}
			for i, s := range list {
				list[i] = jsonish(i18ntest.Pseudo(s))
			}
			line = "symptoms: [" + strings.Join(list, ", ") + "]"
		}
		b.WriteString(line + "\n")
	}
	b.WriteString("---\n")
	fence := false
	for _, line := range strings.Split(body, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case strings.HasPrefix(trimmed, "```"), strings.HasPrefix(trimmed, "~~~"):
			fence = !fence
		case trimmed == "":
		case fence:
			line = i18ntest.Open + line + i18ntest.Close
		case strings.HasPrefix(trimmed, "|"):
			cells := strings.Split(line, "|")
			for i, c := range cells {
				if ct := strings.TrimSpace(c); ct != "" && strings.Trim(ct, "-: ") != "" {
					cells[i] = " " + i18ntest.Pseudo(ct) + " "
				}
			}
			line = strings.Join(cells, "|")
		default:
			m := mdPrefix.FindStringSubmatch(line)
			line = m[1] + i18ntest.Pseudo(m[2])
		}
		b.WriteString(line + "\n")
	}
	return b.String(), nil
}

// jsonish quotes s for YAML's flow style.
func jsonish(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// pseudoCommon is a wizard in the pseudo-locale on the sandbox's profile,
// with the real checks. evidence returns the data its screens may show as
// they are: every check run's evidence lines (protocol transcripts,
// records, headers; never translated), as shown, and extra.
func pseudoCommon(t *testing.T, sb *demo.Sandbox, scenario string) (c *common.Common, evidence func(extra ...string) []string) {
	t.Helper()
	base := installPseudo(t)
	cfg, err := config.Load(sb.ConfigPath)
	require.NoError(t, err)
	p, err := cfg.Profile("")
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	c = common.Must(common.New(common.Options{
		KB: base, Policy: pseudoPolicy, Checklists: pseudoChecklists, Config: cfg, Profile: p, ConfigPath: sb.ConfigPath, Lang: i18ntest.Code, Theme: "dark",
		Sandbox: scenario, Timeout: 5 * time.Second, Version: "test", Ctx: ctx,
		Now: func() time.Time { return tuitest.Clock },
	}))
	c.Animate = false
	c.StatusTTL = 0
	var mu sync.Mutex
	var lines []string
	checks := c.Checks
	c.Checks = func(p *config.Profile, families []string) []check.Check {
		out := checks(p, families)
		for i := range out {
			run := out[i].Run
			out[i].Run = func(ctx context.Context) check.Result {
				r := run(ctx)
				shown := c.Scrubber.ScrubAll(slices.Clone(c.Details(r)))
				mu.Lock()
				lines = append(lines, shown...)
				mu.Unlock()
				return r
			}
		}
		return out
	}
	return c, func(extra ...string) []string {
		mu.Lock()
		defer mu.Unlock()
		return append(slices.Clone(extra), lines...)
	}
}

// pseudoScreens are the screens the golden walks (screens) do not reach;
// those named healthy- run against the healthy sandbox (every check passes).
var pseudoScreens = []struct {
	name string
	walk func(t *testing.T, d *tuitest.Driver)
}{
	{"too-small", func(_ *testing.T, d *tuitest.Driver) { d.Send(tea.WindowSizeMsg{Width: 59, Height: 20}) }},
	{"checklist", func(_ *testing.T, d *tuitest.Driver) { d.Press("3") }},
	{"checklist-other", func(_ *testing.T, d *tuitest.Driver) { d.Press("3", "tab", "down", "space") }},
	{"monitor", func(_ *testing.T, d *tuitest.Driver) { d.Press("5") }},
	{"escalation-form", func(_ *testing.T, d *tuitest.Driver) { d.Press("6") }},
	{"escalation-report", func(_ *testing.T, d *tuitest.Driver) {
		d.Press("6")
		for range 8 {
			d.Press("enter")
		}
	}},
	{"results-fix", func(t *testing.T, d *tuitest.Driver) { emailSymptoms(d); toStep(t, d, common.StepResults) }},
	{"fix-dns", func(t *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		toStep(t, d, common.StepResults)
		d.Send(common.NavigateMsg{To: common.ScreenFix, Check: "domain.dmarc"})
	}},
	{"healthy-outcome-fixed", func(t *testing.T, d *tuitest.Driver) {
		emailSymptoms(d)
		toStep(t, d, common.StepResults)
		d.Press("d", "y")
		require.Contains(t, d.View(), common.Translate(i18ntest.Code, "outcome.fixed.title"), "confirmed fixed")
	}},
	{"healthy-results", func(t *testing.T, d *tuitest.Driver) { d.Press("2") }},
	{"search-none", func(_ *testing.T, d *tuitest.Driver) { d.Press("/", "zzzqqq") }},
}

// typed is what the walks type or paste: the user's words, shown as they are.
var typed = map[string][]string{
	"paste":          {"SMTP error: 535 5.7.8 Error: authentication failed:"},
	"search":         {"spf"},
	"search-none":    {"zzzqqq"},
	"article-search": {"535"},
}

// TestSweepPseudoLocaleScreens draws every screen in the pseudo-locale, at
// 80x24 and 120x40 (under -race at 80x24), and fails on any word that
// bypassed the catalogue.
func TestSweepPseudoLocaleScreens(t *testing.T) {
	sandboxes := map[string]*demo.Sandbox{}
	for _, name := range []string{"mixed", "healthy"} {
		sb, err := demo.StartSandbox(name, demo.SandboxOptions{Dir: t.TempDir()})
		require.NoError(t, err)
		t.Cleanup(func() { _ = sb.Close() })
		sandboxes[name] = sb
	}
	var all []struct {
		name string
		walk func(t *testing.T, d *tuitest.Driver)
	}
	for _, sc := range screens {
		if !strings.HasPrefix(sc.name, "fix-") && sc.name != "results-fix" { // sample fixes in English: the real ones below
			all = append(all, sc)
		}
	}
	all = append(all, pseudoScreens...)
	for _, size := range race.Pick(sizes, sizes[:1]) { // the golden sizes
		for _, sc := range all {
			t.Run(fmt.Sprintf("%dx%d/%s", size.w, size.h, sc.name), func(t *testing.T) {
				scenario := "mixed"
				if strings.HasPrefix(sc.name, "healthy-") {
					scenario = "healthy"
				}
				c, evidence := pseudoCommon(t, sandboxes[scenario], scenario)
				d := tuitest.NewDriver(t, tui.New(c), size.w, size.h)
				sc.walk(t, d)
				tuitest.RequirePseudo(t, sc.name, d.View(), evidence(typed[sc.name]...)...)
			})
		}
	}
	require.Empty(t, i18n.Misses(), "ids asked for that the catalogue lacks")
}

// TestPseudoLocaleAccessible walks the accessible wizard through every
// entry in the pseudo-locale.
func TestPseudoLocaleAccessible(t *testing.T) {
	sb, err := demo.StartSandbox("mixed", demo.SandboxOptions{Dir: t.TempDir()})
	require.NoError(t, err)
	t.Cleanup(func() { _ = sb.Close() })
	c, evidence := pseudoCommon(t, sb, "mixed")
	const input = "" +
		"x\n" + // a wrong answer at home
		"1\n4\n1,3\n\n\nn\n4\n" + // guided: email, two symptoms, no DNS server, no article, not fixed, home
		"3\n\n1\n\n" + // the pre-launch checklist, tick the first manual item, done
		"4\ndkim\n1\n\n" + // search "dkim", read the first article, back
		"5\n\n\n" + // monitor until stopped; a line stops it after its first round
		"6\n\n\n\n\n\n\nn\n" + // escalate: impact, three questions, two sentences, do not save
		"2\n1\n\nn\n4\n" + // every check (last: its evidence is the session's), an article, not fixed
		"7\n"
	var out bytes.Buffer
	require.NoError(t, accessible.RunWith(context.Background(), c, strings.NewReader(input), &out, accessible.Options{SaveDir: t.TempDir()}))
	tuitest.RequirePseudo(t, "accessible", out.String(), evidence()...)
}

// TestPseudoLocaleSettingsProblems: a value the settings form does not take
// and a settings file that cannot be saved to are said through the
// catalogue, the file's problem inside the screen's own message.
func TestPseudoLocaleSettingsProblems(t *testing.T) {
	installPseudo(t)
	c := tuitest.Common(t, i18ntest.Code)
	require.NoError(t, os.WriteFile(c.ConfigPath, []byte("profiles:\n  default:\n\tapi: {}\n"), 0o600))
	d := tuitest.NewDriver(t, tui.New(c), 200, 40)
	d.Press("1", "enter", "space", "enter")
	require.Equal(t, []string{"api"}, c.Session.Categories)
	d.Press("enter") // the provider
	for range 80 {
		d.Press("backspace")
	}
	d.Press("ftp://x", "enter")
	view := d.View()
	require.Contains(t, view, i18n.T(i18ntest.Code, "settings.hint.url"), "the field's rule, in the language")
	tuitest.RequirePseudo(t, "settings-invalid", view, "ftp://x")

	for range 7 {
		d.Press("backspace")
	}
	d.Press("https://api.example.test", "enter", "enter", "y")
	view = d.View()
	flat := strings.Join(strings.Fields(view), " ")
	require.Contains(t, flat, i18n.T(i18ntest.Code, "config.yaml.tab"), "the file's problem is the catalogue's")
	tuitest.RequirePseudo(t, "settings-save-error", view, c.ConfigPath)
}
