// Command patrol-alpr is the in-car Automated License Plate Reader of the patrol car's mobile
// data computer. It only parses flags and picks a command; package car assembles the running
// car. `patrol-alpr --help` lists the commands (see commands below and README.md).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"patrol-alpr/config"
	"patrol-alpr/internal/carmem"
	_ "patrol-alpr/internal/uilang" // before Fyne reads the locale: see the package
)

func main() {
	if err := carmem.Apply(); err != nil {
		fmt.Fprintln(os.Stderr, "patrol-alpr:", err) // the app still runs, with more memory
	}
	ctx, stop := signalContext()
	err := run(ctx, os.Args[1:], os.Stdin, os.Stdout)
	stop()
	if err != nil {
		report(os.Stderr, err)
		os.Exit(1)
	}
}

// report prints why the program stopped; a configuration's problems one a line, so each
// can be found in the file.
func report(w io.Writer, err error) {
	var ps config.Problems
	if !errors.As(err, &ps) {
		fmt.Fprintln(w, "patrol-alpr:", err)
		return
	}
	head, _, _ := strings.Cut(err.Error(), ps.Error())
	fmt.Fprintf(w, "patrol-alpr: %s%d problem%s:\n", head, len(ps), plural(len(ps)))
	for _, p := range ps {
		fmt.Fprintf(w, "  %s\n", p)
	}
}

// version is the release, set by the package build (-ldflags "-X main.version=0.1.0-1").
var version = "dev"

// command is one thing the binary does, as --help lists it.
type command struct {
	name  string // words after patrol-alpr; "" is the app itself
	args  string
	about string
	run   func(ctx context.Context, args []string, stdin *os.File, stdout io.Writer) error
}

// commands are listed by --help in this order.
var commands = []command{
	{"", "[-config FILE] [-classroom] [-data DIR] [-pprof 127.0.0.1:PORT]", "start the app (classroom mode only when nothing is configured)", cmdApp},
	{"operator add", "[-config FILE] [-data DIR] -id ID -name NAME [-role ROLE] [-trained DATE] ...", "enrol an operator with a PIN (read from the terminal or stdin), audited", cmdOperatorAdd},
	{"config check", "FILE", "check a configuration file and name each error by its place", cmdConfigCheck},
	{"read", "[--json] [--model DIR] FILE...", "read plates in images or videos", cmdRead},
	{"eval", "[--model DIR] [--halves] DIR", "reader accuracy on DIR/labels.csv", cmdEval},
	{"version", "", "the release (also --version)", cmdVersion},
	{"help", "", "this list", nil},
}

func run(ctx context.Context, args []string, stdin *os.File, stdout io.Writer) error {
	cmd, rest := pick(args)
	if cmd == nil {
		return fmt.Errorf("unknown command %q (patrol-alpr --help lists them)", args[0])
	}
	if cmd.run == nil {
		usage(stdout)
		return nil
	}
	err := cmd.run(ctx, rest, stdin, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return nil // the flag set has printed the command's own usage
	}
	return err
}

// pick finds the command args name; the app when args start with a flag or are empty.
func pick(args []string) (*command, []string) {
	if len(args) == 0 {
		return &commands[0], args
	}
	switch args[0] {
	case "-h", "-help", "--help", "help":
		return &commands[len(commands)-1], nil
	case "--version", "-version":
		args = append([]string{"version"}, args[1:]...)
	}
	if len(args[0]) > 0 && args[0][0] == '-' {
		return &commands[0], args
	}
	for i := range commands {
		c := &commands[i]
		if c.name == "" {
			continue
		}
		n := len(strings.Fields(c.name))
		if len(args) >= n && strings.Join(args[:n], " ") == c.name {
			return c, args[n:]
		}
	}
	return nil, nil
}

func cmdVersion(_ context.Context, _ []string, _ *os.File, stdout io.Writer) error {
	_, err := fmt.Fprintln(stdout, "patrol-alpr", version)
	return err
}

// usage lists every command.
func usage(w io.Writer) {
	fmt.Fprintln(w, "Patrol ALPR, the in-car Automated License Plate Reader (General Order J-4).")
	fmt.Fprintln(w, "\nUsage:")
	for _, c := range commands {
		line := "patrol-alpr"
		if c.name != "" {
			line += " " + c.name
		}
		if c.args != "" {
			line += " " + c.args
		}
		fmt.Fprintf(w, "  %s\n      %s\n", line, c.about)
	}
	fmt.Fprintln(w, "\nA command followed by -h describes its flags.")
}

// signalContext is cancelled by Ctrl-C or SIGTERM, so the app closes its window and store cleanly.
func signalContext() (context.Context, context.CancelFunc) {
	return signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
}
