// Command pitstop troubleshoots an AI marketing stack: API, CRM, email and domain.
package main

import (
	"os"

	"pitstop/internal/cli"
)

// version is set at build time with -ldflags "-X main.version=...".
var version = "dev"

func main() { os.Exit(cli.Execute(version)) }
