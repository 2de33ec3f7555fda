package domain

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/emersion/go-msgauth/dmarc"

	"pitstop/internal/check"
	"pitstop/internal/config"
	"pitstop/internal/probe"
)

// BIMI's size bounds: mailbox providers ask for logos under 32 KiB; a mark
// certificate chain is a few KiB. Pitstop reads no more than fetchLimit.
const (
	logoLimit  = 32 << 10
	fetchLimit = 64 << 10
)

// bimi checks the brand logo record at {selector}._bimi.{domain}: its
// syntax, the logo (an SVG Tiny PS file over HTTPS), the optional mark
// certificate, and the DMARC policy that lets mailbox providers show it.
func (c *bulkChecker) bimi(ctx context.Context) check.Result {
	details := []string{c.resolverLine()}
	at := c.bimiSelector + "._bimi." + c.name
	records, err := c.bimiRecords(ctx, at)
	if err != nil {
		return c.dnsTrouble(at, err).Explain(artBIMI)
	}
	if len(records) == 0 {
		details = append(details, at+": no BIMI record")
		if org := OrgDomain(c.name); org != c.name {
			at = c.bimiSelector + "._bimi." + org
			if records, err = c.bimiRecords(ctx, at); err != nil {
				return c.dnsTrouble(at, err).Explain(artBIMI)
			}
			if len(records) == 0 {
				details = append(details, at+" (organisational domain): no BIMI record")
			}
		}
	}
	switch len(records) {
	case 0:
		return check.Skipf("%s publishes no BIMI record (%s._bimi.%s), so mailbox providers show no brand logo next to its mail. BIMI is optional; it needs DMARC at quarantine or reject first.", c.name, c.bimiSelector, c.name).
			With(details...)
	case 1:
	default:
		for _, r := range records {
			details = append(details, "TXT "+quote(r))
		}
		return check.Failf("%s has %d BIMI records; mailbox providers ignore BIMI unless there is exactly one.", at, len(records)).
			With(details...).Explain(artBIMI)
	}
	raw := records[0]
	details = append(details, at+": "+quote(raw))
	tags, ok := parseTags(raw)
	if !ok || !strings.EqualFold(tags["v"], "BIMI1") {
		return check.Failf("The BIMI record at %s is not valid: it must read like \"v=BIMI1; l=https://…/logo.svg; a=https://…/vmc.pem\".", at).
			With(details...).Explain(artBIMI)
	}
	logoURL, certURL := tags["l"], tags["a"]
	if logoURL == "" && certURL == "" {
		return check.Skipf("The BIMI record at %s declines BIMI (empty l= and a=), so no brand logo is shown.", at).With(details...)
	}

	var f check.Findings
	var cert string // the mark certificate, for the pass summary
	logoBytes := 0
	logoOK := false
	judged := false
	client, cerr := probe.NewClient(probe.Options{CAFile: c.caFile, MaxBody: fetchLimit})
	if cerr != nil {
		return check.Errorf("Could not test the BIMI logo: %s", cerr.Error()).With(details...).Explain(artBIMI)
	}
	details = append(details, client.TrustFindings()...) // an unusable SSL_CERT_FILE or SSL_CERT_DIR

	// The logo gets at most half the time left, so a logo server that hangs
	// still leaves time to read the certificate and DMARC.
	switch {
	case logoURL == "":
		f.Add(check.Fail, []string{artBIMI}, "The BIMI record at %s has no logo URL (l=).", at)
		judged = true
	case !isHTTPS(logoURL):
		f.Add(check.Fail, []string{artBIMI}, "The BIMI logo URL %s is not an https:// address; mailbox providers fetch logos only over HTTPS.", config.RedactURL(logoURL))
		judged = true
	default:
		lctx, cancel := shareOf(ctx, 2)
		resp, ferr := client.Do(lctx, probe.Request{URL: logoURL})
		cancel()
		switch problem, couldNot := fetchProblem(resp, ferr); {
		case couldNot:
			f.Add(check.Error, []string{artBIMI}, "Could not test the BIMI logo: %s", problem)
		case problem != "":
			f.Add(check.Fail, []string{artBIMI}, "The BIMI logo could not be fetched: %s", problem)
			judged = true
		default:
			judged = true
			details = append(details, fmt.Sprintf("Logo %s: %s, %s, %d bytes", resp.URL, cut(resp.Status, 80), contentType(resp), len(resp.Body)))
			if len(resp.Body) > logoLimit || resp.Truncated {
				size := fmt.Sprintf("%d KiB", len(resp.Body)>>10)
				if resp.Truncated {
					size = fmt.Sprintf("more than %d KiB", fetchLimit>>10)
				}
				f.Add(check.Fail, []string{artBIMI}, "The BIMI logo at %s is %s; mailbox providers accept logos up to %d KiB. Simplify the SVG or remove embedded images.", resp.URL, size, logoLimit>>10)
				break
			}
			problems := checkSVG(resp.Body)
			logoOK = true
			for _, p := range problems {
				if p.status == check.Fail {
					logoOK = false
				}
				f.Add(p.status, []string{artBIMI}, "The BIMI logo is not valid SVG Tiny PS: %s.", p.text)
			}
			logoBytes = len(resp.Body)
		}
	}

	markKind := "none"
	if certURL != "" {
		cert, markKind = c.bimiCert(ctx, client, certURL, &f, &details)
	} else {
		details = append(details, "No a= certificate: Yahoo shows the logo without one; Gmail and Apple Mail show it only with a Verified Mark or Common Mark Certificate.")
	}

	pol, derr := LookupDMARC(ctx, c.res, c.name)
	switch {
	case derr != nil:
		f.Add(check.Error, []string{artBIMI}, "Could not test the DMARC policy BIMI depends on: looking up _dmarc.%s failed (%s).", c.name, dnsWords(derr))
	case pol.Record == nil:
		f.Add(check.Warn, []string{artBIMI, artDMARCMissing}, "%s has no usable DMARC record, and mailbox providers show a BIMI logo only for domains whose DMARC policy is quarantine or reject.", c.name)
	case pol.Policy() == dmarc.PolicyNone:
		f.Add(check.Warn, []string{artBIMI, artDMARCMissing}, "The DMARC policy of %s is p=none, so mailbox providers will not show the BIMI logo; it shows only under p=quarantine or p=reject.", c.name)
	case pol.Percent() < 100:
		f.Add(check.Warn, []string{artBIMI, artDMARCMissing}, "The DMARC policy of %s covers only %d%% of mail (pct=%d); BIMI logos show only when it covers all of it (pct=100).", c.name, pol.Percent(), pol.Percent())
	default:
		details = append(details, fmt.Sprintf("DMARC at _dmarc.%s: p=%s, pct=%d: the logo may show", pol.At, pol.Policy(), pol.Percent()))
	}

	pass := check.Sentencef("%s publishes BIMI with a valid SVG Tiny PS logo (%d bytes), and its DMARC policy lets mailbox providers show it.", c.name, logoBytes)
	if cert != "" {
		pass = check.Sentencef("%s publishes BIMI with a valid SVG Tiny PS logo (%d bytes) and %s, and its DMARC policy lets mailbox providers show it.", c.name, logoBytes, cert)
	}
	res := f.Result(pass, details...).WithFact("mark_certificate", markKind)
	if judged {
		res = res.WithFact("logo_ok", logoOK)
	}
	if logoBytes > 0 {
		res = res.WithFact("logo_bytes", logoBytes)
	}
	if derr == nil {
		res = res.WithFact("dmarc_allows_logo", pol.Record != nil && pol.Policy() != dmarc.PolicyNone && pol.Percent() >= 100)
	}
	return res
}

// bimiCert fetches and reads the a= mark certificate; it returns the
// certificate in words when it is sound, and its kind for the facts:
// "verified", "common", "other" (a mark certificate of no stated type),
// "not_mark", "unreadable" (not PEM), or "unknown" when it could not be
// fetched.
func (c *bulkChecker) bimiCert(ctx context.Context, client *probe.Client, certURL string, f *check.Findings, details *[]string) (string, string) {
	if !isHTTPS(certURL) {
		f.Add(check.Warn, []string{artBIMI}, "The BIMI certificate URL %s is not an https:// address; mailbox providers fetch it only over HTTPS.", config.RedactURL(certURL))
		return "", "unknown"
	}
	resp, ferr := client.Do(ctx, probe.Request{URL: certURL})
	problem, couldNot := fetchProblem(resp, ferr)
	switch {
	case couldNot:
		f.Add(check.Error, []string{artBIMI}, "Could not test the BIMI certificate: %s", problem)
		return "", "unknown"
	case problem != "":
		f.Add(check.Warn, []string{artBIMI}, "The BIMI certificate (a=) could not be fetched, so Gmail and Apple Mail will not show the logo: %s", problem)
		return "", "unknown"
	case resp.Truncated:
		f.Add(check.Warn, []string{artBIMI}, "The BIMI certificate at %s is larger than %d KiB; a mark certificate chain is a few KiB.", resp.URL, fetchLimit>>10)
		return "", "unknown"
	}
	mc, err := readMarkCert(resp.Body)
	if err != nil {
		*details = append(*details, fmt.Sprintf("Certificate %s: %s, %d bytes, %s", resp.URL, cut(resp.Status, 80), len(resp.Body), err))
		f.Add(check.Warn, []string{artBIMI}, "The BIMI certificate at %s is not a PEM certificate (%s), so Gmail and Apple Mail will not show the logo.", resp.URL, err.Error())
		return "", "unreadable"
	}
	now := time.Now()
	*details = append(*details, mc.describe(now))
	kind := map[string]string{"Verified Mark Certificate": "verified", "Common Mark Certificate": "common", "mark certificate": "other", "": "not_mark"}[mc.kind]
	switch {
	case mc.kind == "":
		f.Add(check.Warn, []string{artBIMI}, "The BIMI certificate at %s is not a mark certificate (it lacks the BIMI key purpose and logotype extension), so Gmail and Apple Mail will not show the logo. Get a Verified Mark Certificate (VMC) or Common Mark Certificate (CMC).", resp.URL)
	case now.After(mc.leaf.NotAfter):
		f.Add(check.Warn, []string{artBIMI}, "The BIMI %s expired on %s; renew it or the logo stops showing in Gmail and Apple Mail.", mc.kind, mc.leaf.NotAfter.UTC().Format("2006-01-02"))
	case !mc.covers(c.name):
		f.Add(check.Warn, []string{artBIMI}, "The BIMI %s does not name %s among its domains, so mailbox providers will not use it for this domain.", mc.kind, c.name)
	default:
		return check.Sentencef("a %s valid until %s", mc.kind, mc.leaf.NotAfter.UTC().Format("2006-01-02")), kind
	}
	return "", kind
}

func (c *bulkChecker) bimiRecords(ctx context.Context, name string) ([]string, error) {
	txts, err := c.res.LookupTXT(ctx, name)
	if err != nil && !probe.IsNotFound(err) {
		return nil, err
	}
	var out []string
	for _, t := range txts {
		t = strings.TrimSpace(t)
		if len(t) >= 7 && strings.EqualFold(t[:7], "v=BIMI1") {
			out = append(out, t)
		}
	}
	return out, nil
}

// fetchProblem says what went wrong with a fetch, in words, and whether it
// means the check could not tell (a timeout) rather than a finding.
func fetchProblem(resp *probe.Response, err error) (string, bool) {
	var perr *probe.Error
	if err != nil {
		if errors.As(err, &perr) {
			return perr.Error(), perr.CouldNotTest()
		}
		return err.Error(), true
	}
	if resp.StatusCode != 200 {
		return check.Sentencef("%s answered %s", resp.URL, cut(resp.Status, 80)), false
	}
	return "", false
}

func contentType(resp *probe.Response) string {
	ct := resp.Header.Get("Content-Type")
	if ct == "" {
		return "no Content-Type"
	}
	return cut(ct, 60)
}

func isHTTPS(raw string) bool {
	u, err := url.Parse(strings.TrimSpace(raw))
	return err == nil && u.Scheme == "https" && u.Host != ""
}

// shareOf returns a context with 1/n of the time ctx has left.
func shareOf(ctx context.Context, n int) (context.Context, context.CancelFunc) {
	d, ok := ctx.Deadline()
	if !ok {
		return context.WithTimeout(ctx, 10*time.Second)
	}
	return context.WithTimeout(ctx, time.Until(d)/time.Duration(n))
}
