package faulttest

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"strconv"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/learn"
	"patrol-alpr/store"
	"patrol-alpr/wire"
)

// The car program's settings travel in the environment of the re-run test binary.
const (
	envCarStore  = "FAULTTEST_CAR_STORE"  // the car's SQLite file; set only in the car process
	envCarURL    = "FAULTTEST_CAR_URL"    // the server as the car sees it: the proxy
	envCarBundle = "FAULTTEST_CAR_BUNDLE" // the car's certificate bundle
	envCarCount  = "FAULTTEST_CAR_COUNT"  // detections the car makes in all, across its restarts
	envCarEvents = "FAULTTEST_CAR_EVENTS" // a file the car appends what it saw to
)

// Car settings: a detection every few milliseconds, and a syncer that tries often so that
// many batches are in flight when something is killed.
const (
	carVehicle   = "2317" // the server's demo car
	carOperator  = "1001" // the server's demo operator
	imageBytes   = 15 << 10
	detectionGap = 40 * time.Millisecond
	carLifetime  = 100 * time.Second // a car process never outlives the test
)

// runCar is the car process: it makes detections with their images until the store holds
// the number asked for (a restarted car carries on where the killed one stopped), lets
// learn.Syncer drain the outbox to the server meanwhile, and exits 0 once the outbox is empty.
func runCar() int {
	ctx, cancel := context.WithTimeout(context.Background(), carLifetime)
	defer cancel()
	if err := car(ctx); err != nil {
		fmt.Fprintln(os.Stderr, "car:", err)
		return 1
	}
	return 0
}

func car(ctx context.Context) error {
	want, err := strconv.ParseInt(os.Getenv(envCarCount), 10, 64)
	if err != nil {
		return fmt.Errorf("%s: %w", envCarCount, err)
	}
	events, err := os.OpenFile(os.Getenv(envCarEvents), os.O_WRONLY|os.O_APPEND|os.O_CREATE, 0o600)
	if err != nil {
		return err
	}
	defer events.Close()
	db, err := store.Open(ctx, os.Getenv(envCarStore), store.Options{PINIterations: 1000})
	if err != nil {
		return err
	}
	defer db.Close()
	tlsCfg, err := learn.LoadBundle(os.Getenv(envCarBundle))
	if err != nil {
		return err
	}
	client := learn.NewClient(os.Getenv(envCarURL), tlsCfg)
	client.HTTP.Timeout = 10 * time.Second
	client.HTTP.Transport = replyWatch{next: client.HTTP.Transport, events: events}
	s := &learn.Syncer{Outbox: db, Sender: client, Vehicle: func() string { return carVehicle },
		Every: 100 * time.Millisecond, MaxBackoff: 800 * time.Millisecond, Batch: 10}
	syncing, stop := context.WithCancel(ctx)
	defer stop()
	go func() { _ = s.Run(syncing) }()

	made, err := db.CountDetections(ctx)
	if err != nil {
		return err
	}
	for ; made < want; made++ {
		d := alpr.Detection{Camera: alpr.Cam1, SeenAt: time.Now(), Plate: fmt.Sprintf("7FT%04d", made),
			Confidence: 0.9, PlateJPEG: noise(imageBytes), SceneJPEG: noise(imageBytes)}
		if err := db.SaveDetection(ctx, &d); err != nil {
			return err
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(detectionGap):
		}
	}
	fmt.Fprintf(events, "made %d\n", made)
	for {
		n, err := db.OutboxLen(ctx)
		if err != nil {
			return err
		}
		if n == 0 {
			return nil
		}
		select {
		case <-ctx.Done():
			return fmt.Errorf("%d items still in the outbox: %w (%s)", n, ctx.Err(), s.Health().Reason)
		case <-time.After(20 * time.Millisecond):
		}
	}
}

func noise(n int) []byte {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return b
}

// replyWatch notes every reply the car receives in the events file ("reply STORED
// DUPLICATES"), without changing it: a reply naming keys the server had stored before shows
// that an earlier reply was lost after the server committed.
type replyWatch struct {
	next   http.RoundTripper
	events io.Writer
}

func (w replyWatch) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := w.next.RoundTrip(r)
	if err != nil || resp.StatusCode != http.StatusOK || r.URL.Path != wire.SyncPath {
		return resp, err
	}
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	if err != nil {
		return nil, err
	}
	var rep wire.Reply
	if json.Unmarshal(body, &rep) == nil {
		fmt.Fprintf(w.events, "reply %d %d\n", len(rep.Stored), rep.Duplicates)
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	return resp, nil
}
