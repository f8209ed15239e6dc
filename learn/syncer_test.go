package learn

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
	"patrol-alpr/wire"
)

// agencyServer is a loopback stand-in for the LEARN server's sync endpoint: it stores each
// key once, and can be told to fail or to lose its reply after storing.
type agencyServer struct {
	mu        sync.Mutex
	stored    map[string]int // key -> times received
	failNext  int            // answer 503 to this many requests
	dropReply int            // store, then drop the reply, for this many requests
}

func (s *agencyServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path != SyncPath || r.Method != http.MethodPost {
		http.NotFound(w, r)
		return
	}
	if r.Header.Get("Content-Type") != wire.BatchContentType {
		http.Error(w, "not a framed batch", http.StatusUnsupportedMediaType)
		return
	}
	b, err := wire.DecodeFramedBatch(r.Body)
	if err != nil {
		http.Error(w, err.Error(), http.StatusBadRequest)
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failNext > 0 {
		s.failNext--
		http.Error(w, "database unavailable", http.StatusServiceUnavailable)
		return
	}
	var r2 Reply
	for _, it := range b.Items {
		s.stored[it.Key]++
		r2.Stored = append(r2.Stored, it.Key)
	}
	if s.dropReply > 0 {
		s.dropReply--
		hj, _ := w.(http.Hijacker)
		conn, _, _ := hj.Hijack()
		conn.Close()
		return
	}
	_ = json.NewEncoder(w).Encode(r2)
}

func (s *agencyServer) distinct() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.stored)
}

func openStore(t *testing.T) *store.DB {
	t.Helper()
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "car.db"), store.Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

func saveDetections(t *testing.T, db *store.DB, n int) {
	t.Helper()
	for i := 0; i < n; i++ {
		d := alpr.Detection{Camera: alpr.Cam1, SeenAt: time.Now(), Plate: "TST" + string(rune('A'+i%26)) + "12", Confidence: 0.9}
		if err := db.SaveDetection(context.Background(), &d); err != nil {
			t.Fatal(err)
		}
	}
}

func TestSyncDeliversEachItemOnceAndDrainsOutbox(t *testing.T) {
	tests := []struct {
		name      string
		failNext  int
		dropReply int
		rounds    int
	}{
		{name: "healthy server", rounds: 1},
		{name: "server down then back", failNext: 2, rounds: 3},
		{name: "reply lost after store", dropReply: 1, rounds: 2},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx := context.Background()
			db := openStore(t)
			saveDetections(t, db, 25)
			srv := &agencyServer{stored: map[string]int{}, failNext: tt.failNext, dropReply: tt.dropReply}
			hs := httptest.NewServer(srv)
			defer hs.Close()
			s := &Syncer{Outbox: db, Sender: Client{BaseURL: hs.URL}, Vehicle: func() string { return "2317" }, Batch: 10}
			for i := 0; i < tt.rounds; i++ {
				_ = s.SyncOnce(ctx)
			}
			if err := s.SyncOnce(ctx); err != nil {
				t.Fatalf("final sync: %v", err)
			}
			left, err := db.PendingOutbox(ctx, 100)
			if err != nil {
				t.Fatal(err)
			}
			if len(left) != 0 {
				t.Errorf("outbox still holds %d items after sync", len(left))
			}
			if got := srv.distinct(); got < 25 {
				t.Errorf("server holds %d distinct items, want at least the 25 detections", got)
			}
			if ok, reason := s.Status(); !ok {
				t.Errorf("Status() = red %q after a good sync", reason)
			}
		})
	}
}

// TestHealth walks the LEARN light through its states on a hand-moved clock: amber with the
// backlog while the server refuses for less than two minutes, red with the reason after,
// green once everything is on the server, and the warning of a large outbox.
func TestHealth(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	saveDetections(t, db, 3)

	noServer := &Syncer{Outbox: db}
	if h := noServer.Health(); h.State != Failing || !strings.Contains(h.Reason, "no LEARN server") {
		t.Errorf("no server: %+v", h)
	}

	srv := &agencyServer{stored: map[string]int{}, failNext: 100}
	hs := httptest.NewServer(srv)
	defer hs.Close()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	s := &Syncer{Outbox: db, Sender: Client{BaseURL: hs.URL}, Vehicle: func() string { return "2317" }, Now: func() time.Time { return now },
		Jitter: func() float64 { return 0.5 }}
	steps := []struct {
		name    string
		advance time.Duration
		fix     bool // the server stops failing before this step
		state   State
		reason  string
	}{
		{name: "first refusal", state: CatchingUp, reason: "3 waiting; retrying: server busy (503)"},
		{name: "a minute of refusals", advance: time.Minute, state: CatchingUp, reason: "catching up: 3 waiting"},
		{name: "over two minutes", advance: 61 * time.Second, state: Failing, reason: "never synced in 2m1s: server busy (503)"},
		{name: "server back", advance: time.Second, fix: true, state: Synced, reason: "synced"},
	}
	for _, st := range steps {
		now = now.Add(st.advance)
		if st.fix {
			srv.mu.Lock()
			srv.failNext = 0
			srv.mu.Unlock()
		}
		_ = s.SyncOnce(ctx)
		if h := s.Health(); h.State != st.state || !strings.Contains(h.Reason, st.reason) {
			t.Errorf("%s: Health() = %+v, want %v containing %q", st.name, h, st.state, st.reason)
		}
	}
	if n := srv.distinct(); n < 3 {
		t.Fatalf("server holds %d keys, want the 3 detections and their audit entries", n)
	}

	s.SetOffline(true)
	if h := s.Health(); h.State != Failing || h.Reason != "server offline" {
		t.Errorf("offline: %+v", h)
	}
	s.SetOffline(false)

	saveDetections(t, db, 3)
	s.Sender = Client{BaseURL: "http://127.0.0.1:1"} // nothing listens: the items wait
	s.WarnBacklog = 2
	_ = s.SyncOnce(ctx)
	if h := s.Health(); h.State != CatchingUp || !strings.Contains(h.Reason, "outbox holds 3 items (warning above 2)") {
		t.Errorf("large outbox: %+v", h)
	}
}

// TestBackoff: each failure doubles the wait (with jitter) up to MaxBackoff, a busy server's
// Retry-After is honoured, and a success resets the wait.
func TestBackoff(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	saveDetections(t, db, 1)
	busy := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Retry-After", "45")
		http.Error(w, "busy", http.StatusTooManyRequests)
	})
	down := httptest.NewServer(&agencyServer{stored: map[string]int{}, failNext: 1 << 30})
	defer down.Close()
	slow := httptest.NewServer(busy)
	defer slow.Close()
	now := time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	jitter := 0.0
	s := &Syncer{Outbox: db, Sender: Client{BaseURL: down.URL}, Every: 10 * time.Second, MaxBackoff: time.Minute,
		Now: func() time.Time { return now }, Jitter: func() float64 { return jitter }}
	tests := []struct {
		jitter float64
		url    string
		want   time.Duration
	}{
		{0.5, down.URL, 10 * time.Second},  // first failure: Every
		{0.5, down.URL, 20 * time.Second},  // doubles
		{0.0, down.URL, 20 * time.Second},  // 40 s at the low end of the jitter (50 %)
		{0.99, down.URL, 89 * time.Second}, // capped at a minute, then up to 150 %
		{0.0, slow.URL, 45 * time.Second},  // the server's Retry-After beats a shorter back-off
	}
	for i, tc := range tests {
		jitter = tc.jitter
		s.Sender = Client{BaseURL: tc.url}
		if err := s.SyncOnce(ctx); err == nil {
			t.Fatalf("attempt %d succeeded", i)
		}
		if got := s.NextAttempt().Sub(now); got.Round(time.Second) != tc.want {
			t.Errorf("attempt %d: next try in %s, want %s", i, got, tc.want)
		}
	}
}

func TestRunStopsOnCancel(t *testing.T) {
	db := openStore(t)
	hs := httptest.NewServer(&agencyServer{stored: map[string]int{}})
	defer hs.Close()
	s := &Syncer{Outbox: db, Sender: Client{BaseURL: hs.URL}, Every: time.Millisecond}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- s.Run(ctx) }()
	time.Sleep(20 * time.Millisecond)
	cancel()
	select {
	case err := <-done:
		if err != context.Canceled {
			t.Errorf("Run() = %v, want context.Canceled", err)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Run did not stop after cancel")
	}
}
