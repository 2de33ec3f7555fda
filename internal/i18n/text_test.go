package i18n

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// saysItself is a Sayer that is not a Text or a Message: an error type
// that knows its words in every language.
type saysItself struct{}

func (saysItself) In(lang string) string { return "[" + lang + "]" }

// TestSayersAreSaidInTheLanguage: T, N and Format say an argument that can
// say itself in their own language; other arguments print as they are.
func TestSayersAreSaidInTheLanguage(t *testing.T) {
	require.Equal(t, "no se pudo leer: no existe", T("es", "file.not_read", Text("file.missing")))
	require.Equal(t, "could not be read: does not exist", T(English, "file.not_read", Text("file.missing")))
	require.Equal(t, "no se pudo leer: [es]", Text("file.not_read").Format("es", saysItself{}))
	require.Equal(t, "no se pudo leer: es un dispositivo, no un archivo normal", T("es", "file.not_read", Message{ID: "file.device"}))
	require.Equal(t, "no se pudo leer: plain", T("es", "file.not_read", "plain"))
}
