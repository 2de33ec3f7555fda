package cli

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/require"

	"pitstop/internal/check"
)

// TestCheckTextSkipNamesItsDependency: a check skipped because another did
// not pass says which, without repeating that check's whole sentence.
func TestCheckTextSkipNamesItsDependency(t *testing.T) {
	t.Parallel()
	long := "The server does not offer STARTTLS, so the connection cannot be encrypted."
	run := newCheckRun("p", []check.Result{
		{ID: "smtp.tls", Category: "smtp", Title: "TLS", Status: check.Fail, Summary: long},
		{ID: "smtp.auth", Category: "smtp", Title: "Login", Status: check.Skip, Summary: "Not run because smtp.tls did not pass: " + long},
		{ID: "smtp.send", Category: "smtp", Title: "Send", Status: check.Skip, Summary: "Not run because other.check did not pass: it ended fail."},
	}, 0, false)
	for _, tt := range []struct{ lang, want string }{
		{"en", "    Not run: it needs smtp.tls, which did not pass.\n"},
		{"es", "    No se ejecutó: necesita smtp.tls, que no pasó.\n"},
	} {
		run.Lang = tt.lang
		var b bytes.Buffer
		require.NoError(t, run.writeText(&b, newTextStyles(), false, 0))
		out := plain(b.String())
		require.Contains(t, out, tt.want)
		require.Equal(t, 1, bytes.Count([]byte(out), []byte(long)), out)
		// A dependency that is not in the run keeps the full sentence.
		require.Contains(t, out, "Not run because other.check did not pass: it ended fail.")
	}
	var j bytes.Buffer
	require.NoError(t, run.writeJSON(&j))
	require.Contains(t, j.String(), "Not run because smtp.tls did not pass: "+long, "JSON keeps the runner's summary")
}

// TestCheckOutputInSpanish: the words the text and Markdown outputs add
// around the results follow --lang; JSON and JUnit stay machine-readable.
func TestCheckOutputInSpanish(t *testing.T) {
	t.Parallel()
	run := sampleRun(false)
	run.Lang = "es"
	run.SeverityLabel, run.TierName = "ALTA", "Nivel 2 — Técnico"
	var b bytes.Buffer
	require.NoError(t, run.writeText(&b, newTextStyles(), false, 0))
	text := plain(b.String())
	for _, want := range []string{"Pitstop check · perfil production", "API de IA", "Correo (SMTP)", "lee: api-invalid-key",
		"✗ Clave de API aceptada  api.auth",
		"No pasa: arregla primero", "6 comprobaciones en 10 s: 2 correctas, 1 aviso, 1 falló, 1 no se pudo probar, 1 omitida."} {
		require.Contains(t, text, want)
	}
	b.Reset()
	require.NoError(t, run.writeMarkdown(&b))
	for _, want := range []string{"Severidad: **ALTA** · soporte: **Nivel 2 — Técnico**", "| Estado | Comprobación |", "| ✗ falló |", "## Evidencia"} {
		require.Contains(t, b.String(), want)
	}
	b.Reset()
	require.NoError(t, run.writeJSON(&b))
	require.Contains(t, b.String(), `"tier": "tier_2_technical"`)
	require.Contains(t, b.String(), `"status": "error"`)
}
