// Command patrol-alpr is the in-car Automated License Plate Reader of the patrol car's mobile
// data computer. It only parses flags and picks a command; package car assembles the running
// car. See README.md for the layout.
//
//	patrol-alpr [-config FILE] [-classroom] [-data DIR]   the app (classroom mode when nothing is configured)
//	patrol-alpr read [--json] FILE...                      read plates in images or videos
//	patrol-alpr eval DIR                                   reader accuracy on DIR/labels.csv
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"patrol-alpr/internal/carmem"
)

func main() {
	if err := carmem.Apply(); err != nil {
		fmt.Fprintln(os.Stderr, "patrol-alpr:", err) // the app still runs, with more memory
	}
	ctx, stop := signalContext()
	err := run(ctx, os.Args[1:], os.Stdout)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "patrol-alpr:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	if len(args) > 0 {
		switch args[0] {
		case "read":
			return cmdRead(ctx, args[1:], stdout)
		case "eval":
			return cmdEval(ctx, args[1:], stdout)
		}
	}
	return cmdApp(ctx, args)
}

// signalContext is cancelled by Ctrl-C or SIGTERM, so the app closes its window and store cleanly.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
