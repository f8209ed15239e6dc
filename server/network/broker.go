package network

import (
	"sync"

	"patrol-alpr/server/postgres"
)

// Broker passes each car's events, already stored, to the streams the car has open. A stream
// that does not keep up is closed rather than waited for: the car reconnects and the stored
// events after its Last-Event-ID are replayed.
type Broker struct {
	mu   sync.Mutex
	subs map[string]map[chan postgres.Event]struct{} // agency/vehicle -> streams
}

// NewBroker makes an empty broker.
func NewBroker() *Broker { return &Broker{subs: map[string]map[chan postgres.Event]struct{}{}} }

// streamBuffer is how many events a stream may fall behind before it is closed.
const streamBuffer = 64

// Subscribe opens a stream of a car's events; cancel closes it. The channel is closed when
// the stream is cancelled or falls behind.
func (b *Broker) Subscribe(agency, vehicle string) (events <-chan postgres.Event, cancel func()) {
	key := agency + "/" + vehicle
	ch := make(chan postgres.Event, streamBuffer)
	b.mu.Lock()
	if b.subs[key] == nil {
		b.subs[key] = map[chan postgres.Event]struct{}{}
	}
	b.subs[key][ch] = struct{}{}
	b.mu.Unlock()
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			b.mu.Lock()
			defer b.mu.Unlock()
			if _, ok := b.subs[key][ch]; ok {
				delete(b.subs[key], ch)
				close(ch)
			}
		})
	}
}

// Publish hands events to the streams of their cars.
func (b *Broker) Publish(agency string, events ...postgres.Event) {
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, e := range events {
		key := agency + "/" + e.Vehicle
		for ch := range b.subs[key] {
			select {
			case ch <- e:
			default: // too far behind: close it, the car will replay from the database
				delete(b.subs[key], ch)
				close(ch)
			}
		}
	}
}

// Streams counts the open streams, for metrics.
func (b *Broker) Streams() int {
	b.mu.Lock()
	defer b.mu.Unlock()
	n := 0
	for _, s := range b.subs {
		n += len(s)
	}
	return n
}
