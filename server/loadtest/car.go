package loadtest

import (
	"context"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"sync/atomic"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/learn"
	"patrol-alpr/wire"
)

// Tunables of a simulated car.
const (
	detectionEvery = time.Second
	progressEvery  = 10 * time.Second // a progress line, and a p99 of its own, per this much of a phase
	maxBatchItems  = 100              // a backlog goes in batches of this many (about 3 MB)
	requestTimeout = 30 * time.Second
	firstBackoff   = time.Second      // after a failed request; doubles
	maxBackoff     = 8 * time.Second  // at most
	plateBytes     = 5 << 10          // about: the plate crop
	sceneBytes     = 25 << 10         // about: the scene
	noiseBytes     = 4 << 20          // random bytes the images are cut from
	retryJitter    = 0.5              // a busy server's Retry-After is stretched by up to this
	sendFloor      = time.Millisecond // the least wait between two loop turns
)

// car is one simulated patrol car: it makes a detection every second and sends what it has
// not had acknowledged, as the car's syncer does, waiting out a busy server.
type car struct {
	number string
	conn   learn.Client    // the car's own code for talking to the server
	timing *timedTransport // the latest request's round trip
	every  time.Duration   // between batches; detectionEvery sends each detection as it is made
	noise  []byte          // shared, read-only
	rng    *rand.Rand
	seq    int64
	made   uint64
	// pending holds the detections made and not yet acknowledged, oldest first; they survive
	// from one phase to the next until acknowledged.
	pending []pendingItem
	// home is where the car patrols (its detections' positions stay within a few hundred
	// metres of it), so that the server knows which cars are near a sighting.
	homeLat, homeLon float64
	hits             *netClock
	fixed            bool // a fixed camera site: its detections carry no GPS fix
}

// pendingItem is a detection waiting for its acknowledgement. Its images are kept as where
// they were cut from the noise, not as bytes, so that a fleet with a long backlog (an
// overloaded server) does not run the load test out of memory; they are cut again for each
// attempt, byte for byte the same.
type pendingItem struct {
	item         wire.Item // without its images
	plate, scene imageRef
	made         time.Time
	hot          bool // its plate is on the hot list
}

// imageRef says how to make an image again: size bytes of the noise from off, with the car's
// number, its count and a salt at its head.
type imageRef struct {
	off, size   int
	count, salt uint64
}

// carStats is what one car saw in one phase.
type carStats struct {
	latencies []time.Duration // of every acknowledged request
	ackedAt   []time.Time     // when each of those requests was answered
	delays    []time.Duration // from a detection's making to its acknowledgement
	requests  int
	busy      int // 503 or 429
	failed    int // no answer, or a refusal
	made      int
	acked     []string // keys acknowledged
	lastErr   error
}

// run makes detections until genUntil and keeps sending until everything made is
// acknowledged, drainUntil passes, or ctx ends. It sends every c.every, as the car's syncer
// does (learn.Syncer.Every), sooner after nothing. It adds what the server acknowledges to
// acked as it goes.
func (c *car) run(ctx context.Context, genUntil, drainUntil time.Time, acked *atomic.Int64) carStats {
	var st carStats
	now := time.Now()
	// The fleet is spread over the second for making and over the cadence for sending.
	nextDet := now.Add(time.Duration(c.rng.Int64N(int64(detectionEvery))))
	sendAt := now.Add(time.Duration(c.rng.Int64N(int64(max(c.every, detectionEvery)))))
	backoff := firstBackoff
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	for {
		now = time.Now()
		making := now.Before(genUntil)
		if making && !now.Before(nextDet) {
			c.pending = append(c.pending, c.detection(now))
			st.made++
			nextDet = nextDet.Add(detectionEvery)
		}
		if len(c.pending) > 0 && !now.Before(sendAt) {
			before := len(st.acked)
			wait := c.send(ctx, &st)
			acked.Add(int64(len(st.acked) - before))
			switch {
			case wait == 0:
				backoff = firstBackoff
				sendAt = now.Add(c.every)
			case wait < 0: // failed: back off, doubling, with jitter
				sendAt = time.Now().Add(jitter(c.rng, backoff))
				backoff = min(2*backoff, maxBackoff)
			default: // busy: at least what the server asked
				sendAt = time.Now().Add(wait)
			}
			continue // catch up on detections due meanwhile before sleeping
		}
		if !making && (len(c.pending) == 0 || now.After(drainUntil)) {
			return st
		}
		var wake time.Time
		if making {
			wake = nextDet
		}
		if len(c.pending) > 0 && (wake.IsZero() || sendAt.Before(wake)) {
			wake = sendAt
		}
		if wake.IsZero() || wake.After(drainUntil) && !making {
			wake = drainUntil
		}
		timer.Reset(max(time.Until(wake), sendFloor))
		select {
		case <-ctx.Done():
			return st
		case <-timer.C:
		}
	}
}

// send posts the oldest pending detections in one batch. It returns 0 when the server
// acknowledged them, how long to wait when it was busy, and -1 when the request failed.
func (c *car) send(ctx context.Context, st *carStats) time.Duration {
	n := min(len(c.pending), maxBatchItems)
	b := wire.Batch{Vehicle: c.number, Backlog: int64(len(c.pending)), Items: make([]wire.Item, n)}
	b.OldestUnsent = time.Since(c.pending[0].made).Seconds()
	sendAt := time.Now()
	for i, p := range c.pending[:n] {
		if p.hot && c.hits != nil {
			c.hits.sending(p.item.Key, sendAt)
		}
		b.Items[i] = p.item
		b.Items[i].Images = []wire.Image{
			wire.NewImage(wire.ImagePlate, c.image(p.plate)),
			wire.NewImage(wire.ImageScene, c.image(p.scene)),
		}
	}
	rctx, cancel := context.WithTimeout(ctx, requestTimeout)
	stored, err := c.conn.Send(rctx, b)
	cancel()
	took := c.timing.last
	st.requests++
	if err != nil {
		st.lastErr = err
		if busy := (*learn.BusyError)(nil); errors.As(err, &busy) {
			st.busy++
			return busy.RetryAfter + time.Duration(c.rng.Float64()*retryJitter*float64(busy.RetryAfter))
		}
		if ctx.Err() == nil {
			st.failed++
		}
		return -1
	}
	st.latencies = append(st.latencies, took)
	st.ackedAt = append(st.ackedAt, time.Now())
	ok := make(map[string]bool, len(stored))
	for _, k := range stored {
		ok[k] = true
	}
	now := time.Now()
	kept := c.pending[:0]
	for i, p := range c.pending {
		if i < n && ok[p.item.Key] {
			st.acked = append(st.acked, p.item.Key)
			st.delays = append(st.delays, now.Sub(p.made))
			continue
		}
		kept = append(kept, p)
	}
	clear(c.pending[len(kept):])
	c.pending = kept
	if len(ok) == 0 {
		st.failed++
		st.lastErr = fmt.Errorf("server stored none of %d items", n)
		return -1
	}
	return 0
}

// jitter spreads d over 50–150 %, so that cars coming back from a failure do not arrive at once.
func jitter(rng *rand.Rand, d time.Duration) time.Duration {
	return time.Duration(float64(d) * (0.5 + rng.Float64()))
}

// detection makes one detection with its two images, each unique (a counter over random
// bytes), as a real car's JPEGs are.
func (c *car) detection(now time.Time) pendingItem {
	c.seq++
	c.made++
	plate := fmt.Sprintf("%d%c%c%c%03d", 1+c.rng.IntN(9), 'A'+c.rng.IntN(26), 'A'+c.rng.IntN(26), 'A'+c.rng.IntN(26), c.rng.IntN(1000))
	hot := c.rng.IntN(hotOneIn) == 0
	if hot {
		plate = hotPlate(c.rng.IntN(hotPlates))
	}
	d := alpr.Detection{
		UUID:       newUUID(c.rng),
		Camera:     alpr.Cameras[c.rng.IntN(len(alpr.Cameras))],
		SeenAt:     now.UTC(),
		Plate:      plate,
		State:      "CA",
		Confidence: 0.80 + 0.2*c.rng.Float64(),
		Fix: alpr.Fix{Lat: c.homeLat + 0.005*(c.rng.Float64()-0.5), Lon: c.homeLon + 0.005*(c.rng.Float64()-0.5),
			Time: now.UTC(), Quality: alpr.Fix3D, Satellites: 9, HDOP: 0.9},
	}
	if c.fixed {
		d.Fix = alpr.Fix{}
	}
	payload, err := json.Marshal(d)
	if err != nil {
		panic(err) // a struct of plain fields always encodes
	}
	return pendingItem{
		item: wire.Item{Key: d.UUID, Seq: c.seq, Kind: wire.KindDetection, CreatedAt: d.SeenAt, Operator: operatorID,
			Payload: payload},
		hot:   hot,
		plate: c.imageRef(plateBytes),
		scene: c.imageRef(sceneBytes),
		made:  now,
	}
}

// imageRef picks where an image of about size bytes is cut from the noise.
func (c *car) imageRef(size int) imageRef {
	size = size*9/10 + c.rng.IntN(size/5)
	return imageRef{off: c.rng.IntN(len(c.noise) - size), size: size, count: c.made, salt: c.rng.Uint64()}
}

// image cuts an image from the noise, made unique by the car's number and counters at its head.
func (c *car) image(r imageRef) []byte {
	b := make([]byte, r.size)
	copy(b, c.noise[r.off:r.off+r.size])
	n := copy(b, c.number)
	binary.BigEndian.PutUint64(b[n:], r.count)
	binary.BigEndian.PutUint64(b[n+8:], r.salt)
	return b
}

func newUUID(rng *rand.Rand) string {
	var b [16]byte
	binary.BigEndian.PutUint64(b[:8], rng.Uint64())
	binary.BigEndian.PutUint64(b[8:], rng.Uint64())
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}
