package gps_test

import (
	"math"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/gps"
)

const knot = 1852.0 / 3600.0 // m/s

// The receiving clock of the parse tests: the same day as the sentences' dates, so a GGA
// without RMC still gets the right date.
var parseDay = time.Date(1994, 3, 23, 12, 35, 20, 0, time.UTC)

func TestParse(t *testing.T) {
	rmc := "GPRMC,123519,A,4807.038,N,01131.000,E,022.4,084.4,230394,003.1,W"
	tests := []struct {
		name  string
		input string
		want  alpr.Fix
		stats gps.Stats
	}{
		{
			name:  "RMC alone gives a 2D fix",
			input: sentence(rmc),
			want: alpr.Fix{Lat: 48 + 7.038/60, Lon: 11 + 31.0/60, Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC),
				SpeedMS: 22.4 * knot, Heading: 84.4, Quality: alpr.Fix2D},
			stats: gps.Stats{Sentences: 1},
		},
		{
			name: "GN epoch with GSA 3D",
			input: sentence("GNRMC,123519.00,A,3757.5000,N,12117.4000,W,10.0,90.0,230394,,,A") +
				sentence("GNGGA,123519.00,3757.5000,N,12117.4000,W,1,08,0.9,5.0,M,-29.9,M,,") +
				sentence("GNGSA,A,3,01,02,03,04,05,06,07,08,,,,,1.8,0.9,1.5,1") +
				sentence("GNVTG,90.0,T,,M,10.0,N,18.5,K,A"),
			want: alpr.Fix{Lat: 37 + 57.5/60, Lon: -(121 + 17.4/60), Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC),
				SpeedMS: 10 * knot, Heading: 90, Quality: alpr.Fix3D, Satellites: 8, HDOP: 0.9},
			stats: gps.Stats{Sentences: 4},
		},
		{
			name:  "GLONASS GGA quality 2 is DGPS, dated by the receiving clock",
			input: sentence("GLGGA,123519,3757.5000,N,12117.4000,W,2,11,0.7,5.0,M,-29.9,M,3,0120"),
			want: alpr.Fix{Lat: 37 + 57.5/60, Lon: -(121 + 17.4/60), Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC),
				Quality: alpr.FixDGPS, Satellites: 11, HDOP: 0.7},
			stats: gps.Stats{Sentences: 1},
		},
		{
			name: "Galileo GSA mode 2 is 2D",
			input: sentence("GARMC,123519,A,3757.5000,N,12117.4000,W,0.0,,230394,,,A") +
				sentence("GAGSA,A,2,11,12,13,,,,,,,,,,2.5,2.1,1.4"),
			want: alpr.Fix{Lat: 37 + 57.5/60, Lon: -(121 + 17.4/60), Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC),
				Quality: alpr.Fix2D, HDOP: 2.1},
			stats: gps.Stats{Sentences: 2},
		},
		{
			name: "BeiDou GGA with four satellites and no GSA is 3D",
			input: sentence("BDRMC,123519,A,3337.5,S,07040.2,W,5.0,180.0,230394,,,A") +
				sentence("BDGGA,123519,3337.5,S,07040.2,W,1,04,1.9,500.0,M,,M,,"),
			want: alpr.Fix{Lat: -(33 + 37.5/60), Lon: -(70 + 40.2/60), Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC),
				SpeedMS: 5 * knot, Heading: 180, Quality: alpr.Fix3D, Satellites: 4, HDOP: 1.9},
			stats: gps.Stats{Sentences: 2},
		},
		{
			name:  "GGA and VTG without RMC take speed and heading from VTG",
			input: sentence("GPGGA,123519,3757.5,N,12117.4,W,1,07,1.1,5.0,M,,M,,") + sentence("GPVTG,271.5,T,,M,20.0,N,37.0,K,A"),
			want: alpr.Fix{Lat: 37 + 57.5/60, Lon: -(121 + 17.4/60), Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC),
				SpeedMS: 20 * knot, Heading: 271.5, Quality: alpr.Fix3D, Satellites: 7, HDOP: 1.1},
			stats: gps.Stats{Sentences: 2},
		},
		{
			name:  "RMC status V is no fix and carries no position",
			input: sentence("GPRMC,123519,V,,,,,,,230394,,,N"),
			want:  alpr.Fix{Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC)},
			stats: gps.Stats{Sentences: 1},
		},
		{
			name:  "GGA quality 0 is no fix",
			input: sentence("GPGGA,123519,,,,,0,02,99.9,,M,,M,,"),
			want:  alpr.Fix{Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC), Satellites: 2, HDOP: 99.9},
			stats: gps.Stats{Sentences: 1},
		},
		{
			name:  "GGA quality 6 (dead reckoning) is no fix",
			input: sentence("GPGGA,123519,3757.5,N,12117.4,W,6,00,,5.0,M,,M,,"),
			want:  alpr.Fix{Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC)},
			stats: gps.Stats{Sentences: 1},
		},
		{
			name:  "GSA saying no fix overrules RMC A",
			input: sentence(rmc) + sentence("GPGSA,A,1,,,,,,,,,,,,,99.9,99.9,99.9"),
			want:  alpr.Fix{Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC), HDOP: 99.9},
			stats: gps.Stats{Sentences: 2},
		},
		{
			name:  "bad checksum is counted and skipped",
			input: strings.Replace(sentence(rmc), "4807.038", "4807.039", 1),
			stats: gps.Stats{BadChecksum: 1},
		},
		{
			name:  "sentence without checksum is garbage",
			input: "$" + rmc + "\r\n",
			stats: gps.Stats{Garbage: 1},
		},
		{
			name:  "noise between sentences is one garbage run each",
			input: "\x00\xff\x13garbage\r\n" + sentence(rmc) + "~~~\n",
			want: alpr.Fix{Lat: 48 + 7.038/60, Lon: 11 + 31.0/60, Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC),
				SpeedMS: 22.4 * knot, Heading: 84.4, Quality: alpr.Fix2D},
			stats: gps.Stats{Sentences: 1, Garbage: 2},
		},
		{
			name:  "a sentence cut by dropped bytes does not spoil the next one",
			input: "$GPRMC,123518,A,48" + sentence(rmc),
			want: alpr.Fix{Lat: 48 + 7.038/60, Lon: 11 + 31.0/60, Time: time.Date(1994, 3, 23, 12, 35, 19, 0, time.UTC),
				SpeedMS: 22.4 * knot, Heading: 84.4, Quality: alpr.Fix2D},
			stats: gps.Stats{Sentences: 1, Garbage: 1},
		},
		{
			name:  "over-long line is garbage",
			input: "$GPTXT," + strings.Repeat("A", 4000) + "*00\r\n",
			stats: gps.Stats{Garbage: 1},
		},
		{
			name:  "satellites in view are well formed but not used",
			input: sentence("GPGSV,3,1,11,03,03,111,00,04,15,270,00,06,01,010,00,13,06,292,00"),
			stats: gps.Stats{Unsupported: 1},
		},
		{
			name:  "proprietary sentence is unsupported",
			input: sentence("PGRMT,GPS 17N,P,P,R,R,P,C,32,R"),
			stats: gps.Stats{Unsupported: 1},
		},
		{
			name:  "NaN latitude is garbage, not a position",
			input: sentence("GPGGA,123519,NaN,N,12117.4,W,1,07,1.1,5.0,M,,M,,"),
			stats: gps.Stats{Garbage: 1},
		},
		{
			name:  "field that is not a number is garbage",
			input: sentence("GPRMC,123519,A,48O7.038,N,01131.000,E,022.4,084.4,230394,003.1,W"),
			stats: gps.Stats{Garbage: 1},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := replay(t, tt.input, newClock(parseDay))
			got, _ := r.Current()
			assertFix(t, got, tt.want)
			st := r.Stats()
			st.Bytes, st.Reopens = 0, 0
			if st != tt.stats {
				t.Errorf("stats = %+v, want %+v", st, tt.stats)
			}
		})
	}
}

func TestParseLowerCaseChecksum(t *testing.T) {
	s := sentence("GPGSA,A,3,01,02,03,04,05,06,07,08,,,,,1.8,0.9,1.5") // checksum has hex letters
	lower := s[:len(s)-4] + strings.ToLower(s[len(s)-4:])
	if lower == s {
		t.Fatalf("test sentence %q has no hex letter in its checksum", s)
	}
	r := replay(t, lower, newClock(parseDay))
	if st := r.Stats(); st.Sentences != 1 || st.BadChecksum != 0 {
		t.Errorf("stats = %+v, want the sentence used", st)
	}
}

func assertFix(t *testing.T, got, want alpr.Fix) {
	t.Helper()
	near := func(a, b, tol float64) bool { return math.Abs(a-b) <= tol }
	if !near(got.Lat, want.Lat, 1e-9) || !near(got.Lon, want.Lon, 1e-9) || !got.Time.Equal(want.Time) ||
		!near(got.SpeedMS, want.SpeedMS, 1e-9) || !near(got.Heading, want.Heading, 1e-9) || got.Quality != want.Quality ||
		got.Satellites != want.Satellites || !near(got.HDOP, want.HDOP, 1e-9) {
		t.Errorf("fix =\n  %+v\nwant\n  %+v", got, want)
	}
}
