package content

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"math"
	"mime"
	"mime/multipart"
	"mime/quotedprintable"
	"net/mail"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/runes"
	"golang.org/x/text/transform"
	"golang.org/x/text/unicode/norm"

	"pitstop/internal/check"
)

// SpamThreshold is SpamAssassin's default required_score: at or above it a
// message is marked as spam.
const SpamThreshold = 5.0

// spamWarnAt is where a score counts as close to the threshold.
const spamWarnAt = 3.0

// Hit is one rule that matched, with its points. SpamAssassin's rules come
// with SpamAssassin's names; the built-in rules have Pitstop's own
// ("subject-in-capitals"), so no one mistakes their made-up points for
// SpamAssassin's.
type Hit struct {
	Rule   string
	Points float64
	Why    string
}

// Score is a message's spam score and the rules behind it.
type Score struct {
	Total     float64
	Threshold float64
	Hits      []Hit
	Notes     []string
	Source    string // "Pitstop's built-in rules" or "SpamAssassin (spamd at host:port)"
}

// The scorer fact's values: who scored the message.
const (
	scorerPitstop      = "pitstop"
	scorerSpamAssassin = "spamassassin"
)

// builtinSource names the built-in rules in Score.Source.
const builtinSource = "Pitstop's built-in rules"

func (s Score) scorer() string {
	if s.Source == builtinSource {
		return scorerPitstop
	}
	return scorerSpamAssassin
}

// email is the parts of a message the rules look at.
type email struct {
	hasHeaders bool
	header     mail.Header
	subject    string
	text       string // text/plain parts
	html       string // text/html parts
	hasPlain   bool
	hasHTML    bool
}

// parseEmail reads an RFC 5322 message (or plain text without headers) and
// decodes its MIME parts.
func parseEmail(raw []byte) email {
	var e email
	msg, err := mail.ReadMessage(bytes.NewReader(raw))
	if err != nil || !looksLikeHeaders(msg.Header) {
		e.text, e.hasPlain = string(raw), true
		return e
	}
	e.hasHeaders, e.header = true, msg.Header
	dec := new(mime.WordDecoder)
	if s, err := dec.DecodeHeader(msg.Header.Get("Subject")); err == nil {
		e.subject = s
	} else {
		e.subject = msg.Header.Get("Subject")
	}
	body, _ := io.ReadAll(io.LimitReader(msg.Body, maxFileSize))
	e.walk(msg.Header.Get("Content-Type"), msg.Header.Get("Content-Transfer-Encoding"), body, 0)
	return e
}

func looksLikeHeaders(h mail.Header) bool {
	for _, k := range []string{"Subject", "From", "To", "Date", "Content-Type", "Mime-Version", "Message-Id"} {
		if _, ok := h[k]; ok {
			return true
		}
	}
	return false
}

// walk collects the text parts of a MIME tree.
func (e *email) walk(ctype, encoding string, body []byte, depth int) {
	media, params, err := mime.ParseMediaType(ctype)
	if err != nil || ctype == "" {
		media = "text/plain"
	}
	if strings.HasPrefix(media, "multipart/") && depth < 10 {
		r := multipart.NewReader(bytes.NewReader(body), params["boundary"])
		for {
			part, err := r.NextRawPart()
			if err != nil {
				return
			}
			b, _ := io.ReadAll(io.LimitReader(part, maxFileSize))
			e.walk(part.Header.Get("Content-Type"), part.Header.Get("Content-Transfer-Encoding"), b, depth+1)
		}
	}
	decoded := decodeBody(encoding, body)
	switch media {
	case "text/plain":
		e.text += string(decoded) + "\n"
		e.hasPlain = true
	case "text/html":
		e.html += string(decoded) + "\n"
		e.hasHTML = true
	}
}

func decodeBody(encoding string, body []byte) []byte {
	switch strings.ToLower(strings.TrimSpace(encoding)) {
	case "quoted-printable":
		if b, err := io.ReadAll(quotedprintable.NewReader(bytes.NewReader(body))); err == nil {
			return b
		}
	case "base64":
		clean := bytes.Map(func(r rune) rune {
			if unicode.IsSpace(r) {
				return -1
			}
			return r
		}, body)
		if b, err := base64.StdEncoding.DecodeString(string(clean)); err == nil {
			return b
		}
	}
	return body
}

// spamPhrase is a phrase spam filters associate with spam.
type spamPhrase struct {
	text   string // lower case, without accents
	points float64
}

// spamPhrases are matched against the subject and text, lower-cased and
// without accents, in English and Spanish.
var spamPhrases = []spamPhrase{
	{"free money", 1.5}, {"make money fast", 1.5}, {"100% free", 1.2}, {"this is not spam", 1.5},
	{"act now", 0.8}, {"click here", 0.6}, {"buy now", 0.6}, {"order now", 0.6}, {"limited time", 0.6},
	{"urgent", 0.5}, {"winner", 0.8}, {"you have been selected", 1.0}, {"congratulations", 0.5},
	{"risk-free", 0.6}, {"risk free", 0.6}, {"no credit check", 1.0}, {"guaranteed", 0.5},
	{"cash bonus", 1.0}, {"earn money", 1.0}, {"double your", 0.8}, {"miracle", 0.8},
	{"no obligation", 0.6}, {"once in a lifetime", 0.8}, {"special promotion", 0.5}, {"lowest price", 0.6},
	{"dinero facil", 1.5}, {"gana dinero", 1.0}, {"100% gratis", 1.2}, {"esto no es spam", 1.5},
	{"actua ahora", 0.8}, {"haz clic aqui", 0.6}, {"haga clic aqui", 0.6}, {"compra ahora", 0.6},
	{"tiempo limitado", 0.6}, {"urgente", 0.5}, {"ganador", 0.8}, {"has sido seleccionado", 1.0},
	{"felicidades", 0.5}, {"sin riesgo", 0.6}, {"sin costo", 0.5}, {"garantizado", 0.5},
	{"promocion especial", 0.5}, {"ultima oportunidad", 0.6}, {"gratis", 0.4},
}

// maxPhrasePoints caps what phrases alone add up to.
const maxPhrasePoints = 3.5

// shorteners are URL shortener hosts: spam hides its destination behind them.
var shorteners = []string{"bit.ly", "tinyurl.com", "goo.gl", "t.co", "ow.ly", "is.gd", "buff.ly", "rebrand.ly", "cutt.ly", "shorturl.at", "tiny.cc", "rb.gy"}

var (
	urlRe   = regexp.MustCompile(`(?i)\bhttps?://[^\s"'<>)]+`)
	hrefRe  = regexp.MustCompile(`(?i)href\s*=\s*["']?([^"'\s>]+)`)
	imgRe   = regexp.MustCompile(`(?i)<img\b`)
	tagRe   = regexp.MustCompile(`(?s)<[^>]*>`)
	styleRe = regexp.MustCompile(`(?is)<(style|script)\b.*?</(style|script)>`)
)

// builtinScore scores a message with the built-in rules. Their points are
// Pitstop's own estimate on SpamAssassin's scale (5.0 marks spam by
// default); SpamAssassin itself may score the message differently.
func builtinScore(raw []byte) Score {
	e := parseEmail(raw)
	s := Score{Threshold: SpamThreshold, Source: builtinSource}
	hit := func(rule string, points float64, format string, a ...any) {
		s.Hits = append(s.Hits, Hit{Rule: rule, Points: points, Why: fmt.Sprintf(format, a...)})
	}
	htmlText := ""
	if e.hasHTML {
		htmlText = htmlToText(e.html)
	}
	visible := e.text
	if strings.TrimSpace(visible) == "" {
		visible = htmlText
	}
	words := strings.Fields(visible)

	if !e.hasHeaders {
		s.Notes = append(s.Notes, "The file has no mail headers, so the header rules (subject, List-Unsubscribe, Date) were skipped. Save a full message (.eml) to score those too.")
	} else {
		switch {
		case strings.TrimSpace(e.subject) == "":
			hit("no-subject", 1.0, "The message has no subject")
		case shouting(e.subject):
			hit("subject-in-capitals", 1.5, "The subject is in capital letters: %q", e.subject)
		}
		if strings.Contains(e.subject, "!!") {
			hit("subject-exclamations", 0.8, "The subject has repeated exclamation marks")
		}
		lu := e.header.Get("List-Unsubscribe")
		switch {
		case lu == "":
			hit("no-unsubscribe-header", 1.0, "No List-Unsubscribe header: Gmail and Yahoo require one-click unsubscribe from bulk senders")
		case e.header.Get("List-Unsubscribe-Post") == "" && strings.Contains(strings.ToLower(lu), "http"):
			hit("unsubscribe-not-one-click", 0.3, "List-Unsubscribe has a link but no List-Unsubscribe-Post: List-Unsubscribe=One-Click header")
		}
		if e.header.Get("Date") == "" {
			hit("no-date-header", 0.5, "No Date header (your sending app may add it)")
		}
		if e.header.Get("Message-Id") == "" {
			hit("no-message-id", 0.5, "No Message-ID header (your sending app may add it)")
		}
		if e.hasHTML && !e.hasPlain {
			hit("html-without-text-part", 1.0, "HTML only, with no plain-text alternative part")
		}
	}
	if strings.Contains(visible, "!!!") {
		hit("triple-exclamation", 1.0, "The text has \"!!!\"")
	}
	if e.hasHTML && imgRe.MatchString(e.html) && len(strings.Fields(htmlText)) < 25 {
		hit("images-without-text", 2.0, "The HTML is images with almost no text (%d words)", len(strings.Fields(htmlText)))
	}
	if len(words) == 0 && !(e.hasHTML && imgRe.MatchString(e.html)) {
		hit("no-text", 2.0, "The message has no text")
	}
	if caps, total := capsWords(words); total >= 20 && caps*100 >= total*30 {
		hit("text-in-capitals", 1.0, "%d of %d words are in capitals", caps, total)
	}
	if strings.Contains(visible, "$$$") || strings.Contains(visible, "€€€") {
		hit("money-symbols", 0.5, "Repeated money symbols")
	}

	plain := fold(e.subject + "\n" + visible)
	phrasePoints := 0.0
	var found []string
	for _, p := range spamPhrases {
		if containsPhrase(plain, p.text) {
			phrasePoints += p.points
			found = append(found, p.text)
		}
	}
	if len(found) > 0 {
		hit("spammy-phrases", min(phrasePoints, maxPhrasePoints), "Phrases spam filters look for: %s", strings.Join(found, ", "))
	}

	links := links(e)
	var short []string
	for _, l := range links {
		if u, err := url.Parse(l); err == nil {
			host := strings.ToLower(strings.TrimPrefix(u.Hostname(), "www."))
			for _, sh := range shorteners {
				if host == sh && !contains(short, host) {
					short = append(short, host)
				}
			}
		}
	}
	if len(short) > 0 {
		hit("link-shortener", 1.5, "Links go through a URL shortener (%s), which hides where they lead", strings.Join(short, ", "))
	}
	if n := len(links); n >= 3 && len(words) < n*15 {
		hit("too-many-links", 1.0, "%d links for %d words of text: too many links for the amount of text", n, len(words))
	}

	sort.SliceStable(s.Hits, func(i, j int) bool { return s.Hits[i].Points > s.Hits[j].Points })
	for _, h := range s.Hits {
		s.Total += h.Points
	}
	return s
}

// shouting reports whether most letters of s are capitals.
func shouting(s string) bool {
	letters, upper := 0, 0
	for _, r := range s {
		if unicode.IsLetter(r) {
			letters++
			if unicode.IsUpper(r) {
				upper++
			}
		}
	}
	return letters >= 5 && upper*100 >= letters*80
}

// capsWords counts words of three or more letters that are all capitals.
func capsWords(words []string) (caps, total int) {
	for _, w := range words {
		letters, upper := 0, 0
		for _, r := range w {
			if unicode.IsLetter(r) {
				letters++
				if unicode.IsUpper(r) {
					upper++
				}
			}
		}
		if letters >= 3 {
			total++
			if upper == letters {
				caps++
			}
		}
	}
	return caps, total
}

// fold lower-cases s and removes accents, so "Haz clic aquí" matches
// "haz clic aqui".
func fold(s string) string {
	t := transform.Chain(norm.NFD, runes.Remove(runes.In(unicode.Mn)), norm.NFC)
	out, _, err := transform.String(t, strings.ToLower(s))
	if err != nil {
		return strings.ToLower(s)
	}
	return out
}

// containsPhrase matches a phrase on word boundaries.
func containsPhrase(text, phrase string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], phrase)
		if j < 0 {
			return false
		}
		start, end := i+j, i+j+len(phrase)
		before, _ := utf8.DecodeLastRuneInString(text[:start])
		after, _ := utf8.DecodeRuneInString(text[end:])
		if (start == 0 || !isWordRune(before)) && (end == len(text) || !isWordRune(after)) {
			return true
		}
		i = start + 1
	}
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }

func htmlToText(h string) string {
	h = styleRe.ReplaceAllString(h, " ")
	h = tagRe.ReplaceAllString(h, " ")
	return strings.NewReplacer("&nbsp;", " ", "&amp;", "&", "&lt;", "<", "&gt;", ">").Replace(h)
}

// links returns the distinct link targets in the text and HTML.
func links(e email) []string {
	var out []string
	for _, m := range hrefRe.FindAllStringSubmatch(e.html, -1) {
		if !contains(out, m[1]) && strings.HasPrefix(strings.ToLower(m[1]), "http") {
			out = append(out, m[1])
		}
	}
	for _, m := range urlRe.FindAllString(e.text, -1) {
		if !contains(out, m) {
			out = append(out, m)
		}
	}
	return out
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// checkSpam scores the configured email with spamd when it is configured and
// reachable, else with the built-in rules.
func checkSpam(ctx context.Context, path, spamd string) check.Result {
	if path == "" {
		return check.Skipf("No email to score: set content.email_file to a sample message (.eml or text).")
	}
	raw, truncated, err := readFile("content.email_file", path)
	if err != nil {
		return fileError("content.email_file", path, err)
	}
	if looksBinary(raw) {
		// An image, an archive or a program: no score would mean anything.
		return check.Errorf("Could not test: %s (%s) is not an email: it holds binary data. Point content.email_file at a message saved as .eml or text.", "content.email_file", path).
			Explain(artSpamScore)
	}
	var notes []string
	if truncated {
		notes = append(notes, fmt.Sprintf("Only the first %d MB were scored.", maxFileSize>>20))
	}
	var score Score
	floor := check.Pass
	if spamd != "" {
		s, err := SpamdReport(ctx, spamd, raw)
		if err == nil {
			score = s
		} else {
			notes = append(notes, fmt.Sprintf("spamd at %s could not score the message (%v); the built-in rules scored it instead.", spamd, err))
			floor = check.Warn
		}
	}
	if score.Source == "" {
		score = builtinScore(raw)
	}
	details := []string{fmt.Sprintf("Scored by %s: %.1f points (threshold %.1f)", score.Source, score.Total, score.Threshold)}
	for _, h := range score.Hits {
		details = append(details, fmt.Sprintf("%5s %-24s %s", fmtPoints(h.Points), h.Rule, h.Why))
	}
	details = append(details, score.Notes...)
	details = append(details, notes...)

	// The verdict reads the facts: the score as shown (one decimal) is the
	// score compared, so "5.0 of 5.0" is never a pass.
	facts := map[string]any{"score": math.Round(score.Total*10) / 10, "threshold": score.Threshold,
		"scorer": score.scorer(), "rules_hit": len(score.Hits)}
	if spamd != "" {
		facts["spamd_reachable"] = floor == check.Pass
	}
	total, threshold := facts["score"].(float64), facts["threshold"].(float64)
	builtin := facts["scorer"] == scorerPitstop
	var res check.Result
	switch {
	case total >= threshold && builtin:
		res = check.Failf("Pitstop's rules score this email %.1f of %.1f; SpamAssassin may differ: set content.spamd for its real score. Fix the rules with the most points first.", total, threshold).
			Explain(artSpamScore, artDeliveryFailed)
	case total >= threshold:
		res = check.Failf("%s scores this email %.1f, at or over its spam threshold of %.1f: it marks the email as spam. Fix the rules with the most points first.", score.Source, total, threshold).
			Explain(artSpamScore, artDeliveryFailed)
	case total >= spamWarnAt && threshold >= spamWarnAt && builtin:
		res = check.Warnf("Pitstop's rules score this email %.1f of %.1f, close to the line; SpamAssassin may differ: set content.spamd for its real score.", total, threshold).
			Explain(artSpamScore)
	case total >= spamWarnAt && threshold >= spamWarnAt:
		res = check.Warnf("%s scores this email %.1f, close to its spam threshold of %.1f; stricter filters may junk it.", score.Source, total, threshold).
			Explain(artSpamScore)
	case floor == check.Warn:
		res = check.Warnf("The configured spamd could not be reached; Pitstop's rules score this email %.1f of %.1f, and SpamAssassin may differ.", total, threshold).
			Explain(artSpamScore)
	case builtin:
		res = check.Passf("Pitstop's rules score this email %.1f of %.1f; SpamAssassin may differ: set content.spamd for its real score.", total, threshold)
	default:
		res = check.Passf("%s scores this email %.1f, below its spam threshold of %.1f.", score.Source, total, threshold)
	}
	if res.Status == check.Pass || res.Status == check.Warn {
		if len(score.Hits) == 0 {
			details = append(details, "No rule matched.")
		}
	}
	return res.With(details...).WithFacts(facts)
}

// looksBinary reports whether data is not text: a NUL byte, or more than one
// byte in a hundred of the first 8 KiB that is a control character other
// than tab, CR, LF and form feed. Emails, even with quoted-printable or
// base64 parts, or in a legacy encoding such as Latin-1, are text.
func looksBinary(data []byte) bool {
	head := data[:min(len(data), 8<<10)]
	if bytes.IndexByte(head, 0) >= 0 {
		return true
	}
	bad := 0
	for _, c := range head {
		if c < 0x20 && c != '\t' && c != '\r' && c != '\n' && c != '\f' {
			bad++
		}
	}
	return bad*100 > len(head)
}
