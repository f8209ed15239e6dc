package gps

import (
	"context"
	"fmt"
	"io"
	"os"
	"sync"
)

// Replay plays recorded NMEA back through the Receiver, paced by the sentences' own
// times: classroom mode, and reproducing what a car's receiver said in the field.
type Replay struct {
	Name string // names the recording in errors, e.g. its path
	// Data opens the recording from its start.
	Data func() (io.ReadCloser, error)
	// Speed is how many times faster than real time to play; 0 means 1.
	Speed float64
	// Loop starts again from the start at the end (Data must then reopen the recording).
	Loop bool
	// Sleep paces the replay; nil means RealSleep.
	Sleep SleepFunc

	mu     sync.Mutex
	played bool
}

// ReplayFile replays the NMEA file at path once; set Loop to repeat it.
func ReplayFile(path string) *Replay {
	return &Replay{Name: path, Data: func() (io.ReadCloser, error) { return os.Open(path) }}
}

// ReplayReader replays r once (it cannot be rewound, so Loop does not apply).
func ReplayReader(name string, r io.Reader) *Replay {
	return &Replay{Name: name, Data: func() (io.ReadCloser, error) { return io.NopCloser(r), nil }}
}

// Open starts the recording, or returns ErrEnded once it has been played and Loop is off.
func (r *Replay) Open(ctx context.Context) (io.ReadCloser, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.played && !r.Loop {
		return nil, fmt.Errorf("replay %s: %w", r.Name, ErrEnded)
	}
	rc, err := r.Data()
	if err != nil {
		return nil, fmt.Errorf("open replay %s: %w", r.Name, err)
	}
	r.played = true
	return newPacer(ctx, rc, r.Speed, r.Sleep), nil
}

// String names the recording in logs.
func (r *Replay) String() string { return "replay " + r.Name }
