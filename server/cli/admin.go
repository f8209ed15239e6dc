package cli

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"text/tabwriter"
	"time"

	"patrol-alpr/hotlist"
	"patrol-alpr/server/pki"
	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

// withEnv parses a command's flags, opens the server's environment, and runs f.
func withEnv(ctx context.Context, name string, args []string, nargs int, out io.Writer, log *slog.Logger,
	define func(fs *flag.FlagSet), f func(e *env, args []string) error) error {
	var g globals
	fs := flags(name, &g, out)
	if define != nil {
		define(fs)
	}
	if err := parse(fs, args, nargs); err != nil {
		return err
	}
	e, err := open(ctx, g, out, log, 4)
	if err != nil {
		return err
	}
	defer e.close(context.WithoutCancel(ctx))
	return f(e, fs.Args())
}

func carAdd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var outDir *string
	return withEnv(ctx, "car add", args, 1, out, log, func(fs *flag.FlagSet) {
		outDir = fs.String("out", "", "where to write the bundle (default DATA/cars/NUMBER)")
	}, func(e *env, a []string) error {
		dir := *outDir
		if dir == "" {
			dir = filepath.Join(e.g.dataDir, "cars", a[0])
		}
		if err := e.addVehicle(ctx, postgres.Vehicle{Agency: e.g.agency, Number: a[0], Kind: pki.KindCar}, dir); err != nil {
			return err
		}
		fmt.Fprintf(out, "car %s registered; its bundle (car.key, car.crt, ca.crt) is in %s\n", a[0], dir)
		fmt.Fprintf(out, "copy it to the car and set in its config: \"server_bundle\": \"<that folder>\"\n")
		return nil
	})
}

func cameraAdd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var outDir *string
	var lat, lon *float64
	return withEnv(ctx, "camera add", args, 1, out, log, func(fs *flag.FlagSet) {
		outDir = fs.String("out", "", "where to write the bundle (default DATA/cameras/NUMBER)")
		lat = fs.Float64("lat", 0, "the site's latitude")
		lon = fs.Float64("lon", 0, "the site's longitude")
	}, func(e *env, a []string) error {
		if *lat == 0 && *lon == 0 {
			return usageError{"a fixed camera needs -lat and -lon"}
		}
		dir := *outDir
		if dir == "" {
			dir = filepath.Join(e.g.dataDir, "cameras", a[0])
		}
		v := postgres.Vehicle{Agency: e.g.agency, Number: a[0], Kind: pki.KindFixed, FixedLat: *lat, FixedLon: *lon}
		if err := e.addVehicle(ctx, v, dir); err != nil {
			return err
		}
		fmt.Fprintf(out, "fixed camera %s at %.5f,%.5f registered; its bundle is in %s\n", a[0], *lat, *lon, dir)
		return nil
	})
}

func carRevoke(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	return withEnv(ctx, "car revoke", args, 1, out, log, nil, func(e *env, a []string) error {
		n, err := e.db.RevokeVehicle(ctx, e.g.agency, a[0], e.actor)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "car %s: %d certificate(s) revoked; it is refused from its next request\n", a[0], n)
		return nil
	})
}

func carList(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	return withEnv(ctx, "car list", args, 0, out, log, nil, func(e *env, _ []string) error {
		vs, err := e.db.Vehicles(ctx, e.g.agency)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NUMBER\tKIND\tLAST SYNC\tBACKLOG\tOLDEST UNSENT")
		for _, v := range vs {
			last := "never"
			if !v.LastSync.IsZero() {
				last = v.LastSync.Local().Format(time.DateTime)
			}
			fmt.Fprintf(tw, "%s\t%s\t%s\t%d\t%s\n", v.Number, v.Kind, last, v.Backlog,
				(time.Duration(v.OldestUnsent) * time.Second).String())
		}
		return tw.Flush()
	})
}

func operatorAdd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var trained, certified *string
	var inactive *bool
	return withEnv(ctx, "operator add", args, 2, out, log, func(fs *flag.FlagSet) {
		trained = fs.String("trained-on", "", "date of the operator's ALPR training (YYYY-MM-DD)")
		certified = fs.String("certified-until", "", "date the operator's certification lapses (YYYY-MM-DD)")
		inactive = fs.Bool("inactive", false, "take the operator off the active roster")
	}, func(e *env, a []string) error {
		o := postgres.Operator{Agency: e.g.agency, ID: a[0], Name: a[1], Active: !*inactive}
		var err error
		if o.TrainedOn, err = date(*trained); err != nil {
			return err
		}
		if o.CertifiedUntil, err = date(*certified); err != nil {
			return err
		}
		if err := e.db.PutOperator(ctx, o, e.actor); err != nil {
			return err
		}
		fmt.Fprintf(out, "operator %s (%s) on the roster, active %t\n", o.ID, o.Name, o.Active)
		return nil
	})
}

func date(s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return time.Time{}, usageError{fmt.Sprintf("date %q: want YYYY-MM-DD", s)}
	}
	return t, nil
}

func listsImport(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var name, format, kind *string
	var priority *int
	var departmental *bool
	return withEnv(ctx, "lists import", args, 1, out, log, func(fs *flag.FlagSet) {
		name = fs.String("name", "", "the list's name as cars show it (NCIC, SVS, ...)")
		format = fs.String("format", "", "ncic, cadoj, csv or plate-state")
		kind = fs.String("kind", "general", "general or special (IV.C)")
		priority = fs.Int("priority", 50, "alert priority, higher first")
		departmental = fs.Bool("departmental", false, "a departmental list: shared only with the administrator's approval (IV.C.6)")
	}, func(e *env, a []string) error {
		if *name == "" || *format == "" {
			return usageError{"-name and -format are required"}
		}
		if *kind != "general" && *kind != "special" {
			return usageError{"-kind is general or special"}
		}
		body, err := os.ReadFile(a[0])
		if err != nil {
			return fmt.Errorf("read list: %w", err)
		}
		// Parse it as a car will: a file a car cannot read is never distributed.
		entries, err := hotlist.Parse(hotlist.Format(*format), bytes.NewReader(body), a[0], hotlist.ParseOptions{List: *name})
		if err != nil {
			return fmt.Errorf("the list was not imported: %w", err)
		}
		info, err := e.db.PutList(ctx, postgres.List{Agency: e.g.agency, ListInfo: wire.ListInfo{Name: *name,
			Format: *format, Kind: *kind, Priority: *priority, Departmental: *departmental, Entries: len(entries)},
			Body: body, ImportedBy: e.actor})
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "list %s version %d: %d entries, sha256 %s\n", info.Name, info.Version, info.Entries, info.SHA256)
		return nil
	})
}

func listsList(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	return withEnv(ctx, "lists list", args, 0, out, log, nil, func(e *env, _ []string) error {
		ls, err := e.db.Lists(ctx, e.g.agency)
		if err != nil {
			return err
		}
		tw := tabwriter.NewWriter(out, 0, 4, 2, ' ', 0)
		fmt.Fprintln(tw, "NAME\tVERSION\tENTRIES\tFORMAT\tKIND\tIMPORTED\tSHA-256")
		for _, l := range ls {
			fmt.Fprintf(tw, "%s\t%d\t%d\t%s\t%s\t%s\t%s\n", l.Name, l.Version, l.Entries, l.Format, l.Kind,
				l.ImportedAt.Local().Format(time.DateTime), l.SHA256[:16])
		}
		return tw.Flush()
	})
}

func purge(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var dry *bool
	return withEnv(ctx, "purge", args, 0, out, log, func(fs *flag.FlagSet) {
		dry = fs.Bool("dry-run", false, "count what would be removed, change nothing")
	}, func(e *env, _ []string) error {
		rep, err := e.db.Purge(ctx, *dry)
		if err != nil {
			return err
		}
		verb := "removed"
		if rep.DryRun {
			verb = "would remove"
		}
		fmt.Fprintf(out, "cutoff %s: %s %d detections (%d partitions), %d images, %d sync keys; %d held detections moved to evidence\n",
			rep.Cutoff.Format(time.DateTime), verb, rep.DetectionsRemoved, len(rep.Partitions), rep.ImagesRemoved,
			rep.KeysRemoved, rep.EvidenceMoved)
		return nil
	})
}

func holdPlace(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var caseNo, reason *string
	return withEnv(ctx, "hold place", args, 1, out, log, func(fs *flag.FlagSet) {
		caseNo = fs.String("case", "", "case number")
		reason = fs.String("reason", "", "why the detection is kept")
	}, func(e *env, a []string) error {
		h, err := e.db.PlaceHold(ctx, e.g.agency, a[0], *caseNo, *reason, e.actor)
		if err != nil {
			return err
		}
		fmt.Fprintf(out, "hold %s: detection %s kept for case %s\n", h.ID, h.DetectionUUID, h.CaseNumber)
		return nil
	})
}

func holdRelease(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var reason *string
	return withEnv(ctx, "hold release", args, 1, out, log, func(fs *flag.FlagSet) {
		reason = fs.String("reason", "", "why the hold ends")
	}, func(e *env, a []string) error {
		if err := e.db.ReleaseHold(ctx, e.g.agency, a[0], *reason, e.actor); err != nil {
			return err
		}
		fmt.Fprintf(out, "hold %s released\n", a[0])
		return nil
	})
}
