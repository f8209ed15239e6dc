package alpr

import "time"

// FixQuality is how good a GPS position is.
type FixQuality int

// Fix qualities, worst first, so a larger value is a better fix.
const (
	FixNone FixQuality = iota
	Fix2D
	Fix3D
	FixDGPS
)

func (q FixQuality) String() string {
	switch q {
	case Fix2D:
		return "2D"
	case Fix3D:
		return "3D"
	case FixDGPS:
		return "DGPS"
	default:
		return "none"
	}
}

// Fix is the car's position from the GPS at one instant.
// A zero Fix (Quality FixNone) means there was no position: detections keep it that way
// rather than inventing one.
type Fix struct {
	Lat        float64    `json:"lat"`
	Lon        float64    `json:"lon"`
	Time       time.Time  `json:"time"`     // when the receiver computed the fix
	SpeedMS    float64    `json:"speed_ms"` // ground speed, metres per second
	Heading    float64    `json:"heading"`  // degrees true
	Quality    FixQuality `json:"quality"`
	Satellites int        `json:"satellites"`
	HDOP       float64    `json:"hdop"`
}

// Valid reports whether the fix holds a usable position.
func (f Fix) Valid() bool { return f.Quality > FixNone }
