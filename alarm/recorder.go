package alarm

import (
	"sync"

	"github.com/gopxl/beep/v2"
)

// Recorder is a Sink that keeps what it is asked to play instead of sounding it, for
// tests on machines without a sound card. Pull draws samples the way a speaker would.
type Recorder struct {
	mu      sync.Mutex
	playing beep.Streamer
	plays   int
}

// Play implements Sink.
func (r *Recorder) Play(s beep.Streamer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.playing = s
	r.plays++
}

// Clear implements Sink.
func (r *Recorder) Clear() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.playing = nil
}

// Playing reports whether anything is playing.
func (r *Recorder) Playing() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.playing != nil
}

// Plays counts the calls to Play so far.
func (r *Recorder) Plays() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.plays
}

// Pull draws n stereo samples from what is playing; silence when nothing is.
func (r *Recorder) Pull(n int) [][2]float64 {
	r.mu.Lock()
	defer r.mu.Unlock()
	out := make([][2]float64, n)
	if r.playing == nil {
		return out
	}
	for done := 0; done < n; {
		k, ok := r.playing.Stream(out[done:])
		done += k
		if !ok {
			break
		}
	}
	return out
}
