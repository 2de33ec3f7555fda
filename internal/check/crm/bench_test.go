package crm

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"strconv"
	"strings"
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

// BenchmarkDataQuality counts 100,000 records of five fields (an address,
// two names, a company, a phone number) as pages bring them: the analysis
// behind crm.data_quality, without the network. Target: under 100 ms and
// 50 MiB per run.
func BenchmarkDataQuality(b *testing.B) {
	fields := []sampleField{
		{name: "email", role: roleEmail}, {name: "firstname", role: roleName}, {name: "lastname", role: roleName},
		{name: "company", role: roleCompany}, {name: "phone", role: rolePhone},
	}
	const n = 100_000
	records := make([]rawRecord, n)
	for i := range records {
		c := demo.DirtyContact(i % demo.DirtyContacts)
		email := fmt.Sprintf("%q", fmt.Sprintf("%d.%s", i, strings.TrimSpace(c.Email)))
		if c.Email == "" {
			email = "null"
		}
		records[i] = rawRecord{id: strconv.Itoa(1001 + i), values: []json.RawMessage{
			json.RawMessage(email), json.RawMessage(strconv.Quote(c.First)), json.RawMessage(strconv.Quote(c.Last)),
			json.RawMessage(strconv.Quote(c.Company)), json.RawMessage(strconv.Quote(c.Phone)),
		}}
	}
	b.ReportAllocs()
	for b.Loop() {
		t := newTally(fields, n)
		for _, r := range records {
			t.add(r)
		}
		if t.n != n || t.invalid.n == 0 {
			b.Fatalf("counted %d records, %d invalid", t.n, t.invalid.n)
		}
		_ = qualityResult("HubSpot", "contacts", t, sampling{requested: n, calls: n / 100}, nil, nil)
	}
}
