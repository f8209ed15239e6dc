package loadtest

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"strconv"
	"strings"
	"text/tabwriter"
	"time"
)

// Goals of issue 18 for this 2-core machine.
const (
	GoalP99      = 200 * time.Millisecond
	memoryGrowth = 1.20 // the last minute's mean RSS may exceed the first's by this factor and still be flat
)

// Main runs the load test from a command line and returns the exit code: 0 when nothing was
// lost or duplicated, 1 otherwise or on failure, 2 on a bad command line.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("patrol-alpr-loadtest", flag.ContinueOnError)
	fs.SetOutput(stderr)
	server := fs.String("server", "bin/patrol-alpr-server", "the patrol-alpr-server binary to run")
	cars := fs.Int("cars", 500, "simulated cars, each sending one detection a second")
	duration := fs.Duration("duration", 5*time.Minute, "how long the cars send")
	growth := fs.Bool("growth", false, "run the growth series instead: -growth-cars one after the other, -growth-duration each")
	growthCars := fs.String("growth-cars", "100,250,500,1000", "fleet sizes of the growth series")
	growthDuration := fs.Duration("growth-duration", time.Minute, "length of each growth step")
	every := fs.Duration("every", 10*time.Second, "how often each car sends what it has made: 10s is the car's own syncer (learn.Syncer's default); 1s sends each detection at once, ten times the requests")
	drain := fs.Duration("drain", time.Minute, "after sending stops, how long cars may go on retrying what is unacknowledged")
	dataDir := fs.String("data", "", "the server's data folder (default: a fresh one, removed afterwards)")
	dsn := fs.String("dsn", "", "an existing PostgreSQL for the server (default: its embedded cluster)")
	serverArgs := fs.String("server-args", "", "more flags for `patrol-alpr-server serve`, space-separated (e.g. \"-max-inflight 64\")")
	keep := fs.Bool("keep", false, "keep the fresh data folder")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	for _, d := range []struct {
		name string
		v    time.Duration
	}{{"every", *every}, {"duration", *duration}, {"growth-duration", *growthDuration}} {
		if d.v <= 0 {
			fmt.Fprintf(stderr, "patrol-alpr-loadtest: -%s %v: want a positive duration\n", d.name, d.v)
			return 2
		}
	}
	if *cars <= 0 {
		fmt.Fprintf(stderr, "patrol-alpr-loadtest: -cars %d: want at least one car\n", *cars)
		return 2
	}
	cfg := Config{Server: *server, DataDir: *dataDir, DSN: *dsn, Drain: *drain, Keep: *keep, SyncEvery: *every,
		ServerArgs: strings.Fields(*serverArgs), Progress: stderr}
	if *growth {
		for _, f := range strings.Split(*growthCars, ",") {
			n, err := strconv.Atoi(strings.TrimSpace(f))
			if err != nil || n <= 0 {
				fmt.Fprintf(stderr, "patrol-alpr-loadtest: -growth-cars %q: want positive numbers separated by commas\n", *growthCars)
				return 2
			}
			cfg.Phases = append(cfg.Phases, PhaseSpec{Cars: n, Duration: *growthDuration})
		}
	} else {
		cfg.Phases = []PhaseSpec{{Cars: *cars, Duration: *duration}}
	}
	// Bounded whatever happens: registration, every phase with its drain, and the check.
	limit := 5 * time.Minute
	for _, p := range cfg.Phases {
		limit += p.Duration + cfg.Drain
	}
	ctx, cancel := context.WithTimeout(ctx, limit)
	defer cancel()

	res, err := Run(ctx, cfg)
	if err != nil {
		fmt.Fprintf(stderr, "patrol-alpr-loadtest: %v\n", err)
		return 1
	}
	Report(stdout, res)
	if res.Lost != 0 || res.Duplicates != 0 {
		return 1
	}
	return 0
}

// Report prints the table of phases, the memory and exactly-once checks, and finally the
// lines `p99-ms N`, `lost N`, `duplicates N`.
func Report(w io.Writer, res Result) {
	tw := tabwriter.NewWriter(w, 0, 4, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "cars\tsecs\trequests\tdetections\tbusy\tfailed\tp50-ms\tp95-ms\tp99-ms\tmax-ms\tdelay-p99-ms\t"+
		"server-cpu-s\tpg-cpu-s\tcpu-ms/1000det\tloadgen-cpu-s\trss-first-MB\trss-last-MB\t")
	for _, p := range res.Phases {
		pg := fmt.Sprintf("%.1f", p.PostgresCPU.Seconds())
		if p.PostgresCPU == 0 {
			pg = "n/a"
		}
		fmt.Fprintf(tw, "%d\t%.0f\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%d\t%.1f\t%s\t%d\t%.1f\t%d\t%d\t\n",
			p.Cars, p.Duration.Seconds(), p.Requests, p.Acked, p.Busy, p.Failed,
			ms(p.P50), ms(p.P95), ms(p.P99), ms(p.Max), ms(p.DelayP99),
			p.ServerCPU.Seconds(), pg, p.CPUPer1000().Milliseconds(), p.LoadCPU.Seconds(),
			p.RSSFirst>>20, p.RSSLast>>20)
	}
	tw.Flush()
	fmt.Fprintln(w)
	fmt.Fprintf(w, "registration: %d cars in %s; each car makes a detection a second and sends every %s\n",
		maxCars(res), res.Register.Round(time.Millisecond), res.Every)
	for _, p := range res.Phases {
		verdict := "flat"
		if float64(p.RSSLast) > float64(p.RSSFirst)*memoryGrowth {
			verdict = "GROWING"
		}
		win := min(time.Minute, p.Duration/2)
		fmt.Fprintf(w, "memory, %d cars: server RSS mean %d MB over the first %s, %d MB over the last, peak %d MB: %s\n",
			p.Cars, p.RSSFirst>>20, win, p.RSSLast>>20, p.RSSMax>>20, verdict)
		if p.Busy > 0 || p.Failed > 0 {
			fmt.Fprintf(w, "  %d busy answers, %d failed requests; last failure: %s\n", p.Busy, p.Failed, p.LastErr)
		}
		goal := "met"
		if p.P99 > GoalP99 {
			goal = "MISSED"
		}
		fmt.Fprintf(w, "goal p99 <= %d ms at %d cars: %s (%d ms)\n", GoalP99.Milliseconds(), p.Cars, goal, ms(p.P99))
		if len(p.WindowP99) > 0 {
			fmt.Fprintf(w, "  p99-ms by %s of the run:", progressEvery)
			for _, d := range p.WindowP99 {
				fmt.Fprintf(w, " %d", ms(d))
			}
			fmt.Fprintln(w)
		}
	}
	s := res.Stored
	fmt.Fprintf(w, "database: %d detections, %d images, %d with an image missing, %d stored twice; "+
		"%d acknowledged, of which %d not stored; %d never acknowledged\n",
		s.Detections, s.Images, s.IncompleteImages, s.DuplicateUUIDs, res.Acked, res.Missing, res.Unacked)
	fmt.Fprintf(w, "fixed camera sites: %d, posting beside the cars\n", res.Sites)
	fmt.Fprintf(w, "network hits: %d hot detections gave %d deliveries to cars within 15 km; p95 from sending to delivery %d ms (goal <= 1000 ms)\n",
		res.NetSightings, res.NetHits, ms(res.NetHitP95))
	fmt.Fprintf(w, "network-hit-p95-ms %d\n", ms(res.NetHitP95))
	fmt.Fprintf(w, "p99-ms %d\n", ms(res.P99))
	fmt.Fprintf(w, "lost %d\n", res.Lost)
	fmt.Fprintf(w, "duplicates %d\n", res.Duplicates)
}

func maxCars(res Result) int {
	n := 0
	for _, p := range res.Phases {
		n = max(n, p.Cars)
	}
	return n
}
