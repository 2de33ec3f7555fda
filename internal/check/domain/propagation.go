package domain

import (
	"context"
	"fmt"
	"strings"

	"pitstop/internal/check"
	"pitstop/internal/probe"
)

// propagation notes, on a record check that found a problem, when the
// domain's name servers already serve other records than the resolver the
// check asked: a change just published, which the resolver will see once
// its cached answer expires. With domain.dns_server set, that server is the
// one every check asks, and there is nothing to compare.
func (c *checker) propagation(name string, run func(context.Context) check.Result) func(context.Context) check.Result {
	return func(ctx context.Context) check.Result {
		r := run(ctx)
		if !r.Status.Bad() || c.res.Server() != "" || ctx.Err() != nil {
			return r
		}
		at := strings.ReplaceAll(name, "{domain}", c.name)
		compare := c.compareTXT
		if compare == nil {
			compare = func(ctx context.Context, name string) (probe.TXTSources, error) {
				return probe.CompareTXT(ctx, "", name)
			}
		}
		src, err := compare(ctx, at)
		if err != nil || !src.Differ() {
			return r
		}
		shown := make([]string, len(src.Authoritative))
		for i, v := range src.Authoritative {
			shown[i] = quote(v)
		}
		if len(shown) == 0 {
			shown = []string{"no record"}
		}
		wait := int(src.Wait.Seconds())
		return r.With(fmt.Sprintf("Published, but your resolver still serves the old record for up to %d s: the name servers of %s already serve %s. Receivers see the new one once their caches expire.", wait, c.name, strings.Join(shown, ", "))).
			WithFact("resolver_stale_seconds", wait)
	}
}

// recordAt is where each record check reads its TXT records.
var recordAt = map[string]string{"domain.spf": "{domain}", "domain.dmarc": "_dmarc.{domain}"}
