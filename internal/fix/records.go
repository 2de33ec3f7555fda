package fix

import (
	"fmt"
	"strings"
)

// DefaultTTL is the TTL proposed for new records: an hour, short enough to
// correct a mistake the same day.
const DefaultTTL = 3600

// txtStringMax is the longest character-string a TXT record holds (RFC 1035
// section 3.3); longer values are split into several strings that receivers
// join without spaces (RFC 7208 section 3.3).
const txtStringMax = 255

// Record is a DNS record for the user to publish. Name is the full record
// name ("_dmarc.example.com"), Value the whole TXT value; Replaces is the
// value it replaces ("" for a new record).
type Record struct {
	Name     string `json:"name"`
	Type     string `json:"type"`
	Value    string `json:"value"`
	Replaces string `json:"replaces"`
	TTL      int    `json:"ttl"`
	// Zone is the zone the record is published in (the sender domain), for
	// the host name relative to it.
	Zone string `json:"-"`
}

// Host is the name relative to the zone, as DNS providers' consoles ask for
// it: "@" at the apex, "_dmarc" for _dmarc.example.com.
func (r Record) Host() string {
	name := strings.TrimSuffix(strings.ToLower(r.Name), ".")
	zone := strings.TrimSuffix(strings.ToLower(r.Zone), ".")
	switch {
	case zone == "" || name == zone:
		if zone == "" {
			return name
		}
		return "@"
	case strings.HasSuffix(name, "."+zone):
		return strings.TrimSuffix(name, "."+zone)
	}
	return name
}

// TXTStrings splits a value into quoted character-strings of at most 255
// bytes each, as a zone file writes them.
func TXTStrings(value string) []string {
	var out []string
	for len(value) > txtStringMax {
		out = append(out, quoteTXT(value[:txtStringMax]))
		value = value[txtStringMax:]
	}
	return append(out, quoteTXT(value))
}

func quoteTXT(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(s) + `"`
}

// ZoneLine is the record as one zone-file line: the absolute name, TTL,
// class, type, and a TXT value split into 255-byte strings.
func (r Record) ZoneLine() string {
	ttl := r.TTL
	if ttl == 0 {
		ttl = DefaultTTL
	}
	value := r.Value
	if strings.EqualFold(r.Type, "TXT") {
		value = strings.Join(TXTStrings(r.Value), " ")
	}
	name := strings.TrimSuffix(r.Name, ".") + "."
	return fmt.Sprintf("%s %d IN %s %s", name, ttl, strings.ToUpper(r.Type), value)
}
