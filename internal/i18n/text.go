package i18n

import "slices"

// Text is the ID of a message in the catalogue, for tables that name their
// words once and say them in whatever language is asked for later (the
// family registry, the settings fields). The empty Text says nothing.
type Text string

// In returns the message in lang (English where lang lacks it).
func (t Text) In(lang string) string { return t.Format(lang) }

// Format returns the message in lang with args filled in (fmt verbs). An
// argument that can say itself (a Text, a Message, a settings or file
// error) is said in lang too: "%q is not valid here: expected %s" with "a
// whole number".
func (t Text) Format(lang string, args ...any) string {
	if t == "" {
		return ""
	}
	return T(lang, string(t), args...)
}

// Sayer is a value that says itself in a language: a Text, a Message, a
// problem with the settings or with a file. T, N and Lookup say such an
// argument in their language rather than print it as it is.
type Sayer interface{ In(lang string) string }

// said returns args with each Sayer in them said in lang (args itself when
// there is none).
func said(lang string, args []any) []any {
	var out []any
	for i, a := range args {
		s, ok := a.(Sayer)
		if !ok {
			continue
		}
		if out == nil {
			out = slices.Clone(args)
		}
		out[i] = s.In(lang)
	}
	if out == nil {
		return args
	}
	return out
}

// With binds the message's arguments now, for words said later in a
// language not yet known: a hint that names the allowed values.
func (t Text) With(args ...any) Message { return Message{ID: t, Args: args} }

// Message is a Text with its arguments: "Pick one of: %s." with "tls,
// starttls".
type Message struct {
	ID   Text
	Args []any
}

// In returns the message in lang, its arguments filled in.
func (m Message) In(lang string) string { return m.ID.Format(lang, m.Args...) }
