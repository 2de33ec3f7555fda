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
		Use:  "serve",
		Args: app.args().none,
		RunE: func(cmd *cobra.Command, _ []string) error { return runServe(cmd.Context(), app, o) },
	}
	f := cmd.Flags()
	f.StringVar(&o.Listen, "listen", o.Listen, "")
	f.DurationVar(&o.CacheTTL, "cache-ttl", o.CacheTTL, "")
	f.StringVar(&o.WebConfig, "web-config", "", "")
	f.IntVar(&o.Concurrency, "concurrency", o.Concurrency, "")
	f.DurationVar(&o.TimeoutOffset, "timeout-offset", o.TimeoutOffset, "")
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
