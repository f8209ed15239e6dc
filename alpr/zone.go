package alpr

import (
	"fmt"
	"image"
	"strconv"
	"strings"
)

// Zone is a part of a camera's view where the reader ignores what it reads: a clock or a
// unit number burned into the picture, the lettering on the car's own push bar. It is kept
// in fractions of the frame (0 at the left and top edges, 1 at the right and bottom), so it
// holds at whatever resolution the camera delivers.
type Zone struct{ X0, Y0, X1, Y1 float64 }

// ParseZone reads a zone written "x0,y0,x1,y1", e.g. "0,0,0.4,0.08" for a strip along the
// top left of the picture.
func ParseZone(s string) (Zone, error) {
	parts := strings.Split(s, ",")
	if len(parts) != 4 {
		return Zone{}, fmt.Errorf("zone %q: want x0,y0,x1,y1 in fractions of the frame, e.g. 0,0,0.4,0.08", s)
	}
	var v [4]float64
	for i, p := range parts {
		f, err := strconv.ParseFloat(strings.TrimSpace(p), 64)
		if err != nil || f < 0 || f > 1 {
			return Zone{}, fmt.Errorf("zone %q: %q is not a fraction between 0 and 1", s, strings.TrimSpace(p))
		}
		v[i] = f
	}
	z := Zone{v[0], v[1], v[2], v[3]}
	if z.X1 <= z.X0 || z.Y1 <= z.Y0 {
		return Zone{}, fmt.Errorf("zone %q: the second corner must be right of and below the first", s)
	}
	return z, nil
}

// String writes the zone in the form ParseZone reads.
func (z Zone) String() string {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	return f(z.X0) + "," + f(z.Y0) + "," + f(z.X1) + "," + f(z.Y1)
}

// In is the zone in the pixels of a frame of the given size.
func (z Zone) In(size image.Point) image.Rectangle {
	w, h := float64(size.X), float64(size.Y)
	return image.Rect(int(z.X0*w+0.5), int(z.Y0*h+0.5), int(z.X1*w+0.5), int(z.Y1*h+0.5))
}
