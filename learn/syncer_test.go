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
	var b Batch
	if err := json.NewDecoder(r.Body).Decode(&b); err != nil {
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

func TestStatusReasons(t *testing.T) {
	ctx := context.Background()
	db := openStore(t)
	saveDetections(t, db, 1)

	noServer := &Syncer{Outbox: db}
	if ok, reason := noServer.Status(); ok || !strings.Contains(reason, "no LEARN server") {
		t.Errorf("no server: Status() = %v %q", ok, reason)
	}

	hs := httptest.NewServer(&agencyServer{stored: map[string]int{}, failNext: 1})
	defer hs.Close()
	s := &Syncer{Outbox: db, Sender: Client{BaseURL: hs.URL}}
	if err := s.SyncOnce(ctx); err == nil {
		t.Fatal("SyncOnce against a failing server returned nil")
	}
	if ok, reason := s.Status(); ok || !strings.Contains(reason, "503") {
		t.Errorf("after refusal: Status() = %v %q, want red naming the 503", ok, reason)
	}

	s.SetOffline(true)
	if ok, reason := s.Status(); ok || reason != "server offline" {
		t.Errorf("offline: Status() = %v %q", ok, reason)
	}
	s.SetOffline(false)
	if err := s.SyncOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if ok, _ := s.Status(); !ok {
		t.Error("not green after recovering")
	}

	now := time.Now().Add(10 * time.Minute)
	s.Now = func() time.Time { return now }
	if ok, reason := s.Status(); ok || !strings.Contains(reason, "no sync for") {
		t.Errorf("stale: Status() = %v %q", ok, reason)
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
