package cli

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

// TestChecklistBulkSender runs `pitstop checklist bulk-sender` against the
// sandbox: the requirements the checks can see are ticked or failing from
// the results and facts, the rest stay open, and the exit code gates.
func TestChecklistBulkSender(t *testing.T) {
	t.Parallel()
	type item struct {
		ID    string `json:"id"`
		State string `json:"state"`
		Note  string `json:"note"`
		Hint  string `json:"hint"`
	}
	for _, tc := range []struct {
		scenario string
		done     []string
		want     map[string]string
		code     int
	}{
		{scenario: "bulk-sender", want: map[string]string{
			"spf": "done", "dkim": "done", "dmarc": "done", "from-aligned": "done",
			"dkim-own-domain": "failing", "one-click-unsubscribe": "failing", "tls": "done",
			"reverse-dns": "open", "spam-rate": "open", "unsubscribe-two-days": "open", "brand-logo": "failing",
		}, code: ExitFailed},
		{scenario: "healthy", done: []string{"reverse-dns", "spam-rate", "unsubscribe-two-days"}, want: map[string]string{
			"from-aligned": "done", "dkim-own-domain": "done", "one-click-unsubscribe": "done", "brand-logo": "done",
			"reverse-dns": "done", "spam-rate": "done",
		}, code: ExitOK},
	} {
		t.Run(tc.scenario, func(t *testing.T) {
			t.Parallel()
			sb, err := demo.StartSandbox(tc.scenario, demo.SandboxOptions{Dir: t.TempDir()})
			require.NoError(t, err)
			t.Cleanup(func() { sb.Close() })
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			args := []string{"--config", sb.ConfigPath, "checklist", "bulk-sender", "--format", "json"}
			for _, d := range tc.done {
				args = append(args, "--done", d)
			}
			code, out, errOut := runCLI(t, ctx, args...)
			var got struct {
				Name     string `json:"name"`
				Items    []item `json:"items"`
				Complete bool   `json:"complete"`
			}
			require.NoError(t, json.Unmarshal([]byte(out), &got), "stdout: %s\nstderr: %s", out, errOut)
			require.Equal(t, "bulk-sender", got.Name)
			states := map[string]item{}
			for _, it := range got.Items {
				states[it.ID] = it
			}
			for id, want := range tc.want {
				require.Equal(t, want, states[id].State, "%s: %s", id, states[id].Note)
			}
			require.Contains(t, states["spam-rate"].Hint, "Google Postmaster Tools")
			require.Equal(t, tc.code, code, errOut)
			require.Equal(t, tc.code == ExitOK, got.Complete)
		})
	}
}
