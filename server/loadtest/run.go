package loadtest

import (
	"context"
	crand "crypto/rand"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"patrol-alpr/server/postgres"
)

// Config says what to run.
type Config struct {
	Server     string        // the patrol-alpr-server binary
	DataDir    string        // the server's data folder; "" makes a fresh one, removed afterwards unless Keep
	DSN        string        // an existing PostgreSQL; "" runs the server's embedded cluster under DataDir
	Agency     string        // default LOADTEST
	Phases     []PhaseSpec   // run one after the other against the same server and database
	Drain      time.Duration // after a phase, how long cars go on sending what is unacknowledged; default 60 s
	SyncEvery  time.Duration // how often a car sends what it has; default 1 s, each detection as it is made
	ServerArgs []string      // more flags for `patrol-alpr-server serve`
	Keep       bool          // keep a data folder made for the run
	Progress   io.Writer     // a line every 10 s and at each step; nil: none
}

// PhaseSpec is one stretch of load: so many cars for so long.
type PhaseSpec struct {
	Cars     int
	Duration time.Duration
}

// Phase is what one phase measured. CPU and memory cover the time detections were made,
// not the drain after it.
type Phase struct {
	PhaseSpec
	Requests, Busy, Failed int
	Made, Acked            int // detections made, and acknowledged by the end of the drain
	AckedInWindow          int // acknowledged while detections were made: the CPU figures' divisor
	P50, P95, P99, Max     time.Duration
	DelayP99               time.Duration   // from a detection's making to its acknowledgement
	WindowP99              []time.Duration // p99 of the requests answered in each progressEvery of the phase
	ServerCPU, PostgresCPU time.Duration   // PostgresCPU is 0 when the database is not ours to watch
	LoadCPU                time.Duration   // the load generator's own, on the same cores
	RSSFirst, RSSLast      int64           // the server's mean RSS over the first and the last minute
	RSSMax                 int64
	LastErr                string // the last failure a car saw, if any
}

// CPUPer1000 is the server's and its database's CPU per 1,000 acknowledged detections.
func (p Phase) CPUPer1000() time.Duration {
	if p.AckedInWindow == 0 {
		return 0
	}
	return (p.ServerCPU + p.PostgresCPU) * 1000 / time.Duration(p.AckedInWindow)
}

// Result is a whole run.
type Result struct {
	Phases   []Phase
	P99      time.Duration // over every acknowledged request of the run
	Register time.Duration // to register the fleet
	Every    time.Duration // how often each car sent
	Acked    int
	Unacked  int // made but never acknowledged, even after the drain
	Stored   postgres.Counts
	// Lost counts detections acknowledged but not stored (Missing), plus those never
	// acknowledged; Duplicates counts detections stored more than once.
	Lost, Missing, Duplicates int64
	// NetHitP95 is the time from a car sending a hot detection to another car receiving its
	// network hit, over NetHits deliveries of NetSightings hot detections.
	NetHitP95             time.Duration
	NetHits, NetSightings int
	Sites                 int // fixed camera sites posting beside the cars
}

// Run starts the server, registers the largest phase's fleet, runs the phases, stops the
// server and checks the database. It stops by itself when ctx ends.
func Run(ctx context.Context, cfg Config) (res Result, err error) {
	if cfg.Agency == "" {
		cfg.Agency = "LOADTEST"
	}
	if cfg.Drain <= 0 {
		cfg.Drain = time.Minute
	}
	if cfg.SyncEvery <= 0 {
		cfg.SyncEvery = detectionEvery
	}
	cars := 0
	for _, p := range cfg.Phases {
		if p.Cars <= 0 || p.Duration <= 0 {
			return res, fmt.Errorf("phase of %d cars for %s: both must be positive", p.Cars, p.Duration)
		}
		cars = max(cars, p.Cars)
	}
	if cars == 0 {
		return res, errors.New("no phase to run")
	}
	progress := cfg.Progress
	if progress == nil {
		progress = io.Discard
	}
	dataDir := cfg.DataDir
	if dataDir == "" {
		if dataDir, err = os.MkdirTemp("", "patrol-loadtest-*"); err != nil {
			return res, fmt.Errorf("make a data folder: %w", err)
		}
		// As root the embedded cluster runs as postgres, which must pass through this folder.
		if err := os.Chmod(dataDir, 0o755); err != nil {
			return res, err
		}
		if !cfg.Keep {
			defer os.RemoveAll(dataDir)
		}
	}
	fmt.Fprintf(progress, "loadtest: starting %s on %s\n", cfg.Server, dataDir)
	srv, err := startServer(ctx, cfg.Server, dataDir, cfg.DSN, cfg.Agency, cfg.ServerArgs)
	if err != nil {
		return res, err
	}
	defer func() {
		if e := srv.stop(); e != nil && err == nil {
			err = e
		}
	}()
	db, err := postgres.Open(ctx, srv.dsn, 4)
	if err != nil {
		return res, err
	}
	defer db.Close()

	start := time.Now()
	fleet, err := register(ctx, db, dataDir, cfg.Agency, cars)
	if err != nil {
		return res, err
	}
	res.Register = time.Since(start)
	res.Every = cfg.SyncEvery
	if err := importHotList(ctx, db, cfg.Agency); err != nil {
		return res, err
	}
	clock := newNetClock()
	var streams []http.RoundTripper
	fmt.Fprintf(progress, "loadtest: server at %s; %d cars registered in %s\n", srv.url, cars, res.Register.Round(time.Millisecond))

	noise := make([]byte, noiseBytes)
	_, _ = crand.Read(noise)
	var seed [32]byte
	_, _ = crand.Read(seed[:])
	sim := make([]*car, cars)
	for i, v := range fleet {
		c, err := v.client(srv.url)
		if err != nil {
			return res, err
		}
		streams = append(streams, c.HTTP.Transport)
		timing := &timedTransport{next: c.HTTP.Transport}
		c.HTTP.Transport = timing
		defer c.HTTP.CloseIdleConnections()
		seed[0], seed[1], seed[2] = byte(i), byte(i>>8), byte(i>>16)
		rng := rand.New(rand.NewChaCha8(seed))
		sim[i] = &car{number: v.number, conn: c, timing: timing, every: cfg.SyncEvery, noise: noise, rng: rng,
			homeLat: 34 + homeSpread*rng.Float64(), homeLon: -118 + homeSpread*rng.Float64(), hits: clock}
	}
	// Fixed camera sites beside the cars: one for every 25 cars.
	siteRNG := rand.New(rand.NewPCG(uint64(cars), 7))
	siteVehicles, err := registerSites(ctx, db, dataDir, cfg.Agency, max(1, cars/25), func(int) (float64, float64) {
		return 34 + homeSpread*siteRNG.Float64(), -118 + homeSpread*siteRNG.Float64()
	})
	if err != nil {
		return res, err
	}
	var sites []*car
	for i, v := range siteVehicles {
		c, err := v.client(srv.url)
		if err != nil {
			return res, err
		}
		timing := &timedTransport{next: c.HTTP.Transport}
		c.HTTP.Transport = timing
		defer c.HTTP.CloseIdleConnections()
		seed[0], seed[1], seed[2], seed[3] = byte(i), byte(i>>8), byte(i>>16), 0xF1
		sites = append(sites, &car{number: v.number, conn: c, timing: timing, every: cfg.SyncEvery, noise: noise,
			rng: rand.New(rand.NewChaCha8(seed)), hits: clock, fixed: true})
	}
	res.Sites = len(sites)
	stopStreams := listen(ctx, srv.url, streams, clock)
	defer stopStreams()

	var all []time.Duration
	var acked []string
	for _, spec := range cfg.Phases {
		fmt.Fprintf(progress, "loadtest: %d cars for %s\n", spec.Cars, spec.Duration)
		ph, keys, lat := runPhase(ctx, srv, append(slices.Clone(sim[:spec.Cars]), sites...), spec, cfg.Drain, progress)
		res.Phases = append(res.Phases, ph)
		acked = append(acked, keys...)
		all = append(all, lat...)
		if ctx.Err() != nil {
			return res, ctx.Err()
		}
	}
	res.P99 = percentile(sortedCopy(all), 0.99)
	time.Sleep(2 * time.Second) // the last hits in flight
	stopStreams()
	res.NetHitP95, res.NetHits, res.NetSightings = clock.results()
	res.Acked = len(acked)
	for _, c := range append(sim, sites...) {
		res.Unacked += len(c.pending)
	}

	psql, err := findPsql(srv)
	if err != nil {
		return res, err
	}
	if res.Stored, err = db.Count(ctx, cfg.Agency); err != nil {
		return res, err
	}
	stored, err := storedKeys(ctx, psql, srv.dsn, cfg.Agency)
	if err != nil {
		return res, err
	}
	for _, k := range acked {
		if stored[k] == 0 {
			res.Missing++
		}
	}
	res.Lost = res.Missing + int64(res.Unacked)
	for _, n := range stored {
		if n > 1 {
			res.Duplicates += int64(n - 1)
		}
	}
	// The two reads must agree; if they do not, the larger figure stands.
	res.Duplicates = max(res.Duplicates, res.Stored.DuplicateUUIDs)
	return res, nil
}

// runPhase runs cars for spec.Duration, then lets them drain, and returns what it measured,
// the keys acknowledged and the latency of every acknowledged request.
func runPhase(ctx context.Context, srv *serverProc, cars []*car, spec PhaseSpec, drain time.Duration,
	progress io.Writer) (Phase, []string, []time.Duration) {
	ph := Phase{PhaseSpec: spec}
	start := time.Now()
	genUntil := start.Add(spec.Duration)
	drainUntil := genUntil.Add(drain)

	before := usage(srv)
	var wg sync.WaitGroup
	stats := make([]carStats, len(cars))
	var ackedNow atomic.Int64
	for i, c := range cars {
		wg.Add(1)
		go func() {
			defer wg.Done()
			stats[i] = c.run(ctx, genUntil, drainUntil, &ackedNow)
		}()
	}

	// Sample memory every second and report progress every ten while detections are made;
	// read the CPU when making stops.
	var rssAt []rssSample
	tick := time.NewTicker(time.Second)
	end := time.NewTimer(spec.Duration)
sampling:
	for n := 1; ; n++ {
		select {
		case <-ctx.Done():
			break sampling
		case <-end.C:
			break sampling
		case now := <-tick.C:
			rssAt = append(rssAt, rssSample{at: now.Sub(start), rss: rss(srv.pid())})
			if n%int(progressEvery/time.Second) == 0 {
				fmt.Fprintf(progress, "loadtest:   %3.0fs  %d detections acknowledged  server RSS %d MB\n",
					now.Sub(start).Seconds(), ackedNow.Load(), rssAt[len(rssAt)-1].rss>>20)
			}
		}
	}
	tick.Stop()
	end.Stop()
	after := usage(srv)
	ph.AckedInWindow = int(ackedNow.Load())
	ph.ServerCPU, ph.PostgresCPU, ph.LoadCPU = after.server-before.server, after.postgres-before.postgres, after.self-before.self
	ph.RSSFirst, ph.RSSLast, ph.RSSMax = rssWindows(rssAt, spec.Duration)
	wg.Wait()

	var lat, delays []time.Duration
	var keys []string
	windows := make([][]time.Duration, int(spec.Duration/progressEvery)+1)
	for _, s := range stats {
		for i, at := range s.ackedAt {
			if w := int(at.Sub(start) / progressEvery); w < len(windows) {
				windows[w] = append(windows[w], s.latencies[i])
			}
		}
		ph.Requests += s.requests
		ph.Busy += s.busy
		ph.Failed += s.failed
		ph.Made += s.made
		ph.Acked += len(s.acked)
		keys = append(keys, s.acked...)
		lat = append(lat, s.latencies...)
		delays = append(delays, s.delays...)
		if s.lastErr != nil {
			ph.LastErr = s.lastErr.Error()
		}
	}
	sorted := sortedCopy(lat)
	ph.P50, ph.P95, ph.P99 = percentile(sorted, 0.50), percentile(sorted, 0.95), percentile(sorted, 0.99)
	ph.Max = percentile(sorted, 1)
	ph.DelayP99 = percentile(sortedCopy(delays), 0.99)
	for _, w := range windows {
		ph.WindowP99 = append(ph.WindowP99, percentile(sortedCopy(w), 0.99))
	}
	return ph, keys, lat
}

// cpuUsage is CPU time used so far by the server, its PostgreSQL and the load test itself.
type cpuUsage struct{ server, postgres, self time.Duration }

func usage(srv *serverProc) cpuUsage {
	var u cpuUsage
	u.server, _, _ = procTimes(srv.pid())
	if pm := srv.postmaster(); pm != 0 {
		u.postgres = treeCPU(pm)
	}
	u.self, _, _ = procTimes(os.Getpid())
	return u
}

type rssSample struct {
	at  time.Duration
	rss int64
}

// rssWindows is the mean RSS over the first and the last minute of a phase (over its first
// and last half when it is shorter than two minutes), and the largest sample.
func rssWindows(s []rssSample, d time.Duration) (first, last, peak int64) {
	w := min(time.Minute, d/2)
	var nf, nl int64
	for _, x := range s {
		if x.at <= w {
			first += x.rss
			nf++
		}
		if x.at >= d-w {
			last += x.rss
			nl++
		}
		peak = max(peak, x.rss)
	}
	if nf > 0 {
		first /= nf
	}
	if nl > 0 {
		last /= nl
	}
	return first, last, peak
}
