package httpapi

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"runtime"
	"time"

	"patrol-alpr/server/pki"
	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

// Store is what the API needs of the database.
type Store interface {
	Ingest(ctx context.Context, agency string, b wire.Batch) (wire.Reply, []postgres.Sighting, error)
	CheckCertificate(ctx context.Context, agency, serial, vehicle string) error
	Lists(ctx context.Context, agency string) ([]wire.ListInfo, error)
	ListFile(ctx context.Context, agency, name string) (wire.ListInfo, []byte, error)
	Ping(ctx context.Context) error
	EventsAfter(ctx context.Context, agency, vehicle string, after int64, window time.Duration) ([]postgres.Event, error)
	SetPosition(ctx context.Context, agency, vehicle string, p wire.Position) error
	SearchNetwork(ctx context.Context, agency, via string, q wire.SearchRequest) (wire.SearchReply, error)
	ShiftDetections(ctx context.Context, agency, vehicle, operator string, from time.Time) ([]string, error)
	CarRoster(ctx context.Context, agency string) ([]wire.RosterEntry, error)
}

// Sightings takes the detections a batch filed for the first time, to match them across the
// network (network.Network).
type Sightings interface {
	Sighted(ctx context.Context, seen []postgres.Sighting)
}

// Events opens a stream of a car's events as they are stored (network.Broker).
type Events interface {
	Subscribe(agency, vehicle string) (<-chan postgres.Event, func())
}

// Server serves the API.
type Server struct {
	store   Store
	log     *slog.Logger
	metrics *Metrics
	slots   chan struct{} // one per batch being read or filed
	filing  chan struct{} // one per batch in the database
	wait    time.Duration // how long a batch may wait for a slot before the server says it is busy
	retry   time.Duration // what Retry-After says then
	seen    Sightings
	events  Events
	alive   time.Duration // between keep-alive comments on an event stream
}

// Options tune the server; zero values take the defaults.
type Options struct {
	MaxInFlight int // batches read or filed at once; default 32
	// Filers is how many batches are in the database at once; the rest wait their turn
	// (within MaxInFlight). PostgreSQL files a batch fastest when it is not made to switch
	// between more writers than it has cores: on two cores, four writers kept p99 at a
	// third of forty's. Default 2 × GOMAXPROCS, at least 2.
	Filers     int
	QueueWait  time.Duration // default 250 ms
	RetryAfter time.Duration // default 2 s
	Sightings  Sightings     // nil: no network matching
	Events     Events        // nil: the events stream is not served
	KeepAlive  time.Duration // default 15 s
}

// New makes a server over store.
func New(store Store, log *slog.Logger, m *Metrics, opt Options) *Server {
	if opt.MaxInFlight <= 0 {
		opt.MaxInFlight = 32
	}
	if opt.Filers <= 0 {
		opt.Filers = max(2, 2*runtime.GOMAXPROCS(0))
	}
	if opt.QueueWait <= 0 {
		opt.QueueWait = 250 * time.Millisecond
	}
	if opt.RetryAfter <= 0 {
		opt.RetryAfter = 2 * time.Second
	}
	if opt.KeepAlive <= 0 {
		opt.KeepAlive = 15 * time.Second
	}
	return &Server{store: store, log: log, metrics: m, slots: make(chan struct{}, opt.MaxInFlight),
		filing: make(chan struct{}, opt.Filers),
		wait:   opt.QueueWait, retry: opt.RetryAfter, seen: opt.Sightings, events: opt.Events, alive: opt.KeepAlive}
}

// Handler routes the API.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle("POST "+wire.SyncPath, s.vehicleOnly(s.sync))
	mux.Handle("GET "+wire.ListsPath, s.vehicleOnly(s.listIndex))
	mux.Handle("GET "+wire.ListsPath+"/{name}", s.vehicleOnly(s.listFile))
	mux.Handle("GET "+wire.EventsPath, s.vehicleOnly(s.eventStream))
	mux.Handle("POST "+wire.PositionPath, s.vehicleOnly(s.position))
	mux.Handle("POST "+wire.SearchPath, s.vehicleOnly(s.search))
	mux.Handle("GET "+wire.ShiftCheckPath, s.vehicleOnly(s.shiftCheck))
	mux.Handle("GET "+wire.RosterPath, s.vehicleOnly(s.roster))
	mux.HandleFunc("GET "+wire.HealthPath, s.health)
	mux.Handle("GET "+wire.MetricsPath, s.metrics.Handler())
	return mux
}

type vehicleHandler func(w http.ResponseWriter, r *http.Request, id pki.Identity)

// vehicleOnly admits a request that presents a valid, unrevoked certificate of the agency's
// CA; the TLS layer has verified the chain already.
func (s *Server) vehicleOnly(h vehicleHandler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		id, ok := pki.IdentityOf(r.TLS)
		if !ok {
			problem(w, http.StatusUnauthorized, "a vehicle certificate of the agency is required")
			return
		}
		if err := s.store.CheckCertificate(r.Context(), id.Agency, id.Serial, id.Vehicle); err != nil {
			s.log.Warn("certificate refused", "agency", id.Agency, "vehicle", id.Vehicle, "serial", id.Serial, "err", err)
			status, msg := statusOf(err)
			problem(w, status, msg)
			return
		}
		h(w, r, id)
	})
}

func (s *Server) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if err := s.store.Ping(ctx); err != nil {
		s.log.Error("health check", "err", err)
		problem(w, http.StatusServiceUnavailable, "database unavailable")
		return
	}
	w.Header().Set("Content-Type", "text/plain; charset=utf-8")
	_, _ = w.Write([]byte("ok\n"))
}

// problem answers with a status and a short sentence.
func problem(w http.ResponseWriter, status int, msg string) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(wire.Problem{Error: msg})
}

func writeJSON(w http.ResponseWriter, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_ = json.NewEncoder(w).Encode(v)
}
