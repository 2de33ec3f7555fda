package demo

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"encoding/pem"
	"fmt"
	"math/big"
	"net/http"
	"strings"
	"time"
)

// Paths the sandbox BIMI server answers, each a logo or certificate of a
// known quality.
const (
	BIMILogoValid    = "/bimi/logo.svg"          // valid SVG Tiny PS
	BIMILogoScript   = "/bimi/script.svg"        // carries a <script>
	BIMILogoProfile  = "/bimi/wrong-profile.svg" // baseProfile="tiny"
	BIMILogoExternal = "/bimi/external.svg"      // links an outside image
	BIMILogoHuge     = "/bimi/huge.svg"          // 50 MB, streamed
	BIMILogoHang     = "/bimi/hang.svg"          // never answers
	BIMILogoMissing  = "/bimi/missing.svg"       // 404
	BIMICertVMC      = "/bimi/vmc.pem"           // a Verified Mark Certificate for the sandbox domains
	BIMICertPlain    = "/bimi/plain.pem"         // a TLS certificate, no mark extension
	BIMICertNotPEM   = "/bimi/not-pem.pem"       // text that is not PEM
)

// BIMIDomain holds one BIMI record per selector, each pointing at one kind
// of logo or certificate (see BIMIServer.Zones); DMARC is p=reject.
const BIMIDomain = "pitstop-bimi.test"

// hugeLogoSize is how much the huge logo would send if read to the end.
const hugeLogoSize = 50 << 20

// Sandbox logos. The valid one follows SVG Tiny PS: baseProfile tiny-ps,
// version 1.2, a title, a square viewBox, no scripts or outside references.
const (
	validLogo = `<?xml version="1.0" encoding="UTF-8"?>
<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100">
  <title>Pitstop Coffee</title>
  <rect width="100" height="100" fill="#3b2417"/>
  <circle cx="50" cy="50" r="30" fill="#f2e6d8"/>
</svg>
`
	scriptLogo = `<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100">
  <title>Pitstop Coffee</title>
  <rect width="100" height="100" fill="#3b2417" onclick="track()"/>
  <script>fetch("https://tracker.pitstop.test/seen")</script>
</svg>
`
	wrongProfileLogo = `<svg xmlns="http://www.w3.org/2000/svg" version="1.2" baseProfile="tiny" viewBox="0 0 100 100">
  <title>Pitstop Coffee</title>
  <rect width="100" height="100" fill="#3b2417"/>
</svg>
`
	externalLogo = `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" version="1.2" baseProfile="tiny-ps" viewBox="0 0 100 100">
  <title>Pitstop Coffee</title>
  <image width="100" height="100" xlink:href="https://cdn.pitstop.test/logo.png"/>
</svg>
`
)

// BIMIServer is a loopback HTTPS server for brand logos and mark
// certificates, signed by a sandbox CA.
type BIMIServer struct {
	// URL is https://127.0.0.1:port, without a trailing slash.
	URL  string
	vmc  []byte
	cert []byte
	http *httpSandbox
}

// StartBIMI starts the BIMI server with a certificate from ca. Close it
// when done.
func StartBIMI(ca *CA) (*BIMIServer, error) {
	vmc, err := ca.markCertificate(append([]string{BIMIDomain}, SenderDomains...), true)
	if err != nil {
		return nil, err
	}
	plain, err := ca.markCertificate([]string{BIMIDomain, BulkDomain}, false)
	if err != nil {
		return nil, err
	}
	s := &BIMIServer{vmc: vmc, cert: plain}
	h, err := newHTTPSandbox("bimi", "", s.serve)
	if err != nil {
		return nil, err
	}
	s.http = h
	if h.srv.TLSConfig, err = ca.ServerTLS(LeafOptions{}); err != nil {
		_ = h.close()
		return nil, err
	}
	s.URL = "https://" + h.ln.Addr().String()
	h.start()
	return s, nil
}

// Close stops the server; hanging requests end at once.
func (s *BIMIServer) Close() error { return s.http.close() }

func (s *BIMIServer) serve(w http.ResponseWriter, r *http.Request) {
	svg := func(body string) {
		w.Header().Set("Content-Type", "image/svg+xml")
		_, _ = w.Write([]byte(body))
	}
	switch r.URL.Path {
	case BIMILogoValid:
		svg(validLogo)
	case BIMILogoScript:
		svg(scriptLogo)
	case BIMILogoProfile:
		svg(wrongProfileLogo)
	case BIMILogoExternal:
		svg(externalLogo)
	case BIMILogoHuge:
		w.Header().Set("Content-Type", "image/svg+xml")
		w.Header().Set("Content-Length", fmt.Sprint(hugeLogoSize))
		chunk := []byte(strings.Repeat("<!-- padding -->", 4096))
		for sent := 0; sent < hugeLogoSize; sent += len(chunk) {
			if _, err := w.Write(chunk); err != nil {
				return // the client stopped reading
			}
		}
	case BIMILogoHang:
		select {
		case <-r.Context().Done():
		case <-s.http.closing:
		}
	case BIMICertVMC:
		w.Header().Set("Content-Type", "application/pem-certificate-chain")
		_, _ = w.Write(s.vmc)
	case BIMICertPlain:
		w.Header().Set("Content-Type", "application/pem-certificate-chain")
		_, _ = w.Write(s.cert)
	case BIMICertNotPEM:
		w.Header().Set("Content-Type", "text/plain")
		_, _ = w.Write([]byte("This is the certificate, honest.\n"))
	default:
		http.NotFound(w, r)
	}
}

// Zones returns the BIMI records pointing at this server, as zone-file text
// for the sandbox DNS server: a valid logo and VMC for the healthy domain,
// the open and lax domains (whose DMARC keeps the logo from showing), a
// script logo and a plain certificate for BulkDomain, and one selector per
// case under BIMIDomain.
func (s *BIMIServer) Zones() string {
	rec := func(name, logo, cert string) string {
		v := "v=BIMI1; l=" + logo
		if logo != "" && strings.HasPrefix(logo, "/") {
			v = "v=BIMI1; l=" + s.URL + logo
		}
		if cert != "" {
			v += "; a=" + s.URL + cert
		}
		return fmt.Sprintf("%-45s TXT %q\n", name+".", v)
	}
	var b strings.Builder
	b.WriteString("$TTL 300\n")
	b.WriteString(rec("default._bimi."+HealthyDomain, BIMILogoValid, BIMICertVMC))
	b.WriteString(rec("default._bimi."+LaxDomain, BIMILogoValid, BIMICertVMC))
	b.WriteString(rec("default._bimi."+OpenDomain, BIMILogoValid, BIMICertVMC))
	b.WriteString(rec("default._bimi."+BulkDomain, BIMILogoScript, BIMICertPlain))
	fmt.Fprintf(&b, "%-45s SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300\n", BIMIDomain+".")
	fmt.Fprintf(&b, "%-45s TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@%s\"\n", "_dmarc."+BIMIDomain+".", BIMIDomain)
	for _, c := range []struct{ selector, logo, cert string }{
		{"default", BIMILogoValid, BIMICertVMC},
		{"nocert", BIMILogoValid, ""},
		{"script", BIMILogoScript, ""},
		{"profile", BIMILogoProfile, ""},
		{"external", BIMILogoExternal, ""},
		{"huge", BIMILogoHuge, ""},
		{"hang", BIMILogoHang, ""},
		{"missing", BIMILogoMissing, ""},
		{"plaincert", BIMILogoValid, BIMICertPlain},
		{"notpem", BIMILogoValid, BIMICertNotPEM},
		{"http", "http://" + strings.TrimPrefix(s.URL, "https://") + BIMILogoValid, ""},
	} {
		b.WriteString(rec(c.selector+"._bimi."+BIMIDomain, c.logo, c.cert))
	}
	fmt.Fprintf(&b, "%-45s TXT \"v=BIMI1; l=; a=\"\n", "declined._bimi."+BIMIDomain+".")
	fmt.Fprintf(&b, "%-45s TXT \"v=BIMI1; l=%s%s\"\n", "twice._bimi."+BIMIDomain+".", s.URL, BIMILogoValid)
	fmt.Fprintf(&b, "%-45s TXT \"v=BIMI1; l=%s%s\"\n", "twice._bimi."+BIMIDomain+".", s.URL, BIMILogoScript)
	return b.String()
}

// Object identifiers a mark certificate carries (see the domain checks).
var (
	oidBIMIKeyPurpose = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 3, 31}
	oidLogotype       = asn1.ObjectIdentifier{1, 3, 6, 1, 5, 5, 7, 1, 12}
	oidMarkType       = asn1.ObjectIdentifier{1, 3, 6, 1, 4, 1, 53087, 1, 13}
)

// markCertificate issues a certificate for domains as a PEM chain (leaf,
// then the CA). With mark it is shaped like a Verified Mark Certificate:
// the BIMI key purpose, a "Registered Mark" mark type and a logotype
// extension holding the logo as a data URI (a simplified RFC 3709 value).
func (ca *CA) markCertificate(domains []string, mark bool) ([]byte, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, err
	}
	serial, _ := rand.Int(rand.Reader, big.NewInt(1<<62))
	tmpl := &x509.Certificate{
		SerialNumber: serial,
		Subject:      pkix.Name{CommonName: "Pitstop Coffee", Organization: []string{"Pitstop Sandbox"}},
		NotBefore:    time.Now().Add(-time.Hour),
		NotAfter:     time.Now().Add(365 * 24 * time.Hour),
		KeyUsage:     x509.KeyUsageDigitalSignature,
		DNSNames:     domains,
		ExtKeyUsage:  []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth},
	}
	if mark {
		tmpl.ExtKeyUsage = nil
		tmpl.UnknownExtKeyUsage = []asn1.ObjectIdentifier{oidBIMIKeyPurpose}
		tmpl.Subject.ExtraNames = []pkix.AttributeTypeAndValue{{Type: oidMarkType, Value: "Registered Mark"}}
		logo, err := asn1.Marshal(struct{ URI string }{"data:image/svg+xml;base64,PHN2Zy8+"})
		if err != nil {
			return nil, err
		}
		tmpl.ExtraExtensions = []pkix.Extension{{Id: oidLogotype, Value: logo}}
	}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, ca.cert, &key.PublicKey, ca.key)
	if err != nil {
		return nil, fmt.Errorf("mark certificate: %w", err)
	}
	out := pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der})
	return append(out, ca.PEM...), nil
}
