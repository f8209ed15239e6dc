package gps

import (
	"errors"
	"fmt"
	"math"
	"time"

	nmea "github.com/adrianmo/go-nmea"

	"patrol-alpr/alpr"
)

// Reasons a sentence is not used; they decide which counter it lands in.
var (
	errBadChecksum = errors.New("checksum does not match")
	errMalformed   = errors.New("malformed sentence")
)

// decoder turns scanned sentences into fixes. It is confined to one goroutine at a time
// (the Receiver holds its lock while feeding it): nmea.SentenceParser is not safe for
// concurrent use, and the package-level nmea.Parse would share a global lock and registry.
type decoder struct {
	scan     scanner
	parser   nmea.SentenceParser
	asm      assembler
	stats    Stats
	now      time.Time // receive time of the bytes being fed
	lastData time.Time // when the last well-formed sentence of any type arrived
	onFix    func(fix alpr.Fix, at time.Time)
}

// feed scans p, received at now.
func (d *decoder) feed(p []byte, now time.Time) {
	d.now = now
	d.stats.Bytes += uint64(len(p))
	d.scan.feed(p, d)
}

// flush ends the current stream, so a half line cannot join the first line of the next.
func (d *decoder) flush(now time.Time) {
	d.now = now
	d.scan.flush(d)
}

func (d *decoder) garbage() { d.stats.Garbage++ }

func (d *decoder) sentence(b []byte) {
	if err := verifyChecksum(b); err != nil {
		if errors.Is(err, errBadChecksum) {
			d.stats.BadChecksum++
		} else {
			d.stats.Garbage++
		}
		return
	}
	s, err := d.parse(string(b))
	var unsupported *nmea.NotSupportedError
	switch {
	case errors.As(err, &unsupported):
		d.stats.Unsupported++
		d.lastData = d.now
		return
	case err != nil:
		d.stats.Garbage++
		return
	}
	used, err := d.asm.apply(s, d.now)
	switch {
	case err != nil:
		d.stats.Garbage++
		return
	case !used:
		d.stats.Unsupported++
		d.lastData = d.now
		return
	}
	d.stats.Sentences++
	d.lastData = d.now
	if fix, ok := d.asm.fix(d.now); ok && d.onFix != nil {
		d.onFix(fix, d.now)
	}
}

// parse runs the NMEA library's parser, turning a panic inside it into an error: a bug in
// a dependency, on bytes from a cable, must cost one sentence and not the app.
func (d *decoder) parse(raw string) (s nmea.Sentence, err error) {
	defer func() {
		if p := recover(); p != nil {
			s, err = nil, fmt.Errorf("%w: parser panicked: %v", errMalformed, p)
		}
	}()
	return d.parser.Parse(raw)
}

// verifyChecksum checks "$...*HH": the XOR of the bytes between '$' and '*' must equal HH
// (either case of hex digit). A sentence with no checksum is malformed rather than "bad
// checksum": it was cut short, or it comes from a talker we cannot trust.
func verifyChecksum(b []byte) error {
	n := len(b)
	if n < 4 || b[0] != '$' || b[n-3] != '*' {
		return errMalformed
	}
	want, ok := hexByte(b[n-2], b[n-1])
	if !ok {
		return errMalformed
	}
	var sum byte
	for _, c := range b[1 : n-3] {
		if c < 0x20 || c > 0x7e || c == '*' {
			return errMalformed
		}
		sum ^= c
	}
	if sum != want {
		return errBadChecksum
	}
	return nil
}

func hexByte(hi, lo byte) (byte, bool) {
	h, ok1 := hexDigit(hi)
	l, ok2 := hexDigit(lo)
	return h<<4 | l, ok1 && ok2
}

func hexDigit(c byte) (byte, bool) {
	switch {
	case c >= '0' && c <= '9':
		return c - '0', true
	case c >= 'A' && c <= 'F':
		return c - 'A' + 10, true
	case c >= 'a' && c <= 'f':
		return c - 'a' + 10, true
	}
	return 0, false
}

// finite reports whether every value is a real number: strconv accepts "NaN" and "Inf",
// and one of those in a position would poison every distance computed from it.
func finite(vs ...float64) bool {
	for _, v := range vs {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return false
		}
	}
	return true
}
