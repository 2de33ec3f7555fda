package cli

import (
	"fmt"
	"os"
	"strings"
	"testing"

	"pitstop/internal/i18n"
)

func TestMain(m *testing.M) {
	// fang lays help out at the width of os.Stdout, 120 when it is not a
	// terminal; the help tests hold it to the 80 columns of a small terminal.
	os.Setenv("__FANG_TEST_WIDTH", "80")
	if args := os.Getenv(limitedEnv); args != "" {
		os.Exit(runLimitedChild(args))
	}
	if args := os.Getenv(executeEnv); args != "" {
		// A child that is Pitstop itself, through Execute (signals included).
		os.Args = append([]string{"pitstop"}, strings.Split(args, "\n")...)
		os.Exit(Execute("test"))
	}
	code := m.Run()
	// A message asked for that the catalogue lacks prints its id: whatever
	// command the tests ran, none may.
	if missing := i18n.Misses(); code == 0 && len(missing) > 0 {
		fmt.Fprintf(os.Stderr, "messages asked for that locales/ lacks: %s\n", strings.Join(missing, ", "))
		code = 1
	}
	os.Exit(code)
}
