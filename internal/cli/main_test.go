package cli

import (
	"os"
	"testing"
)

func TestMain(m *testing.M) {
	// fang lays help out at the width of os.Stdout, 120 when it is not a
	// terminal; the help tests hold it to the 80 columns of a small terminal.
	os.Setenv("__FANG_TEST_WIDTH", "80")
	if args := os.Getenv(limitedEnv); args != "" {
		os.Exit(runLimitedChild(args))
	}
	os.Exit(m.Run())
}
