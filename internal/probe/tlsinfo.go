package probe

import (
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"net"
	"pitstop/internal/safefile"
	"strings"
	"time"
)

// TLSProblem classifies why a certificate was not accepted.
type TLSProblem int

// The certificate problems Pitstop explains in plain words.
const (
	TLSOK               TLSProblem = iota
	TLSUnknownAuthority            // signed by a CA this computer does not trust
	TLSExpired                     // past its end date
	TLSNotYetValid                 // before its start date (often a wrong local clock)
	TLSHostname                    // issued for another name
	TLSHandshake                   // the handshake itself failed (not TLS, old protocol...)
)

var tlsProblemNames = [...]string{"ok", "unknown-authority", "expired", "not-yet-valid", "hostname-mismatch", "handshake"}

// String returns a short dashed name ("unknown-authority").
func (p TLSProblem) String() string {
	if p >= 0 && int(p) < len(tlsProblemNames) {
		return tlsProblemNames[p]
	}
	return fmt.Sprintf("tls-problem(%d)", int(p))
}

// TLSInfo is what Pitstop learned about a server's certificate.
type TLSInfo struct {
	Version   string    // "TLS 1.3"
	Subject   string    // the leaf's common name (or first DNS name)
	Issuer    string    // who signed the leaf
	DNSNames  []string  // names (and IPs) the certificate is valid for
	NotAfter  time.Time // end of validity
	DaysLeft  int       // whole days until NotAfter (negative once expired)
	HostMatch bool      // the certificate covers the host that was dialled
	Verified  bool      // the chain was accepted
	Problem   TLSProblem
	Reason    string // the problem in plain words; "" when Verified
}

// ExpiresSoon reports whether a valid certificate ends within days.
func (t *TLSInfo) ExpiresSoon(days int) bool {
	return t != nil && t.Verified && t.DaysLeft < days
}

// Lines renders the facts as detail lines.
func (t *TLSInfo) Lines() []string {
	if t == nil {
		return nil
	}
	var out []string
	head := "TLS"
	if t.Version != "" {
		head = t.Version
	}
	cert := fmt.Sprintf("%s: certificate for %s issued by %s", head, orUnknown(t.Subject), orUnknown(t.Issuer))
	out = append(out, cert)
	if !t.NotAfter.IsZero() {
		when := fmt.Sprintf("in %d days", t.DaysLeft)
		switch {
		case t.DaysLeft < 0:
			when = fmt.Sprintf("%d days ago", -t.DaysLeft)
		case t.DaysLeft == 0:
			when = "within a day"
		case t.DaysLeft == 1:
			when = "in 1 day"
		}
		verb := "expires"
		if t.DaysLeft < 0 {
			verb = "expired"
		}
		out = append(out, fmt.Sprintf("certificate %s %s (%s)", verb, t.NotAfter.UTC().Format("2006-01-02"), when))
	}
	if len(t.DNSNames) > 0 {
		match := "matches the host"
		if !t.HostMatch {
			match = "does NOT match the host"
		}
		out = append(out, fmt.Sprintf("valid for %s: %s", strings.Join(t.DNSNames, ", "), match))
	}
	if t.Verified {
		out = append(out, "certificate chain trusted")
	} else if t.Problem != TLSOK {
		out = append(out, "certificate problem: "+t.Problem.String())
	}
	return out
}

func orUnknown(s string) string {
	if s == "" {
		return "(unknown)"
	}
	return s
}

// tlsInfoFromState builds TLSInfo from a finished handshake; verified says
// the configuration checked the chain itself (Trust.TLSConfig with a
// ca_file), so that finishing the handshake means it was accepted.
func tlsInfoFromState(cs *tls.ConnectionState, verified bool, host string, now time.Time) *TLSInfo {
	if cs == nil {
		return nil
	}
	info := &TLSInfo{Version: tls.VersionName(cs.Version), Verified: verified || len(cs.VerifiedChains) > 0}
	if len(cs.PeerCertificates) > 0 {
		fillLeaf(info, cs.PeerCertificates[0], host, now)
	}
	if info.Verified {
		info.HostMatch = true
	}
	return info
}

func fillLeaf(info *TLSInfo, leaf *x509.Certificate, host string, now time.Time) {
	info.Subject = leaf.Subject.CommonName
	if info.Subject == "" && len(leaf.DNSNames) > 0 {
		info.Subject = leaf.DNSNames[0]
	}
	info.Issuer = leaf.Issuer.CommonName
	if len(leaf.Issuer.Organization) > 0 && leaf.Issuer.Organization[0] != info.Issuer {
		if info.Issuer == "" {
			info.Issuer = leaf.Issuer.Organization[0]
		} else {
			info.Issuer += " (" + leaf.Issuer.Organization[0] + ")"
		}
	}
	info.DNSNames = append([]string(nil), leaf.DNSNames...)
	for _, ip := range leaf.IPAddresses {
		info.DNSNames = append(info.DNSNames, ip.String())
	}
	info.NotAfter = leaf.NotAfter
	info.DaysLeft = daysUntil(now, leaf.NotAfter)
	info.HostMatch = host == "" || leaf.VerifyHostname(host) == nil
}

// daysUntil counts whole days from now to t, rounding towards zero.
func daysUntil(now, t time.Time) int {
	return int(t.Sub(now).Hours() / 24)
}

// tlsInfoFromError explains a failed handshake. It returns nil when err is
// not about TLS.
func tlsInfoFromError(err error, host string, now time.Time) *TLSInfo {
	var cve *tls.CertificateVerificationError
	var uae x509.UnknownAuthorityError
	var cie x509.CertificateInvalidError
	var hne x509.HostnameError
	var rhe tls.RecordHeaderError
	var alert tls.AlertError
	info := &TLSInfo{}
	if errors.As(err, &cve) && len(cve.UnverifiedCertificates) > 0 {
		fillLeaf(info, cve.UnverifiedCertificates[0], host, now)
	}
	switch {
	case errors.As(err, &hne):
		if hne.Certificate != nil && info.Subject == "" {
			fillLeaf(info, hne.Certificate, host, now)
		}
		info.HostMatch = false
		info.Problem = TLSHostname
		names := strings.Join(info.DNSNames, ", ")
		if names == "" {
			names = orUnknown(info.Subject)
		}
		info.Reason = fmt.Sprintf("The certificate is for %s, not for %s: the address is wrong or something in between answers in its place.", names, host)
	case errors.As(err, &uae):
		if uae.Cert != nil && info.Subject == "" {
			fillLeaf(info, uae.Cert, host, now)
		}
		info.Problem = TLSUnknownAuthority
		info.Reason = fmt.Sprintf("The certificate of %s is signed by an authority this computer does not trust (issuer: %s). "+
			"A company proxy or firewall may be inspecting HTTPS: add its CA certificate with ca_file or SSL_CERT_FILE.", host, orUnknown(info.Issuer))
	case errors.As(err, &cie) && cie.Reason == x509.Expired:
		if cie.Cert != nil && info.Subject == "" {
			fillLeaf(info, cie.Cert, host, now)
		}
		if info.NotAfter.IsZero() || now.Before(info.NotAfter) {
			info.Problem = TLSNotYetValid
			info.Reason = fmt.Sprintf("The certificate of %s is not valid yet. Check that this computer's date and time are right.", host)
		} else {
			info.Problem = TLSExpired
			info.Reason = fmt.Sprintf("The certificate of %s expired on %s (%d days ago). The server's owner must renew it.",
				host, info.NotAfter.UTC().Format("2006-01-02"), -info.DaysLeft)
		}
	case errors.As(err, &cie):
		if cie.Cert != nil && info.Subject == "" {
			fillLeaf(info, cie.Cert, host, now)
		}
		info.Problem = TLSHandshake
		info.Reason = fmt.Sprintf("The certificate of %s was refused: %s.", host, strings.TrimPrefix(cie.Error(), "x509: "))
	case errors.As(err, &rhe) || strings.Contains(err.Error(), "HTTP response to HTTPS client"):
		info.Problem = TLSHandshake
		info.Reason = fmt.Sprintf("%s does not speak TLS on this port: use http:// or the right port.", host)
	case errors.As(err, &alert), errors.As(err, &cve), strings.Contains(err.Error(), "tls: "):
		info.Problem = TLSHandshake
		info.Reason = fmt.Sprintf("The secure connection to %s failed during the handshake (%s).", host, technical(err))
	default:
		return nil
	}
	return info
}

// CheckCAFile reports what is wrong with a CA bundle, or nil when it holds at
// least one certificate.
func CheckCAFile(path string) error {
	return appendPEMFile(x509.NewCertPool(), path, "ca_file")
}

func appendPEMFile(pool *x509.CertPool, path, what string) error {
	data, err := safefile.Read(path, what, safefile.MaxCerts)
	if err != nil {
		return fmt.Errorf("cannot read %w", err)
	}
	if !pool.AppendCertsFromPEM(data) {
		return fmt.Errorf("%s %s holds no PEM certificate (expected -----BEGIN CERTIFICATE----- blocks)", what, path)
	}
	return nil
}

// hostOnly strips the port from host:port.
func hostOnly(hostport string) string {
	if h, _, err := net.SplitHostPort(hostport); err == nil {
		return h
	}
	return strings.Trim(hostport, "[]")
}
