package faulttest

import (
	"bufio"
	"context"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/server/pgcluster/pgtest"
	"patrol-alpr/server/postgres"
	"patrol-alpr/store"
)

var dsn string

// TestMain is also the car program's entry when the test binary is run again as the car.
func TestMain(m *testing.M) {
	if os.Getenv(envCarStore) != "" {
		os.Exit(runCar())
	}
	pgtest.Main(m, &dsn)
}

// Bounds of the test.
const (
	detections  = 300
	serverKills = 5
	carKills    = 3
	faultsFor   = 40 * time.Second // at most, once the kill quotas are met, while the car still makes detections
	testLimit   = 110 * time.Second
)

// TestExactlyOnceUnderFaults: a car syncs 300 detections with their images to the real
// server through a proxy that cuts connections mid-request and drops replies after the
// server committed; the server is SIGKILLed mid-batch again and again and restarted on the
// same database, and the car process is SIGKILLed mid-sync and restarted on the same store.
// Afterwards the server holds every detection and image exactly once and the car's outbox
// is empty.
func TestExactlyOnceUnderFaults(t *testing.T) {
	if testing.Short() {
		t.Skip("builds the server and runs processes for half a minute")
	}
	ctx, cancel := context.WithTimeout(context.Background(), testLimit)
	defer cancel()
	seed := uint64(time.Now().UnixNano())
	t.Logf("seed %d", seed)
	rng := rand.New(rand.NewPCG(seed, 1))
	dir := t.TempDir()
	logf, err := os.Create(filepath.Join(dir, "processes.log"))
	if err != nil {
		t.Fatal(err)
	}
	defer logf.Close()
	t.Cleanup(func() {
		if t.Failed() {
			tailLog(t, logf.Name())
		}
	})

	// An agency of its own: on first start the server registers its demo car and operator in it.
	agency := fmt.Sprintf("FT%08X", rng.Uint32())
	srv := &serverProcess{bin: buildServer(t), dataDir: filepath.Join(dir, "server"), dsn: dsn, agency: agency, log: logf}
	if err := srv.start(ctx); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.kill)
	proxy := newCuttingProxy(t, seed)
	proxy.setUpstream(srv.addr)

	carStore := filepath.Join(dir, "car.db")
	prepareCar(t, carStore)
	events := filepath.Join(dir, "car-events")
	car := &carProcess{log: logf, env: []string{
		envCarStore + "=" + carStore,
		envCarURL + "=https://" + proxy.addr(),
		envCarBundle + "=" + filepath.Join(srv.dataDir, "cars", carVehicle),
		envCarCount + "=" + fmt.Sprint(detections),
		envCarEvents + "=" + events,
	}}
	if err := car.start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(car.kill)

	// Faults until both kill quotas are met and the car has made every detection (or, on a
	// slow machine, for faultsFor).
	faultsUntil := time.Now().Add(faultsFor)
	between := func(lo, hi time.Duration) time.Time {
		return time.Now().Add(lo + time.Duration(rng.Int64N(int64(hi-lo))))
	}
	nextServerKill, nextCarKill := between(700*time.Millisecond, 1500*time.Millisecond), between(2*time.Second, 4*time.Second)
	for srv.kills < serverKills || car.kills < carKills || !madeAll(events) && time.Now().Before(faultsUntil) {
		if ctx.Err() != nil {
			t.Fatalf("faults not done in %s: server killed %d times, car %d times, car done making: %t",
				testLimit, srv.kills, car.kills, madeAll(events))
		}
		if car.done() {
			break // finished before the quotas: the counts below say so
		}
		now := time.Now()
		if now.After(nextServerKill) {
			proxy.uploading(2 * time.Second)
			time.Sleep(time.Duration(rng.Int64N(int64(25 * time.Millisecond)))) // somewhere in the batch: reading, filing, committing, answering
			srv.kill()
			if err := srv.start(ctx); err != nil {
				t.Fatal(err)
			}
			proxy.setUpstream(srv.addr)
			nextServerKill = between(700*time.Millisecond, 1500*time.Millisecond)
		}
		if now.After(nextCarKill) {
			car.kill()
			if err := car.start(); err != nil {
				t.Fatal(err)
			}
			nextCarKill = between(2*time.Second, 4*time.Second)
		}
		time.Sleep(10 * time.Millisecond)
	}
	// Then a calm network, so the test ends soon: the car sends what is left and exits.
	proxy.faults.Store(false)
	if err := car.wait(ctx); err != nil {
		t.Fatalf("the car did not finish: %v", err)
	}

	db, err := postgres.Open(ctx, dsn, 2)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	c, err := db.Count(ctx, agency)
	if err != nil {
		t.Fatal(err)
	}
	left, made := carOutbox(t, carStore)
	replies, dups := replyEvents(t, events)
	summary := fmt.Sprintf("faulttest: server holds %d detections (%d duplicate UUIDs, %d missing an image), %d images; "+
		"car made %d, outbox %d; server killed %d times, car %d times; proxy cut %d requests and %d replies; "+
		"%d replies, %d of their keys already stored (a reply lost after the commit)",
		c.Detections, c.DuplicateUUIDs, c.IncompleteImages, c.Images, made, left, srv.kills, car.kills,
		proxy.cutRequests.Load(), proxy.cutReplies.Load(), replies, dups)
	t.Log(summary)
	fmt.Println(summary)

	if c.Detections != detections || c.DuplicateUUIDs != 0 || c.IncompleteImages != 0 || c.Images != 2*detections {
		t.Errorf("server holds %+v; want %d detections, each once, with %d images", c, detections, 2*detections)
	}
	if made != detections || left != 0 {
		t.Errorf("car made %d detections and has %d items unsent; want %d and 0", made, left, detections)
	}
	if srv.kills < serverKills || car.kills < carKills {
		t.Errorf("server killed %d times, car %d times; want at least %d and %d", srv.kills, car.kills, serverKills, carKills)
	}
	if proxy.cutRequests.Load() == 0 || proxy.cutReplies.Load() == 0 || dups == 0 {
		t.Errorf("faults not exercised: %d requests cut, %d replies cut, %d keys found stored on resend",
			proxy.cutRequests.Load(), proxy.cutReplies.Load(), dups)
	}
}

// prepareCar makes the car's store with the server's demo operator signed in to a shift in
// the demo car, as at the start of a tour.
func prepareCar(t *testing.T, path string) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{PINIterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if err := db.PutOperator(ctx, alpr.Operator{ID: carOperator, Name: "Demo Officer", Role: alpr.RoleOperator,
		TrainedAt: time.Now(), CertifiedAt: time.Now()}, "482916"); err != nil {
		t.Fatal(err)
	}
	if _, err := db.StartShift(ctx, carOperator, carVehicle); err != nil {
		t.Fatal(err)
	}
}

// carOutbox reads what the car's store holds once the car has exited.
func carOutbox(t *testing.T, path string) (left, made int64) {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{PINIterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if left, err = db.OutboxLen(ctx); err != nil {
		t.Fatal(err)
	}
	if made, err = db.CountDetections(ctx); err != nil {
		t.Fatal(err)
	}
	return left, made
}

// madeAll reports whether the car has written that it made every detection.
func madeAll(events string) bool {
	b, _ := os.ReadFile(events)
	return strings.Contains(string(b), fmt.Sprintf("made %d\n", detections))
}

// replyEvents sums the replies the car received and the keys in them the server had stored
// before.
func replyEvents(t *testing.T, events string) (replies, dups int) {
	t.Helper()
	f, err := os.Open(events)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		var stored, d int
		if _, err := fmt.Sscanf(sc.Text(), "reply %d %d", &stored, &d); err == nil {
			replies++
			dups += d
		}
	}
	return replies, dups
}

// tailLog shows the end of the processes' log when the test failed.
func tailLog(t *testing.T, path string) {
	b, err := os.ReadFile(path)
	if err != nil {
		return
	}
	if len(b) > 6000 {
		b = b[len(b)-6000:]
	}
	t.Logf("the end of the server's and the car's log:\n%s", b)
}
