package alarm

import (
	"errors"
	"fmt"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/speaker"
)

// ErrNoDevice means the car has no working sound output: the alarm is shown but not
// heard, and the System light must say so.
var ErrNoDevice = errors.New("no sound device")

// Speaker is the Sink of the car's loudspeaker. beep's speaker is one per process, so
// a program opens at most one Speaker.
type Speaker struct{}

// OpenSpeaker opens the default sound output at sample rate sr with the given
// buffering (latency against dropouts; 100 ms is a good start).
//
// beep's speaker.Init returns nil even when ALSA has no device: the driver opens the
// device in the background and keeps the failure in its context. Resume hands that
// failure back (it waits for the open to finish first), so OpenSpeaker reports a
// missing device as ErrNoDevice instead of playing into nothing.
func OpenSpeaker(sr beep.SampleRate, buffer time.Duration) (*Speaker, error) {
	if err := speaker.Init(sr, sr.N(buffer)); err != nil {
		return nil, fmt.Errorf("open speaker: %w", err)
	}
	if err := speaker.Resume(); err != nil {
		return nil, fmt.Errorf("open speaker: %w: %v", ErrNoDevice, err)
	}
	return &Speaker{}, nil
}

// Play implements Sink.
func (*Speaker) Play(s beep.Streamer) { speaker.Play(s) }

// Clear implements Sink.
func (*Speaker) Clear() { speaker.Clear() }

// Close stops the speaker. Nothing can be played after it.
func (*Speaker) Close() { speaker.Close() }
