package cli

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/prometheus/exporter-toolkit/web"
	"github.com/spf13/cobra"

	"pitstop/internal/config"
	"pitstop/internal/serve"
)

// serveOptions are the flags of `pitstop serve`.
type serveOptions struct {
	Listen        string
	CacheTTL      time.Duration
	WebConfig     string
	Concurrency   int
	TimeoutOffset time.Duration
}

func newServeCmd(app *App) *cobra.Command {
	o := serveOptions{
		Listen: "127.0.0.1:9469", CacheTTL: serve.DefaultCacheTTL,
		Concurrency: serve.DefaultConcurrency, TimeoutOffset: serve.DefaultTimeoutOffset,
	}
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Prometheus exporter: checks as metrics",
		Long: `Serve answers Prometheus's scrapes with the results of Pitstop's checks, the way
blackbox_exporter does: Prometheus names the profile to probe
(GET /probe?profile=NAME, optionally &only=api,crm), and gets
pitstop_probe_success, pitstop_check_status, pitstop_check_duration_seconds and
each check's measured values as gauges. GET /metrics has the exporter's own
figures; GET / lists the profiles with links to their probes.

Providers are never hammered: a profile's results are reused for --cache-ttl,
probes of one profile that arrive together share one run, at most
--concurrency profiles are probed at once, and a probe stops in time for
Prometheus's scrape timeout (minus --timeout-offset). The exporter never sends
mail: smtp.test_recipient is ignored and smtp.send reports skip.

SIGHUP reads the settings file again; when the new file does not load, the
settings loaded before stay in service, the log says why and
pitstop_settings_last_reload_successful drops to 0. A profile whose own settings
do not load answers pitstop_settings_valid 0 while the others are served.

--web-config takes an exporter-toolkit web configuration file for TLS and basic
auth. deploy/ has a Prometheus scrape configuration, alert rules, a Grafana
dashboard and a systemd unit.`,
		Example: `  pitstop serve
  pitstop serve --listen 0.0.0.0:9469 --web-config /etc/pitstop/web.yml
  curl 'http://127.0.0.1:9469/probe?profile=production&only=api'
  kill -HUP $(pidof pitstop)     # reload the settings file`,
		Args: cobra.NoArgs,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), app, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", o.Listen, "address to listen on (host:port)")
	f.DurationVar(&o.CacheTTL, "cache-ttl", o.CacheTTL, "reuse results this long (0: never)")
	f.StringVar(&o.WebConfig, "web-config", "", "web config file (exporter-toolkit): TLS, basic auth")
	f.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "profiles probed at once, at most")
	f.DurationVar(&o.TimeoutOffset, "timeout-offset", o.TimeoutOffset, "taken off Prometheus's scrape timeout")
	return cmd
}

func runServe(ctx context.Context, app *App, o serveOptions) error {
	if o.CacheTTL < 0 {
		return usageErrf("%s", app.T("serve.err.cache_ttl", o.CacheTTL))
	}
	if o.Concurrency < 1 {
		return usageErrf("%s", app.T("serve.err.concurrency", o.Concurrency))
	}
	if o.TimeoutOffset < 0 {
		return usageErrf("%s", app.T("serve.err.timeout_offset", o.TimeoutOffset))
	}
	if app.Opts.Profile != "" {
		return usageErrf("%s", app.T("serve.err.profile", app.Opts.Profile))
	}
	if o.WebConfig != "" {
		if err := web.Validate(o.WebConfig); err != nil {
			return usageErrf("--web-config %s: %v", o.WebConfig, err)
		}
	}
	// The exporter's log goes to stderr (journald under systemd) as well
	// as the activity log, through the same scrubber.
	var srv *serve.Server
	logger := slog.New(&scrubHandler{
		Handler: slog.NewTextHandler(app.Stderr, &slog.HandlerOptions{Level: logLevel(app.Opts.Debug)}),
		scrub: func(s string) string {
			if srv == nil {
				return s
			}
			return srv.Scrub(s)
		},
	})
	s, err := serve.New(serve.Options{
		SettingsPath:  app.Opts.ConfigPath,
		CacheTTL:      o.CacheTTL,
		Concurrency:   o.Concurrency,
		CheckTimeout:  app.Opts.Timeout,
		TimeoutOffset: o.TimeoutOffset,
		Logger:        logger,
		Version:       version(app.Version),
		Lang:          app.Opts.Lang,
	})
	if err != nil {
		return usageErr(err)
	}
	srv = s
	app.scrubber.Store(s.Settings().Config.Scrubber())

	ln, err := net.Listen("tcp", o.Listen)
	if err != nil {
		return usageErrf("--listen %s: %v", o.Listen, err)
	}
	hup := make(chan os.Signal, 1)
	app.hangupReloads.Store(true)
	signal.Notify(hup, syscall.SIGHUP)
	defer signal.Stop(hup)
	go func() {
		for {
			select {
			case <-ctx.Done():
				return
			case <-hup:
				if s.Reload() == nil {
					app.scrubber.Store(s.Settings().Config.Scrubber())
				}
			}
		}
	}()
	st := s.Settings()
	how := app.T("serve.plain")
	if o.WebConfig != "" {
		how = app.T("serve.web_config", o.WebConfig)
	}
	served := app.N("serve.profiles", len(st.Config.Profiles), len(st.Config.Profiles))
	if len(st.Broken) > 0 {
		served += " " + app.T("serve.broken", len(st.Broken))
	}
	if st.Config.Path == "" {
		served += " " + app.T("serve.no_file", config.DefaultPath())
	}
	// Ctrl-C or SIGTERM is how a service ends: exit 0 after a graceful
	// shutdown, in its own time (a second Ctrl-C cuts it short).
	app.stopsOnInterrupt.Store(true)
	fmt.Fprintln(app.Stderr, app.T("serve.serving", served, ln.Addr(), how))
	if err := s.Serve(ctx, ln, o.WebConfig); err != nil {
		return &ExitError{Code: ExitInternal, Err: fmt.Errorf("serve: %w", err)}
	}
	return nil
}

func logLevel(debug bool) slog.Level {
	if debug {
		return slog.LevelDebug
	}
	return slog.LevelInfo
}
