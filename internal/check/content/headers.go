package content

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"mime"
	"net/mail"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"golang.org/x/text/encoding/htmlindex"

	"pitstop/internal/check"
	"pitstop/internal/check/domain"
	"pitstop/internal/config"
	"pitstop/internal/probe"
)

// Knowledge articles of content.headers.
const (
	artBulkSender = "email-bulk-sender-requirements"
	artOneClick   = "email-one-click-unsubscribe"
	artAlignment  = "domain-dmarc-alignment"
)

// oneClickValue is the one List-Unsubscribe-Post value RFC 8058 allows.
const oneClickValue = "List-Unsubscribe=One-Click"

// HeaderChecks returns content.headers: the sample email's headers against
// the mailbox providers' bulk-sender rules.
func HeaderChecks(p *config.Profile) []check.Check {
	h := &headerCheck{
		path:     p.Content.EmailFile,
		envelope: strings.TrimSpace(p.SMTP.From),
		res:      probe.NewResolver(strings.TrimSpace(p.Domain.DNSServer)),
	}
	return []check.Check{check.Define("content.headers", "", h.run)}
}

// headerCheck is content.headers' settings.
type headerCheck struct {
	path     string
	envelope string // smtp.from: the envelope sender SPF is checked against
	res      *probe.Resolver
}

// wordDecoder decodes RFC 2047 encoded words in any charset the WHATWG
// encoding index knows, not only UTF-8 and Latin-1.
var wordDecoder = &mime.WordDecoder{CharsetReader: func(charset string, r io.Reader) (io.Reader, error) {
	enc, err := htmlindex.Get(charset)
	if err != nil {
		return nil, err
	}
	return enc.NewDecoder().Reader(r), nil
}}

var (
	messageIDRe  = regexp.MustCompile(`^<[^<>@\s]+@[^<>@\s]+>$`)
	headerLineRe = regexp.MustCompile(`^[!-9;-~]+:`)
	unsubWordsRe = regexp.MustCompile(`(?i)unsubscribe|opt[ -]?out|darse de baja|darte de baja|cancelar (la |tu )?suscripci`)
	bracketedRe  = regexp.MustCompile(`<([^<>]*)>`)
)

// dkimSig is what content.headers reads from one DKIM-Signature header. The
// signature itself is not verified: a sample file is often edited.
type dkimSig struct {
	domain, selector string
	signed           []string // the h= list, lower case
}

func (s dkimSig) covers(names ...string) bool {
	for _, n := range names {
		if !slices.Contains(s.signed, strings.ToLower(n)) {
			return false
		}
	}
	return true
}

func (h *headerCheck) run(ctx context.Context) check.Result {
	if h.path == "" {
		return check.Skipf("No email to check: set content.email_file to a message as your subscribers receive it (.eml).")
	}
	raw, truncated, err := readFile("content.email_file", h.path)
	if err != nil {
		return fileError("content.email_file", h.path, err)
	}
	return h.judge(ctx, raw, truncated)
}

// judge checks a message's headers; truncated says the file was cut at
// maxFileSize.
func (h *headerCheck) judge(ctx context.Context, raw []byte, truncated bool) check.Result {
	// A copy saved from a mailbox file may start with a byte-order mark or
	// the mbox "From sender date" line, neither of which is a header.
	raw = bytes.TrimPrefix(raw, []byte("\uFEFF"))
	if bytes.HasPrefix(raw, []byte("From ")) {
		if _, rest, ok := bytes.Cut(raw, []byte("\n")); ok {
			raw = rest
		}
	}
	msg, perr := mail.ReadMessage(bytes.NewReader(raw))
	if perr != nil {
		first, _, _ := bytes.Cut(raw, []byte("\n"))
		if headerLineRe.Match(first) {
			return check.Failf("The headers of content.email_file cannot be read (%s); receivers reject malformed messages.", clean(perr.Error(), 120))
		}
	}
	if perr != nil || !looksLikeHeaders(msg.Header) {
		return check.Skipf("content.email_file holds text without mail headers, so there are no headers to check. Save a message as your subscribers receive it instead (in Gmail: Show original, then Download original).")
	}
	hdr := msg.Header
	var f check.Findings
	var details []string
	if truncated {
		details = append(details, fmt.Sprintf("Only the first %d MB were read.", maxFileSize>>20))
	}

	// Format findings come after alignment and unsubscribe ones, so among
	// equally bad findings the summary names what costs bulk senders most.
	var format check.Findings
	fromDomain := h.checkFrom(hdr, &format, &details)
	h.checkDate(hdr, &format, &details)
	h.checkMessageID(hdr, &format, &details)
	details = append(details, "Subject: "+subject(hdr))

	sigs := dkimSignatures(hdr, &details)
	envDomain, envSource := h.envelopeDomain(hdr)

	var dkimAligned, spfAligned, alignmentKnown bool
	if fromDomain != "" {
		dkimAligned, spfAligned, alignmentKnown = h.checkAlignment(ctx, fromDomain, sigs, envDomain, envSource, &f, &details)
	}
	oneClick := checkUnsubscribe(hdr, raw, sigs, &f, &details)

	f = append(f, format...)
	var dkimDomains []string
	for _, s := range sigs {
		dkimDomains = append(dkimDomains, s.domain)
	}
	res := f.Result(check.Sentencef("The headers meet the bulk-sender rules: From, Date and Message-ID are valid, DKIM (d=%s) and SPF (%s) both align with %s, and one-click unsubscribe is signed.", strings.Join(dkimDomains, ", "), envDomain, fromDomain), details...)
	res = res.WithFact("one_click_unsubscribe", oneClick).WithFact("dkim_signatures", len(sigs))
	if alignmentKnown {
		res = res.WithFact("dkim_aligned", dkimAligned).WithFact("spf_aligned", spfAligned)
	}
	return res
}

// checkFrom checks there is exactly one From header with one valid address
// and returns its domain ("" when there is none).
func (h *headerCheck) checkFrom(hdr mail.Header, f *check.Findings, details *[]string) string {
	vals := hdr["From"]
	switch {
	case len(vals) == 0:
		f.Add(check.Fail, []string{artBulkSender}, "The message has no From header; every message needs exactly one.")
		return ""
	case len(vals) > 1:
		f.Add(check.Fail, []string{artBulkSender}, "The message has %d From headers; RFC 5322 allows exactly one, and Gmail rejects messages with more.", len(vals))
	}
	parser := mail.AddressParser{WordDecoder: wordDecoder}
	list, err := parser.ParseList(vals[0])
	if err != nil {
		f.Add(check.Fail, []string{artBulkSender}, "The From header %s is not a valid address (%s).", quoted(vals[0]), clean(err.Error(), 80))
		return ""
	}
	if len(list) != 1 {
		f.Add(check.Fail, []string{artBulkSender}, "The From header lists %d addresses; Gmail and Yahoo require exactly one.", len(list))
		return ""
	}
	addr := list[0].Address
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		f.Add(check.Fail, []string{artBulkSender}, "The From header %s has no domain.", quoted(vals[0]))
		return ""
	}
	d := strings.ToLower(addr[at+1:])
	*details = append(*details, fmt.Sprintf("From: %s (domain %s)", quoted(addr), d))
	return d
}

func (h *headerCheck) checkDate(hdr mail.Header, f *check.Findings, details *[]string) {
	vals := hdr["Date"]
	switch {
	case len(vals) == 0:
		f.Add(check.Fail, []string{artBulkSender}, "The message has no Date header; RFC 5322 requires one.")
		return
	case len(vals) > 1:
		f.Add(check.Fail, []string{artBulkSender}, "The message has %d Date headers; RFC 5322 allows exactly one.", len(vals))
	}
	if _, err := mail.ParseDate(vals[0]); err != nil {
		f.Add(check.Fail, []string{artBulkSender}, "The Date header %s is not a valid RFC 5322 date.", quoted(vals[0]))
		return
	}
	*details = append(*details, "Date: "+quoted(vals[0]))
}

func (h *headerCheck) checkMessageID(hdr mail.Header, f *check.Findings, details *[]string) {
	vals := hdr["Message-Id"]
	switch {
	case len(vals) == 0:
		f.Add(check.Fail, []string{artBulkSender}, "The message has no Message-ID header; Gmail rejects messages without a valid one.")
		return
	case len(vals) > 1:
		f.Add(check.Fail, []string{artBulkSender}, "The message has %d Message-ID headers; RFC 5322 allows exactly one.", len(vals))
	}
	id := strings.TrimSpace(vals[0])
	if !messageIDRe.MatchString(id) {
		f.Add(check.Fail, []string{artBulkSender}, "The Message-ID header %s is not of the form <unique-part@domain>.", quoted(id))
		return
	}
	*details = append(*details, "Message-ID: "+quoted(id))
}

// dkimSignatures reads every DKIM-Signature header's d=, s= and h=.
func dkimSignatures(hdr mail.Header, details *[]string) []dkimSig {
	var sigs []dkimSig
	for _, v := range hdr["Dkim-Signature"] {
		tags, _ := domain.ParseTags(v)
		d := strings.ToLower(strings.TrimSuffix(strings.Join(strings.Fields(tags["d"]), ""), "."))
		if d == "" {
			*details = append(*details, "DKIM-Signature without d= (ignored)")
			continue
		}
		s := dkimSig{domain: d, selector: strings.Join(strings.Fields(tags["s"]), "")}
		for _, name := range strings.Split(strings.Join(strings.Fields(tags["h"]), ""), ":") {
			if name != "" {
				s.signed = append(s.signed, strings.ToLower(name))
			}
		}
		sigs = append(sigs, s)
		*details = append(*details, fmt.Sprintf("DKIM-Signature d=%s s=%s h=%s", clean(d, 100), clean(s.selector, 60), clean(strings.Join(s.signed, ":"), 300)))
	}
	if len(sigs) > 0 {
		*details = append(*details, "DKIM signatures are read (d=, h=), not verified: a sample file is often edited after signing.")
	}
	return sigs
}

// envelopeDomain is the envelope sender's domain: smtp.from, else the
// message's Return-Path (the envelope sender it was delivered with).
func (h *headerCheck) envelopeDomain(hdr mail.Header) (string, string) {
	addr, source := h.envelope, "smtp.from"
	if addr == "" {
		addr, source = strings.Trim(strings.TrimSpace(hdr.Get("Return-Path")), "<>"), "Return-Path"
	}
	if a, err := mail.ParseAddress(addr); err == nil {
		addr = a.Address
	}
	at := strings.LastIndexByte(addr, '@')
	if at < 0 {
		return "", source
	}
	return strings.ToLower(strings.TrimSpace(addr[at+1:])), source
}

// checkAlignment compares the From domain with each DKIM d= and with the
// envelope sender, in the modes the domain's DMARC record asks for. known
// is false when the record could not be read.
func (h *headerCheck) checkAlignment(ctx context.Context, from string, sigs []dkimSig, env, envSource string, f *check.Findings, details *[]string) (dkimOK, spfOK, known bool) {
	pol, err := domain.LookupDMARC(ctx, h.res, from)
	if err != nil {
		f.Add(check.Error, []string{artAlignment}, "Could not test DMARC alignment: reading the DMARC record of %s failed (%s).", from, clean(err.Error(), 160))
		return false, false, false
	}
	mode := func(strict bool) string {
		if strict {
			return "strict"
		}
		return "relaxed"
	}
	if pol.Record == nil {
		*details = append(*details, fmt.Sprintf("No usable DMARC record for %s: relaxed alignment assumed (the DMARC default).", from))
	} else {
		*details = append(*details, fmt.Sprintf("DMARC at _dmarc.%s: DKIM alignment %s (adkim), SPF alignment %s (aspf)", pol.At, mode(pol.StrictDKIM()), mode(pol.StrictSPF())))
	}
	var dkimDomains []string
	for _, s := range sigs {
		dkimDomains = append(dkimDomains, s.domain)
		if domain.Aligned(from, s.domain, pol.StrictDKIM()) {
			dkimOK = true
		}
	}
	spfOK = env != "" && domain.Aligned(from, env, pol.StrictSPF())
	envText := env
	if env == "" {
		envText = check.Sentencef("not set (smtp.from is empty and the message has no Return-Path)")
		*details = append(*details, "Envelope sender: not set (smtp.from, or a Return-Path header)")
	} else {
		*details = append(*details, fmt.Sprintf("Envelope sender domain (%s): %s", envSource, env))
	}
	dkimText := strings.Join(dkimDomains, ", ")
	if len(dkimDomains) == 0 {
		dkimText = check.Sentencef("nothing (the message has no DKIM-Signature)")
	}
	*details = append(*details, fmt.Sprintf("Alignment with %s: DKIM %t, SPF %t", from, dkimOK, spfOK))

	switch {
	case !dkimOK && !spfOK:
		f.Add(check.Fail, []string{artAlignment, artBulkSender}, "Neither DKIM nor SPF aligns with the From domain %s: DKIM signs for %s and the envelope sender's domain is %s. DMARC fails, and Gmail, Yahoo and Outlook.com reject or junk such bulk mail. Have your email service sign with d=%s and use a return-path (bounce) domain under %s.", from, dkimText, envText, domain.OrgDomain(from), domain.OrgDomain(from))
	case !dkimOK:
		f.Add(check.Warn, []string{artAlignment, artBulkSender}, "Only SPF aligns with the From domain %s; DKIM signs for %s. DMARC passes on SPF alone, but Gmail and Yahoo want bulk mail DKIM-signed by your own domain, and forwarding breaks SPF. Set up DKIM with d=%s at your email service.", from, dkimText, domain.OrgDomain(from))
	case !spfOK:
		f.Add(check.Warn, []string{artAlignment, artBulkSender}, "Only DKIM aligns with the From domain %s; the envelope sender's domain is %s, so SPF does not count for DMARC. DMARC passes on DKIM alone, but a broken signature then fails it; use a return-path (bounce) domain under %s at your email service.", from, envText, domain.OrgDomain(from))
	}
	return dkimOK, spfOK, true
}

// checkUnsubscribe checks one-click unsubscribe (RFC 8058): an https
// List-Unsubscribe URI, List-Unsubscribe-Post: List-Unsubscribe=One-Click,
// and a DKIM signature that covers both. It reports whether all three hold.
func checkUnsubscribe(hdr mail.Header, raw []byte, sigs []dkimSig, f *check.Findings, details *[]string) bool {
	lu, post := hdr["List-Unsubscribe"], hdr["List-Unsubscribe-Post"]
	e := parseEmail(raw)
	body := e.text + " " + htmlToText(e.html)
	visible := unsubWordsRe.MatchString(body)
	if len(lu) == 0 {
		signals := marketingSignals(hdr, visible)
		if len(signals) > 0 {
			f.Add(check.Fail, []string{artOneClick, artBulkSender}, "This looks like marketing mail (%s) but has no List-Unsubscribe header: Gmail and Yahoo require one-click unsubscribe (RFC 8058) on it. Add List-Unsubscribe: <https://…> and List-Unsubscribe-Post: List-Unsubscribe=One-Click, both signed with DKIM.", strings.Join(signals, ", "))
		} else {
			f.Add(check.Warn, []string{artOneClick}, "The message has no List-Unsubscribe header. If it is marketing or newsletter mail, Gmail and Yahoo require one-click unsubscribe on it; transactional mail (receipts, password resets) is exempt.")
		}
		return false
	}
	if len(lu) > 1 {
		f.Add(check.Warn, []string{artOneClick}, "The message has %d List-Unsubscribe headers; receivers read only one. Merge them into one.", len(lu))
	}
	var httpsURI, mailtoURI string
	var shown []string
	for _, m := range bracketedRe.FindAllStringSubmatch(lu[0], 8) {
		uri := strings.TrimSpace(m[1])
		u, err := url.Parse(uri)
		if err != nil {
			continue
		}
		switch strings.ToLower(u.Scheme) {
		case "https":
			if httpsURI == "" && u.Host != "" {
				httpsURI = uri
				shown = append(shown, "<"+config.RedactURL(uri)+">")
			}
		case "mailto":
			if mailtoURI == "" {
				mailtoURI = uri
				addr, _, _ := strings.Cut(u.Opaque, "?")
				shown = append(shown, "<mailto:"+clean(addr, 100)+">")
			}
		default:
			shown = append(shown, "<"+clean(u.Scheme, 20)+":…>")
		}
	}
	*details = append(*details, "List-Unsubscribe: "+strings.Join(shown, ", "))
	if len(post) > 0 {
		*details = append(*details, "List-Unsubscribe-Post: "+quoted(post[0]))
	}
	if !visible {
		f.Add(check.Warn, []string{artOneClick}, "No unsubscribe link shows in the body; besides the header, Gmail and Yahoo want a clearly visible one in the message.")
	}
	switch {
	case httpsURI == "" && mailtoURI == "":
		f.Add(check.Fail, []string{artOneClick, artBulkSender}, "The List-Unsubscribe header has no https:// or mailto: address in angle brackets, so receivers cannot use it.")
		return false
	case httpsURI == "":
		f.Add(check.Fail, []string{artOneClick, artBulkSender}, "List-Unsubscribe has only a mailto: address; one-click unsubscribe (RFC 8058), which Gmail and Yahoo require on marketing mail, needs an https:// URL that accepts a POST.")
		return false
	case len(post) == 0:
		f.Add(check.Fail, []string{artOneClick, artBulkSender}, "The List-Unsubscribe-Post header is missing, so Gmail and Yahoo do not count this as one-click unsubscribe. Add List-Unsubscribe-Post: List-Unsubscribe=One-Click and sign it with DKIM.")
		return false
	case strings.TrimSpace(post[0]) != oneClickValue:
		f.Add(check.Fail, []string{artOneClick, artBulkSender}, "List-Unsubscribe-Post says %s; RFC 8058 requires exactly List-Unsubscribe=One-Click.", quoted(post[0]))
		return false
	}
	if !slices.ContainsFunc(sigs, func(s dkimSig) bool { return s.covers("list-unsubscribe", "list-unsubscribe-post") }) {
		f.Add(check.Fail, []string{artOneClick, artBulkSender}, "No DKIM signature covers both List-Unsubscribe and List-Unsubscribe-Post (in its h= list), as RFC 8058 requires; receivers ignore one-click headers that are not signed.")
		return false
	}
	return true
}

// marketingSignals lists what makes a message look like marketing or
// subscription mail, which the one-click rule covers.
func marketingSignals(hdr mail.Header, unsubscribeInBody bool) []string {
	var out []string
	if hdr.Get("List-Id") != "" {
		out = append(out, "List-Id header")
	}
	if p := strings.ToLower(strings.TrimSpace(hdr.Get("Precedence"))); p == "bulk" || p == "list" {
		out = append(out, "Precedence: "+p)
	}
	if unsubscribeInBody {
		out = append(out, "an unsubscribe link in the body")
	}
	return out
}

// subject is the decoded Subject for the details: encoded words decoded,
// raw 8-bit text kept when it is UTF-8, control characters replaced.
func subject(hdr mail.Header) string {
	vals := hdr["Subject"]
	if len(vals) == 0 {
		return "(none)"
	}
	s, err := wordDecoder.DecodeHeader(vals[0])
	if err != nil {
		s = vals[0]
	}
	out := quoted(s)
	if len(vals) > 1 {
		out += fmt.Sprintf(" (and %d more Subject headers)", len(vals)-1)
	}
	return out
}

// clean makes outside text safe to show: valid UTF-8, no control
// characters, at most n runes.
func clean(s string, n int) string {
	var door *config.Scrubber // an email file holds no loaded secret; the door still strips and cuts
	return door.Untrusted(s, n)
}

// quoted is clean text in quotes, for a header value in a sentence.
func quoted(s string) string {
	return strconv.Quote(clean(strings.TrimSpace(s), 160))
}
