package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/user"
	"path/filepath"
	"time"

	"patrol-alpr/server/pgcluster"
	"patrol-alpr/server/pki"
	"patrol-alpr/server/postgres"
)

// globals are the settings every command shares; each may also come from the environment.
type globals struct {
	dataDir    string
	dsn        string
	agency     string
	agencyName string
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.dataDir, "data", envOr("PATROL_ALPR_SERVER_DATA", defaultDataDir()),
		"data directory: the agency CA, car bundles, and the embedded PostgreSQL cluster when -dsn is empty")
	fs.StringVar(&g.dsn, "dsn", os.Getenv("PATROL_ALPR_SERVER_DSN"),
		"PostgreSQL address (e.g. postgres://alpr@db.example/alpr); empty: a cluster of our own under -data")
	fs.StringVar(&g.agency, "agency", envOr("PATROL_ALPR_AGENCY", "DEMO"), "the agency's identifier (its ORI, say)")
	fs.StringVar(&g.agencyName, "agency-name", envOr("PATROL_ALPR_AGENCY_NAME", "Demo Police Department"), "the agency's name")
}

func envOr(key, def string) string {
	if v := os.Getenv(key); v != "" {
		return v
	}
	return def
}

// defaultDataDir: a service's place when run as root (reachable by the postgres account the
// embedded cluster runs as), else the user's data folder.
func defaultDataDir() string {
	if os.Geteuid() == 0 {
		return "/var/lib/patrol-alpr-server"
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "patrol-alpr-server")
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "patrol-alpr-server-data"
	}
	return filepath.Join(home, ".local", "share", "patrol-alpr-server")
}

// env is an opened server: its database (and cluster), its CA and its log.
type env struct {
	g       globals
	log     *slog.Logger
	out     io.Writer
	cluster *pgcluster.Cluster // nil when -dsn names a database
	db      *postgres.DB
	ca      *pki.CA
	actor   string // who runs the command, for the server's audit
}

// embeddedSettings size the embedded cluster for what the server writes: about 15 MB/s of
// images at 500 cars. With PostgreSQL's defaults (max_wal_size 1 GB) that WAL forced a
// checkpoint every 29 s, each followed by full-page images of every page touched again, and
// the 4 MB of WAL buffers filled between flushes. A checkpoint every 15 minutes at most,
// 64 MB of WAL buffers, 256 MB of shared buffers. Backends that write out pages ask the
// kernel to flush them every 512 kB (backend_flush_after): otherwise the images evicted from
// shared buffers pile up in the page cache until the kernel's 30 s writeback flushes them all
// at once, and the commits' WAL fsyncs queue behind that burst (p99 by 10 s of a run rose to
// 0.2-0.5 s every 30 s at 500 cars sending each detection alone; with the setting no 10 s
// window after the first passed 118 ms). Durability is untouched: fsync and
// synchronous_commit stay on, so an acknowledged batch survives a crash of the machine.
var embeddedSettings = map[string]string{
	"shared_buffers":      "256MB",
	"wal_buffers":         "64MB",
	"max_wal_size":        "8GB",
	"min_wal_size":        "1GB",
	"checkpoint_timeout":  "15min",
	"backend_flush_after": "512kB",
}

// open makes the data directory, starts the embedded cluster when no DSN is given, opens and
// migrates the database, makes sure the agency exists, and loads or creates its CA.
func open(ctx context.Context, g globals, out io.Writer, log *slog.Logger, maxConns int32) (*env, error) {
	e := &env{g: g, log: log, out: out, actor: actor()}
	if err := os.MkdirAll(g.dataDir, 0o755); err != nil {
		return nil, fmt.Errorf("make data directory: %w", err)
	}
	dsn := g.dsn
	if dsn == "" {
		c, err := pgcluster.Start(ctx, filepath.Join(g.dataDir, "pg"), pgcluster.Options{Settings: embeddedSettings})
		if err != nil {
			return nil, fmt.Errorf("start the embedded PostgreSQL: %w", err)
		}
		e.cluster = c
		if err := c.CreateDatabase(ctx, "alpr"); err != nil {
			e.close(ctx)
			return nil, err
		}
		dsn = c.DSN("alpr")
	}
	db, err := postgres.Open(ctx, dsn, maxConns)
	if err != nil {
		e.close(ctx)
		return nil, err
	}
	e.db = db
	if err := db.PutAgency(ctx, postgres.Agency{ID: g.agency, Name: g.agencyName}); err != nil {
		e.close(ctx)
		return nil, err
	}
	// One CA per server: made for the first agency served, it signs the cars of every agency
	// of the network, each certificate naming its agency.
	caDir := filepath.Join(g.dataDir, "ca")
	caAgency := g.agency
	if _, err := os.Stat(filepath.Join(caDir, "ca.crt")); err == nil {
		caAgency = ""
	}
	if e.ca, err = pki.LoadOrCreateCA(caDir, caAgency, time.Now); err != nil {
		e.close(ctx)
		return nil, err
	}
	return e, nil
}

// close closes the database. The embedded cluster keeps running when another command
// (a running server) uses it; serve stops it on its way out.
func (e *env) close(ctx context.Context) {
	if e.db != nil {
		e.db.Close()
	}
	if e.cluster != nil && !e.cluster.Attached() {
		if err := e.cluster.Stop(ctx); err != nil && !errors.Is(err, pgcluster.ErrNotRunning) {
			e.log.Warn("stop PostgreSQL", "err", err)
		}
	}
}

func actor() string {
	if u, err := user.Current(); err == nil {
		return "cli:" + u.Username
	}
	return "cli"
}
