package cli

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/demo"
)

var prelaunchManual = []string{"--done", "monitoring", "--done", "backups", "--done", "dmarc-policy", "--done", "ratelimit-headroom", "--done", "alert-recipients"}

func TestChecklistList(t *testing.T) {
	t.Parallel()
	code, stdout, stderr := runPitstop(t, "", "--config", filepath.Join(t.TempDir(), "none.yaml"), "checklist")
	require.Equal(t, 0, code, stderr)
	for _, name := range []string{"prelaunch", "bulk-sender", "before-support", "escalation", "prevention"} {
		require.Contains(t, stdout, name)
	}
	code, stdout, _ = runPitstop(t, "", "checklist", "--format", "json")
	require.Equal(t, 0, code)
	var out struct {
		Checklists []struct {
			Name       string `json:"name"`
			RunsChecks bool   `json:"runs_checks"`
		} `json:"checklists"`
	}
	require.NoError(t, json.Unmarshal([]byte(stdout), &out))
	require.Len(t, out.Checklists, 5)
	require.True(t, out.Checklists[0].RunsChecks)
	require.Equal(t, "bulk-sender", out.Checklists[1].Name)
	require.True(t, out.Checklists[1].RunsChecks)
}

func TestChecklistPrelaunch(t *testing.T) {
	t.Parallel()
	_, healthy := escalationEnv(t, demo.APIOptions{Provider: demo.APICopyCar}, "")
	_, broken := escalationEnv(t, demo.APIOptions{Provider: demo.APIOpenAI, Faults: []string{demo.APIFaultBadKey}}, reportCanary)
	tests := []struct {
		name string
		cfg  string
		done []string
		code int
	}{
		{"healthy, everything ticked", healthy, prelaunchManual, ExitOK},
		{"healthy, manual items open", healthy, nil, ExitFailed},
		{"a failing check", broken, prelaunchManual, ExitFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			args := append([]string{"--config", tt.cfg, "checklist", "prelaunch", "--only", "api", "--format", "json"}, tt.done...)
			code, stdout, stderr := runPitstop(t, "", args...)
			require.Equal(t, tt.code, code, "stdout: %s\nstderr: %s", stdout, stderr)
			require.NotContains(t, stdout, reportCanary)
			var out struct {
				Complete bool `json:"complete"`
				Items    []struct {
					ID    string `json:"id"`
					State string `json:"state"`
				} `json:"items"`
			}
			require.NoError(t, json.Unmarshal([]byte(stdout), &out))
			require.Equal(t, tt.code == ExitOK, out.Complete)
			ids := map[string]string{}
			for _, it := range out.Items {
				ids[it.ID] = it.State
			}
			require.Contains(t, ids, "api.auth", "every check is an item")
			require.Contains(t, ids, "backups")
			if tt.cfg == broken {
				require.Equal(t, "failing", ids["api.auth"])
			}
		})
	}
}

func TestChecklistMarkdownAndDone(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "none.yaml")
	code, stdout, stderr := runPitstop(t, "", "--config", cfg, "checklist", "before-support", "--done", "minimal-config")
	require.Equal(t, 0, code, stderr)
	require.Contains(t, stdout, "# Before contacting support")
	require.Contains(t, stdout, "- [x] Test with minimal configuration — ticked by you")
	require.Contains(t, stdout, "- [ ] Check system status and known issues")

	code, stdout, _ = runPitstop(t, "", "--config", cfg, "--lang", "es", "checklist", "prevention")
	require.Equal(t, 0, code, "only prelaunch gates")
	require.Contains(t, stdout, "# Estrategias de prevención")
}

func TestChecklistUsageErrors(t *testing.T) {
	t.Parallel()
	cfg := filepath.Join(t.TempDir(), "none.yaml")
	kbDir := t.TempDir()
	require.NoError(t, os.WriteFile(filepath.Join(kbDir, "checklists.yaml"), []byte("checklists: [{name: a, items: [{id: x}]}]\n"), 0o600))
	tests := []struct {
		args []string
		want string
	}{
		{[]string{"checklist", "launch"}, `no checklist "launch"; choose one of prelaunch, bulk-sender, before-support, escalation, prevention`},
		{[]string{"checklist", "prevention", "--done", "yoga"}, "--done yoga: no such item in prevention"},
		{[]string{"checklist", "--format", "yaml"}, "expected markdown or json"},
		{[]string{"checklist", "prelaunch", "--only", "fax"}, `unknown category "fax"`},
		{[]string{"--kb", kbDir, "checklist"}, "has no label"},
	}
	for _, tt := range tests {
		code, _, stderr := runPitstop(t, "", append([]string{"--config", cfg}, tt.args...)...)
		require.Equal(t, ExitUsage, code, tt.args)
		require.Contains(t, plainErr(stderr), strings.ToLower(tt.want))
	}
}

func TestWrapMarkdownList(t *testing.T) {
	t.Parallel()
	md := "# Title\n\n- [ ] aaaa bbbb cccc dddd eeee ffff gggg `id`\n- [x] short\n"
	require.Equal(t, md, wrapMarkdownList(md, 0), "pipes and files get it as is")
	require.Equal(t, "# Title\n\n- [ ] aaaa bbbb cccc dddd eeee\n      ffff gggg `id`\n- [x] short\n", wrapMarkdownList(md, 30))
}
