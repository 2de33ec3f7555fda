package escalate

import (
	"testing"

	"pitstop/internal/check"
)

// BenchmarkAssess is one assessment of a run with failures and answers.
func BenchmarkAssess(b *testing.B) {
	p := loadPolicy(b)
	in := Input{
		Results: []check.Result{
			res("api.auth", "api", check.Fail, "api-invalid-key"), res("crm.availability", "crm", check.Warn, "crm-unavailable"),
			res("smtp.auth", "smtp", check.Fail), res("domain.spf", "domain", check.Pass),
		},
		Articles: testArticles,
		Answers:  Answers{Impact: "high", Security: true},
	}
	b.ReportAllocs()
	for b.Loop() {
		_ = p.Assess(in, "en")
	}
}

// BenchmarkReport builds and renders the golden report in both formats.
func BenchmarkReport(b *testing.B) {
	in := testReportInput(b, "en")
	b.ReportAllocs()
	for b.Loop() {
		r, err := BuildReport(in)
		if err != nil {
			b.Fatal(err)
		}
		_ = r.Markdown()
		if _, err := r.JSON(); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkLoadPolicy parses the embedded policy and checklists.
func BenchmarkLoadPolicy(b *testing.B) {
	b.ReportAllocs()
	for b.Loop() {
		loadPolicy(b)
		loadChecklists(b)
	}
}
