package fix

import (
	"context"
	"errors"
	"slices"
	"time"

	"pitstop/internal/probe"
)

// Publication says whether a proposed record is live.
type Publication int

// The states of a proposed record.
const (
	// NotPublished: the authoritative servers don't serve the value yet.
	NotPublished Publication = iota
	// Published: the authoritative servers and the resolver both serve it.
	Published
	// Propagating: the authoritative servers serve it, the resolver still
	// has the old answer cached (for up to Wait).
	Propagating
	// Unknown: the servers could not be asked.
	Unknown
)

// PublishState is what asking the servers found.
type PublishState struct {
	State Publication
	// Wait is how long the resolver may keep the old answer (its TTL).
	Wait time.Duration
	// Asked names the servers asked, for evidence.
	Asked []string
}

// Sentence says the state in plain words.
func (s PublishState) Sentence() string {
	switch s.State {
	case Published:
		return say("Published: the domain's name servers and your resolver both serve this record.")
	case Propagating:
		return say("Published, but your resolver still serves the old record for up to %d s; checks see the new one after that.", int(s.Wait.Seconds()))
	case NotPublished:
		return say("Not published yet: the domain's name servers do not serve this record.")
	}
	return say("Could not ask the domain's name servers whether this record is published.")
}

// CheckPublished asks the domain's name servers and the resolver whether
// value is published at name (domain.dns_server, when set, is the one asked).
func CheckPublished(ctx context.Context, dnsServer, name, value string) PublishState {
	src, err := probe.CompareTXT(ctx, dnsServer, name)
	return publication(src, err, value)
}

// publication reads what the servers said about value.
func publication(src probe.TXTSources, err error, value string) PublishState {
	st := PublishState{Asked: src.Asked}
	switch {
	case errors.Is(err, probe.ErrNoNameServers):
		st.State = Unknown
	case !slices.Contains(src.Authoritative, value):
		st.State = NotPublished
	case err != nil:
		st.State = Unknown
	case slices.Contains(src.Resolver, value):
		st.State = Published
	default:
		st.State, st.Wait = Propagating, src.Wait
	}
	return st
}
