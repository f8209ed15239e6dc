package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"sort"
	"strings"
)

// Version is the server's version, set at link time for packages.
var Version = "dev"

// command is one subcommand: its usage line and what runs it.
type command struct {
	usage string
	run   func(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error
}

func commands() map[string]command {
	return map[string]command{
		"serve":                 {"serve [-listen ADDR] [-hosts H,H] [-purge-every D]  run the server", serve},
		"purge":                 {"purge [-dry-run]  remove data past two years now (moving held detections to evidence)", purge},
		"car add":               {"car add [-out DIR] NUMBER  register a car and write its certificate bundle", carAdd},
		"car revoke":            {"car revoke NUMBER  shut a car out at once", carRevoke},
		"car list":              {"car list  the cars and fixed cameras with their last sync", carList},
		"camera add":            {"camera add -lat LAT -lon LON [-out DIR] NUMBER  register a fixed camera site", cameraAdd},
		"operator add":          {"operator add [-trained-on D] [-certified-until D] ID NAME  put an operator on the roster", operatorAdd},
		"lists import":          {"lists import -name N -format ncic|cadoj|csv|plate-state -kind general|special FILE  distribute a hot list", listsImport},
		"lists list":            {"lists list  the hot lists and their versions", listsList},
		"hold place":            {"hold place -case N -reason R DETECTION_UUID  keep a detection as evidence", holdPlace},
		"hold release":          {"hold release -reason R HOLD_ID  end a hold", holdRelease},
		"user add":              {"user add [-role administrator|investigator|auditor] [-password-file F] NAME  an account of the web desk", userAdd},
		"agency add":            {"agency add ID NAME  add an agency to the network served here", agencyAdd},
		"share":                 {"share [-search] [-hits] [-lists] AGENCY PARTNER  AGENCY shares with PARTNER (IV.B.1)", share},
		"lists approve-sharing": {"lists approve-sharing NAME  let a departmental list cross agencies (IV.C.6)", listsApprove},
	}
}

// Main runs the command line and returns the exit code: 0 done, 2 usage, 1 failed.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelInfo}))
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stdout)
		return 0
	}
	if args[0] == "--version" || args[0] == "version" {
		fmt.Fprintln(stdout, "patrol-alpr-server", Version)
		return 0
	}
	cmds := commands()
	name := args[0]
	rest := args[1:]
	c, ok := cmds[name]
	if !ok && len(args) > 1 {
		name = args[0] + " " + args[1]
		c, ok = cmds[name]
		rest = args[2:]
	}
	if !ok {
		fmt.Fprintf(stderr, "patrol-alpr-server: unknown command %q\n\n", strings.Join(args[:min(2, len(args))], " "))
		usage(stderr)
		return 2
	}
	if err := c.run(ctx, rest, stdout, log); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		var u usageError
		if errors.As(err, &u) {
			fmt.Fprintf(stderr, "patrol-alpr-server %s: %v\nusage: patrol-alpr-server %s\n", name, err, c.usage)
			return 2
		}
		fmt.Fprintf(stderr, "patrol-alpr-server %s: %v\n", name, err)
		return 1
	}
	return 0
}

// usageError is a command line that does not say what to do.
type usageError struct{ msg string }

func (u usageError) Error() string { return u.msg }

func usage(w io.Writer) {
	fmt.Fprintln(w, "patrol-alpr-server: the agency server of Patrol ALPR (General Order J-4)")
	fmt.Fprintln(w, "\nusage: patrol-alpr-server COMMAND [flags] [args]")
	var lines []string
	for _, c := range commands() {
		lines = append(lines, "  "+c.usage)
	}
	sort.Strings(lines)
	fmt.Fprintln(w, strings.Join(lines, "\n"))
	fmt.Fprintln(w, "\nEvery command takes -data DIR, -dsn DSN, -agency ID (or PATROL_ALPR_SERVER_DATA, PATROL_ALPR_SERVER_DSN,")
	fmt.Fprintln(w, "PATROL_ALPR_AGENCY). Without a DSN the server runs its own PostgreSQL under DIR/pg.")
	fmt.Fprintln(w, "  --version  print the version")
}

// flags makes a command's flag set with the shared settings registered.
func flags(name string, g *globals, out io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(out)
	g.register(fs)
	return fs
}

// parse parses args and checks the number of arguments left.
func parse(fs *flag.FlagSet, args []string, want int) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	if fs.NArg() != want {
		return usageError{fmt.Sprintf("want %d argument(s), got %d", want, fs.NArg())}
	}
	return nil
}
