package config

import (
	"net/url"
	"strings"
)

// urlMask stands for a credential taken out of a URL.
const urlMask = "•••"

// RedactURL returns a URL as it may be shown, logged, quoted in an error or
// written into a report: its user info becomes ••• (a password, a token
// written as a user name, or a person's login: none of it belongs on a
// screen), every query value becomes ••• (the keys stay) and the fragment
// goes. A URL without a scheme ("user:pw@proxy:3128") is
// redacted the same way. A value that does not parse keeps only its scheme
// and what follows the user info, up to any query.
//
// It is the one URL redactor: every place that shows a URL the user wrote
// goes through it.
func RedactURL(raw string) string {
	schemeless := !strings.Contains(raw, "://")
	parse := raw
	if schemeless {
		parse = "//" + raw
	}
	u, err := url.Parse(parse)
	if err != nil {
		return redactUnparsed(raw)
	}
	if u.User != nil {
		u.User = url.User(urlMask)
	}
	if u.RawQuery != "" {
		q := u.Query()
		for k := range q {
			q[k] = []string{urlMask}
		}
		u.RawQuery = q.Encode()
	}
	u.Fragment, u.RawFragment = "", ""
	// url.URL escapes the mask; people read it plain.
	s := strings.ReplaceAll(u.String(), url.QueryEscape(urlMask), urlMask)
	s = strings.ReplaceAll(s, url.PathEscape(urlMask), urlMask)
	if schemeless {
		s = strings.TrimPrefix(s, "//")
	}
	return s
}

// redactUnparsed redacts a URL url.Parse refuses (a stray %, a space):
// the user info and the query go, whatever they hold.
func redactUnparsed(raw string) string {
	if i := strings.IndexAny(raw, "?#"); i >= 0 {
		raw = raw[:i]
	}
	at := strings.LastIndexByte(raw, '@')
	if at < 0 {
		return raw
	}
	if i := strings.Index(raw, "://"); i >= 0 && i+3 <= at {
		return raw[:i+3] + urlMask + raw[at:]
	}
	return urlMask + raw[at:]
}
