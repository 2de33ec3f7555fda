package crm

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/probe"
)

// BenchmarkChecks runs all four CRM checks, as one run, against each
// provider's loopback sandbox.
func BenchmarkChecks(b *testing.B) {
	for _, provider := range demo.CRMProviders {
		b.Run(provider, func(b *testing.B) {
			srv, err := demo.StartCRM(demo.CRMOptions{Provider: provider})
			if err != nil {
				b.Fatal(err)
			}
			defer srv.Close()
			p := &config.Profile{}
			srv.Configure(p)
			logger := slog.New(slog.DiscardHandler)
			client, err := probe.NewClient(probe.Options{Logger: logger})
			if err != nil {
				b.Fatal(err)
			}
			r := &check.Runner{Timeout: 5 * time.Second}
			for b.Loop() {
				for _, res := range r.Run(context.Background(), newChecks(p, options{client: client, log: logger})) {
					if res.Status != check.Pass {
						b.Fatalf("%s: %s %s", res.ID, res.Status, res.Summary)
					}
				}
			}
		})
	}
}

// BenchmarkSuggest ranks a 500-field schema for one missing name.
func BenchmarkSuggest(b *testing.B) {
	fields := make([]field, 0, 500)
	for i := range 500 {
		fields = append(fields, field{name: "custom_property_" + string(rune('a'+i%26)) + "_" + string(rune('a'+i/26%26)), label: "Custom property"})
	}
	fields = append(fields, field{name: "personalization_score", label: "Personalization Score"})
	for b.Loop() {
		if s := suggest("pz_score", fields, 3); len(s) == 0 || s[0].name != "personalization_score" {
			b.Fatal(s)
		}
	}
}
