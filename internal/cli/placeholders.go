package cli

// Temporary constructors; each is replaced by its own file as the command is built.

import (
	"github.com/spf13/cobra"
)

func notBuilt(use, short string) *cobra.Command {
	return &cobra.Command{Use: use, Short: short, RunE: func(*cobra.Command, []string) error {
		return usageErrf("%s is not available in this build yet", use)
	}}
}
