package results

import (
	"strings"
	"testing"

	tea "charm.land/bubbletea/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/tui/tuitest"
)

// The health check runs every family: however many other failures outrank
// it, every failing check keeps an article below, as the heading promises.
func TestEveryFailingCheckKeepsAnArticle(t *testing.T) {
	t.Parallel()
	c := tuitest.Common(t, "en")
	tuitest.Finish(c, nil)
	tls := check.Failf("The server does not offer STARTTLS.").Explain("smtp-no-starttls", "smtp-tls-mismatch")
	tls.ID, tls.Category, tls.Title = "smtp.tls", "smtp", "Encryption (TLS)"
	for i, r := range c.Session.Results {
		if r.ID == "smtp.tls" {
			c.Session.Results[i] = tls
		}
	}
	// Many failures elsewhere, each naming articles that sort before it.
	for id, arts := range map[string][]string{
		"api.reachability": {"api-connection-failed", "api-timeouts"},
		"api.clock":        {"api-clock-skew"},
		"crm.auth":         {"crm-hubspot-auth"},
		"crm.availability": {"crm-unavailable", "crm-rate-limit"},
		"domain.dmarc":     {"domain-dmarc-missing", "domain-dmarc-alignment"},
		"domain.mx":        {"domain-mx-missing"},
	} {
		r := check.Failf("Broken.").Explain(arts...)
		r.ID, r.Category, r.Title = id, strings.Split(id, ".")[0], id
		c.Session.Results = append(c.Session.Results, r)
	}
	c.Session.Matches = c.KB.Match(c.Session.Evidence())
	m := New(c)
	m.SetSize(120, 200)
	view := ansi.Strip(m.View())
	a, ok := c.KB.Get("smtp-no-starttls")
	require.True(t, ok)
	require.Contains(t, view, a.Title, "the STARTTLS failure's own article is offered")
	for _, r := range c.Session.Results {
		if r.Status != check.Fail || len(r.Articles) == 0 {
			continue
		}
		shown := false
		for _, id := range r.Articles {
			if a, ok := c.KB.Get(id); ok && containsTitle(view, a.Title) {
				shown = true
			}
		}
		require.True(t, shown, "%s has an article on screen", r.ID)
	}
}

func containsTitle(view, title string) bool {
	return strings.Contains(view, title[:min(len(title), 30)])
}

// A check skipped behind another names that one by its title, and the
// sentence goes under the title at 80 columns rather than being cut.
func TestSkippedCheckNamesItsPrerequisiteByTitle(t *testing.T) {
	t.Parallel()
	for lang, want := range map[string]string{
		"en": "Not run: “SMTP connection is encrypted” failed.",
		"es": "No se ejecutó: “La conexión SMTP está cifrada” falló.",
	} {
		c := tuitest.Common(t, lang)
		tls := check.Failf("The server does not offer STARTTLS, so the connection cannot be encrypted before logging in.")
		tls.ID, tls.Category, tls.Title = "smtp.tls", "smtp", "SMTP connection is encrypted"
		auth := check.Skipf("Not run because smtp.tls did not pass: %s", tls.Summary).With("requires smtp.tls, which ended fail")
		auth.ID, auth.Category, auth.Title = "smtp.auth", "smtp", "Login"
		// A skip behind a skip names the check that failed, too.
		send := check.Skipf("%s", auth.Summary).With("requires smtp.auth, which ended skip")
		send.ID, send.Category, send.Title = "smtp.send", "smtp", "Test message"
		c.Session.Results = []check.Result{tls, auth, send}
		m := New(c)
		m.SetSize(80, 24)
		m.Update(tea.KeyPressMsg{Code: tea.KeyDown})
		m.Update(tea.KeyPressMsg{Code: tea.KeyEnter})
		view := ansi.Strip(m.View())
		require.Contains(t, view, want, view)
		require.Equal(t, want, c.Summary(send))
		require.NotContains(t, view, "smtp.tls", "no check ID in prose")
		require.NotContains(t, view, "…", "nothing cut at 80 columns: %s", view)
		require.Contains(t, view, "encrypted before logging in.", "the sentence wraps under its title")
	}
}
