package domain

import (
	"context"
	"crypto/ed25519"
	"crypto/rsa"
	"crypto/x509"
	"encoding/base64"
	"fmt"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/probe"
)

// commonSelectors are tried when no selector is configured: Google
// Workspace, Microsoft 365, cPanel/Postfix defaults and common ESPs.
var commonSelectors = []string{"google", "default", "selector1", "selector2", "k1", "s1", "s2", "mail", "dkim"}

// dkimKey is what one selector's record says.
type dkimKey struct {
	selector string
	name     string // s1._domainkey.example.com
	found    bool
	records  []string
	err      error
	status   check.Status
	text     string // one plain sentence about this key
	detail   string // "RSA 2048-bit", "revoked" ...
	bits     int    // an RSA key's size; 0 for other keys and unreadable ones
}

// dkim checks each configured selector's key (or guesses common selectors).
func (c *checker) dkim(ctx context.Context) check.Result {
	selectors, guessing := c.selectors, false
	if len(selectors) == 0 {
		selectors, guessing = commonSelectors, true
	}
	keys := make([]dkimKey, len(selectors))
	done := make([]<-chan error, len(selectors))
	for i, sel := range selectors {
		done[i] = check.Go(func() { keys[i] = c.lookupDKIM(ctx, sel) }) // recovered: outside the runner's reach
	}
	for _, d := range done {
		if r, ok := check.ResultOf(<-d); ok {
			return r
		}
	}

	details := []string{c.resolverLine()}
	var f check.Findings
	var good []string
	for _, k := range keys {
		switch {
		case k.err != nil:
			f.Add(check.Error, nil, "Could not test: looking up the DKIM key at %s failed (%s).", k.name, dnsWords(k.err))
			details = append(details, fmt.Sprintf("%s: lookup failed", k.name))
		case !k.found && guessing:
			// Reported below as one warning.
		case !k.found:
			f.Add(check.Fail, []string{artDKIMInvalid}, "No DKIM key is published at %s: the selector name may be wrong, or the key was never added to DNS, so receivers cannot verify your signatures.", k.name)
			details = append(details, fmt.Sprintf("%s: no record", k.name))
		default:
			details = append(details, fmt.Sprintf("%s: %s", k.name, k.detail))
			for _, r := range k.records {
				details = append(details, "  TXT "+quote(r))
			}
			if strings.HasPrefix(k.detail, "Ed25519") {
				details = append(details, "  Not every receiver checks Ed25519 signatures; keep an RSA key on another selector too.")
			}
			if k.status == check.Pass {
				good = append(good, fmt.Sprintf("%s (%s)", k.selector, k.detail))
			} else {
				f.Add(k.status, []string{artDKIMInvalid}, "%s", k.text)
			}
		}
	}
	var foundSelectors []string
	if guessing {
		found := 0
		for _, k := range keys {
			if k.found {
				found++
				foundSelectors = append(foundSelectors, k.selector)
			}
		}
		details = append(details, "No selector is configured (domain.dkim_selectors); Pitstop tried: "+strings.Join(commonSelectors, ", "))
		if found == 0 {
			f.Add(check.Warn, []string{artDKIMInvalid}, "Found no DKIM key under the common selector names. That may only mean your provider uses another name: look for s= in the DKIM-Signature header of a message you sent, and add it to domain.dkim_selectors.")
		}
	}
	if len(good) == 0 && len(f) == 0 {
		f.Add(check.Warn, []string{artDKIMInvalid}, "Pitstop found no DKIM key to check.")
	}
	facts := dkimFacts(keys)
	if len(foundSelectors) > 0 {
		// Found by guessing: a fix may name them in domain.dkim_selectors.
		facts["selectors_found"] = strings.Join(foundSelectors, ",")
	}
	return f.Result(check.Sentencef("DKIM key%s published for %s: %s.", pluralS(len(good)), c.name, strings.Join(good, ", ")), details...).
		WithFacts(facts)
}

// dkimFacts counts the selectors tried and the keys found, and gives the
// smallest RSA key's size (key_bits, absent when no RSA key was read): the
// weakest key is the one a receiver judges you by.
func dkimFacts(keys []dkimKey) map[string]any {
	facts := map[string]any{"selectors_checked": len(keys)}
	found, smallest := 0, 0
	for _, k := range keys {
		if k.found {
			found++
		}
		if k.bits > 0 && (smallest == 0 || k.bits < smallest) {
			smallest = k.bits
		}
	}
	facts["keys_found"] = found
	if smallest > 0 {
		facts["key_bits"] = smallest
	}
	return facts
}

func pluralS(n int) string {
	if n == 1 {
		return " is"
	}
	return "s are"
}

// lookupDKIM fetches and judges one selector's record.
func (c *checker) lookupDKIM(ctx context.Context, sel string) dkimKey {
	k := dkimKey{selector: sel, name: sel + "._domainkey." + c.name}
	txts, err := c.res.LookupTXT(ctx, k.name)
	if err != nil && !probe.IsNotFound(err) {
		k.err = err
		return k
	}
	for _, t := range txts {
		// A DKIM key record is any TXT at the name with a p= tag or v=DKIM1.
		if tags, ok := parseTags(t); ok && (hasTag(tags, "p") || tags["v"] == "DKIM1") {
			k.records = append(k.records, t)
		}
	}
	if len(k.records) == 0 {
		return k
	}
	k.found = true
	if len(k.records) > 1 {
		k.status, k.detail = check.Fail, fmt.Sprintf("%d key records", len(k.records))
		k.text = check.Sentencef("%s has %d DKIM records; there must be exactly one, or receivers fail the signature.", k.name, len(k.records))
		return k
	}
	judgeKey(&k, k.records[0])
	return k
}

// judgeKey parses a key record (RFC 6376 3.6.1) and rates the key.
func judgeKey(k *dkimKey, record string) {
	tags, _ := parseTags(record)
	fail := func(detail, format string, a ...any) {
		k.status, k.detail, k.text = check.Fail, detail, fmt.Sprintf(format, a...)
	}
	if v, ok := tags["v"]; ok && v != "DKIM1" {
		fail("bad version", "The DKIM record at %s has v=%s; it must be v=DKIM1.", k.name, v)
		return
	}
	if !hasTag(tags, "p") {
		fail("no key", "The DKIM record at %s has no p= tag (the public key).", k.name)
		return
	}
	p := strings.Join(strings.Fields(tags["p"]), "")
	if p == "" {
		fail("revoked (empty p=)", "The DKIM key at %s is revoked (empty p=): mail signed with selector %s fails DKIM. Publish the current key or sign with another selector.", k.name, k.selector)
		return
	}
	der, err := base64.StdEncoding.DecodeString(p)
	if err != nil {
		fail("unreadable key", "The DKIM key at %s is not valid base64, so no signature can be verified.", k.name)
		return
	}
	keyType := strings.ToLower(tags["k"])
	if keyType == "" {
		keyType = "rsa"
	}
	switch keyType {
	case "rsa":
		bits, err := rsaBits(der)
		if err != nil {
			fail("unreadable key", "The DKIM key at %s is not a valid RSA public key (%v).", k.name, err)
			return
		}
		k.bits = bits
		k.detail = fmt.Sprintf("RSA %d-bit", bits)
		switch {
		case bits < 1024:
			fail(k.detail, "The DKIM key at %s is only %d bits: receivers reject keys under 1024 bits and treat the signature as failed. Publish a 2048-bit key.", k.name, bits)
			return
		case bits < 2048:
			k.status = check.Warn
			k.text = check.Sentencef("The DKIM key at %s is %d bits, which is considered weak; rotate to a 2048-bit key.", k.name, bits)
		default:
			k.status = check.Pass
		}
	case "ed25519":
		if len(der) != ed25519.PublicKeySize {
			fail("unreadable key", "The Ed25519 DKIM key at %s has %d bytes; it should have 32.", k.name, len(der))
			return
		}
		k.status, k.detail = check.Pass, "Ed25519"
	default:
		fail("unknown key type", "The DKIM record at %s uses key type k=%s, which receivers do not know.", k.name, keyType)
		return
	}
	if flags := tags["t"]; strings.Contains(flags, "y") {
		k.detail += ", testing mode (t=y)"
		if k.status == check.Pass {
			k.status = check.Warn
			k.text = check.Sentencef("The DKIM key at %s is in testing mode (t=y): receivers may ignore its signatures. Remove t=y once signing works.", k.name)
		}
	}
	if h := strings.ToLower(tags["h"]); h != "" && !strings.Contains(h, "sha256") {
		k.detail += ", h=" + h
		if k.status == check.Pass {
			k.status = check.Warn
			k.text = check.Sentencef("The DKIM record at %s allows only %s signatures; sha1 is obsolete, use sha256.", k.name, h)
		}
	}
}

func rsaBits(der []byte) (int, error) {
	if pub, err := x509.ParsePKIXPublicKey(der); err == nil {
		rk, ok := pub.(*rsa.PublicKey)
		if !ok {
			return 0, fmt.Errorf("the key is %T, not RSA", pub)
		}
		return rk.N.BitLen(), nil
	}
	rk, err := x509.ParsePKCS1PublicKey(der)
	if err != nil {
		return 0, err
	}
	return rk.N.BitLen(), nil
}

// parseTags reads "k=v; k=v" tag lists (DKIM and DMARC records).
func parseTags(s string) (map[string]string, bool) {
	tags := map[string]string{}
	for _, part := range strings.Split(s, ";") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		k, v, ok := strings.Cut(part, "=")
		if !ok {
			return tags, false
		}
		tags[strings.TrimSpace(strings.ToLower(k))] = strings.TrimSpace(v)
	}
	return tags, true
}

func hasTag(tags map[string]string, k string) bool {
	_, ok := tags[k]
	return ok
}
