package cli

import (
	"os"
	"strings"
	"testing"
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
	os.Exit(m.Run())
}
