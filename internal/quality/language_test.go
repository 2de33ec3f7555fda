package quality

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// frenchFiles are a third language as a translator starts it: a few
// messages of the catalogue, one check sentence and one article, each a
// file in the folder of its language. Nothing else of the code changes.
var frenchFiles = map[string]string{
	"locales/fr/registry.yaml": `# Le registre des familles.
registry:
  family:
    content:
      title: "Contenu"
  check:
    content:
      prompt:
        title: "Le prompt est valide et tient dans la limite de jetons"
`,
	"locales/fr/checks.yaml": `"The prompt is %d tokens (%d characters), within the limit of %d.": "Le prompt compte %d jetons (%d caractères), dans la limite de %d."
`,
}

// TestThirdLanguageIsOneFolder builds the product with a French folder
// added under locales/ (and one article under knowledge/fr/), through the
// go command's -overlay so no file of the tree is touched, and runs it as
// a French speaker would: --lang fr (or LANG=fr_FR.UTF-8) is accepted, what
// the folder translates reads in French and everything else in English,
// with no error and no message id in sight.
func TestThirdLanguageIsOneFolder(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("builds the binary")
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	require.NoError(t, err)
	dir := t.TempDir()

	// One article in French; the other articles read in English.
	english, err := os.ReadFile(filepath.Join(root, "knowledge", "en", "api-clock-skew.md"))
	require.NoError(t, err)
	titleLine := regexp.MustCompile(`(?m)^title: .*$`)
	require.True(t, titleLine.Match(english))
	files := map[string]string{
		"knowledge/fr/api-clock-skew.md": titleLine.ReplaceAllString(string(english), `title: "L'horloge de votre ordinateur n'est pas à l'heure"`),
	}
	for name, text := range frenchFiles {
		files[name] = text
	}
	replace := map[string]string{}
	for name, text := range files {
		backing := filepath.Join(dir, "overlay", filepath.FromSlash(name))
		require.NoError(t, os.MkdirAll(filepath.Dir(backing), 0o755))
		require.NoError(t, os.WriteFile(backing, []byte(text), 0o600))
		replace[filepath.Join(root, filepath.FromSlash(name))] = backing
	}
	overlay, err := json.Marshal(map[string]any{"Replace": replace})
	require.NoError(t, err)
	overlayFile := filepath.Join(dir, "overlay.json")
	require.NoError(t, os.WriteFile(overlayFile, overlay, 0o600))
	bin := filepath.Join(dir, "pitstop")
	build := exec.Command("go", "build", "-overlay", overlayFile, "-ldflags=-s -w", "-o", bin, "pitstop/cmd/pitstop")
	build.Dir = root
	out, err := build.CombinedOutput()
	require.NoError(t, err, "go build: %s", out)

	prompt := filepath.Join(dir, "prompt.txt")
	require.NoError(t, os.WriteFile(prompt, []byte("Write a short, friendly email about our spring offer.\n"), 0o600))
	config := filepath.Join(dir, "pitstop.yaml")
	require.NoError(t, os.WriteFile(config, []byte("profiles:\n  default:\n    content:\n      prompt_file: "+prompt+"\n      max_tokens: 500\n"), 0o600))

	run := func(env []string, args ...string) string {
		t.Helper()
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		cmd := exec.CommandContext(ctx, bin, append([]string{"--config", config, "--log-file", filepath.Join(dir, "activity.log")}, args...)...)
		cmd.Env = append(os.Environ(), "HOME="+dir, "XDG_CONFIG_HOME="+dir, "XDG_STATE_HOME="+dir, "PITSTOP_CONFIG=", "NO_COLOR=1",
			"PITSTOP_LANG=", "LC_ALL=", "LC_MESSAGES=", "LANG=")
		cmd.Env = append(cmd.Env, env...)
		var stdout, stderr strings.Builder
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		require.NoError(t, cmd.Run(), "pitstop %v: %s", args, stderr.String())
		require.Empty(t, stderr.String(), "pitstop %v", args)
		return stdout.String()
	}

	help := run(nil, "--help")
	require.Contains(t, help, "en, es, fr", "the language is listed because its folder is there")

	for _, env := range [][]string{nil, {"LANG=fr_FR.UTF-8"}} {
		args := []string{"check", "--only", "content"}
		if env == nil {
			args = append([]string{"--lang", "fr"}, args...)
		}
		text := run(env, args...)
		// Translated where the folder says so ...
		require.Contains(t, text, "\nContenu\n", "%v", env)
		require.Contains(t, text, "Le prompt est valide et tient dans la limite de jetons")
		require.Contains(t, text, "Le prompt compte ")
		require.Contains(t, text, " jetons (")
		// ... and English everywhere else, never a message id.
		require.Contains(t, text, "Email content is unlikely to be marked as spam")
		require.NotContains(t, text, "registry.")
		require.NotContains(t, text, "%!")
	}

	article := run(nil, "--lang", "fr", "kb", "show", "api-clock-skew")
	require.Contains(t, article, "L'horloge de votre ordinateur n'est pas à l'heure")
	other := run(nil, "--lang", "fr", "kb", "show", "api-timeouts")
	require.Contains(t, other, "## What you see", "an article with no French version reads in English")

	var listed struct {
		Articles []struct{ ID, Lang string }
	}
	require.NoError(t, json.Unmarshal([]byte(run(nil, "--lang", "fr", "kb", "list", "--format", "json")), &listed))
	langs := map[string]string{}
	for _, a := range listed.Articles {
		langs[a.ID] = a.Lang
	}
	require.Equal(t, "fr", langs["api-clock-skew"])
	require.Equal(t, "en", langs["api-timeouts"])
}
