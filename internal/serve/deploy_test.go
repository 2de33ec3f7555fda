package serve

import (
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestDeployNamesMetricsTheExporterServes: every pitstop_ metric the alert
// rules, the dashboard and the systemd unit's neighbours name is one the
// exporter serves, so a renamed metric cannot leave a silent alert behind.
func TestDeployNamesMetricsTheExporterServes(t *testing.T) {
	t.Parallel()
	var runs atomic.Int64
	_, ts := newTestServer(t, Options{SettingsPath: writeSettings(t, twoProfiles), Checks: countingChecks(&runs, nil)})
	known := map[string]bool{}
	typeRe := regexp.MustCompile(`(?m)^# TYPE (pitstop_\w+) `)
	for _, page := range []string{"/probe?profile=alpha", "/metrics"} {
		_, body := get(t, ts.URL+page, nil)
		for _, m := range typeRe.FindAllStringSubmatch(body, -1) {
			known[m[1]] = true
		}
	}
	for _, m := range FactMetrics {
		known[m.Name] = true
	}

	dashboard, err := os.ReadFile(filepath.Join(deployDir, "grafana", "pitstop-dashboard.json"))
	require.NoError(t, err)
	var dash map[string]any
	require.NoError(t, json.Unmarshal(dashboard, &dash), "the dashboard is JSON")
	rules, err := os.ReadFile(filepath.Join(deployDir, "rules", "pitstop.rules.yml"))
	require.NoError(t, err)
	scrape, err := os.ReadFile(filepath.Join(deployDir, "prometheus.yml"))
	require.NoError(t, err)
	for _, rec := range regexp.MustCompile(`record: (pitstop:\w+)`).FindAllStringSubmatch(string(rules), -1) {
		known[rec[1]] = true
	}
	nameRe := regexp.MustCompile(`pitstop[_:][a-z_:]+`)
	for file, text := range map[string]string{"dashboard": string(dashboard), "rules": string(rules), "prometheus.yml": string(scrape)} {
		for _, name := range nameRe.FindAllString(text, -1) {
			base := name
			for _, suffix := range []string{"_bucket", "_sum", "_count"} {
				base = strings.TrimSuffix(base, suffix)
			}
			if strings.HasPrefix(name, "pitstop-") || name == "pitstop_" {
				continue
			}
			require.True(t, known[base], "%s names %s, which the exporter does not serve", file, name)
		}
	}
}
