package cli

import (
	"bytes"
	"errors"
	"strings"
	"unicode/utf8"

	"github.com/charmbracelet/x/ansi"
	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"pitstop/internal/config"
	"pitstop/internal/i18n"
)

// The command-line framework's own words (cobra's and fang's) in the run's
// language: the mistakes on a command line, the --help and --version flags,
// the help and completion commands, and the headings of a help page.
//
// fang v2 writes the headings USAGE, EXAMPLES and FLAGS from literals in its
// help function ("usage", "examples", "flags", upper-cased by its title
// style) and has no option to set them; COMMANDS is the title of cobra's
// default command group, which Pitstop sets through groups of its own. The
// other three are put into the language on their way to the terminal
// (helpHeadings).

// commandLineError is a mistake on the command line (an unknown flag or
// command, a value that does not parse, a wrong number of arguments), said
// in the run's language: it exits 2 and points to --help.
type commandLineError struct{ msg string }

func (e *commandLineError) Error() string { return e.msg }

// cliLang is the language of the framework's words for this run: --lang as
// the command line gives it, when Pitstop speaks it, else the environment's.
// The flags may not be read yet (a flag error stops the parsing), so it is
// taken from the arguments themselves.
func cliLang(args []string) string {
	if lang := langArg(args); lang != "" {
		return lang
	}
	return defaultLang()
}

// flagError says a flag that did not parse in lang.
func flagError(lang string, err error) error {
	var (
		notExist *pflag.NotExistError
		noValue  *pflag.ValueRequiredError
		invalid  *pflag.InvalidValueError
		syntax   *pflag.InvalidSyntaxError
	)
	switch {
	case errors.As(err, &notExist):
		// What was typed, stripped of control bytes before it is quoted back.
		name := "--" + config.StripControls(notExist.GetSpecifiedName())
		if notExist.GetSpecifiedShortnames() != "" {
			first, _ := utf8.DecodeRuneInString(notExist.GetSpecifiedName())
			name = "-" + config.StripControls(string(first))
		}
		return &commandLineError{i18n.T(lang, "cli.err.flag.unknown", name)}
	case errors.As(err, &noValue):
		name := "--" + noValue.GetFlag().Name
		if noValue.GetSpecifiedShortnames() != "" {
			name = "-" + noValue.GetFlag().Shorthand
		}
		return &commandLineError{i18n.T(lang, "cli.err.flag.needs_value", name)}
	case errors.As(err, &invalid):
		f := invalid.GetFlag()
		if hint, ok := i18n.Lookup(lang, "cli.err.flag.type."+f.Value.Type()); ok {
			return &commandLineError{i18n.T(lang, "cli.err.flag.value_hint", config.StripControls(invalid.GetValue()), "--"+f.Name, hint)}
		}
		return &commandLineError{i18n.T(lang, "cli.err.flag.value", config.StripControls(invalid.GetValue()), "--"+f.Name)}
	case errors.As(err, &syntax):
		return &commandLineError{i18n.T(lang, "cli.err.flag.syntax", config.StripControls(syntax.GetSpecifiedFlag()))}
	}
	return err
}

// Positional-argument rules, said in the run's language (cobra's own
// validators speak English). lang is read when the rule runs.
type argRules struct{ lang *string }

// none accepts no arguments: one given is taken for a mistyped command.
func (r argRules) none(cmd *cobra.Command, args []string) error {
	if len(args) == 0 {
		return nil
	}
	msg := i18n.T(*r.lang, "cli.err.unknown_command", args[0], cmd.CommandPath())
	if cmd.SuggestionsMinimumDistance <= 0 {
		cmd.SuggestionsMinimumDistance = 2 // cobra's own default
	}
	if sugg := cmd.SuggestionsFor(args[0]); len(sugg) > 0 {
		msg += ". " + i18n.T(*r.lang, "cli.err.did_you_mean", i18n.JoinOr(*r.lang, sugg))
	}
	return &commandLineError{msg}
}

// max accepts at most n arguments.
func (r argRules) max(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) <= n {
			return nil
		}
		return &commandLineError{i18n.N(*r.lang, "cli.err.args.max", n, cmd.CommandPath(), n, len(args))}
	}
}

// min needs at least n arguments.
func (r argRules) min(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) >= n {
			return nil
		}
		return &commandLineError{i18n.N(*r.lang, "cli.err.args.min", n, cmd.CommandPath(), n, len(args))}
	}
}

// exact takes exactly n arguments.
func (r argRules) exact(n int) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if len(args) == n {
			return nil
		}
		return &commandLineError{i18n.N(*r.lang, "cli.err.args.exact", n, cmd.CommandPath(), n, len(args))}
	}
}

// versionWanted reports whether args ask for the version: --version, or -v
// given to pitstop itself (a command's -v is its own flag).
func versionWanted(root *cobra.Command, args []string) bool {
	for _, a := range args {
		if a == "--" {
			break
		}
		if a == "--version" {
			return true
		}
		if a == "-v" {
			c, _, err := root.Find(args)
			return err == nil && c == root
		}
	}
	return false
}

// langError is a --lang Pitstop does not speak, said in the environment's
// language (the one asked for cannot be), naming the ones it does.
func langError(lang string) error {
	return &commandLineError{i18n.T(defaultLang(), "cli.err.lang", lang, strings.Join(i18n.Languages(), ", "))}
}

// localizeFramework puts the framework's parts of the help into lang: the
// help command (made now, so localizeHelp finds it in the catalogue like
// completion and its shells), the -v/--version flag, the -h/--help flag of
// the command args run (and of the one `help` is asked about), the COMMANDS
// heading, through a command group of every command that has subcommands,
// and cobra's own completion commands' argument rule.
//
// cobra makes the --help flag of the command it runs only; made here for
// every command, it would give each one a [--flags] in the lists of
// commands.
func localizeFramework(root *cobra.Command, args []string, lang, version string, rules argRules) {
	root.InitDefaultHelpCmd()
	for _, c := range root.Commands() {
		if c.Name() == "completion" {
			for _, shell := range c.Commands() {
				shell.Args = rules.none
			}
		}
	}
	if root.Version == "" {
		root.Version = version // fang sets it too; the flag is made now
	}
	root.InitDefaultVersionFlag()
	if f := root.Flags().Lookup("version"); f != nil {
		f.Usage = i18n.T(lang, "cli.flag.version", root.Name())
	}
	helpFlag := func(c *cobra.Command) {
		c.InitDefaultHelpFlag()
		if f := c.Flags().Lookup("help"); f != nil {
			f.Usage = i18n.T(lang, "cli.flag.help", c.Name())
		}
	}
	if c, rest, err := root.Find(args); err == nil {
		helpFlag(c)
		if c.Name() == "help" && c.Parent() == root {
			if about, _, err := root.Find(rest); err == nil {
				helpFlag(about)
			}
		}
	}
	commands := i18n.T(lang, "cli.help.heading.commands")
	var walk func(c *cobra.Command)
	walk = func(c *cobra.Command) {
		if c.HasSubCommands() {
			c.AddGroup(&cobra.Group{ID: "commands", Title: commands})
			for _, sub := range c.Commands() {
				sub.GroupID = "commands"
			}
		}
		for _, sub := range c.Commands() {
			walk(sub)
		}
	}
	walk(root)
}

// helpHeadings returns an edit for a lineWriter that puts fang's headings
// that no option sets into lang (upper case, as fang writes them): a line
// that is one of them alone, styles aside.
func helpHeadings(lang string) func(line []byte) []byte {
	headings := map[string]string{}
	for _, h := range []string{"usage", "examples", "flags"} {
		headings[strings.ToUpper(h)] = strings.ToUpper(i18n.T(lang, "cli.help.heading."+h))
	}
	return func(line []byte) []byte {
		word := strings.TrimSpace(ansi.Strip(string(line)))
		if to, ok := headings[word]; ok {
			return bytes.Replace(line, []byte(word), []byte(to), 1)
		}
		return line
	}
}

// usageHint is the pointer to --help under a command-line mistake.
func usageHint(lang, path string) string { return i18n.T(lang, "cli.usage_hint", path) }

// sentence ends msg with a full stop unless it ends a sentence already.
func sentence(msg string) string {
	msg = strings.TrimRight(msg, " \n")
	if !strings.ContainsAny(msg[max(len(msg)-1, 0):], ".?!") {
		msg += "."
	}
	return msg
}

// args are the positional-argument rules of the app's commands.
func (a *App) args() argRules { return argRules{lang: &a.cliLang} }
