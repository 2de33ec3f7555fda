package accessible

import (
	"pitstop/internal/i18n"

	"fmt"
	"strconv"
	"strings"
)

// The prompts below are Pitstop's own plain line prompts: a question, the
// numbered choices, and one line to type. They speak the session's
// language, say the same thing for the same mistake, and take "1,3,5" and
// "2-4" where several answers are allowed.

// ask writes prompt and reads one line, trimmed. It ends the session when
// the input has ended.
func (s *session) ask(prompt string) (string, error) {
	if s.in.eof() {
		return "", errQuit
	}
	fmt.Fprint(s.out, prompt+" ")
	line, err := s.in.line()
	if err != nil {
		fmt.Fprintln(s.out)
		return "", errQuit
	}
	if s.com.Ctx.Err() != nil {
		return "", errQuit
	}
	return strings.TrimSpace(line), nil
}

// listOptions writes the numbered choices.
func (s *session) listOptions(options []string) {
	for i, o := range options {
		s.sayf("%d. %s", i+1, o)
	}
}

// choose asks for one of options and returns its index. def is the index
// an empty answer picks; -1 means an answer is needed.
func (s *session) choose(title string, options []string, def int) (int, error) {
	s.line(title)
	s.listOptions(options)
	prompt := s.t("acc.prompt.pick", len(options))
	if def >= 0 {
		prompt = s.t("acc.prompt.pick.default", len(options), def+1)
	}
	for {
		answer, err := s.ask(prompt)
		if err != nil {
			return 0, err
		}
		if answer == "" && def >= 0 {
			return def, nil
		}
		if n, err := strconv.Atoi(answer); err == nil && n >= 1 && n <= len(options) {
			return n - 1, nil
		}
		s.line(s.t("acc.invalid.number", answer, len(options)))
	}
}

// chooseMany asks for any number of options ("1,3,5", "2-4", "1 4") and
// returns their indexes in order; an empty answer picks none.
func (s *session) chooseMany(title string, options []string) ([]int, error) {
	s.line(title)
	s.listOptions(options)
	for {
		answer, err := s.ask(s.t("acc.prompt.many", len(options)))
		if err != nil {
			return nil, err
		}
		picked, bad := parseNumbers(answer, len(options))
		if bad == "" {
			return picked, nil
		}
		s.line(s.t("acc.invalid.number", bad, len(options)))
	}
}

// parseNumbers reads "1,3,5", "2-4" or "1 4" as indexes from 0 to n-1,
// each once and in order. bad is the first part that is not a number or a
// range within 1..n.
func parseNumbers(text string, n int) (picked []int, bad string) {
	seen := make([]bool, n)
	for _, part := range strings.FieldsFunc(text, func(r rune) bool { return r == ',' || r == ' ' || r == ';' }) {
		lo, hi, isRange := strings.Cut(part, "-")
		if !isRange {
			hi = lo
		}
		a, errA := strconv.Atoi(strings.TrimSpace(lo))
		b, errB := strconv.Atoi(strings.TrimSpace(hi))
		if errA != nil || errB != nil || a < 1 || b > n || a > b {
			return nil, part
		}
		for i := a; i <= b; i++ {
			seen[i-1] = true
		}
	}
	for i, ok := range seen {
		if ok {
			picked = append(picked, i)
		}
	}
	return picked, ""
}

// confirm asks a yes/no question; an empty answer is def.
func (s *session) confirm(title string, def bool) (bool, error) {
	prompt := title + " " + s.t("acc.prompt.yesno.yes")
	if !def {
		prompt = title + " " + s.t("acc.prompt.yesno.no")
	}
	for {
		answer, err := s.ask(prompt)
		if err != nil {
			return false, err
		}
		switch {
		case strings.TrimSpace(answer) == "":
			return def, nil
		case i18n.IsYes(s.com.Lang, answer):
			return true, nil
		case i18n.IsNo(s.com.Lang, answer):
			return false, nil
		}
		s.line(s.t("acc.invalid.yesno", answer))
	}
}

// input asks for a line of text, checked by valid (nil accepts anything);
// a refused answer is said why and asked again.
func (s *session) input(title, help string, valid func(string) error) (string, error) {
	if help != "" {
		s.line(title + " " + help)
	} else {
		s.line(title)
	}
	for {
		answer, err := s.ask(">")
		if err != nil {
			return "", err
		}
		if valid != nil {
			if err := valid(answer); err != nil {
				s.line(s.t("acc.invalid.value", err.Error()))
				continue
			}
		}
		return answer, nil
	}
}
