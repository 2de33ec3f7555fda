package kb

import (
	"strings"
	"testing"

	"pitstop/internal/check"
	"pitstop/internal/i18n"
)

// fuzzCanary is a key-shaped token planted in the fuzzed text: the reasons a
// match gives quote the text, and must never quote a key.
const fuzzCanary = "sk-proj-Zq7Wm3Xr5Tv1Yp8Ln2Kd4Hs6"

// FuzzMatch feeds arbitrary pasted text, a picked symptom and a bad check
// result to the matcher, as `pitstop diagnose` and the wizard do: it never
// panics, ranks by the kind of evidence then best first, gives every match a reason, and never quotes a
// key-shaped token back.
func FuzzMatch(f *testing.F) {
	for _, tc := range pastedErrors {
		f.Add(tc.text, "", "", 2)
	}
	f.Add("", "Invalid API key", "api.auth", 2)
	f.Add("429 Too Many Requests rate limit exceeded", "Slow responses", "api.ratelimit", 1)
	f.Add("x509: certificate is valid for a.example, not b.example", "", "smtp.tls", 4)
	f.Add(strings.Repeat("timeout ", 10000), "", "", 0)
	f.Add(strings.Repeat("a", 70000)+" 535 5.7.8 "+strings.Repeat("b", 70000), "", "", 0)
	f.Add("\xff\xfe\x00 invalid utf-8 \xc3\x28 401 Unauthorized", "\xff", "\x00", 3)
	f.Add("Error: Invalid API Key: sk-proj-Zq7Wm3Xr5Tv1Yp8Ln2Kd4Hs6 (401)", "", "api.auth", 2)
	f.Add("İıßſK ǅ ΣΑΣ 𝔸 ﬁ", "ﬁ", "", 2)
	f.Fuzz(func(t *testing.T, text, symptom, checkID string, status int) {
		for _, lang := range i18n.Languages() {
			b := embedded()[lang]
			ev := Evidence{
				Text:     text + " " + fuzzCanary + " " + text,
				Symptoms: []string{symptom},
				Results: []check.Result{{ID: checkID, Status: check.Status(((status % 5) + 5) % 5),
					Summary: text, Articles: []string{symptom, "api-invalid-key"}}},
			}
			matches := b.Match(ev)
			for i, m := range matches {
				if m.Article == nil {
					t.Fatalf("match %d has no article", i)
				}
				if len(m.Reasons) == 0 {
					t.Fatalf("%s matched without a reason", m.Article.ID)
				}
				if i > 0 && m.kind > matches[i-1].kind {
					t.Fatalf("stronger evidence ranked lower: %s (%d) after %s (%d)", m.Article.ID, m.kind, matches[i-1].Article.ID, matches[i-1].kind)
				}
				if i > 0 && m.kind == matches[i-1].kind && m.Score > matches[i-1].Score {
					t.Fatalf("not best first: %s %.1f after %s %.1f", m.Article.ID, m.Score, matches[i-1].Article.ID, matches[i-1].Score)
				}
				if (m.kind > byWords) != (m.Confidence == Strong) {
					t.Fatalf("%s: confidence %s does not follow its evidence", m.Article.ID, m.Confidence)
				}
				for _, r := range m.Reasons {
					if strings.Contains(r, fuzzCanary) || strings.Contains(r, fuzzCanary[8:]) {
						t.Fatalf("reason quotes the key: %q", r)
					}
				}
			}
			b.Search(text)
		}
	})
}
