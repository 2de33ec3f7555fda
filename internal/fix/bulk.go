package fix

import (
	"context"
	"net/url"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/probe"
)

// oneClickUnsubscribe gives the exact headers RFC 8058 asks for, when a
// marketing email lacks signed one-click unsubscribe. The headers are the
// sending platform's to add, so the fix is steps, with the exact text.
func oneClickUnsubscribe(_ context.Context, _ *Input, r check.Result) []Fix {
	v, ok := r.Fact("one_click_unsubscribe")
	if on, isBool := v.(bool); !ok || !isBool || on || !bad(r) {
		return nil
	}
	return []Fix{{
		ID: "one-click-unsubscribe", Check: r.ID, Kind: KindManual,
		Title:   say("Add one-click unsubscribe to every marketing email"),
		Summary: say("Gmail and Yahoo require bulk senders to offer one-click unsubscribe (RFC 8058): two headers, both covered by the DKIM signature."),
		Steps: []string{
			say("Add this header, with your own unsubscribe address (https; a mailto: may follow): List-Unsubscribe: <https://example.com/unsubscribe?u=RECIPIENT-TOKEN>, <mailto:unsubscribe@example.com?subject=unsubscribe>"),
			say("Add this header exactly as written: List-Unsubscribe-Post: List-Unsubscribe=One-Click"),
			say("Have the DKIM signature cover both: its h= list must name list-unsubscribe and list-unsubscribe-post (most sending platforms do this once the headers are set in their settings)."),
			say("The https address must accept a POST and unsubscribe the recipient without a login or a confirmation page, within two days."),
		},
	}}
}

// bimiRecord proposes one well-formed BIMI record when the published ones
// are several or malformed but name exactly one https logo (and at most one
// https certificate): the record the user meant to publish.
func bimiRecord(ctx context.Context, in *Input, r check.Result) []Fix {
	name := domainOf(in)
	if r.Status != check.Fail || name == "" || in.Resolver == nil {
		return nil
	}
	sel := in.Profile.Domain.BIMISelector
	if sel == "" {
		sel = "default"
	}
	at := sel + "._bimi." + name
	txts, err := in.Resolver.LookupTXT(ctx, at)
	if err != nil && !probe.IsNotFound(err) {
		return nil
	}
	var records []string
	logos, certs := map[string]bool{}, map[string]bool{}
	for _, t := range txts {
		if !strings.HasPrefix(strings.ToLower(strings.TrimSpace(t)), "v=bimi1") {
			continue
		}
		records = append(records, strings.TrimSpace(t))
		for _, part := range strings.Split(t, ";") {
			k, v, ok := strings.Cut(strings.TrimSpace(part), "=")
			v = strings.TrimSpace(v)
			if u, err := url.Parse(v); !ok || err != nil || u.Scheme != "https" || u.Host == "" {
				continue
			}
			switch strings.ToLower(strings.TrimSpace(k)) {
			case "l":
				logos[v] = true
			case "a":
				certs[v] = true
			}
		}
	}
	if len(records) == 0 || len(logos) != 1 || len(certs) > 1 {
		return nil
	}
	value := "v=BIMI1; l=" + firstKey(logos) + ";"
	if len(certs) == 1 {
		value += " a=" + firstKey(certs) + ";"
	}
	if len(records) == 1 && records[0] == value {
		return nil // the record is as it should be: the logo or the certificate is what fails
	}
	return []Fix{{
		ID: "bimi-record", Check: r.ID, Kind: KindDNS,
		Title:   say("Publish one well-formed BIMI record"),
		Summary: say("Publish this TXT record at %s in place of what is there now; mailbox providers ignore BIMI unless there is exactly one valid record.", at),
		Records: []Record{{Name: at, Type: "TXT", Value: value, Replaces: strings.Join(records, " | "), Zone: name, TTL: DefaultTTL}},
	}}
}

func firstKey(m map[string]bool) string {
	for k := range m {
		return k
	}
	return ""
}
