package gps

import (
	"fmt"
	"time"

	nmea "github.com/adrianmo/go-nmea"

	"patrol-alpr/alpr"
)

// freshness is how long one sentence still speaks for the current fix. Receivers send an
// epoch (RMC, GGA, GSA, VTG...) every second or faster; 2 s survives one lost sentence but
// keeps a GSA from before a fix loss from vouching for a position after it.
const freshness = 2 * time.Second

const knotsToMS = 1852.0 / 3600.0

// assembler keeps the newest sentence of each kind and builds the fix from the fresh
// ones: a position needs RMC or GGA, the fix dimension comes from GSA, satellites and DGPS
// from GGA, speed and heading from RMC or VTG. Talkers (GP, GN, GL, GA, BD...) are not
// distinguished: a multi-constellation receiver reports one solution whatever the prefix.
type assembler struct {
	date         nmea.Date // GGA carries only the time of day; RMC supplies the date
	rmc          nmea.RMC
	gga          nmea.GGA
	gsa          nmea.GSA
	vtg          nmea.VTG
	rmcAt, ggaAt time.Time
	gsaAt, vtgAt time.Time
	seq          uint64 // counts applied sentences, to order those received in one read
	rmcSeq       uint64
	ggaSeq       uint64
}

// apply records s, received at now. It reports whether s is a kind the fix uses, and an
// error when s is well formed but describes an impossible fix.
func (a *assembler) apply(s nmea.Sentence, now time.Time) (bool, error) {
	switch s := s.(type) {
	case nmea.RMC:
		if !finite(s.Latitude, s.Longitude, s.Speed, s.Course) || !onEarth(s.Latitude, s.Longitude) {
			return true, fmt.Errorf("RMC %s: %w", s.Raw, errMalformed)
		}
		a.seq++
		a.rmc, a.rmcAt, a.rmcSeq = s, now, a.seq
		if s.Date.Valid {
			a.date = s.Date
		}
	case nmea.GGA:
		if !finite(s.Latitude, s.Longitude, s.HDOP) || !onEarth(s.Latitude, s.Longitude) || s.NumSatellites < 0 || s.NumSatellites > 999 {
			return true, fmt.Errorf("GGA %s: %w", s.Raw, errMalformed)
		}
		a.seq++
		a.gga, a.ggaAt, a.ggaSeq = s, now, a.seq
	case nmea.GSA:
		if !finite(s.HDOP) {
			return true, fmt.Errorf("GSA %s: %w", s.Raw, errMalformed)
		}
		a.gsa, a.gsaAt = s, now
	case nmea.VTG:
		if !finite(s.TrueTrack, s.GroundSpeedKnots, s.GroundSpeedKPH) {
			return true, fmt.Errorf("VTG %s: %w", s.Raw, errMalformed)
		}
		a.vtg, a.vtgAt = s, now
	default:
		return false, nil
	}
	return true, nil
}

func onEarth(lat, lon float64) bool { return lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180 }

func fresh(at, now time.Time) bool { return !at.IsZero() && now.Sub(at) <= freshness && !at.After(now) }

// fix builds the current fix at now; ok is false until a fresh RMC or GGA has arrived.
// A fix without a usable position keeps only its time, satellites and HDOP, never a stale
// or half-made position (a zero Fix position means "none", see alpr.Fix).
func (a *assembler) fix(now time.Time) (f alpr.Fix, ok bool) {
	rmc, gga := fresh(a.rmcAt, now), fresh(a.ggaAt, now)
	if !rmc && !gga {
		return alpr.Fix{}, false
	}
	if rmc && gga && a.rmc.Time != a.gga.Time {
		// Different epochs (one sentence of the newer epoch was lost or is still to
		// come): only the newer speaks, or the fix would mix two instants.
		if a.ggaSeq > a.rmcSeq {
			rmc = false
		} else {
			gga = false
		}
	}
	gsa, vtg := fresh(a.gsaAt, now), fresh(a.vtgAt, now)
	f.Time = a.fixTime(now, rmc, gga)
	if gga {
		f.Satellites = int(a.gga.NumSatellites)
		f.HDOP = a.gga.HDOP
	}
	if f.HDOP == 0 && gsa {
		f.HDOP = a.gsa.HDOP
	}
	f.Quality = a.quality(rmc, gga, gsa)
	if f.Quality == alpr.FixNone {
		return f, true
	}
	if rmc && (!gga || a.rmcSeq > a.ggaSeq) {
		f.Lat, f.Lon = a.rmc.Latitude, a.rmc.Longitude
	} else {
		f.Lat, f.Lon = a.gga.Latitude, a.gga.Longitude
	}
	switch {
	case rmc:
		f.SpeedMS, f.Heading = a.rmc.Speed*knotsToMS, a.rmc.Course
	case vtg:
		f.SpeedMS, f.Heading = a.vtg.GroundSpeedKnots*knotsToMS, a.vtg.TrueTrack
		if a.vtg.GroundSpeedKnots == 0 {
			f.SpeedMS = a.vtg.GroundSpeedKPH / 3.6
		}
	}
	return f, true
}

// quality is pessimistic: any fresh sentence saying "no fix" wins, because a detection
// stamped with a position the receiver itself doubts is worse than one marked "no fix".
func (a *assembler) quality(rmc, gga, gsa bool) alpr.FixQuality {
	if rmc && a.rmc.Validity != nmea.ValidRMC {
		return alpr.FixNone
	}
	differential := false
	if gga {
		switch a.gga.FixQuality {
		case nmea.DGPS, nmea.RTK, nmea.FRTK:
			differential = true
		case nmea.GPS, nmea.PPS:
		default: // invalid, empty, or 6: dead reckoning, an estimate rather than a fix
			return alpr.FixNone
		}
	}
	dim := alpr.Fix2D // RMC alone says only that there is a horizontal position
	switch {
	case gsa && a.gsa.FixType == nmea.Fix3D:
		dim = alpr.Fix3D
	case gsa && a.gsa.FixType == nmea.Fix2D:
		dim = alpr.Fix2D
	case gsa:
		return alpr.FixNone
	case gga && a.gga.NumSatellites >= 4:
		dim = alpr.Fix3D // four satellites are what a 3D solution needs
	}
	if differential {
		return alpr.FixDGPS
	}
	return dim
}

// fixTime is the UTC instant of the fix: the RMC date and time when there is one, or the
// GGA time of day on the date last seen (or, before any RMC, the receiving clock's date,
// taking the day that puts the fix within 12 hours of now).
func (a *assembler) fixTime(now time.Time, rmc, gga bool) time.Time {
	var tod nmea.Time
	switch {
	case rmc && a.rmc.Time.Valid:
		tod = a.rmc.Time
	case gga:
		tod = a.gga.Time
	}
	if !tod.Valid {
		return time.Time{}
	}
	if a.date.Valid {
		return nmea.DateTime(now.UTC().Year(), a.date, tod)
	}
	u := now.UTC()
	t := time.Date(u.Year(), u.Month(), u.Day(), tod.Hour, tod.Minute, tod.Second, tod.Millisecond*int(time.Millisecond), time.UTC)
	switch {
	case t.Sub(u) > 12*time.Hour:
		t = t.AddDate(0, 0, -1)
	case u.Sub(t) > 12*time.Hour:
		t = t.AddDate(0, 0, 1)
	}
	return t
}
