package loadtest

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"patrol-alpr/learn"
	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

// Network hits (issue 19): a few detections carry a plate on the agency's hot list; the
// server pushes each to the agency's other cars within 15 km over their event streams, and
// the time from the car sending the detection to each car receiving the hit is measured.
const (
	hotList    = "LOADHOT"
	hotPlates  = 1000
	hotOneIn   = 300 // one detection in this many is a hot plate (~1.7 a second at 500 cars)
	homeSpread = 1.0 // degrees: the fleet's home positions spread over about 110 x 90 km
)

func hotPlate(n int) string { return fmt.Sprintf("9HOT%03d", n%hotPlates) }

// importHotList gives the agency the list the hot plates are on.
func importHotList(ctx context.Context, db *postgres.DB, agency string) error {
	var b strings.Builder
	for i := range hotPlates {
		fmt.Fprintf(&b, "%s;CA\n", hotPlate(i))
	}
	_, err := db.PutList(ctx, postgres.List{Agency: agency, ListInfo: wire.ListInfo{Name: hotList, Format: "plate-state",
		Kind: "general", Priority: 90, Entries: hotPlates}, Body: []byte(b.String()), ImportedBy: "loadtest"})
	return err
}

// netClock pairs each hot detection's sending with the hits its sighting gave.
type netClock struct {
	mu       sync.Mutex
	sent     map[string]time.Time // detection UUID -> when its batch was first sent
	lat      []time.Duration
	received int
}

func newNetClock() *netClock { return &netClock{sent: map[string]time.Time{}} }

func (n *netClock) sending(uuid string, at time.Time) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if _, ok := n.sent[uuid]; !ok {
		n.sent[uuid] = at
	}
}

func (n *netClock) hit(_ int64, h wire.NetworkHit) {
	now := time.Now()
	n.mu.Lock()
	defer n.mu.Unlock()
	n.received++
	if at, ok := n.sent[h.Detection.UUID]; ok {
		n.lat = append(n.lat, now.Sub(at))
	}
}

// results returns the p95 of the delivery times and how many hits arrived.
func (n *netClock) results() (p95 time.Duration, hits, sightings int) {
	n.mu.Lock()
	defer n.mu.Unlock()
	return percentile(sortedCopy(n.lat), 0.95), n.received, len(n.sent)
}

// listen opens every car's event stream over its own connection; stop closes them.
func listen(ctx context.Context, url string, transports []http.RoundTripper, clock *netClock) (stop func()) {
	ctx, cancel := context.WithCancel(ctx)
	var wg sync.WaitGroup
	for _, tr := range transports {
		s := &learn.EventStream{Client: learn.Client{BaseURL: url, HTTP: &http.Client{Transport: tr}},
			OnNetworkHit: clock.hit, MinBackoff: 500 * time.Millisecond}
		wg.Add(1)
		go func() { defer wg.Done(); _ = s.Run(ctx) }()
	}
	return func() { cancel(); wg.Wait() }
}
