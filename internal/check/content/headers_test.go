package content

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/demo"
	"pitstop/internal/probe"
)

// runHeaders runs content.headers on a sample from testdata/headers with the
// sandbox DNS server answering for pitstop-healthy.test (DMARC p=reject,
// adkim=s, aspf=r).
func runHeaders(t *testing.T, dnsAddr, file, envelope string) check.Result {
	t.Helper()
	p := &config.Profile{Name: "t"}
	p.Content.EmailFile = filepath.Join("testdata", "headers", file)
	if file == "" {
		p.Content.EmailFile = ""
	}
	p.SMTP.From = envelope
	p.Domain.DNSServer = dnsAddr
	res := (&check.Runner{Timeout: 10 * time.Second}).Run(context.Background(), HeaderChecks(p))
	require.Len(t, res, 1)
	return res[0]
}

func TestHeaders(t *testing.T) {
	t.Parallel()
	srv, err := demo.StartDNS(demo.DNSOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	const own = "news@pitstop-healthy.test"
	type facts struct{ oneClick, dkim, spf any } // nil: the fact is absent
	tests := []struct {
		name, file, envelope string
		status               check.Status
		facts                facts
		summary, detail      string
		article              string
	}{
		{name: "aligned with one-click", file: "aligned-one-click.eml", envelope: own, status: check.Pass,
			facts:   facts{true, true, true},
			summary: "DKIM (d=pitstop-healthy.test) and SPF (pitstop-healthy.test) both align", detail: "List-Unsubscribe: <https://pitstop-healthy.test/unsubscribe?u=•••>, <mailto:unsubscribe@pitstop-healthy.test>"},
		{name: "signed by the sending service, envelope too", file: "esp-signed.eml", envelope: "bounce@esp-mailer.test", status: check.Fail,
			facts:   facts{true, false, false},
			summary: "Neither DKIM nor SPF aligns with the From domain pitstop-healthy.test: DKIM signs for esp-mailer.test and the envelope sender's domain is esp-mailer.test", article: artAlignment},
		{name: "signed by the sending service, own envelope", file: "esp-signed.eml", envelope: own, status: check.Warn,
			facts: facts{true, false, true}, summary: "Only SPF aligns"},
		{name: "own signature, service's envelope", file: "aligned-one-click.eml", envelope: "bounce@esp-mailer.test", status: check.Warn,
			facts: facts{true, true, false}, summary: "Only DKIM aligns"},
		{name: "strict DKIM rejects a subdomain, relaxed SPF accepts one", file: "subdomain-signed.eml", envelope: "bounce@mail.pitstop-healthy.test", status: check.Warn,
			facts: facts{true, false, true}, summary: "Only SPF aligns", detail: "DKIM alignment strict (adkim), SPF alignment relaxed (aspf)"},
		{name: "no envelope sender", file: "aligned-one-click.eml", envelope: "", status: check.Warn,
			facts: facts{true, true, false}, summary: "not set (smtp.from is empty and the message has no Return-Path)"},
		{name: "Return-Path stands in for smtp.from", file: "return-path.eml", envelope: "", status: check.Pass,
			facts: facts{true, true, true}, detail: "Envelope sender domain (Return-Path): pitstop-healthy.test"},
		{name: "List-Unsubscribe without Post", file: "no-one-click.eml", envelope: own, status: check.Fail,
			facts: facts{false, true, true}, summary: "List-Unsubscribe-Post header is missing", article: artOneClick},
		{name: "one-click not signed", file: "one-click-unsigned.eml", envelope: own, status: check.Fail,
			facts: facts{false, true, true}, summary: "No DKIM signature covers both List-Unsubscribe and List-Unsubscribe-Post"},
		{name: "mailto only", file: "mailto-only.eml", envelope: own, status: check.Fail,
			facts: facts{false, true, true}, summary: "only a mailto: address"},
		{name: "wrong Post value", file: "wrong-post.eml", envelope: own, status: check.Fail,
			facts: facts{false, true, true}, summary: `List-Unsubscribe-Post says "One-Click=yes"`},
		{name: "marketing without List-Unsubscribe", file: "marketing-no-header.eml", envelope: own, status: check.Fail,
			facts: facts{false, true, true}, summary: "This looks like marketing mail (an unsubscribe link in the body)"},
		{name: "transactional without List-Unsubscribe", file: "transactional.eml", envelope: own, status: check.Warn,
			facts: facts{false, true, true}, summary: "transactional mail (receipts, password resets) is exempt"},
		{name: "duplicated From", file: "duplicated-from.eml", envelope: own, status: check.Fail,
			facts: facts{true, true, true}, summary: "The message has 2 From headers"},
		{name: "two addresses in From", file: "two-from-addresses.eml", envelope: own, status: check.Fail,
			facts: facts{true, nil, nil}, summary: "The From header lists 2 addresses"},
		{name: "no Message-ID", file: "missing-message-id.eml", envelope: own, status: check.Fail,
			facts: facts{true, true, true}, summary: "no Message-ID header"},
		{name: "bad Date", file: "bad-date.eml", envelope: own, status: check.Fail,
			facts: facts{true, true, true}, summary: `The Date header "yesterday at nine" is not a valid RFC 5322 date`},
		{name: "folded headers and encoded words", file: "folded-encoded.eml", envelope: own, status: check.Pass,
			facts: facts{true, true, true}, detail: `Subject: "Le café du mois☕"`},
		{name: "8-bit headers", file: "eight-bit.eml", envelope: own, status: check.Pass,
			facts: facts{true, true, true}, detail: `Subject: "Café ☕ del mes"`},
		{name: "saved from a mailbox file", file: "mbox-line.eml", envelope: own, status: check.Pass,
			facts: facts{true, true, true}},
		{name: "plain text", file: "not-an-email.txt", envelope: own, status: check.Skip,
			facts: facts{}, summary: "holds text without mail headers"},
		{name: "broken header block", file: "broken-headers.eml", envelope: own, status: check.Fail,
			facts: facts{}, summary: "The headers of content.email_file cannot be read"},
		{name: "no file configured", file: "", status: check.Skip, facts: facts{}, summary: "No email to check"},
		{name: "missing file", file: "nope.eml", status: check.Error, facts: facts{}, summary: "does not exist"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			res := runHeaders(t, srv.Addr, tc.file, tc.envelope)
			require.Equal(t, tc.status, res.Status, "%s\n%s", res.Summary, strings.Join(res.Details, "\n"))
			require.Contains(t, res.Summary, tc.summary)
			if tc.detail != "" {
				require.Contains(t, strings.Join(res.Details, "\n"), tc.detail)
			}
			if tc.article != "" {
				require.Contains(t, res.Articles, tc.article)
			}
			for key, want := range map[string]any{"one_click_unsubscribe": tc.facts.oneClick, "dkim_aligned": tc.facts.dkim, "spf_aligned": tc.facts.spf} {
				got, ok := res.Fact(key)
				if want == nil {
					require.False(t, ok, "%s should be absent: %v", key, res.Facts)
					continue
				}
				require.True(t, ok, "%s missing: %v", key, res.Facts)
				require.Equal(t, want, got, key)
			}
			for _, d := range res.Details {
				require.NotContains(t, d, "\x1b", "control characters never reach the details")
				require.NotContains(t, d, "u=8f2a", "unsubscribe tokens are not shown")
			}
		})
	}
}

// TestHeadersDNSFailure: when the DMARC record cannot be read, alignment is
// could-not-test and carries no facts; the header findings still stand.
func TestHeadersDNSFailure(t *testing.T) {
	t.Parallel()
	srv, err := demo.StartDNS(demo.DNSOptions{Fault: demo.DNSFaultServfail})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	res := runHeaders(t, srv.Addr, "aligned-one-click.eml", "news@pitstop-healthy.test")
	require.Equal(t, check.Error, res.Status, res.Summary)
	require.Contains(t, res.Summary, "Could not test DMARC alignment")
	_, ok := res.Fact("dkim_aligned")
	require.False(t, ok)
	v, _ := res.Fact("one_click_unsubscribe")
	require.Equal(t, true, v)

	res = runHeaders(t, srv.Addr, "no-one-click.eml", "news@pitstop-healthy.test")
	require.Equal(t, check.Fail, res.Status, "a finding outranks a could-not-test: %s", res.Summary)
}

func TestHeadersSpanish(t *testing.T) {
	t.Parallel()
	srv, err := demo.StartDNS(demo.DNSOptions{})
	require.NoError(t, err)
	t.Cleanup(func() { _ = srv.Close() })
	p := &config.Profile{Name: "t"}
	p.Content.EmailFile = filepath.Join("testdata", "headers", "esp-signed.eml")
	p.SMTP.From = "bounce@esp-mailer.test"
	p.Domain.DNSServer = srv.Addr
	res := (&check.Runner{Timeout: 10 * time.Second, Lang: "es"}).Run(context.Background(), HeaderChecks(p))
	require.True(t, strings.HasPrefix(res[0].Summary, "Ni DKIM ni SPF están alineados con el dominio del From pitstop-healthy.test"), res[0].Summary)
}

// FuzzHeaders: any bytes give a result with a summary, never a panic. DNS
// goes to a closed port, so alignment is could-not-test and fast.
func FuzzHeaders(f *testing.F) {
	entries, err := os.ReadDir(filepath.Join("testdata", "headers"))
	require.NoError(f, err)
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join("testdata", "headers", e.Name()))
		require.NoError(f, err)
		f.Add(b)
	}
	h := &headerCheck{envelope: "news@pitstop-healthy.test", res: probe.NewResolver("127.0.0.1:1")}
	f.Fuzz(func(t *testing.T, raw []byte) {
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		res := h.judge(ctx, raw, false)
		require.NotEmpty(t, res.Summary)
		for _, d := range res.Details {
			require.NotContains(t, d, "\x1b")
		}
	})
}
