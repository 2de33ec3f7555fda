package domain

import (
	"crypto/x509"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"slices"
	"strings"
	"time"
)

// Object identifiers of mark certificates (the Mark Certificate
// Requirements of the AuthIndicators Working Group, RFC 3709).
var (
	// oidBIMIKeyPurpose is id-kp-BrandIndicatorforMessageIdentification,
	// the extended key usage every mark certificate carries.
	oidBIMIKeyPurpose = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 31}
	// oidLogotype is the logotype extension (RFC 3709) that holds the logo.
	oidLogotype = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 12}
	// oidMarkType is the subject's markType attribute: "Registered Mark"
	// and "Government Mark" on a Verified Mark Certificate, "Prior Use
	// Mark" and "Modified Registered Mark" on a Common Mark Certificate.
	oidMarkType = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 53087, 1, 13}
)

// maxPEMBlocks bounds how many PEM blocks of a certificate file are read.
const maxPEMBlocks = 16

// markCert is what Pitstop reads from an a= certificate file.
type markCert struct {
	leaf     *x509.Certificate
	count    int    // certificates in the file
	kind     string // "Verified Mark Certificate", "Common Mark Certificate", "mark certificate" or ""
	markType string // the subject's markType, when present
	logotype bool   // carries the logotype extension
}

// readMarkCert parses a PEM file of certificates, leaf first.
func readMarkCert(data []byte) (markCert, error) {
	var mc markCert
	rest := data
	for range maxPEMBlocks {
		var block *pem.Block
		block, rest = pem.Decode(rest)
		if block == nil {
			break
		}
		if block.Type != "CERTIFICATE" {
			continue
		}
		mc.count++
		if mc.leaf != nil {
			continue
		}
		cert, err := x509.ParseCertificate(block.Bytes)
		if err != nil {
			return mc, fmt.Errorf("the first certificate does not parse: %w", err)
		}
		mc.leaf = cert
	}
	if mc.leaf == nil {
		return mc, fmt.Errorf("no PEM certificate found")
	}
	eku := slices.ContainsFunc(mc.leaf.UnknownExtKeyUsage, func(o asn1.ObjectIdentifier) bool { return o.Equal(oidBIMIKeyPurpose) })
	for _, ext := range mc.leaf.Extensions {
		if ext.Id.Equal(oidLogotype) {
			mc.logotype = true
		}
	}
	for _, n := range mc.leaf.Subject.Names {
		if n.Type.Equal(oidMarkType) {
			if s, ok := n.Value.(string); ok {
				mc.markType = s
			}
		}
	}
	if eku || mc.logotype {
		switch strings.ToLower(mc.markType) {
		case "registered mark", "government mark":
			mc.kind = "Verified Mark Certificate"
		case "prior use mark", "modified registered mark":
			mc.kind = "Common Mark Certificate"
		default:
			mc.kind = "mark certificate"
		}
	}
	return mc, nil
}

// covers reports whether the certificate names domain (or its
// organisational domain) among its DNS names.
func (mc markCert) covers(domain string) bool {
	org := OrgDomain(domain)
	for _, n := range mc.leaf.DNSNames {
		n = strings.ToLower(strings.TrimSuffix(n, "."))
		if n == domain || n == org {
			return true
		}
	}
	return false
}

// describe is the certificate as an evidence line.
func (mc markCert) describe(now time.Time) string {
	kind := mc.kind
	if kind == "" {
		kind = "not a mark certificate"
	}
	parts := []string{kind}
	if mc.markType != "" {
		parts = append(parts, "mark type "+quote(mc.markType))
	}
	parts = append(parts, "subject "+quote(cut(mc.leaf.Subject.CommonName, 80)), "issuer "+quote(cut(mc.leaf.Issuer.CommonName, 80)))
	if len(mc.leaf.DNSNames) > 0 {
		parts = append(parts, "names "+cut(strings.Join(mc.leaf.DNSNames, ", "), 200))
	}
	state := "valid until"
	if now.After(mc.leaf.NotAfter) {
		state = "expired"
	}
	parts = append(parts, fmt.Sprintf("%s %s", state, mc.leaf.NotAfter.UTC().Format("2006-01-02")))
	if mc.logotype {
		parts = append(parts, "logotype extension present")
	}
	return fmt.Sprintf("Certificate (%d in the file): %s", mc.count, strings.Join(parts, "; "))
}
