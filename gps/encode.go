package gps

import (
	"fmt"
	"math"
	"strconv"

	"patrol-alpr/alpr"
)

// AppendEpoch appends to dst one epoch of NMEA describing f, as a receiver sends it once
// a second: RMC, GGA, GSA and VTG with checksums and CRLF, from talker (e.g. "GP", "GN").
// A fix of quality FixNone is written the way receivers report a lost fix: RMC status V,
// GGA quality 0, GSA mode 1, empty position fields. The route simulator and tests use it.
func AppendEpoch(dst []byte, talker string, f alpr.Fix) []byte {
	t := f.Time.UTC()
	hms := fmt.Sprintf("%02d%02d%02d.%02d", t.Hour(), t.Minute(), t.Second(), t.Nanosecond()/1e7)
	date := fmt.Sprintf("%02d%02d%02d", t.Day(), int(t.Month()), t.Year()%100)
	knots := f.SpeedMS / knotsToMS
	if !f.Valid() {
		dst = appendSentence(dst, talker+"RMC,"+hms+",V,,,,,,,"+date+",,,N")
		dst = appendSentence(dst, fmt.Sprintf("%sGGA,%s,,,,,0,%02d,%s,,M,,M,,", talker, hms, f.Satellites, dop(f.HDOP)))
		dst = appendSentence(dst, talker+"GSA,A,1,,,,,,,,,,,,,99.99,99.99,99.99")
		return appendSentence(dst, talker+"VTG,,T,,M,,N,,K,N")
	}
	lat, ns := coord(f.Lat, 2), "N"
	if f.Lat < 0 {
		ns = "S"
	}
	lon, ew := coord(f.Lon, 3), "E"
	if f.Lon < 0 {
		ew = "W"
	}
	ggaQuality, gsaMode, faa := "1", "3", "A"
	switch f.Quality {
	case alpr.FixDGPS:
		ggaQuality, faa = "2", "D"
	case alpr.Fix2D:
		gsaMode = "2"
	}
	course := strconv.FormatFloat(f.Heading, 'f', 1, 64)
	dst = appendSentence(dst, fmt.Sprintf("%sRMC,%s,A,%s,%s,%s,%s,%.1f,%s,%s,,,%s", talker, hms, lat, ns, lon, ew, knots, course, date, faa))
	dst = appendSentence(dst, fmt.Sprintf("%sGGA,%s,%s,%s,%s,%s,%s,%02d,%s,10.0,M,-29.9,M,,", talker, hms, lat, ns, lon, ew, ggaQuality, f.Satellites, dop(f.HDOP)))
	dst = appendSentence(dst, fmt.Sprintf("%sGSA,A,%s,02,05,07,09,13,15,20,30,,,,,1.60,%s,1.30", talker, gsaMode, dop(f.HDOP)))
	return appendSentence(dst, fmt.Sprintf("%sVTG,%s,T,,M,%.1f,N,%.1f,K,%s", talker, course, knots, f.SpeedMS*3.6, faa))
}

// appendSentence frames body as "$body*HH\r\n".
func appendSentence(dst []byte, body string) []byte {
	var sum byte
	for i := 0; i < len(body); i++ {
		sum ^= body[i]
	}
	dst = append(dst, '$')
	dst = append(dst, body...)
	return fmt.Appendf(dst, "*%02X\r\n", sum)
}

// coord writes |deg| as NMEA's degrees and decimal minutes (ddmm.mmmmm, or dddmm.mmmmm
// with three degree digits), rounding on the minutes so 59.999999' never prints as 60'.
func coord(deg float64, degDigits int) string {
	m := math.Round(math.Abs(deg)*60*1e5) / 1e5
	d := math.Floor(m / 60)
	return fmt.Sprintf("%0*d%08.5f", degDigits, int(d), m-d*60)
}

func dop(v float64) string {
	if v <= 0 {
		return ""
	}
	return strconv.FormatFloat(v, 'f', 2, 64)
}
