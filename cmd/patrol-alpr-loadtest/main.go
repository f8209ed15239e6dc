// Command patrol-alpr-loadtest runs a fleet of simulated cars against the real agency server
// on loopback and reports acknowledgement latency, server CPU and memory, and whether every
// acknowledged detection was stored exactly once. See server/loadtest.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"patrol-alpr/server/loadtest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := loadtest.Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}
