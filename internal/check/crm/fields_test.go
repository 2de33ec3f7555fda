package crm

import (
	"context"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
)

func TestTokens(t *testing.T) {
	t.Parallel()
	cases := map[string][]string{
		"pz_score":                 {"pz", "score"},
		"Personalization_Score__c": {"personalization", "score"},
		"LastActivityDate":         {"last", "activity", "date"},
		"HTMLBody":                 {"html", "body"},
		"Personalization score":    {"personalization", "score"},
		"hs_lead_status":           {"hs", "lead", "status"},
	}
	for in, want := range cases {
		require.Equal(t, want, tokens(in), in)
	}
}

func TestSuggest(t *testing.T) {
	t.Parallel()
	fields := []field{
		{name: "email"}, {name: "firstname", label: "First Name"}, {name: "lastname", label: "Last Name"},
		{name: "company", label: "Company Name"}, {name: "personalization_score", label: "Personalization Score"},
		{name: "hubspotscore", label: "HubSpot Score"}, {name: "hs_lead_status", label: "Lead Status"},
		{name: "8f3c1e0b5d2a4c6e9f7b1a3d5c7e9f0b2d4f6a8c", label: "Engagement score"},
	}
	cases := []struct {
		target string
		want   string // best suggestion, "" for none
	}{
		{"pz_score", "personalization_score"},
		{"personalisation_score", "personalization_score"},
		{"first_name", "firstname"},
		{"emial", "email"},
		{"Company", "company"},
		{"engagement", "8f3c1e0b5d2a4c6e9f7b1a3d5c7e9f0b2d4f6a8c"},
		{"zzz_unrelated", ""},
	}
	for _, c := range cases {
		got := suggest(c.target, fields, 3)
		if c.want == "" {
			require.Empty(t, got, c.target)
			continue
		}
		require.NotEmpty(t, got, c.target)
		require.Equal(t, c.want, got[0].name, c.target)
	}
}

func TestExpectedKindAndTypeProblems(t *testing.T) {
	t.Parallel()
	require.Equal(t, kindNumber, expectedKind("personalization_score"))
	require.Equal(t, kindEmail, expectedKind("email"))
	require.Equal(t, kindText, expectedKind("last_name"))
	require.Equal(t, kindText, expectedKind("phone_number"))
	require.Equal(t, kindDate, expectedKind("last_contacted"))
	require.Equal(t, kindDate, expectedKind("created_at"))
	require.Equal(t, kindBool, expectedKind("is_customer"))

	cases := []struct {
		source string
		f      field
		warn   bool
	}{
		{"personalization_score", field{name: "pz", kind: kindText, rawType: "string"}, true},
		{"personalization_score", field{name: "pz", kind: kindNumber, rawType: "double"}, false},
		{"email", field{name: "Email", kind: kindEmail}, false},
		{"email", field{name: "email", kind: kindText}, false},
		{"company", field{name: "AccountId", kind: kindLink, rawType: "reference"}, true},
		{"company", field{name: "x", kind: kindUnknown}, false},
		{"opted_in", field{name: "x", kind: kindChoice}, false},
		{"signup_date", field{name: "x", kind: kindText, rawType: "string"}, true},
	}
	for _, c := range cases {
		msg := typeProblem(c.source, c.f)
		require.Equal(t, c.warn, msg != "", "%s → %s: %q", c.source, c.f.name, msg)
	}
}

// fakeProvider serves a fixed schema to fieldMapping.
type fakeProvider struct{ s *schema }

func (f fakeProvider) label() string                                   { return "Fake" }
func (f fakeProvider) auth(context.Context) check.Result               { return check.Passf("ok") }
func (f fakeProvider) permissions(context.Context) check.Result        { return check.Passf("ok") }
func (f fakeProvider) availability(context.Context) check.Result       { return check.Passf("ok") }
func (f fakeProvider) schema(context.Context) (*schema, *check.Result) { return f.s, nil }

func TestFieldMappingOutcomes(t *testing.T) {
	t.Parallel()
	s := &schema{object: "contacts", fields: []field{
		{name: "email", kind: kindText, rawType: "string"},
		{name: "personalization_score", kind: kindNumber, rawType: "number"},
		{name: "createdate", kind: kindDate, rawType: "datetime", readOnly: true, why: "set by the CRM"},
		{name: "abc123", label: "Lead source", kind: kindText, rawType: "varchar"},
	}}
	cases := []struct {
		name    string
		byLabel bool
		mapping map[string]string
		status  check.Status
		text    string
	}{
		{"all good", false, map[string]string{"email": "email", "personalization_score": "personalization_score"}, check.Pass, "All 2 mapped fields exist"},
		{"missing", false, map[string]string{"email": "email", "personalization_score": "pz_score"}, check.Fail, "pz_score not found; did you mean personalization_score?"},
		{"empty target", false, map[string]string{"email": ""}, check.Fail, "mapped to nothing"},
		{"read-only", false, map[string]string{"created_at": "createdate"}, check.Warn, "createdate cannot be written"},
		{"case differs", false, map[string]string{"email": "Email"}, check.Fail, "Email not found; did you mean email?"},
		{"label used", true, map[string]string{"source": "Lead source"}, check.Warn, "the API needs the key abc123"},
		{"type", false, map[string]string{"email_count": "email"}, check.Warn, "stored as words"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			sc := *s
			sc.byLabel = c.byLabel
			r := fieldMapping(context.Background(), fakeProvider{&sc}, config.CRMConfig{FieldMapping: c.mapping})
			require.Equal(t, c.status, r.Status, r.Summary)
			require.Contains(t, r.Summary, c.text)
		})
	}
}

// TestFieldMappingSuggestionFact names the one close, writable field of a
// fitting type as a fact a fix can apply, and nothing when the guess is unsure.
func TestFieldMappingSuggestionFact(t *testing.T) {
	t.Parallel()
	s := &schema{object: "contacts", fields: []field{
		{name: "email", kind: kindText, rawType: "string"},
		{name: "personalization_score", kind: kindNumber, rawType: "number"},
		{name: "created_date", kind: kindDate, rawType: "datetime", readOnly: true},
	}}
	r := fieldMapping(context.Background(), fakeProvider{s}, config.CRMConfig{FieldMapping: map[string]string{
		"email": "email", "personalization_score": "pz_score", "created": "createdate"}})
	require.Equal(t, check.Fail, r.Status, r.Summary)
	got, _ := r.Fact("suggested_field.personalization_score")
	require.Equal(t, "personalization_score", got)
	_, ok := r.Fact("suggested_field.created")
	require.False(t, ok, "a read-only field is no fix")
	missing, _ := r.Fact("fields_missing")
	require.Equal(t, 2, missing)
}

func TestSalesforceMatchesNamesRegardlessOfCase(t *testing.T) {
	t.Parallel()
	s := &schema{object: "Contact", caseInsensitive: true, fields: []field{{name: "Email", kind: kindEmail, rawType: "email"}}}
	r := fieldMapping(context.Background(), fakeProvider{s}, config.CRMConfig{FieldMapping: map[string]string{"email": "email"}})
	require.Equal(t, check.Pass, r.Status, r.Summary)
}

func FuzzSimilarity(f *testing.F) {
	f.Add("pz_score", "personalization_score")
	f.Add("", "x")
	f.Add("Ünïcode__c", "unicode")
	f.Fuzz(func(t *testing.T, a, b string) {
		s := similarity(a, b)
		if s < 0 || s > 1 {
			t.Fatalf("similarity(%q, %q) = %v", a, b, s)
		}
	})
}
