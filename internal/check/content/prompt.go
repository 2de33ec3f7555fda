package content

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"pitstop/internal/check"
	"pitstop/internal/check/content/o200k"
)

// tokenEncoding is the tokenizer used to count: OpenAI's o200k_base (GPT-4o
// and later). Other models count somewhat differently; the words × 1.3 rule
// of thumb is shown beside it.
const tokenEncoding = o200k.Name

// minPromptChars is the shortest prompt that is not rejected as too short.
const minPromptChars = 10

// defaultMaxTokens applies when content.max_tokens is not set.
const defaultMaxTokens = 4000

// CountTokens returns the number of tokens in text with the o200k_base
// tokenizer, whose vocabulary is compiled into the binary: it never
// downloads anything.
func CountTokens(text string) (int, error) {
	return o200k.Count(context.Background(), text)
}

// checkPrompt validates a prompt (not empty, not too short, within the
// token limit), counting with a real tokenizer.
func checkPrompt(ctx context.Context, path string, maxTokens int) check.Result {
	if path == "" {
		return check.Skipf("No prompt to check: set content.prompt_file to a prompt your workflow sends.")
	}
	if maxTokens <= 0 {
		maxTokens = defaultMaxTokens
	}
	data, truncated, err := readFile("content.prompt_file", path)
	if err != nil {
		return fileError("content.prompt_file", path, err)
	}
	if truncated {
		return check.Failf("The prompt file %s is larger than %d MB; no model accepts a prompt that size.", path, maxFileSize>>20).
			Explain(artGenerationFailed, artHighCosts)
	}
	text := string(data)
	trimmed := strings.TrimSpace(text)
	chars := utf8.RuneCountInString(trimmed)
	switch {
	case trimmed == "":
		return check.Failf("The prompt in %s is empty: an empty prompt is rejected, so no content is generated.", path).
			Explain(artGenerationFailed).WithFact("characters", 0)
	case chars < minPromptChars:
		return check.Failf("The prompt is only %d characters; prompts under %d characters are rejected as too short. Say what to write, for whom and in what tone.", chars, minPromptChars).
			With(fmt.Sprintf("Prompt: %q", trimmed)).Explain(artGenerationFailed).WithFact("characters", chars)
	}

	type counted struct {
		n   int
		err error
	}
	var c counted
	done := check.Go(func() {
		n, err := o200k.Count(ctx, text) // stops counting once the check gives up
		c = counted{n, err}
	})
	select {
	case err := <-done:
		if r, ok := check.ResultOf(err); ok {
			return r
		}
	case <-ctx.Done():
		if r, ok := check.ResultOf(ctx.Err()); ok {
			return r // cancelled, not timed out
		}
		return check.Errorf("Could not test: counting tokens did not finish in time.")
	}
	if c.err != nil && ctx.Err() != nil {
		if r, ok := check.ResultOf(ctx.Err()); ok {
			return r // cancelled, not timed out
		}
		return check.Errorf("Could not test: counting tokens did not finish in time.")
	}
	if c.err != nil {
		return check.Errorf("Could not test: the tokenizer failed to load: %v.", c.err)
	}
	words := len(strings.Fields(text))
	// The prose reads the facts, so the numbers in JSON are the ones shown.
	facts := map[string]any{"tokens": c.n, "max_tokens": maxTokens, "characters": chars, "words": words}
	tokens := facts["tokens"].(int)
	details := []string{
		fmt.Sprintf("File: %s", path),
		fmt.Sprintf("Characters: %d · words: %d · tokens: %d (%s tokenizer)", chars, words, tokens, tokenEncoding),
		fmt.Sprintf("A rule of thumb (words × 1.3) would guess %.0f tokens; the tokenizer counts %d", float64(words)*1.3, tokens),
		fmt.Sprintf("Limit: %d tokens (content.max_tokens)", maxTokens),
	}
	if !utf8.Valid(data) {
		details = append(details, "The file is not valid UTF-8: some characters will reach the model garbled.")
	}
	if strings.Contains(text, "{{") && strings.Contains(text, "}}") {
		details = append(details, "The prompt contains {{placeholders}}: the token count grows once they are filled in.")
	}
	pct := float64(tokens) * 100 / float64(maxTokens)
	switch {
	case tokens > maxTokens:
		return check.Failf("The prompt is %d tokens, over the limit of %d (content.max_tokens): the API will reject or cut it. Shorten it, or move fixed instructions into a reusable system prompt.", tokens, maxTokens).
			With(details...).Explain(artGenerationFailed, artHighCosts).WithFacts(facts)
	case pct >= 80:
		return check.Warnf("The prompt is %d tokens, %.0f%% of the %d-token limit: little room is left for the data filled in per contact, and every send pays for those tokens.", tokens, pct, maxTokens).
			With(details...).Explain(artHighCosts, artGenerationFailed).WithFacts(facts)
	}
	return check.Passf("The prompt is %d tokens (%d characters), within the limit of %d.", tokens, chars, maxTokens).With(details...).WithFacts(facts)
}
