package i18n

import "strings"

// YesKey is the one key that answers yes on a screen in lang: "y", "s" in
// Spanish (questions there say "s/n").
func YesKey(lang string) string { return answerWords(lang, "answer.yes")[0] }

// IsYes reports whether a typed answer (any case, spaces around) means
// yes in lang; English's y and yes mean yes in every language.
func IsYes(lang, answer string) bool { return isAnswer(lang, "answer.yes", answer) }

// IsNo reports whether a typed answer means no in lang.
func IsNo(lang, answer string) bool { return isAnswer(lang, "answer.no", answer) }

func isAnswer(lang, id, answer string) bool {
	answer = strings.ToLower(strings.TrimSpace(answer))
	for _, l := range []string{lang, English} {
		for _, w := range answerWords(l, id) {
			if answer == w {
				return true
			}
		}
	}
	return false
}

// answerWords are the words of message id, comma separated, lower case.
func answerWords(lang, id string) []string {
	var out []string
	for _, w := range strings.Split(T(lang, id), ",") {
		if w = strings.ToLower(strings.TrimSpace(w)); w != "" {
			out = append(out, w)
		}
	}
	if len(out) == 0 {
		return []string{id}
	}
	return out
}
