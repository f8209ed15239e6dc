package alarm

import (
	"fmt"
	"time"

	"github.com/gopxl/beep/v2"
	"github.com/gopxl/beep/v2/generators"
)

// Tone is one alarm sound: a burst of Beeps beeps at Freq hertz, each On long and
// separated by Gap, followed by Pause before the burst repeats. Pitch and cadence
// both differ between priorities so the tones stay distinct in road noise.
type Tone struct {
	Name  string
	Freq  float64
	Beeps int
	On    time.Duration
	Gap   time.Duration
	Pause time.Duration
}

// The tones, most urgent first. The pitches are far apart (more than a fifth) and
// the bursts have different beep counts, so they are told apart by ear.
var (
	Urgent   = Tone{Name: "urgent", Freq: 1320, Beeps: 3, On: 120 * time.Millisecond, Gap: 80 * time.Millisecond, Pause: 500 * time.Millisecond}
	High     = Tone{Name: "high", Freq: 880, Beeps: 2, On: 200 * time.Millisecond, Gap: 150 * time.Millisecond, Pause: 900 * time.Millisecond}
	Standard = Tone{Name: "standard", Freq: 587, Beeps: 1, On: 300 * time.Millisecond, Pause: 1200 * time.Millisecond}
	Advisory = Tone{Name: "advisory", Freq: 392, Beeps: 1, On: 250 * time.Millisecond, Pause: 2500 * time.Millisecond}
)

// ToneFor picks the tone of a hit from its list priority (higher is more urgent).
// It reports false for covert lists, whose hits are shown but never heard.
func ToneFor(priority int, covert bool) (Tone, bool) {
	switch {
	case covert:
		return Tone{}, false
	case priority >= 3:
		return Urgent, true
	case priority == 2:
		return High, true
	case priority == 1:
		return Standard, true
	default:
		return Advisory, true
	}
}

// Period is how long one burst of the tone lasts, pause included.
func (t Tone) Period() time.Duration {
	return time.Duration(t.Beeps)*t.On + time.Duration(t.Beeps-1)*t.Gap + t.Pause
}

// amplitude keeps the alarm below clipping once the speaker mixes it with anything else.
const amplitude = 0.6

// rampSamples fades each beep in and out over a few milliseconds; without it every
// beep starts with a click.
const ramp = 5 * time.Millisecond

// Burst renders one burst of the tone at sample rate sr into a buffer, ready to loop.
func (t Tone) Burst(sr beep.SampleRate) (*beep.Buffer, error) {
	if t.Beeps < 1 || t.Freq <= 0 || t.On <= 0 {
		return nil, fmt.Errorf("render tone %q: needs at least one beep of positive pitch and length", t.Name)
	}
	buf := beep.NewBuffer(beep.Format{SampleRate: sr, NumChannels: 2, Precision: 2})
	for i := 0; i < t.Beeps; i++ {
		sine, err := generators.SineTone(sr, t.Freq)
		if err != nil {
			return nil, fmt.Errorf("render tone %q: %w", t.Name, err)
		}
		buf.Append(envelope(beep.Take(sr.N(t.On), sine), sr.N(t.On), sr.N(ramp)))
		if i < t.Beeps-1 {
			buf.Append(beep.Silence(sr.N(t.Gap)))
		}
	}
	buf.Append(beep.Silence(sr.N(t.Pause)))
	return buf, nil
}

// envelope scales s by amplitude with a linear fade of rampN samples at each end of its n samples.
func envelope(s beep.Streamer, n, rampN int) beep.Streamer {
	pos := 0
	return beep.StreamerFunc(func(samples [][2]float64) (int, bool) {
		k, ok := s.Stream(samples)
		for i := range samples[:k] {
			g := amplitude
			if d := min(pos, n-1-pos); d < rampN {
				g *= float64(d) / float64(rampN)
			}
			samples[i][0] *= g
			samples[i][1] *= g
			pos++
		}
		return k, ok
	})
}
