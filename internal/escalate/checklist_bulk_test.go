package escalate

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
)

// TestBulkSenderChecklist fills the bulk-sender list from check results and
// their facts: each requirement is ticked, failing or left open with the
// reason, and what Pitstop cannot see stays open for the person.
func TestBulkSenderChecklist(t *testing.T) {
	t.Parallel()
	cl, ok := loadChecklists(t).Get(ChecklistBulkSender)
	require.True(t, ok)
	require.True(t, cl.RunsChecks())
	require.False(t, cl.IncludeChecks)
	require.Equal(t, []string{"domain", "content", "smtp"}, cl.Categories())

	headers := check.Result{ID: "content.headers", Status: check.Fail, Summary: "The List-Unsubscribe-Post header is missing."}.
		WithFact("one_click_unsubscribe", false).WithFact("dkim_aligned", false).WithFact("spf_aligned", true)
	results := []check.Result{
		{ID: "domain.spf", Status: check.Pass, Summary: "SPF ok."},
		{ID: "domain.dkim", Status: check.Pass, Summary: "DKIM ok."},
		{ID: "domain.dmarc", Status: check.Warn, Summary: "The DMARC policy is p=none."},
		headers,
		{ID: "smtp.tls", Status: check.Fail, Summary: "No STARTTLS."},
		{ID: "domain.ptr", Status: check.Skip, Summary: "127.0.0.1 has only loopback addresses."},
		{ID: "domain.bimi", Status: check.Skip, Summary: "No BIMI record."},
	}
	for _, lang := range []string{"en", "es"} {
		f := cl.Fill(Evidence{Results: results}, lang)
		state := map[string]FilledItem{}
		for _, it := range f.Items {
			state[it.ID] = it
			require.NotEmpty(t, it.Label, it.ID)
		}
		want := map[string]ItemState{
			"spf": Done, "dkim": Done, "dmarc": Done, // p=none meets the minimum
			"from-aligned":          Done,    // SPF aligns
			"dkim-own-domain":       Failing, // DKIM does not
			"one-click-unsubscribe": Failing,
			"unsubscribe-two-days":  Open,
			"tls":                   Failing,
			"reverse-dns":           Open, // skipped: not settled, the reason shown
			"spam-rate":             Open,
			"brand-logo":            Open,
		}
		for id, st := range want {
			require.Equal(t, st, state[id].State, "%s %s: %s", lang, id, state[id].Note)
		}
		require.Contains(t, state["from-aligned"].Note, "spf_aligned = true")
		require.Contains(t, state["dkim-own-domain"].Note, "dkim_aligned = false")
		require.Contains(t, state["reverse-dns"].Note, "loopback")
		require.True(t, state["reverse-dns"].Manual, "an unsettled item can be ticked by hand")
		require.False(t, f.Complete())
		if lang == "en" {
			require.Contains(t, state["spam-rate"].Hint, "Google Postmaster Tools")
			require.Contains(t, state["spam-rate"].Hint, "Yahoo Sender Hub")
		} else {
			require.Contains(t, state["spam-rate"].Hint, "Google Postmaster Tools")
			require.True(t, strings.HasPrefix(state["spam-rate"].Hint, "Pitstop no puede"), state["spam-rate"].Hint)
		}
	}

	// Nothing ran: every check item says so and stays open.
	f := cl.Fill(Evidence{}, "en")
	for _, it := range f.Items {
		require.Equal(t, Open, it.State, it.ID)
		if it.ID == "tls" {
			require.Contains(t, it.Note, "smtp.tls did not run")
		}
	}

	// A check that could not judge (no facts) leaves the fact items open.
	f = cl.Fill(Evidence{Results: []check.Result{{ID: "content.headers", Status: check.Error, Summary: "Could not test DMARC alignment."}}}, "en")
	for _, it := range f.Items {
		if it.ID == "from-aligned" {
			require.Equal(t, Open, it.State)
			require.Contains(t, it.Note, "Could not test DMARC alignment")
		}
	}
}

func TestChecklistItemChecksAreValidated(t *testing.T) {
	t.Parallel()
	_, err := ParseChecklists([]byte(`
checklists:
  - name: x
    title: {en: X}
    items:
      - id: a
        label: {en: A}
        checks: [domain.nope]
      - id: b
        label: {en: B}
        facts: [dkim_aligned]
`), "test.yaml")
	require.ErrorContains(t, err, `check "domain.nope" is not a known check id`)
	require.ErrorContains(t, err, `item "b": facts need the checks that record them`)
}
