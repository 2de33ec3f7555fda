package kb

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// TestSnippetsArePlainText: a body line shown as a search snippet reads as
// text: a link as its words, an address as itself, a table row as cells.
func TestSnippetsArePlainText(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"   [Mailgun da un registro TXT](https://documentation.mailgun.com/docs/x) (la clave).": "Mailgun da un registro TXT (la clave).",
		"- <https://www.rfc-editor.org/rfc/rfc6376>":                                            "https://www.rfc-editor.org/rfc/rfc6376",
		"| Mailgun | `include:mailgun.org` |":                                                   "Mailgun · include:mailgun.org",
		"## **Fix** it `now`":                                                                   "Fix it now",
	} {
		require.Equal(t, want, plainLine(in))
	}
}
