package alarm

import (
	"math"
	"testing"

	"github.com/gopxl/beep/v2"
)

const testRate = beep.SampleRate(44100)

func TestToneFor(t *testing.T) {
	tests := []struct {
		name     string
		priority int
		covert   bool
		want     Tone
		audible  bool
	}{
		{"covert list is silent", 5, true, Tone{}, false},
		{"priority 3 is urgent", 3, false, Urgent, true},
		{"priority above 3 is urgent", 9, false, Urgent, true},
		{"priority 2 is high", 2, false, High, true},
		{"priority 1 is standard", 1, false, Standard, true},
		{"priority 0 is advisory", 0, false, Advisory, true},
		{"negative priority is advisory", -1, false, Advisory, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, audible := ToneFor(tt.priority, tt.covert)
			if got != tt.want || audible != tt.audible {
				t.Errorf("ToneFor(%d, %v) = %q, %v; want %q, %v", tt.priority, tt.covert, got.Name, audible, tt.want.Name, tt.audible)
			}
		})
	}
}

// heard is what a listener could tell about one burst of samples.
type heard struct {
	beeps int
	freq  float64 // from zero crossings inside the first beep
	peak  float64
}

func listen(samples [][2]float64, sr beep.SampleRate) heard {
	var h heard
	const quiet = 1e-3
	in, start, crossings, end := false, -1, 0, -1
	for i, s := range samples {
		v := s[0]
		h.peak = math.Max(h.peak, math.Abs(v))
		loud := math.Abs(v) > quiet
		if loud && !in {
			// A beep starts after a silence longer than a few cycles (not a zero crossing).
			silentFor := i - end
			if end < 0 || silentFor > int(sr)/200 {
				h.beeps++
				if start < 0 {
					start = i
				}
			}
			in = true
		}
		if loud {
			end = i
		}
		if !loud {
			in = false
		}
		if h.beeps == 1 && i > 0 && (samples[i-1][0] < 0) != (v < 0) {
			crossings++
		}
	}
	if start >= 0 {
		// The first beep spans from start to the start of the silence after it; count its crossings.
		h.freq = float64(crossings) / 2 / (float64(firstBeepLen(samples, start, sr)) / float64(sr))
	}
	return h
}

func firstBeepLen(samples [][2]float64, start int, sr beep.SampleRate) int {
	last := start
	for i := start; i < len(samples); i++ {
		if math.Abs(samples[i][0]) > 1e-3 {
			last = i
		} else if i-last > int(sr)/200 {
			break
		}
	}
	return last - start + 1
}

func TestBurstsAreDistinctAndMatchTheirTone(t *testing.T) {
	for _, tone := range []Tone{Urgent, High, Standard, Advisory} {
		t.Run(tone.Name, func(t *testing.T) {
			b, err := tone.Burst(testRate)
			if err != nil {
				t.Fatal(err)
			}
			if got, want := b.Len(), testRate.N(tone.Period()); abs(got-want) > tone.Beeps*2 {
				t.Errorf("burst is %d samples, want about %d (one period)", got, want)
			}
			samples := make([][2]float64, b.Len())
			n, _ := b.Streamer(0, b.Len()).Stream(samples)
			h := listen(samples[:n], testRate)
			if h.beeps != tone.Beeps {
				t.Errorf("heard %d beeps, want %d", h.beeps, tone.Beeps)
			}
			if math.Abs(h.freq-tone.Freq) > tone.Freq*0.03 {
				t.Errorf("heard %.0f Hz, want %.0f Hz", h.freq, tone.Freq)
			}
			if h.peak > amplitude+0.01 || h.peak < amplitude*0.9 {
				t.Errorf("peak %.2f, want about %.2f (loud, never clipping)", h.peak, amplitude)
			}
		})
	}
}

func TestBurstRejectsEmptyTone(t *testing.T) {
	if _, err := (Tone{Name: "empty"}).Burst(testRate); err == nil {
		t.Fatal("Burst of a tone with no beeps: want an error")
	}
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
