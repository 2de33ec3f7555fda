package config

import (
	"fmt"
	"strings"

	"pitstop/internal/i18n"
)

// Error is a configuration problem: which file, which line, what was
// expected. Its words are a message of the catalogue
// (locales/<lang>/config.yaml) with its arguments, so it is said in the
// run's language with In; Error says it in English (logs, wrapping). The
// command line maps it to exit code 2.
type Error struct {
	File string
	Line int
	Msg  i18n.Message
	// Err is the cause, said after the message ("...: cause"), when there
	// is one.
	Err error
}

// newError is the problem id with its arguments, at no file or line yet.
func newError(id i18n.Text, args ...any) *Error { return &Error{Msg: id.With(args...)} }

// because is e with its cause.
func (e *Error) because(err error) *Error {
	e.Err = err
	return e
}

func (e *Error) Error() string { return e.In(i18n.English) }

// In says the problem in lang: "file:line: message", any cause after it
// said in lang too.
func (e *Error) In(lang string) string {
	msg := e.Msg.In(lang)
	if e.Err != nil {
		msg += ": " + ErrorIn(e.Err, lang)
	}
	switch {
	case e.File != "" && e.Line > 0:
		return fmt.Sprintf("%s:%d: %s", e.File, e.Line, msg)
	case e.File != "":
		return fmt.Sprintf("%s: %s", e.File, msg)
	}
	return msg
}

// Unwrap returns the cause.
func (e *Error) Unwrap() error { return e.Err }

// Errors is a list of configuration problems, reported together.
type Errors []*Error

func (es Errors) Error() string { return es.In(i18n.English) }

// In says every problem in lang, one a line.
func (es Errors) In(lang string) string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.In(lang)
	}
	return strings.Join(msgs, "\n")
}

// ErrorIn returns err's text with every error in it that can say itself
// (an i18n.Sayer: a settings problem, Errors, an Invalid value, a file
// safefile refused), wrapped or joined, said in lang; the words of other
// errors stay as they are. It is how such an error reaches a person: the
// command line, the wizard's status line, the exporter's page.
func ErrorIn(err error, lang string) string {
	if err == nil {
		return ""
	}
	if s, ok := err.(i18n.Sayer); ok {
		return s.In(lang)
	}
	s := err.Error()
	if lang == i18n.English || lang == "" {
		return s
	}
	switch u := err.(type) {
	case interface{ Unwrap() error }:
		// fmt.Errorf("...: %w"): its own words, then the wrapped error's.
		if inner := u.Unwrap(); inner != nil {
			if en := inner.Error(); strings.HasSuffix(s, en) {
				return s[:len(s)-len(en)] + ErrorIn(inner, lang)
			}
		}
	case interface{ Unwrap() []error }:
		// errors.Join: one line each.
		errs := u.Unwrap()
		en := make([]string, len(errs))
		said := make([]string, len(errs))
		for i, e := range errs {
			en[i], said[i] = e.Error(), ErrorIn(e, lang)
		}
		if strings.Join(en, "\n") == s {
			return strings.Join(said, "\n")
		}
	}
	return s
}
