package demo

// The sandbox's sender domains. Each is an organisational domain under the
// reserved .test TLD, so DMARC's fallback from a subdomain lands on it.
const (
	// HealthyDomain has everything right: MX, one SPF record that authorises
	// 127.0.0.1, a 2048-bit DKIM key at s1, DMARC p=reject with rua.
	HealthyDomain = "pitstop-healthy.test"
	// BrokenDomain has no MX, two SPF records, a revoked DKIM key at s1, a
	// 512-bit key at old, and no DMARC record.
	BrokenDomain = "pitstop-broken.test"
	// LaxDomain has ?all, more than ten SPF lookups and three void ones, a
	// 1024-bit DKIM key at s1, and DMARC p=none without rua.
	LaxDomain = "pitstop-lax.test"
	// OpenDomain is healthy except for SPF "+all" (anyone may send as it);
	// it also has an Ed25519 DKIM key at s2.
	OpenDomain = "pitstop-open.test"
	// ListedDomain is healthy except that its MX address (127.0.0.2) is on
	// the sandbox blocklist.
	ListedDomain = "pitstop-listed.test"
	// NullMXDomain publishes a null MX ("MX 0 ."): it receives no mail.
	NullMXDomain = "pitstop-nullmx.test"

	// BlocklistZone lists 127.0.0.2 (the conventional test entry, answer
	// 127.0.0.2 with a TXT reason) and 127.0.0.4 (answer 127.0.0.4).
	BlocklistZone = "bl.pitstop-dnsbl.test"
	// RefusingBlocklistZone answers 127.255.255.254 to every query, as
	// Spamhaus does for queries that come through a public resolver.
	RefusingBlocklistZone = "refused.pitstop-dnsbl.test"

	// DKIMSelector is the selector every sandbox domain signs with.
	DKIMSelector = "s1"
)

// SenderDomains lists the sandbox's sender domains, for `pitstop demo --list`.
var SenderDomains = []string{HealthyDomain, BrokenDomain, LaxDomain, OpenDomain, ListedDomain, NullMXDomain}

// Public halves of throwaway keys (SubjectPublicKeyInfo, base64), split into
// TXT strings of at most 255 bytes as a real zone would.
const (
	dkimRSA2048 = `"v=DKIM1; k=rsa; p=MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAlb1Geru2rECZKtHIhAXowW6+/yvMfkorubNYOL6zd/UDP4+c8l7Zz04HVbl9TKqyl7XX9GhW3xl7JPlXIRZl1uzDuxvApY70aDAwG+eWD0fo+2g6TKaIgQh5D8RCU8VbjmDQq1FteCSTfjHS5rdfeIW9Alu9Ic5HfkNnyGclZRib3HBekYIcRPtEhTag" "VbRWPbMhS2Sn2ixyy6FZ3hYBH9BXMmfoFiegUtObxm7U2kMbLVOqwooBfD25wzzsrdYh98ZJ67q7r0LOAXcGiq6qwOKG83OwDzI3++aT104zoZK7ujV0Yv/7Pmh6IweOO5ySB9BoRdGO/6HXDkwM0JU6HwIDAQAB"`
	dkimRSA1024 = `"v=DKIM1; k=rsa; p=MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDGxuXhES2HxSbDMZa6wB3NHpy9mhpnpeDC3fdydXpZuby2rKGC7KhH8gmfz+MBpI7sjbHSF4S8B6a5rzT5ocb1DwqAZIfgLbKa9nuUlSg1pTIy4dDWEA9c4HiniE5aIC4qZ4qlrw3bAek7qObHoICYijrioVhAHp56n7Cjil+5pwIDAQAB"`
	dkimRSA512  = `"v=DKIM1; k=rsa; p=MFwwDQYJKoZIhvcNAQEBBQADSwAwSAJBALwJUo0cfuFu8mo3rlK+1yAUxTNzqDax2par9V03HlEg+Q4ICVi3oP47ni0GNxRR27IaO2t8suxjnBUBMDSgGW8CAwEAAQ=="`
	dkimEd25519 = `"v=DKIM1; k=ed25519; p=2W05BWFWfwXm+7nNZrytmxSlIuECwpSeexZHE+slY04="`
)

// sandboxZones is every record the sandbox DNS server answers, in zone-file
// syntax. ${DKIM2048} and friends are replaced by the keys above.
const sandboxZones = `
$TTL 300
; ---------------------------------------------------------------- healthy
pitstop-healthy.test.                 SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
pitstop-healthy.test.                 NS  ns.pitstop.test.
pitstop-healthy.test.                 MX  10 mx.pitstop-healthy.test.
pitstop-healthy.test.                 A   127.0.0.1
mx.pitstop-healthy.test.              A   127.0.0.1
pitstop-healthy.test.                 TXT "v=spf1 ip4:127.0.0.1 include:_spf.pitstop-healthy.test -all"
pitstop-healthy.test.                 TXT "google-site-verification=sandbox-not-a-real-token"
_spf.pitstop-healthy.test.            TXT "v=spf1 ip4:192.0.2.0/24 ip6:2001:db8::/32 ~all"
s1._domainkey.pitstop-healthy.test.   TXT ${DKIM2048}
_dmarc.pitstop-healthy.test.          TXT "v=DMARC1; p=reject; rua=mailto:dmarc-reports@pitstop-healthy.test; adkim=s; aspf=r"
news.pitstop-healthy.test.            A   127.0.0.1
news.pitstop-healthy.test.            MX  10 mx.pitstop-healthy.test.
news.pitstop-healthy.test.            TXT "v=spf1 ip4:127.0.0.1 -all"

; ---------------------------------------------------------------- broken
pitstop-broken.test.                  SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
pitstop-broken.test.                  NS  ns.pitstop.test.
pitstop-broken.test.                  TXT "v=spf1 ip4:127.0.0.1 -all"
pitstop-broken.test.                  TXT "v=spf1 include:mailer.pitstop-broken.test ~all"
mailer.pitstop-broken.test.           TXT "v=spf1 ip4:198.51.100.7 -all"
s1._domainkey.pitstop-broken.test.    TXT "v=DKIM1; k=rsa; p="
old._domainkey.pitstop-broken.test.   TXT ${DKIM512}

; ---------------------------------------------------------------- lax
pitstop-lax.test.                     SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
pitstop-lax.test.                     NS  ns.pitstop.test.
pitstop-lax.test.                     MX  10 mx.pitstop-lax.test.
mx.pitstop-lax.test.                  A   127.0.0.1
pitstop-lax.test.                     TXT ("v=spf1 include:crm.pitstop-lax.test include:esp.pitstop-lax.test"
                                           " include:helpdesk.pitstop-lax.test include:billing.pitstop-lax.test"
                                           " a:old-relay.pitstop-lax.test a:gone1.pitstop-lax.test a:gone2.pitstop-lax.test"
                                           " mx ip4:127.0.0.1 ?all")
crm.pitstop-lax.test.                 TXT "v=spf1 include:eu.crm.pitstop-lax.test include:us.crm.pitstop-lax.test ~all"
eu.crm.pitstop-lax.test.              TXT "v=spf1 ip4:198.51.100.0/26 ~all"
us.crm.pitstop-lax.test.              TXT "v=spf1 ip4:198.51.100.64/26 ~all"
esp.pitstop-lax.test.                 TXT "v=spf1 a:send.esp.pitstop-lax.test ip4:203.0.113.0/24 ~all"
send.esp.pitstop-lax.test.            A   203.0.113.10
helpdesk.pitstop-lax.test.            TXT "v=spf1 ip4:203.0.113.128/25 ~all"
billing.pitstop-lax.test.             TXT "v=spf1 include:eu.crm.pitstop-lax.test ~all"
s1._domainkey.pitstop-lax.test.       TXT ${DKIM1024}
_dmarc.pitstop-lax.test.              TXT "v=DMARC1; p=none"

; ---------------------------------------------------------------- open
pitstop-open.test.                    SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
pitstop-open.test.                    NS  ns.pitstop.test.
pitstop-open.test.                    MX  10 mx.pitstop-open.test.
mx.pitstop-open.test.                 A   127.0.0.1
pitstop-open.test.                    TXT "v=spf1 ip4:127.0.0.1 +all"
s1._domainkey.pitstop-open.test.      TXT ${DKIM2048}
s2._domainkey.pitstop-open.test.      TXT ${DKIMED25519}
_dmarc.pitstop-open.test.             TXT "v=DMARC1; p=quarantine; pct=50; rua=mailto:dmarc@pitstop-open.test"

; ---------------------------------------------------------------- listed
pitstop-listed.test.                  SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
pitstop-listed.test.                  NS  ns.pitstop.test.
pitstop-listed.test.                  MX  10 mx.pitstop-listed.test.
mx.pitstop-listed.test.               A   127.0.0.2
pitstop-listed.test.                  TXT "v=spf1 mx ip4:127.0.0.1 -all"
s1._domainkey.pitstop-listed.test.    TXT ${DKIM2048}
_dmarc.pitstop-listed.test.           TXT "v=DMARC1; p=reject; rua=mailto:dmarc@pitstop-listed.test"

; ---------------------------------------------------------------- null MX
pitstop-nullmx.test.                  SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
pitstop-nullmx.test.                  NS  ns.pitstop.test.
pitstop-nullmx.test.                  MX  0 .
pitstop-nullmx.test.                  TXT "v=spf1 -all"
_dmarc.pitstop-nullmx.test.           TXT "v=DMARC1; p=reject; rua=mailto:dmarc@pitstop-healthy.test"

; ---------------------------------------------------------------- reverse DNS
; 127.0.0.5 and .2 name hosts that resolve back to them (forward-confirmed);
; .3 names a host whose address is .9 (a mismatch); .4 has no PTR record.
; (127.0.0.1 is left out: resolvers answer it from /etc/hosts.)
0.0.127.in-addr.arpa.                 SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
5.0.0.127.in-addr.arpa.               PTR smtp.pitstop-healthy.test.
smtp.pitstop-healthy.test.            A   127.0.0.5
2.0.0.127.in-addr.arpa.               PTR mx.pitstop-listed.test.
3.0.0.127.in-addr.arpa.               PTR mail.pitstop-broken.test.
mail.pitstop-broken.test.             A   127.0.0.9
smtp-mismatch.pitstop-broken.test.    A   127.0.0.3
smtp-noptr.pitstop-broken.test.       A   127.0.0.4

; ---------------------------------------------------------------- blocklists
bl.pitstop-dnsbl.test.                SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
bl.pitstop-dnsbl.test.                NS  ns.pitstop.test.
2.0.0.127.bl.pitstop-dnsbl.test.      A   127.0.0.2
2.0.0.127.bl.pitstop-dnsbl.test.      TXT "Listed by the Pitstop sandbox blocklist (test entry 127.0.0.2); see https://blocklist.pitstop.test/query/ip/127.0.0.2"
4.0.0.127.bl.pitstop-dnsbl.test.      A   127.0.0.4
4.0.0.127.bl.pitstop-dnsbl.test.      TXT "Listed: sending host looked infected (sandbox XBL-style entry)"
refused.pitstop-dnsbl.test.           SOA ns.pitstop.test. hostmaster.pitstop.test. 1 3600 600 86400 300
*.refused.pitstop-dnsbl.test.         A   127.255.255.254
*.refused.pitstop-dnsbl.test.         TXT "Error: open resolver; https://check.spamhaus.org/returnc/pub/sandbox"
`
