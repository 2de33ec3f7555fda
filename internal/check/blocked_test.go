package check

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestBlockedAmongFollowsTheChain: a skip behind a skip is blocked by the
// check at the start of the chain; the walk stops at a check not among the
// results and at a loop.
func TestBlockedAmongFollowsTheChain(t *testing.T) {
	t.Parallel()
	tls := Result{ID: "smtp.tls", Status: Fail, Summary: "No STARTTLS."}
	auth := skipBecause("smtp.tls", tls)
	auth.ID = "smtp.auth"
	send := skipBecause("smtp.auth", auth)
	send.ID = "smtp.send"
	results := []Result{tls, auth, send}

	id, st, ok := BlockedAmong(send, results)
	require.True(t, ok)
	require.Equal(t, "smtp.tls", id)
	require.Equal(t, Fail, st)

	id, st, ok = BlockedAmong(send, []Result{send})
	require.True(t, ok, "a prerequisite not among the results is named as the line says")
	require.Equal(t, "smtp.auth", id)
	require.Equal(t, Skip, st)

	a := Result{ID: "a", Status: Skip}.With("requires b, which ended skip")
	b := Result{ID: "b", Status: Skip}.With("requires a, which ended skip")
	_, _, ok = BlockedAmong(a, []Result{a, b})
	require.True(t, ok, "a loop ends")

	_, _, ok = BlockedAmong(Skipf("Not run: no CRM token is set."), results)
	require.False(t, ok)
}
