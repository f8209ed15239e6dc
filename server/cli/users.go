package cli

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strings"

	"patrol-alpr/server/desk"
	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

// userAdd adds an account of the administrator's desk, or sets its role and password. The
// password is read from -password-file or else from the first line of standard input, never
// from the command line, where other users of the machine could see it.
func userAdd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var role, pwFile *string
	return withEnv(ctx, "user add", args, 1, out, log, func(fs *flag.FlagSet) {
		role = fs.String("role", postgres.RoleAdministrator, "administrator, investigator or auditor (read-only)")
		pwFile = fs.String("password-file", "", "read the password from this file (default: the first line of standard input)")
	}, func(e *env, a []string) error {
		var in io.Reader = os.Stdin
		if *pwFile != "" {
			f, err := os.Open(*pwFile)
			if err != nil {
				return fmt.Errorf("read password: %w", err)
			}
			defer f.Close()
			in = f
		} else {
			fmt.Fprintf(os.Stderr, "password for %s (at least 12 characters): ", a[0])
		}
		line, err := bufio.NewReader(in).ReadString('\n')
		if err != nil && line == "" {
			return fmt.Errorf("read password: %w", err)
		}
		hash, err := desk.HashPassword(strings.TrimRight(line, "\r\n"))
		if err != nil {
			return usageError{err.Error()}
		}
		if err := e.db.PutDeskUser(ctx, postgres.DeskUser{Agency: e.g.agency, Name: a[0], Role: *role, Password: hash}, e.actor); err != nil {
			return err
		}
		fmt.Fprintf(out, "desk account %s (%s) of agency %s: sign in at https://<server>/\n", a[0], *role, e.g.agency)
		return nil
	})
}

// mountDesk serves the administrator's desk on every path the cars' API does not claim.
func mountDesk(api http.Handler, e *env, log *slog.Logger) (http.Handler, error) {
	d, err := desk.New(e.db, log, desk.Options{Agency: e.g.agency})
	if err != nil {
		return nil, err
	}
	mux := http.NewServeMux()
	mux.Handle("/api/", api)
	mux.Handle(wire.HealthPath, api)
	mux.Handle(wire.MetricsPath, api)
	mux.Handle("/", d.Handler())
	return mux, nil
}
