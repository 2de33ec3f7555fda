// Package cli is Pitstop's command line: cobra commands run through fang,
// global flags, output formats and exit codes. It calls the same packages the
// TUI does.
package cli

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"slices"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	xterm "github.com/charmbracelet/x/term"

	"charm.land/fang/v2"
	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
	"pitstop/internal/registry"
	"pitstop/internal/theme"
)

// Exit codes (docs/ARCHITECTURE.md).
const (
	ExitOK       = 0 // all checks pass
	ExitFailed   = 1 // a check failed
	ExitUsage    = 2 // usage or configuration error
	ExitInternal = 3 // Pitstop itself failed
	// ExitInterrupted is the shell's code for a program ended by Ctrl-C
	// (128 + SIGINT). Every command gets it the same way, from Execute.
	ExitInterrupted = 130
)

// interruptGrace is how long a command has, after Ctrl-C, to stop on its own
// before Execute ends the process.
const interruptGrace = time.Second

// ExitError carries an exit code. A nil Err means "exit quietly with Code"
// (the output already said what happened).
type ExitError struct {
	Code int
	Err  error
}

func (e *ExitError) Error() string {
	if e.Err == nil {
		return fmt.Sprintf("exit %d", e.Code)
	}
	return e.Err.Error()
}

func (e *ExitError) Unwrap() error { return e.Err }

// usageErr wraps err as a usage/configuration error (exit 2).
func usageErr(err error) error { return &ExitError{Code: ExitUsage, Err: err} }

// usageErrf formats a usage/configuration error (exit 2).
func usageErrf(format string, a ...any) error { return usageErr(fmt.Errorf(format, a...)) }

// Options are the global flags.
type Options struct {
	ConfigPath string
	Profile    string
	Lang       string
	KBDir      string
	Theme      string
	Timeout    time.Duration
	NoColor    bool
	LogFile    string
	Debug      bool
	Accessible bool
}

// App is what every command shares: the global options and the settings,
// loaded once on first use.
type App struct {
	Opts    Options
	Version string
	Stdin   io.Reader
	Stdout  io.Writer
	Stderr  io.Writer
	// Sandbox is set by `pitstop demo`: the wizard shows it as a banner
	// ("Sandbox: mixed") because the settings point at the built-in sandbox.
	Sandbox string

	cfg     *config.Config
	profile *config.Profile
	// interrupted is set by a command that Ctrl-C stopped without a signal
	// (the wizard in raw mode reads it as a key): run exits 130.
	interrupted bool
	// hangupReloads is set by a command for which SIGHUP means "read the
	// settings again" (serve); for every other command a hang-up (the
	// terminal closed) stops it like Ctrl-C, so the sandbox's files go too.
	hangupReloads atomic.Bool
	// stopsOnInterrupt is set by a command for which Ctrl-C is the normal
	// end (demo --serve): it exits as it says, and cleans up in its own time.
	stopsOnInterrupt atomic.Bool
	// lang is Opts.Lang once the flags are read, for the interrupt handler,
	// which runs on its own goroutine.
	lang atomic.Value
	// scrubber is read by the log handler, which may run on any goroutine
	// (slog's default logger is process-wide).
	scrubber atomic.Pointer[config.Scrubber]
	logFile  io.Closer

	prevLogger *slog.Logger
	knowledge  knowledgeCache // see Knowledge
	// cliLang is the language of the command line's own mistakes and of
	// the help (cliLang), known before the flags are read.
	cliLang string
}

// LoadProfile loads the config and picks the profile named by --profile.
// Configuration problems come back as exit-2 errors.
func (a *App) LoadProfile() (*config.Config, *config.Profile, error) {
	if a.profile != nil {
		return a.cfg, a.profile, nil
	}
	cfg, err := config.Load(a.Opts.ConfigPath)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	p, err := cfg.Profile(a.Opts.Profile)
	if err != nil {
		return nil, nil, usageErr(err)
	}
	a.cfg, a.profile = cfg, p
	a.scrubber.Store(cfg.Scrubber())
	return cfg, p, nil
}

// loadSecretsQuietly arms the scrubber with the config's secrets for the
// commands that do not need settings (diagnose), and returns the profile
// --profile picks, or nil: a config that is missing or broken is not their
// problem, so errors are ignored.
func (a *App) loadSecretsQuietly() *config.Profile {
	if a.profile != nil {
		return a.profile
	}
	cfg, err := config.Load(a.Opts.ConfigPath)
	if err != nil {
		return nil
	}
	if a.Scrubber() == nil {
		a.scrubber.Store(cfg.Scrubber())
	}
	p, err := cfg.Profile(a.Opts.Profile)
	if err != nil {
		return nil
	}
	return p
}

// Scrubber returns the scrubber for the loaded config (nil before loading).
func (a *App) Scrubber() *config.Scrubber { return a.scrubber.Load() }

// NewRoot builds the root command with every subcommand.
func NewRoot(app *App) *cobra.Command {
	root := &cobra.Command{
		Use:           "pitstop",
		SilenceUsage:  true,
		SilenceErrors: true,
		Args:          app.args().none,
		PersistentPreRunE: func(cmd *cobra.Command, _ []string) error {
			return app.validateGlobal()
		},
		RunE: func(cmd *cobra.Command, _ []string) error { return runTUI(cmd.Context(), app) },
	}
	f := root.PersistentFlags()
	f.StringVar(&app.Opts.ConfigPath, "config", "", "")
	f.StringVar(&app.Opts.Profile, "profile", "", "")
	f.StringVar(&app.Opts.Lang, "lang", defaultLang(), "")
	f.StringVar(&app.Opts.KBDir, "kb", "", "")
	f.StringVar(&app.Opts.Theme, "theme", "", "")
	f.DurationVar(&app.Opts.Timeout, "timeout", 10*time.Second, "")
	f.BoolVar(&app.Opts.NoColor, "no-color", false, "")
	f.StringVar(&app.Opts.LogFile, "log-file", "", "")
	f.BoolVar(&app.Opts.Debug, "debug", false, "")
	f.BoolVar(&app.Opts.Accessible, "accessible", false, "")

	root.AddCommand(
		newTUICmd(app),
		newCheckCmd(app),
		newDiagnoseCmd(app),
		newKBCmd(app),
		newChecklistCmd(app),
		newReportCmd(app),
		newMonitorCmd(app),
		newDemoCmd(app),
		newConfigCmd(app),
		newFixCmd(app),
		newServeCmd(app),
	)
	root.InitDefaultCompletionCmd()
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return flagError(app.cliLang, err) })
	return root
}

// helpWanted reports whether a run with args may print help (or complete
// a command line, which shows the commands' summaries): --help, -h, the
// help, man and completion commands, or a command that only groups others.
// Only then is the help put into the language: the catalogue costs a few
// milliseconds to load, which pitstop --version and a quiet check need not
// pay.
func helpWanted(root *cobra.Command, args []string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		switch a {
		case "-h", "--help", "help", "man", "completion", cobra.ShellCompRequestCmd, cobra.ShellCompNoDescRequestCmd:
			return true
		}
	}
	cmd, _, err := root.Find(args)
	return err != nil || !cmd.Runnable()
}

// localizeHelp gives every command's help and every flag's usage in lang,
// from the catalogue: cli.help.<path>.short|long|example and
// cli.flag.<path>.<flag>, where path is "root" or the command's path below
// it ("kb.show"). What the catalogue does not hold (cobra's completion
// subcommands) keeps cobra's words.
func localizeHelp(root *cobra.Command, lang string) {
	t := func(id string, args ...any) (string, bool) { return i18n.Lookup(lang, id, args...) }
	var walk func(c *cobra.Command, path string)
	walk = func(c *cobra.Command, path string) {
		if s, ok := t("cli.help." + path + ".short"); ok {
			c.Short = s
		}
		if s, ok := t("cli.help." + path + ".long"); ok {
			c.Long = reflow(s)
		}
		if s, ok := t("cli.help." + path + ".example"); ok {
			c.Example = s
		}
		// The command's own flags (not LocalFlags, which would merge the
		// inherited ones into every command).
		flags := func(f *pflag.Flag) {
			switch f.Name {
			case "only":
				f.Usage = i18n.T(lang, "cli.flag.only", strings.Join(registry.IDs(), ","))
			case "lang":
				f.Usage = i18n.T(lang, "cli.flag.root.lang", strings.Join(i18n.Languages(), ", "))
			case "no-descriptions": // each of completion's shells
				f.Usage = i18n.T(lang, "cli.flag.completion.no-descriptions")
			default:
				if s, ok := t("cli.flag." + path + "." + f.Name); ok {
					f.Usage = s
				}
			}
		}
		c.Flags().VisitAll(flags)
		c.PersistentFlags().VisitAll(flags)
		for _, sub := range c.Commands() {
			if path == "root" {
				walk(sub, sub.Name())
			} else {
				walk(sub, path+"."+sub.Name())
			}
		}
	}
	walk(root, "root")
}

// langArg is the language --lang names in args, when Pitstop speaks it: help
// is printed before the flags are read into the options.
func langArg(args []string) string {
	for i, a := range args {
		if a == "--" {
			break
		}
		lang, ok := strings.CutPrefix(a, "--lang=")
		if a == "--lang" && i+1 < len(args) {
			lang, ok = args[i+1], true
		}
		if ok && i18n.Supported(lang) {
			return lang
		}
	}
	return ""
}

// reflow rewraps each plain paragraph of a command's long help to
// helpWidth columns at spaces only, so an 80-column terminal gets neither
// ragged half-lines (fang keeps the source's line breaks and wraps again)
// nor a flag cut at its hyphens. Paragraphs with indented lines (lists,
// commands) stay as written.
func reflow(text string) string {
	paras := strings.Split(text, "\n\n")
	for i, p := range paras {
		lines := strings.Split(p, "\n")
		indented := false
		for _, l := range lines {
			if strings.HasPrefix(l, " ") || strings.HasPrefix(l, "\t") {
				indented = true
			}
		}
		if !indented {
			paras[i] = wrapWords(strings.Fields(p), helpWidth)
		}
	}
	return strings.Join(paras, "\n\n")
}

// helpWidth fits fang's help (two columns of margin each side) in 80 columns.
const helpWidth = 76

// wrapText wraps each line of text that is wider than width at spaces only:
// never inside a flag (--only), a record (-all) or an id (api-rate-limit),
// which ansi.Wrap would break at their hyphens. A word wider than width
// stays whole. Lines that fit are kept as they are, spacing included.
func wrapText(text string, width int) string {
	lines := strings.Split(text, "\n")
	for i, l := range lines {
		if ansi.StringWidth(l) > width {
			lines[i] = wrapWords(strings.Fields(l), width)
		}
	}
	return strings.Join(lines, "\n")
}

// wrapWords joins words into lines of at most width columns.
func wrapWords(words []string, width int) string {
	var b strings.Builder
	col := 0
	for _, w := range words {
		n := ansi.StringWidth(w)
		switch {
		case col == 0:
		case col+1+n > width:
			b.WriteByte('\n')
			col = 0
		default:
			b.WriteByte(' ')
			col++
		}
		b.WriteString(w)
		col += n
	}
	return b.String()
}

// defaultLang is the language the environment asks for (PITSTOP_LANG, then
// the locale: "es_ES.UTF-8" is es) when Pitstop has it, English otherwise.
func defaultLang() string {
	for _, v := range []string{"PITSTOP_LANG", "LC_ALL", "LC_MESSAGES", "LANG"} {
		if s := os.Getenv(v); s != "" {
			s, _, _ = strings.Cut(s, ".") // es_ES.UTF-8, pt_BR@euro
			s, _, _ = strings.Cut(s, "@")
			s = strings.ReplaceAll(s, "_", "-")
			if i18n.Supported(s) {
				return s
			}
			if base, _, _ := strings.Cut(s, "-"); i18n.Supported(base) {
				return base
			}
			return i18n.English
		}
	}
	return i18n.English
}

func (a *App) validateGlobal() error {
	if !i18n.Supported(a.Opts.Lang) {
		return langError(a.Opts.Lang)
	}
	a.lang.Store(a.Opts.Lang)
	if a.Opts.Theme != "" && !slices.Contains(theme.Names(), a.Opts.Theme) {
		return usageErrf("%s", a.T("err.theme", a.Opts.Theme, strings.Join(theme.Names(), ", ")))
	}
	if a.Opts.Timeout <= 0 {
		return usageErrf("%s", a.T("err.timeout"))
	}
	if os.Getenv("NO_COLOR") != "" {
		a.Opts.NoColor = true
	}
	return a.setupLog()
}

// Execute runs Pitstop with the process arguments and returns the exit code.
//
// Ctrl-C (or SIGTERM, or SIGHUP when the terminal closes) is handled here
// once for every command: the command's
// context is cancelled, so no check starts after it and nothing is reported
// as found; the exit code is 130; and a command that has not stopped within
// interruptGrace (a prompt blocked on its input) is ended, with the terminal
// put back as it was. A second Ctrl-C ends it at once.
func Execute(version string) int {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM, syscall.SIGHUP)
	defer signal.Stop(sig)
	app := &App{Version: version, Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr}
	restore := saveTerminal(os.Stdin)
	go func() {
		for s := range sig {
			if s != syscall.SIGHUP || !app.hangupReloads.Load() {
				break
			}
		}
		cancel()
		if app.stopsOnInterrupt.Load() {
			<-sig // only a second Ctrl-C cuts its cleanup short
		}
		select {
		case <-sig:
		case <-time.After(interruptGrace):
		}
		restore()
		lang, _ := app.lang.Load().(string)
		fmt.Fprintln(os.Stderr, "\npitstop: "+i18n.T(lang, "cli.interrupted"))
		os.Exit(ExitInterrupted)
	}()
	return run(ctx, app, os.Args[1:])
}

// saveTerminal returns a function that puts the terminal on f back in the
// state it is in now (a prompt that hides a password turns echo off).
func saveTerminal(f *os.File) func() {
	if !xterm.IsTerminal(f.Fd()) {
		return func() {}
	}
	state, err := xterm.GetState(f.Fd())
	if err != nil {
		return func() {}
	}
	return func() { _ = xterm.Restore(f.Fd(), state) }
}

func run(ctx context.Context, app *App, args []string) (code int) {
	defer func() {
		if p := recover(); p != nil {
			fmt.Fprintf(app.Stderr, "pitstop: %s\n", app.T("err.internal", p))
			code = ExitInternal
		}
	}()
	// Until the activity log is open (and when it cannot be), log records go
	// nowhere: slog's standard logger would print them on the user's stderr.
	prev := slog.Default()
	slog.SetDefault(slog.New(slog.DiscardHandler))
	defer slog.SetDefault(prev)
	defer app.closeLog()
	app.cliLang = cliLang(args)
	root := NewRoot(app)
	help := helpWanted(root, args)
	if versionWanted(root, args) {
		root.SetVersionTemplate(i18n.T(app.cliLang, "cli.version", root.Name(), version(app.Version)) + "\n")
	}
	if help {
		localizeFramework(root, args, app.cliLang, version(app.Version), app.args())
		localizeHelp(root, app.cliLang)
	}
	root.SetArgs(args)
	root.SetIn(app.Stdin)
	// Help goes through cobra's writer; piped, it loses the spaces fang pads
	// each line with to the terminal's width.
	helpOut := io.Writer(app.Stdout)
	if !isTerminal(app.Stdout) {
		tw := &lineWriter{w: app.Stdout, edit: trimTrailing}
		defer tw.Flush()
		helpOut = tw
	}
	if help && app.cliLang != i18n.English {
		hw := &lineWriter{w: helpOut, edit: helpHeadings(app.cliLang)}
		defer hw.Flush()
		helpOut = hw
	}
	root.SetOut(helpOut)
	root.SetErr(app.Stderr)
	err := fang.Execute(ctx, root,
		fang.WithVersion(version(app.Version)),
		fang.WithErrorHandler(func(w io.Writer, styles fang.Styles, err error) {
			var ee *ExitError
			if errors.As(err, &ee) && ee.Err == nil {
				return
			}
			lang, _ := app.lang.Load().(string) // "" before the flags are read
			if lang == "" {
				lang = app.cliLang
			}
			// fang hands its handler a color writer, so its own "plain
			// text when stderr is not a terminal" test never fires: CI logs
			// and pipes would get the boxed, 120-column layout.
			if !isTerminal(app.Stderr) {
				errs := []error{err}
				var ces config.Errors
				if errors.As(err, &ces) {
					// Several configuration problems: one line each.
					errs = errs[:0]
					for _, e := range ces {
						errs = append(errs, e)
					}
				}
				for _, e := range errs {
					hint := ""
					if isCommandLineError(e) {
						hint = usageHint(app.cliLang, commandPath(root, args))
					}
					writePlainError(app.Stderr, app.Scrubber().ScrubError(sayError(e, lang)), hint)
				}
				return
			}
			styles.ErrorHeader = styles.ErrorHeader.SetString(strings.ToUpper(i18n.T(app.cliLang, "cli.err.header")))
			commandLine := isCommandLineError(err)
			err = app.Scrubber().ScrubError(sayError(err, lang))
			// fang title-cases the first word of an error, which turns a
			// config path into "/Home/Me/.Config/..." and --timeout into
			// --Timeout: keep the message as written.
			styles.ErrorText = styles.ErrorText.UnsetTransform()
			// fang sizes the message to stdout's width (120 when stdout is
			// a pipe, as in `pitstop check --format json | jq`): size it to
			// the terminal it is shown on.
			if width := ttyWidth(app.Stderr); width > 20 {
				styles.ErrorText = styles.ErrorText.Width(min(width, 120) - 4)
			}
			if commandLine {
				// fang's handler ends every message with a full stop (after
				// a question mark too) and points to --help only when the
				// message starts with one of cobra's English phrases.
				fmt.Fprintln(w, styles.ErrorHeader.String())
				fmt.Fprintln(w, styles.ErrorText.Render(sentence(err.Error())))
				fmt.Fprintln(w)
				fmt.Fprintln(w, styles.ErrorText.UnsetWidth().Render(usageHint(app.cliLang, commandPath(root, args))))
				fmt.Fprintln(w)
				return
			}
			fang.DefaultErrorHandler(w, styles, err)
		}),
	)
	code = exitCode(err)
	if (ctx.Err() != nil || app.interrupted) && code != ExitUsage && !app.stopsOnInterrupt.Load() {
		// Interrupted: whatever the command made of it, the answer is 130.
		code = ExitInterrupted
	}
	logExit(commandPath(root, args), err, code)
	return code
}

// sayError is err with the errors in it that can say themselves (settings
// problems, files safefile refused) said in lang (config.ErrorIn); the
// other errors are their own words already. The
// language is --lang, else PITSTOP_LANG or the locale: the flags are read
// before any settings are, so a broken settings file is always reported in
// the run's language (the file has no language setting of its own).
func sayError(err error, lang string) error {
	if said := config.ErrorIn(err, lang); said != err.Error() {
		return saidError{said, err}
	}
	return err
}

// saidError is an error's words in the run's language; errors.Is and As
// still see the error it says.
type saidError struct {
	msg string
	err error
}

func (e saidError) Error() string { return e.msg }
func (e saidError) Unwrap() error { return e.err }

// lineWriter writes what it is given a line at a time, each line (its
// newline included, when it has one) passed through edit. A line not yet
// ended waits for Flush.
type lineWriter struct {
	w       io.Writer
	edit    func(line []byte) []byte
	pending []byte
}

func (l *lineWriter) Write(p []byte) (int, error) {
	l.pending = append(l.pending, p...)
	for {
		i := bytes.IndexByte(l.pending, '\n')
		if i < 0 {
			return len(p), nil
		}
		if _, err := l.w.Write(l.edit(l.pending[:i+1])); err != nil {
			return 0, err
		}
		l.pending = l.pending[i+1:]
	}
}

// Flush writes the last, unended line.
func (l *lineWriter) Flush() {
	if len(l.pending) > 0 {
		_, _ = l.w.Write(l.edit(l.pending))
		l.pending = nil
	}
}

// trimTrailing removes the spaces and tabs at the end of a line.
func trimTrailing(line []byte) []byte {
	body, nl := bytes.CutSuffix(line, []byte("\n"))
	body = bytes.TrimRight(body, " \t")
	if nl {
		return append(body, '\n')
	}
	return body
}

// commandPath is "pitstop check" for the command args name ("pitstop" when
// they name none).
func commandPath(root *cobra.Command, args []string) string {
	if c, _, err := root.Find(args); err == nil {
		return c.CommandPath()
	}
	return root.Name()
}

// writePlainError writes err for a log or a pipe: "pitstop: " and the
// message, then hint (the pointer to --help when the command line itself
// was wrong) unless it is empty.
func writePlainError(w io.Writer, err error, hint string) {
	fmt.Fprintf(w, "pitstop: %s\n", sentence(err.Error()))
	if hint != "" {
		fmt.Fprintln(w, hint)
	}
}

// isCommandLineError reports whether cobra rejected the flags or arguments
// (cobra has no error type for these; fang tests the same prefixes).
func isCommandLineError(err error) bool {
	var cle *commandLineError
	if errors.As(err, &cle) {
		return true
	}
	s := err.Error()
	for _, prefix := range []string{"flag needs an argument:", "unknown flag:", "unknown shorthand flag:", "unknown command",
		"invalid argument", "accepts ", "requires at least ", "bad flag syntax", "required flag"} {
		if strings.HasPrefix(s, prefix) {
			return true
		}
	}
	return false
}

func version(v string) string {
	if v == "" {
		return "dev"
	}
	return v
}

func exitCode(err error) int {
	if err == nil {
		return ExitOK
	}
	var ee *ExitError
	if errors.As(err, &ee) {
		return ee.Code
	}
	var ce *config.Error
	var ces config.Errors
	if errors.As(err, &ce) || errors.As(err, &ces) || isCommandLineError(err) {
		return ExitUsage
	}
	// Pitstop's own mistakes are typed (ExitError, config errors); anything
	// else is a failure to do the job, such as output that cannot be written.
	return ExitInternal
}
