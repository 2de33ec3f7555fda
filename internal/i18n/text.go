package i18n

import "slices"

// Text is the ID of a message in the catalogue, for tables that name their
// words once and say them in whatever language is asked for later (the
// family registry, the settings fields). The empty Text says nothing.
type Text string

// In returns the message in lang (English where lang lacks it).
func (t Text) In(lang string) string { return t.Format(lang) }

// Format returns the message in lang with args filled in (fmt verbs). An
// argument that is itself a Text or a Message is said in lang too: "%q is
// not valid here: expected %s" with "a whole number".
func (t Text) Format(lang string, args ...any) string {
	if t == "" {
		return ""
	}
	var said []any // args with each Text or Message in them said in lang
	for i, a := range args {
		var s string
		switch a := a.(type) {
		case Text:
			s = a.In(lang)
		case Message:
			s = a.In(lang)
		default:
			continue
		}
		if said == nil {
			said = slices.Clone(args)
		}
		said[i] = s
	}
	if said != nil {
		args = said
	}
	return T(lang, string(t), args...)
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
