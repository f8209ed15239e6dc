package alarm

import (
	"testing"
)

func newTestPlayer(t *testing.T) (*Player, *Recorder) {
	t.Helper()
	rec := &Recorder{}
	p, err := NewPlayer(rec, testRate)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(p.Close)
	return p, rec
}

func TestPlayerRepeatsUntilAcknowledged(t *testing.T) {
	p, rec := newTestPlayer(t)
	p.Raise(7, 3, false)

	const periods = 4
	h := listen(rec.Pull(periods*testRate.N(Urgent.Period())), testRate)
	if h.beeps != periods*Urgent.Beeps {
		t.Fatalf("over %d periods heard %d beeps, want %d: the alarm must repeat", periods, h.beeps, periods*Urgent.Beeps)
	}
	p.Ack(7)
	if rec.Playing() {
		t.Fatal("still playing after Ack")
	}
	if _, _, ok := p.Sounding(); ok {
		t.Fatal("Sounding reports a hit after Ack")
	}
}

func TestPlayerCovertHitIsSilent(t *testing.T) {
	p, rec := newTestPlayer(t)
	p.Raise(1, 5, true)
	if rec.Plays() != 0 || rec.Playing() {
		t.Fatal("a covert hit was played")
	}
}

func TestPlayerMostUrgentHitIsHeardThenTheNext(t *testing.T) {
	p, rec := newTestPlayer(t)
	steps := []struct {
		name     string
		do       func()
		wantHit  int64
		wantTone Tone
		wantOn   bool
	}{
		{"advisory alone", func() { p.Raise(1, 0, false) }, 1, Advisory, true},
		{"urgent arrives and takes over", func() { p.Raise(2, 3, false) }, 2, Urgent, true},
		{"second urgent waits its turn", func() { p.Raise(3, 3, false) }, 2, Urgent, true},
		{"raising again changes nothing", func() { p.Raise(1, 0, false) }, 2, Urgent, true},
		{"first urgent acknowledged", func() { p.Ack(2) }, 3, Urgent, true},
		{"unknown hit acknowledged", func() { p.Ack(99) }, 3, Urgent, true},
		{"second urgent acknowledged", func() { p.Ack(3) }, 1, Advisory, true},
		{"advisory acknowledged", func() { p.Ack(1) }, 0, Tone{}, false},
	}
	for _, s := range steps {
		s.do()
		hit, tone, on := p.Sounding()
		if hit != s.wantHit || tone != s.wantTone || on != s.wantOn {
			t.Fatalf("%s: sounding hit %d %q %v; want %d %q %v", s.name, hit, tone.Name, on, s.wantHit, s.wantTone.Name, s.wantOn)
		}
		if rec.Playing() != s.wantOn {
			t.Fatalf("%s: sink playing = %v, want %v", s.name, rec.Playing(), s.wantOn)
		}
	}
	// Raise(3) and Raise(1) again must not restart the sound: 1, 2, then 3, then 1 after acks.
	if got, want := rec.Plays(), 4; got != want {
		t.Errorf("sink asked to play %d times, want %d (no restart while the same hit sounds)", got, want)
	}
}

func TestPlayerCloseSilences(t *testing.T) {
	p, rec := newTestPlayer(t)
	p.Raise(1, 2, false)
	p.Raise(2, 1, false)
	p.Close()
	if rec.Playing() {
		t.Fatal("still playing after Close")
	}
}
