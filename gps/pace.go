package gps

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"time"

	nmea "github.com/adrianmo/go-nmea"

	"patrol-alpr/internal/ctxsleep"
)

// SleepFunc waits d, returning early with ctx's error when ctx is done. Sources that pace
// themselves take one so tests can run them on a simulated clock.
type SleepFunc func(ctx context.Context, d time.Duration) error

// RealSleep is the SleepFunc of the wall clock.
func RealSleep(ctx context.Context, d time.Duration) error {
	if ctxsleep.Sleep(ctx, d) {
		return nil
	}
	return ctx.Err()
}

// maxPause caps the wait for a gap in a recording (the receiver was off, the car parked):
// long enough for the GPS light to go stale, short enough not to freeze a classroom.
const maxPause = 10 * time.Second

// pacer hands out a recording line by line, waiting before each new epoch as long as the
// recording did (divided by speed). Epochs are told apart by the time of day in RMC and
// GGA sentences; other lines pass through without waiting.
type pacer struct {
	ctx    context.Context
	cancel context.CancelFunc
	src    io.Closer
	br     *bufio.Reader
	speed  float64
	sleep  SleepFunc

	last      time.Duration // time of day of the current epoch
	haveLast  bool
	lineStart bool // the next byte read starts a line
	pending   []byte
	err       error
}

func newPacer(ctx context.Context, rc io.ReadCloser, speed float64, sleep SleepFunc) *pacer {
	ctx, cancel := context.WithCancel(ctx)
	if speed <= 0 {
		speed = 1
	}
	if sleep == nil {
		sleep = RealSleep
	}
	return &pacer{ctx: ctx, cancel: cancel, src: rc, br: bufio.NewReader(rc), speed: speed, sleep: sleep, lineStart: true}
}

func (p *pacer) Read(b []byte) (int, error) {
	for len(p.pending) == 0 {
		if p.err != nil {
			return 0, p.err
		}
		line, err := p.br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			err = nil // an over-long line goes through in pieces, unpaced; the scanner rejects it
		}
		p.err = err
		whole := p.lineStart && bytes.HasSuffix(line, []byte("\n"))
		p.lineStart = bytes.HasSuffix(line, []byte("\n"))
		if whole {
			if err := p.wait(line); err != nil {
				p.err = err
				return 0, err
			}
		}
		p.pending = line // valid until the next ReadSlice, which waits until it is drained
	}
	n := copy(b, p.pending)
	p.pending = p.pending[n:]
	return n, nil
}

// wait sleeps until line's epoch is due.
func (p *pacer) wait(line []byte) error {
	tod, ok := epochTime(bytes.TrimRight(line, "\r\n"))
	if !ok {
		return nil
	}
	if !p.haveLast {
		p.last, p.haveLast = tod, true
		return nil
	}
	d := tod - p.last
	switch {
	case d < -12*time.Hour:
		d += 24 * time.Hour // past midnight UTC
	case d <= 0:
		return nil // same epoch, or a sentence out of order: no waiting backwards
	}
	p.last = tod
	d = min(d, maxPause)
	return p.sleep(p.ctx, time.Duration(float64(d)/p.speed))
}

// epochTime reads the time of day of a well-formed RMC or GGA sentence.
func epochTime(b []byte) (time.Duration, bool) {
	if verifyChecksum(b) != nil || len(b) < 7 || b[6] != ',' {
		return 0, false
	}
	if typ := string(b[3:6]); typ != "RMC" && typ != "GGA" {
		return 0, false
	}
	field, _, _ := bytes.Cut(b[7:], []byte(","))
	t, err := nmea.ParseTime(string(field))
	if err != nil || !t.Valid {
		return 0, false
	}
	return time.Duration(t.Hour)*time.Hour + time.Duration(t.Minute)*time.Minute +
		time.Duration(t.Second)*time.Second + time.Duration(t.Millisecond)*time.Millisecond, true
}

// Close stops a wait in progress and closes the recording.
func (p *pacer) Close() error {
	p.cancel()
	return p.src.Close()
}
