package alarm

import (
	"fmt"
	"sync"

	"github.com/gopxl/beep/v2"
)

// Sink is where the alarm sound goes. The Player is its only user: it calls Clear
// before every Play, so a Sink never has to mix two alarms.
type Sink interface {
	// Play starts s, which repeats until cleared.
	Play(s beep.Streamer)
	// Clear silences whatever is playing.
	Clear()
}

// Player sounds the alarm of every unacknowledged hit. Several hits may be waiting at
// once; the most urgent one is heard (the earliest among equals), and when it is
// acknowledged the next one takes over, so no hit goes quiet before the officer has
// seen it. A Player is safe for concurrent use.
type Player struct {
	sink   Sink
	sr     beep.SampleRate
	bursts map[string]*beep.Buffer

	mu      sync.Mutex
	seq     uint64
	waiting map[int64]waitingHit
	current int64 // hit being heard; valid when sounding
	on      bool
}

type waitingHit struct {
	tone     Tone
	priority int
	seq      uint64
}

// NewPlayer renders the tones at sample rate sr for sink.
func NewPlayer(sink Sink, sr beep.SampleRate) (*Player, error) {
	p := &Player{sink: sink, sr: sr, bursts: map[string]*beep.Buffer{}, waiting: map[int64]waitingHit{}}
	for _, t := range []Tone{Urgent, High, Standard, Advisory} {
		b, err := t.Burst(sr)
		if err != nil {
			return nil, fmt.Errorf("new alarm player: %w", err)
		}
		p.bursts[t.Name] = b
	}
	return p, nil
}

// Raise starts the alarm for a hit with the priority of its list. A covert hit stays
// silent (it is still shown). Raising a hit already waiting changes nothing.
func (p *Player) Raise(hit int64, priority int, covert bool) {
	tone, audible := ToneFor(priority, covert)
	if !audible {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.waiting[hit]; ok {
		return
	}
	p.seq++
	p.waiting[hit] = waitingHit{tone: tone, priority: priority, seq: p.seq}
	p.update()
}

// Ack stops the alarm of one hit: the officer has acknowledged or muted it. Another
// waiting hit, if any, is heard next.
func (p *Player) Ack(hit int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if _, ok := p.waiting[hit]; !ok {
		return
	}
	delete(p.waiting, hit)
	p.update()
}

// Sounding reports which hit is heard now and with which tone.
func (p *Player) Sounding() (hit int64, tone Tone, ok bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.on {
		return 0, Tone{}, false
	}
	return p.current, p.waiting[p.current].tone, true
}

// Close silences the alarm and forgets every waiting hit.
func (p *Player) Close() {
	p.mu.Lock()
	defer p.mu.Unlock()
	clear(p.waiting)
	p.update()
}

// update makes the sink play the alarm of the most urgent waiting hit. p.mu is held.
func (p *Player) update() {
	best, found := int64(0), false
	for id, w := range p.waiting {
		if !found || louder(w, p.waiting[best]) {
			best, found = id, true
		}
	}
	if found == p.on && best == p.current {
		return
	}
	p.sink.Clear()
	p.current, p.on = best, found
	if !found {
		return
	}
	b := p.bursts[p.waiting[best].tone.Name]
	loop, err := beep.Loop2(b.Streamer(0, b.Len()))
	if err != nil {
		// Only an empty burst fails to loop, and NewPlayer never renders one.
		panic(fmt.Sprintf("loop alarm tone: %v", err))
	}
	p.sink.Play(loop)
}

// louder reports whether a should be heard before b: the higher list priority, and
// among equals the hit raised first.
func louder(a, b waitingHit) bool {
	if a.priority != b.priority {
		return a.priority > b.priority
	}
	return a.seq < b.seq
}
