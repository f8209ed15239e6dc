// Command patrol-alpr-server is the agency server of Patrol ALPR: it takes every car's data
// exactly once, keeps it two years on PostgreSQL, and distributes the hot lists. See
// server/cli for the commands.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"patrol-alpr/server/cli"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
