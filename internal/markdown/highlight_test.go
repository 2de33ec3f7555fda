package markdown

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

// classes lists the tokens of code as "class:text", spaces-only tokens
// left out.
func classes(lang, code string) []string {
	names := map[class]string{plain: "plain", comment: "comment", str: "string", key: "key", number: "number", keyword: "keyword", flag: "flag"}
	var out []string
	for _, t := range highlight(lang, code) {
		if strings.TrimSpace(t.s) != "" {
			out = append(out, names[t.c]+":"+strings.TrimSpace(t.s))
		}
	}
	return out
}

// requireWhole checks that the tokens put together are the code.
func requireWhole(t *testing.T, lang, code string) {
	t.Helper()
	var b strings.Builder
	for _, tok := range highlight(lang, code) {
		b.WriteString(tok.s)
	}
	require.Equal(t, code, b.String())
}

func TestHighlightShell(t *testing.T) {
	t.Parallel()
	code := "export KEY=\"s3cr3t\" # set it\ncurl -sS --max-time 10 \"$API/v1\" | jq '.status'\nif [ $? -ne 0 ]; then echo ${HOME}; fi\n$ pitstop check\n"
	requireWhole(t, "bash", code)
	require.Equal(t, []string{
		"keyword:export", "key:KEY", "flag:=", "string:\"s3cr3t\"", "comment:# set it",
		"keyword:curl", "flag:-sS", "flag:--max-time", "number:10", "string:\"$API/v1\"", "flag:|", "keyword:jq", "string:'.status'",
		"keyword:if", "keyword:[", "key:$?", "flag:-ne", "number:0", "plain:]", "flag:;", "keyword:then", "keyword:echo", "key:${HOME}", "flag:;", "keyword:fi",
		"flag:$", "keyword:pitstop", "plain:check",
	}, classes("sh", code))
}

func TestHighlightYAML(t *testing.T) {
	t.Parallel()
	code := "# Pitstop\napi:\n  base_url: \"https://api.example.com\" # the API\n  timeout: 10s\n  retries: 3\n  verify: true\nchecks:\n  - name: api.auth\n    note: |\n      key: not a key\n      more\nempty: ~\n"
	requireWhole(t, "yaml", code)
	require.Equal(t, []string{
		"comment:# Pitstop",
		"key:api", "flag::",
		"key:base_url", "flag::", "string:\"https://api.example.com\"", "comment:# the API",
		"key:timeout", "flag::", "plain:10s",
		"key:retries", "flag::", "number:3",
		"key:verify", "flag::", "keyword:true",
		"key:checks", "flag::",
		"flag:-", "key:name", "flag::", "plain:api.auth",
		"key:note", "flag::", "flag:|", "string:key: not a key", "string:more",
		"key:empty", "flag::", "keyword:~",
	}, classes("yml", code))
}

func TestHighlightJSON(t *testing.T) {
	t.Parallel()
	code := "{\"status\": \"error\", \"code\": 403, \"ok\": false, \"list\": [1.5, null]}"
	requireWhole(t, "json", code)
	require.Equal(t, []string{
		"flag:{", "key:\"status\"", "flag::", "string:\"error\"", "flag:,", "key:\"code\"", "flag::", "number:403", "flag:,",
		"key:\"ok\"", "flag::", "keyword:false", "flag:,", "key:\"list\"", "flag::", "flag:[", "number:1.5", "flag:,", "keyword:null", "flag:]}",
	}, classes("json", code))
}

func TestHighlightZone(t *testing.T) {
	t.Parallel()
	code := "$TTL 3600\nexample.com.  3600  IN  MX  10 mx.example.com. ; primary\n_dmarc  IN TXT \"v=DMARC1; p=none\"\n"
	requireWhole(t, "dns", code)
	require.Equal(t, []string{
		"keyword:$TTL", "number:3600",
		"key:example.com.", "number:3600", "keyword:IN", "keyword:MX", "number:10", "plain:mx.example.com.", "comment:; primary",
		"key:_dmarc", "keyword:IN", "keyword:TXT", "string:\"v=DMARC1; p=none\"",
	}, classes("dns", code))
}

func TestHighlightPowerShell(t *testing.T) {
	t.Parallel()
	code := "# check\nGet-CASMailbox -Identity mailer@example.com | Format-List Smtp\nSet-CASMailbox -SmtpClientAuthenticationDisabled $false\nif ($x -eq 'a') { Write-Host \"hi $env:USER\" }\n<# block #>\n"
	requireWhole(t, "powershell", code)
	require.Equal(t, []string{
		"comment:# check",
		"keyword:Get-CASMailbox", "flag:-Identity", "plain:mailer@example.com", "flag:|", "keyword:Format-List", "plain:Smtp",
		"keyword:Set-CASMailbox", "flag:-SmtpClientAuthenticationDisabled", "key:$false",
		"keyword:if", "flag:(", "key:$x", "flag:-eq", "string:'a'", "flag:)", "flag:{", "keyword:Write-Host", "string:\"hi $env:USER\"", "flag:}",
		"comment:<# block #>",
	}, classes("ps1", code))
}

func TestHighlightUnknownIsPlain(t *testing.T) {
	t.Parallel()
	require.Equal(t, []string{"plain:if x # not a comment"}, classes("text", "if x # not a comment"))
	require.Equal(t, []string{"plain:{\"a\": 1}"}, classes("", "{\"a\": 1}"))
}

// TestCodeIsColoredByClass: a code block's tokens take the style's colors,
// and the colorless style writes the code as is.
func TestCodeIsColoredByClass(t *testing.T) {
	t.Parallel()
	md := "```bash\ncurl -s x # c\n```\n"
	out := Render(md, 40, testStyle())
	require.Contains(t, out, "\x1b[38;5;16mcurl", "the command in the keyword color")
	require.Contains(t, out, "\x1b[38;5;17m-s", "the option in the flag color")
	require.Contains(t, out, "\x1b[38;5;12m# c", "the comment in the comment color")
	require.Equal(t, "  curl -s x # c", Render(md, 40, ASCII))
	st := testStyle()
	st.Keyword = nil
	require.Contains(t, Render(md, 40, st), "\x1b[38;5;9mcurl", "an unset token color falls back to the code color")
}
