package cli

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"runtime"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"patrol-alpr/server/httpapi"
	"patrol-alpr/server/network"
	"patrol-alpr/server/pki"
	"patrol-alpr/server/postgres"
)

// Demo records made at a server's first start, so that a car can sync to it at once.
const (
	demoCar          = "2317"
	demoOperator     = "1001"
	demoOperatorName = "Demo Officer"
)

func serve(ctx context.Context, args []string, out io.Writer, log *slog.Logger) error {
	var g globals
	fs := flags("serve", &g, out)
	listen := fs.String("listen", "127.0.0.1:8443", "address to serve HTTPS on")
	hosts := fs.String("hosts", "", "comma-separated names and addresses the server certificate must also name")
	purgeEvery := fs.Duration("purge-every", 24*time.Hour, "how often the retention job runs (IV.A)")
	inFlight := fs.Int("max-inflight", 128, "sync batches read or filed at once; beyond, the server answers 503")
	conns := fs.Int("db-conns", 0, "database connections (default 2 × the CPUs + 2)")
	filers := fs.Int("filers", 0, "sync batches in the database at once (default 2 × the CPUs); the rest wait within -max-inflight")
	radius := fs.Float64("hit-radius", 15, "network hits go to the receiving agency's cars within this many km of the sighting")
	memLimit := fs.Int64("memory-limit-mb", 512, "soft limit of the server's Go heap (GOMEMLIMIT in the environment wins); 0: none")
	demo := fs.Bool("demo", true, "on a server with no vehicles, register demo car "+demoCar+" and operator "+demoOperator)
	if err := parse(fs, args, 0); err != nil {
		return err
	}
	if *filers < 0 || *conns < 0 || *inFlight < 1 {
		return usageError{fmt.Sprintf("-filers %d, -db-conns %d, -max-inflight %d: counts are 0 (the default) or more, and -max-inflight at least 1",
			*filers, *conns, *inFlight)}
	}
	if *conns > 0 && *filers >= *conns {
		return usageError{fmt.Sprintf("-filers %d with -db-conns %d: the pool needs room beyond the filers for the network and the desk", *filers, *conns)}
	}
	// Sync bodies come and go by the megabyte; without a limit the heap grows to twice its
	// peak before the collector runs.
	if os.Getenv("GOMEMLIMIT") == "" && *memLimit > 0 {
		debug.SetMemoryLimit(*memLimit << 20)
	}
	// PostgreSQL files fastest with few writers: at 500 cars on two cores, 40 connections
	// spent 60 % more database CPU than 3 to 6 for the same detections, and p99 doubled
	// (issue 18's note). Two connections beyond the filers keep the network and the desk served.
	switch {
	case *filers == 0 && *conns == 0:
		*filers = 2 * runtime.NumCPU()
		*conns = *filers + 2
	case *filers == 0:
		*filers = max(1, min(2*runtime.NumCPU(), *conns-1))
	case *conns == 0:
		*conns = *filers + 2
	}
	e, err := open(ctx, g, out, log, int32(*conns))
	if err != nil {
		return err
	}
	defer e.close(context.WithoutCancel(ctx))
	if *demo {
		if err := e.demoSetup(ctx); err != nil {
			return err
		}
	}
	var extra []string
	for _, h := range strings.Split(*hosts, ",") {
		if h = strings.TrimSpace(h); h != "" {
			extra = append(extra, h)
		}
	}
	certs, err := newCertSource(e.ca, filepath.Join(g.dataDir, "ca"), extra, log)
	if err != nil {
		return err
	}
	tlsConfig := pki.ServerTLS(e.ca, certs.current())
	tlsConfig.Certificates = nil
	tlsConfig.GetCertificate = certs.get
	broker := network.NewBroker()
	hits := network.New(e.db, broker, log, network.Options{RadiusKm: *radius})
	api := httpapi.New(e.db, log, httpapi.NewMetrics(), httpapi.Options{MaxInFlight: *inFlight,
		Filers: *filers, Sightings: hits, Events: broker})
	handler, err := mountDesk(api.Handler(), e, log)
	if err != nil {
		return err
	}
	srv := newHTTPServer(ctx, handler, tlsConfig, log)
	ln, err := net.Listen("tcp", *listen)
	if err != nil {
		return fmt.Errorf("listen on %s: %w", *listen, err)
	}
	fmt.Fprintf(out, "patrol-alpr-server: agency %s listening on https://%s (data %s)\n", g.agency, ln.Addr(), g.dataDir)
	log.Info("serving", "agency", g.agency, "addr", ln.Addr().String(), "data", g.dataDir, "embedded_db", e.cluster != nil)

	jobs, stopJobs := context.WithCancel(ctx)
	defer stopJobs()
	go e.retentionJob(jobs, *purgeEvery)
	go func() { _ = hits.Run(jobs) }()

	errc := make(chan error, 1)
	go func() { errc <- srv.ServeTLS(ln, "", "") }()
	select {
	case err := <-errc:
		return fmt.Errorf("serve: %w", err)
	case <-ctx.Done():
	}
	log.Info("shutting down")
	shut, cancel := context.WithTimeout(context.WithoutCancel(ctx), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shut); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return fmt.Errorf("shut down: %w", err)
	}
	return nil
}

// retentionJob purges past retention every interval, first a minute after start (IV.A), and
// keeps the coming months' partitions made.
func (e *env) retentionJob(ctx context.Context, every time.Duration) {
	t := time.NewTimer(time.Minute)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		if err := e.db.EnsurePartitions(ctx); err != nil {
			e.log.Error("retention: make partitions", "err", err)
		}
		rep, err := e.db.Purge(ctx, false)
		if err != nil {
			e.log.Error("retention: purge", "err", err)
		} else {
			e.log.Info("retention: purged", "cutoff", rep.Cutoff, "partitions", rep.Partitions,
				"detections", rep.DetectionsRemoved, "evidence_moved", rep.EvidenceMoved, "images", rep.ImagesRemoved,
				"keys", rep.KeysRemoved)
		}
		t.Reset(every)
	}
}

// demoSetup registers a demo car with its bundle and a demo operator on a server that has no
// vehicles yet, and says how to point a car at the server.
func (e *env) demoSetup(ctx context.Context) error {
	vs, err := e.db.Vehicles(ctx, e.g.agency)
	if err != nil || len(vs) > 0 {
		return err
	}
	dir := filepath.Join(e.g.dataDir, "cars", demoCar)
	if err := e.addVehicle(ctx, postgres.Vehicle{Agency: e.g.agency, Number: demoCar, Kind: pki.KindCar}, dir); err != nil {
		return err
	}
	if err := e.db.PutOperator(ctx, postgres.Operator{Agency: e.g.agency, ID: demoOperator, Name: demoOperatorName,
		Active: true, TrainedOn: time.Now()}, e.actor); err != nil {
		return err
	}
	fmt.Fprintf(e.out, "first start: registered demo car %s (bundle in %s) and operator %s (%s)\n",
		demoCar, dir, demoOperator, demoOperatorName)
	return nil
}

// addVehicle registers a vehicle, issues its certificate and writes its bundle to dir.
func (e *env) addVehicle(ctx context.Context, v postgres.Vehicle, dir string) error {
	if _, err := os.Stat(filepath.Join(dir, "car.key")); err == nil {
		return fmt.Errorf("%s already holds a car key: choose another -out, or revoke and remove it first", dir)
	}
	if err := e.db.PutVehicle(ctx, v); err != nil {
		return err
	}
	b, err := e.ca.IssueVehicle(e.g.agency, v.Number, v.Kind, 2*365*24*time.Hour)
	if err != nil {
		return err
	}
	if err := b.WriteDir(dir, pki.CreateOnly); err != nil {
		return err
	}
	return e.db.AddCertificate(ctx, postgres.Certificate{Agency: e.g.agency, Serial: b.Serial, Vehicle: v.Number,
		IssuedAt: time.Now(), NotAfter: b.NotAfter}, e.actor)
}

// certSource hands out the server's certificate and renews it once a day while the server
// runs, so one that runs for a year never serves an expired certificate.
type certSource struct {
	ca    *pki.CA
	dir   string
	hosts []string
	log   *slog.Logger

	mu      sync.Mutex
	cert    tls.Certificate
	checked time.Time
}

func newCertSource(ca *pki.CA, dir string, hosts []string, log *slog.Logger) (*certSource, error) {
	s := &certSource{ca: ca, dir: dir, hosts: hosts, log: log}
	cert, err := ca.ServerCertificate(dir, hosts)
	if err != nil {
		return nil, err
	}
	s.cert, s.checked = cert, time.Now()
	return s, nil
}

func (s *certSource) current() tls.Certificate {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cert
}

func (s *certSource) get(*tls.ClientHelloInfo) (*tls.Certificate, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if time.Since(s.checked) > 24*time.Hour {
		s.checked = time.Now()
		if cert, err := s.ca.ServerCertificate(s.dir, s.hosts); err != nil {
			s.log.Error("renew server certificate", "err", err) // keep serving the one we have
		} else {
			s.cert = cert
		}
	}
	return &s.cert, nil
}

// maxReadFrameSize is the largest HTTP/2 frame the server accepts: the protocol's default.
// Each connection keeps a read buffer as large as the largest frame it has received, and Go's
// client sends a batch's body in frames of up to 512 kB when allowed to; with Go's server
// default of 1 MB, 500 cars' connections held 215 MB of such buffers (a heap profile under
// `make loadtest`), most of the server's memory.
const maxReadFrameSize = 16 << 10

// newHTTPServer is the server for the cars' API and the desk, its timeouts and HTTP/2 limits.
func newHTTPServer(ctx context.Context, handler http.Handler, tlsConfig *tls.Config, log *slog.Logger) *http.Server {
	return &http.Server{
		Handler:           handler,
		TLSConfig:         tlsConfig,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       2 * time.Minute,
		WriteTimeout:      2 * time.Minute,
		IdleTimeout:       2 * time.Minute,
		HTTP2:             &http.HTTP2Config{MaxReadFrameSize: maxReadFrameSize},
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelDebug),
		BaseContext:       func(net.Listener) context.Context { return ctx },
	}
}
