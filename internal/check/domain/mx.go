package domain

import (
	"context"
	"fmt"
	"net"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/probe"
)

// mx checks that the sender domain can receive mail (replies, bounces,
// DMARC reports): MX records present, each resolving, no null MX.
func (c *checker) mx(ctx context.Context) check.Result {
	mxs, err := c.res.LookupMX(ctx, c.name)
	if err != nil && !probe.IsNotFound(err) && len(mxs) == 0 {
		return c.dnsTrouble("the MX records of "+c.name, err).Explain(artMXMissing)
	}
	details := []string{c.resolverLine()}
	if len(mxs) == 0 {
		addrs, aerr := c.res.LookupIPAddr(ctx, c.name)
		switch {
		case aerr == nil && len(addrs) > 0:
			return check.Warnf("%s has no MX record, so mail to it falls back to its web address (%s). Publish an MX record so replies, bounces and reports reach a mail server.", c.name, addrs[0].IP).
				With(details...).Explain(artMXMissing).WithFacts(map[string]any{"mx_records": 0, "mx_resolved": 0})
		case aerr != nil && !probe.IsNotFound(aerr):
			return c.dnsTrouble("the address of "+c.name, aerr).Explain(artMXMissing)
		}
		return check.Failf("%s has no MX record and no address: replies and bounces to your sender address cannot be delivered, and many receivers reject mail from such domains.", c.name).
			With(details...).Explain(artMXMissing, artDeliveryFails).WithFacts(map[string]any{"mx_records": 0, "mx_resolved": 0})
	}
	if len(mxs) == 1 && (mxs[0].Host == "." || mxs[0].Host == "") {
		return check.Failf("%s publishes a null MX (\"MX 0 .\"): it declares that it receives no mail. Receivers may reject mail from it, and replies and bounces are lost.", c.name).
			With(append(details, "MX 0 .")...).Explain(artMXMissing).WithFacts(map[string]any{"mx_records": 1, "mx_resolved": 0, "null_mx": true})
	}

	var f check.Findings
	resolved := 0
	var names []string
	for _, m := range mxs {
		host := trimDot(m.Host)
		names = append(names, fmt.Sprintf("%s (%d)", host, m.Pref))
		if net.ParseIP(host) != nil {
			f.Add(check.Warn, []string{artMXMissing}, "The MX record %s is an IP address; it must be a host name.", host)
			details = append(details, fmt.Sprintf("MX %d %s (an address, not a name)", m.Pref, host))
			continue
		}
		addrs, err := c.res.LookupIPAddr(ctx, m.Host)
		switch {
		case err == nil && len(addrs) > 0:
			resolved++
			var ips []string
			for _, a := range addrs {
				ips = append(ips, a.IP.String())
			}
			details = append(details, fmt.Sprintf("MX %d %s → %s", m.Pref, host, strings.Join(ips, ", ")))
		case err != nil && !probe.IsNotFound(err):
			f.Add(check.Error, nil, "Could not test: looking up the mail server %s failed (%s).", host, dnsWords(err))
			details = append(details, fmt.Sprintf("MX %d %s → lookup failed", m.Pref, host))
		default:
			f.Add(check.Warn, []string{artMXMissing}, "The mail server %s named by the MX record has no address.", host)
			details = append(details, fmt.Sprintf("MX %d %s → no address", m.Pref, host))
		}
	}
	if resolved == 0 {
		f = append(check.Findings{{Status: check.Fail, Text: check.Sentencef("None of the mail servers in %s's MX records has an address, so mail to the domain cannot be delivered.", c.name), Articles: []string{artMXMissing}}}, f...)
	}
	return f.Result(check.Sentencef("%s receives mail through %s.", c.name, strings.Join(names, ", ")), details...).
		WithFacts(map[string]any{"mx_records": len(mxs), "mx_resolved": resolved})
}
