package domain

import (
	"context"
	"fmt"
	"net/netip"
	"slices"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/probe"
)

// sendingServices are hosts of well-known sending services, by the name
// suffix of their SMTP endpoints. Mail submitted to them leaves from the
// provider's own servers, whose reverse DNS the provider keeps.
var sendingServices = []struct{ suffix, name string }{
	{"sendgrid.net", "SendGrid"},
	{"amazonaws.com", "Amazon SES"}, // email-smtp.<region>.amazonaws.com only, see sendingService
	{"mailgun.org", "Mailgun"},
	{"postmarkapp.com", "Postmark"},
	{"gmail.com", "Google"},
	{"googlemail.com", "Google"},
	{"google.com", "Google"},
	{"office365.com", "Microsoft 365"},
	{"outlook.com", "Microsoft 365"},
	{"sparkpostmail.com", "SparkPost"},
	{"mandrillapp.com", "Mailchimp Transactional"},
	{"mailjet.com", "Mailjet"},
	{"brevo.com", "Brevo"},
	{"sendinblue.com", "Brevo"},
	{"zoho.com", "Zoho Mail"},
	{"zoho.eu", "Zoho Mail"},
	{"mailersend.net", "MailerSend"},
	{"smtp2go.com", "SMTP2GO"},
	{"resend.com", "Resend"},
}

// sendingService names the well-known service host belongs to, or "".
func sendingService(host string) string {
	host = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(host)), ".")
	for _, s := range sendingServices {
		if host != s.suffix && !strings.HasSuffix(host, "."+s.suffix) {
			continue
		}
		if s.suffix == "amazonaws.com" && !strings.HasPrefix(host, "email-smtp.") {
			continue
		}
		return s.name
	}
	return ""
}

// sharedSpace is RFC 6598's carrier-grade NAT range.
var sharedSpace = netip.MustParsePrefix("100.64.0.0/10")

// publicAddress says whether a receiver could ever see a connection from a,
// and when not, what kind of address it is.
func publicAddress(a netip.Addr) (bool, string) {
	a = a.Unmap()
	switch {
	case a.IsLoopback():
		return false, "loopback"
	case a.IsPrivate():
		return false, "private"
	case a.IsLinkLocalUnicast():
		return false, "link-local"
	case a.IsUnspecified():
		return false, "unspecified"
	case sharedSpace.Contains(a):
		return false, "carrier-grade NAT"
	case !a.IsGlobalUnicast():
		return false, "not unicast"
	}
	return true, ""
}

// ptr checks forward-confirmed reverse DNS for every public address of the
// SMTP host: a PTR record whose name resolves back to the same address, as
// Gmail, Yahoo and Outlook.com require of sending servers.
func (c *bulkChecker) ptr(ctx context.Context) check.Result {
	host := strings.TrimSuffix(c.smtpHost, ".")
	if host == "" {
		return check.Skipf("No SMTP host is configured (smtp.host), so there is no sending server whose reverse DNS could be checked.")
	}
	if service := sendingService(host); service != "" {
		return check.Passf("%s belongs to %s: the servers that deliver your mail are %s's, and so is their reverse DNS (PTR). Nothing to do here.", host, service, service).
			With("Sending service recognised from the host name "+host).WithFact("sending_service", service)
	}
	details := []string{c.resolverLine()}
	var addrs []netip.Addr
	if a, err := netip.ParseAddr(host); err == nil {
		addrs = []netip.Addr{a}
	} else {
		found, err := c.res.LookupNetIP(ctx, "ip", host)
		switch {
		case err != nil && probe.IsNotFound(err):
			return check.Errorf("Could not test: %s has no address in DNS, so there is no sending address to look up.", host).
				With(details...)
		case err != nil:
			return c.dnsTrouble("the address of "+host, err)
		}
		addrs = found
	}
	slices.SortFunc(addrs, func(a, b netip.Addr) int { return a.Compare(b) })
	addrs = slices.Compact(addrs)

	var public []netip.Addr
	var kinds []string
	for _, a := range addrs {
		a = a.Unmap()
		ok, kind := c.classify(a)
		if ok {
			public = append(public, a)
			continue
		}
		details = append(details, fmt.Sprintf("%s: %s address, not checked", a, kind))
		if !slices.Contains(kinds, kind) {
			kinds = append(kinds, kind)
		}
	}
	if len(public) == 0 && len(addrs) == 1 && addrs[0].Unmap().String() == host {
		return check.Skipf("The SMTP host %s is a %s address, which receivers never see, so its reverse DNS does not matter. The public address your mail leaves from needs a PTR record; whoever runs that server sets it.", host, kinds[0]).
			With(details...)
	}
	if len(public) == 0 {
		return check.Skipf("%s has only %s addresses (%s), which receivers never see, so their reverse DNS does not matter. The public address your mail leaves from needs a PTR record; whoever runs that server sets it.", host, strings.Join(kinds, ", "), joinAddrs(addrs)).
			With(details...)
	}

	var f check.Findings
	var confirmed []string
	for _, a := range public {
		names, err := c.res.LookupAddr(ctx, a.String())
		switch {
		case err != nil && probe.IsNotFound(err) || err == nil && len(names) == 0:
			f.Add(check.Fail, []string{artPTRMismatch, artBulkSender}, "%s (%s) has no reverse DNS (PTR) record: Gmail, Yahoo and Outlook.com reject or junk mail from servers without one. Ask whoever runs the server (your hosting company or ISP) to set a PTR record naming a host that resolves back to %s.", a, host, a)
			details = append(details, fmt.Sprintf("PTR %s → none", a))
			continue
		case err != nil:
			f.Add(check.Error, nil, "Could not test: the reverse DNS lookup of %s failed (%s).", a, dnsWords(err))
			details = append(details, fmt.Sprintf("PTR %s → lookup failed: %v", a, err))
			continue
		}
		match := ""
		var seen []string
		var lookupErr error
		for _, n := range names {
			n = trimDot(n)
			fwd, ferr := c.res.LookupNetIP(ctx, "ip", n)
			if ferr != nil && !probe.IsNotFound(ferr) {
				seen = append(seen, n+" → lookup failed")
				lookupErr = ferr
				continue
			}
			var ips []string
			for _, b := range fwd {
				ips = append(ips, b.Unmap().String())
				if b.Unmap() == a {
					match = n
				}
			}
			if len(ips) == 0 {
				ips = []string{"no address"}
			}
			seen = append(seen, n+" → "+strings.Join(ips, ", "))
		}
		details = append(details, fmt.Sprintf("PTR %s → %s", a, strings.Join(seen, "; ")))
		if match != "" {
			confirmed = append(confirmed, fmt.Sprintf("%s ↔ %s", a, match))
			continue
		}
		if lookupErr != nil {
			f.Add(check.Error, nil, "Could not test: looking up the address of %s, which the reverse DNS of %s names, failed (%s).", trimDot(names[0]), a, dnsWords(lookupErr))
			continue
		}
		f.Add(check.Fail, []string{artPTRMismatch, artBulkSender}, "The reverse DNS of %s names %s, which does not resolve back to %s: receivers treat the server as unidentified (forward-confirmed reverse DNS fails). Make the PTR name's A or AAAA record point at %s, or change the PTR record.", a, trimDot(names[0]), a, a)
	}
	return f.Result(check.Sentencef("Every public address of %s has matching forward and reverse DNS: %s.", host, strings.Join(confirmed, ", ")), details...).
		WithFact("public_addresses", len(public)).WithFact("ptr_confirmed", len(confirmed))
}

func joinAddrs(addrs []netip.Addr) string {
	s := make([]string, len(addrs))
	for i, a := range addrs {
		s[i] = a.Unmap().String()
	}
	return strings.Join(s, ", ")
}
