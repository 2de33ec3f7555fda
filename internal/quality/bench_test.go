package quality

import (
	"context"
	"testing"
	"time"

	"pitstop/internal/check"
	"pitstop/internal/check/suite"
	"pitstop/internal/config"
	"pitstop/internal/demo"
)

// BenchmarkFullCheck is `pitstop check` without the process: every check of
// every family against the sandbox on loopback, through the runner and its
// scrubber, as one run. healthy has every service answer; mixed has faults
// (a slow API among them, so the slowest check bounds the run).
func BenchmarkFullCheck(b *testing.B) {
	for _, scenario := range []string{"healthy", "mixed"} {
		b.Run(scenario, func(b *testing.B) {
			sb, err := demo.StartSandbox(scenario, demo.SandboxOptions{Dir: b.TempDir()})
			if err != nil {
				b.Fatal(err)
			}
			defer sb.Close()
			cfg, err := config.Load(sb.ConfigPath)
			if err != nil {
				b.Fatal(err)
			}
			p, err := cfg.Profile("")
			if err != nil {
				b.Fatal(err)
			}
			r := &check.Runner{Timeout: 10 * time.Second, Scrub: cfg.Scrubber().Scrub}
			n := 0
			for b.Loop() {
				n = len(r.Run(context.Background(), suite.For(p, nil)))
			}
			b.ReportMetric(float64(n), "checks/op")
		})
	}
}
