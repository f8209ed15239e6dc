package cli

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	"patrol-alpr/server/postgres"
)

func agencyAdd(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	return withEnv(ctx, "agency add", args, 2, out, log, nil, func(e *env, a []string) error {
		if err := e.db.PutAgency(ctx, postgres.Agency{ID: a[0], Name: a[1]}); err != nil {
			return err
		}
		fmt.Fprintf(out, "agency %s (%s) on the network; run its commands with -agency %s\n", a[0], a[1], a[0])
		return nil
	})
}

func share(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var search, hits, lists *bool
	return withEnv(ctx, "share", args, 2, out, log, func(fs *flag.FlagSet) {
		search = fs.Bool("search", true, "the partner may search the agency's detections (IV.B.1)")
		hits = fs.Bool("hits", true, "the agency's detections are matched against the partner's lists")
		lists = fs.Bool("lists", false, "the agency's shareable lists reach the partner's cars")
	}, func(e *env, a []string) error {
		ag := postgres.Agreement{Agency: a[0], Partner: a[1], MaySearch: *search, ReceivesHits: *hits, SharesLists: *lists}
		if err := e.db.PutAgreement(ctx, ag, e.actor); err != nil {
			return err
		}
		fmt.Fprintf(out, "%s shares with %s: search %t, hits %t, lists %t\n", a[0], a[1], *search, *hits, *lists)
		return nil
	})
}

func listsApprove(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	return withEnv(ctx, "lists approve-sharing", args, 1, out, log, nil, func(e *env, a []string) error {
		if err := e.db.ApproveListSharing(ctx, e.g.agency, a[0], e.actor); err != nil {
			return err
		}
		fmt.Fprintf(out, "departmental list %s may now cross agencies (IV.C.6)\n", a[0])
		return nil
	})
}
