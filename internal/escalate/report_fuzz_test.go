package escalate

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/knowledge"
)

// fuzzKey is the API key of the fuzzed reports, planted in the texts a
// provider or a person could echo it in.
const fuzzKey = "sk-fuzz-REPORT-4b8d2f6a1c3e5g7h"

// FuzzReport renders reports from arbitrary pasted errors, steps, answers,
// symptoms and check evidence, in both languages and both formats: nothing
// panics, the JSON is valid and says what was pasted, the Markdown keeps its
// sections (pasted text cannot open or close a section or a code block),
// and the key never shows.
func FuzzReport(f *testing.F) {
	f.Add("CopyCar API error 401: Invalid API Key\n  at sendCampaign (worker.js:88)", "Press Generate", "copy", "an error", "Invalid API key", "401 Unauthorized", "The API rejected the key.", 2, false)
	f.Add("before\n```\nafter\n````\n## Summary\n", "## Steps", "| a | b |", "- [x] done", "a|b", "```", "Summary. Second sentence.", 4, true)
	f.Add("", "", "", "", "", "", "", 0, false)
	f.Add(strings.Repeat("x", 5000), "\n\n\n", "\t", "\r\n", "\x00", "\xff\xfe", "…", 3, true)
	f.Add("\x1b]0;pwned\x07\x1b[2J\x1bc error", "\x1b[31mred\x1b[0m", "\u202eevil", "bell\a", "\x00nul", "\x9b31m", "\x1b]8;;http://x\x1b\\link", 1, false)
	f.Add("~~~\n<script>alert(1)</script>\n~~~", "<!-- hide -->", "[link](javascript:x)", "**bold**", "`code`", "    indented", "# heading", 1, false)
	policy, err := LoadPolicy(knowledge.FS, "")
	if err != nil {
		f.Fatal(err)
	}
	lists, err := LoadChecklists(knowledge.FS, "")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, errText, step, expected, actual, symptom, detail, summary string, status int, spanish bool) {
		lang := "en"
		if spanish {
			lang = "es"
		}
		p := &config.Profile{Name: "production"}
		p.API = config.APIConfig{Provider: "copycar", BaseURL: "https://api.copycarai.com/v2", Key: config.NewSecret(fuzzKey, "env:COPYCAR_API_KEY")}
		sc := config.NewScrubber(p.Secrets()...)
		// Checks write one sentence of their own, which may quote a server.
		oneSentence := "The server said: " + strings.Join(strings.Fields(summary), " ")
		results := []check.Result{
			{ID: "api.auth", Category: "api", Title: "API key accepted", Status: check.Status(((status % 5) + 5) % 5),
				Summary: oneSentence + " " + fuzzKey, Details: []string{detail, "body: " + fuzzKey + detail}, Duration: time.Duration(status) * time.Millisecond,
				Articles: []string{"api-invalid-key"}},
			{ID: "api.reachability", Category: "api", Title: "API reachable", Status: check.Fail, Summary: oneSentence, Details: []string{detail}},
		}
		in := ReportInput{
			Policy: policy, Checklists: lists, Lang: lang,
			Now: time.Date(2025, 3, 14, 9, 26, 53, 0, time.UTC), Profile: p, ConfigPath: "/tmp/config.yaml",
			Results: results, Articles: testArticles,
			ErrorText: errText + "\nkey " + fuzzKey, Symptoms: []string{symptom}, Steps: []string{step, fuzzKey},
			Expected: expected, Actual: actual + fuzzKey, Done: []string{step},
			Answers: Answers{Impact: "high", Security: status%2 == 0},
			Scrub:   sc.Scrub,
		}
		r, err := BuildReport(in)
		if err != nil {
			t.Fatal(err)
		}
		md := r.Markdown()
		js, err := r.JSON()
		if err != nil {
			t.Fatal(err)
		}
		for _, out := range []string{md, string(js)} {
			if strings.Contains(out, fuzzKey) || strings.Contains(out, fuzzKey[8:]) {
				t.Fatal("the report shows the key")
			}
		}
		// No control byte from the pasted text or a server reaches the
		// report: an ESC or BEL could retitle or clear the reader's terminal.
		for i, c := range md {
			if (c < 0x20 && c != '\n') || c == 0x7f || (c >= 0x80 && c < 0xa0) || (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069) {
				t.Fatalf("the Markdown report holds control character %U at %d", c, i)
			}
		}
		for _, esc := range []string{`\u001b`, `\u0007`, `\u0000`, `\u009b`} {
			if strings.Contains(string(js), esc) {
				t.Fatalf("the JSON report holds %s", esc)
			}
		}
		var back map[string]any
		if err := json.Unmarshal(js, &back); err != nil {
			t.Fatalf("report JSON does not decode: %v", err)
		}
		if _, ok := back["assessment"].(map[string]any); !ok {
			t.Fatal("report JSON without an assessment")
		}

		// The same report with tame text has the same sections.
		tame := in
		tame.ErrorText, tame.Steps, tame.Expected, tame.Actual, tame.Symptoms = "error", []string{"step"}, "e", "a", []string{"s"}
		tame.Results = []check.Result{results[0], results[1]}
		tame.Results[0].Summary, tame.Results[0].Details = "ok", []string{"d"}
		tame.Results[1].Summary, tame.Results[1].Details = "ok", []string{"d"}
		rt, err := BuildReport(tame)
		if err != nil {
			t.Fatal(err)
		}
		got, want := outline(t, md), outline(t, rt.Markdown())
		if strings.Join(got, "\n") != strings.Join(want, "\n") {
			t.Fatalf("pasted text changed the report's sections:\n got %q\nwant %q", got, want)
		}
	})
}

// outline returns the headings outside code blocks, and fails when a code
// block is left open.
func outline(t *testing.T, md string) []string {
	t.Helper()
	var heads []string
	fence := ""
	for _, line := range strings.Split(md, "\n") {
		if fence != "" {
			if strings.HasPrefix(line, fence) && strings.Trim(line, "`") == "" {
				fence = ""
			}
			continue
		}
		if strings.HasPrefix(line, "```") {
			fence = line[:len(line)-len(strings.TrimLeft(line, "`"))]
			continue
		}
		if strings.HasPrefix(line, "#") {
			heads = append(heads, line)
		}
	}
	if fence != "" {
		t.Fatalf("a code block is left open (%s)", fence)
	}
	return heads
}
