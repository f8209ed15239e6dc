package ocr

import (
	"image"
	"strings"
)

// Phantom plates (issue 22, point 5): lettering that reads cleanly but is no plate. What
// gives them away is where they are and how they are written, not how sure the network is
// (a burned-in clock reads at 0.99):
//   - a camera's date and time is burned into a strip along the frame's top or bottom edge,
//     and is digits: a read that is mostly digits and touches that strip is the overlay;
//   - a date or a time of day run together is eight digits or more, a layout no US plate
//     uses (none of the 730 plates of alpr-bench/crops);
//   - a clock or a sign is one line of text, which the localiser cuts into pieces of a
//     plate's size side by side: two reads of one height on one line, nearly touching, are
//     that line, for plates are never that close;
//   - a grille, a fence or a row of bolts reads as one character repeated;
//   - a plate's state name or caption, read apart from its registration, lies just above or
//     below a read of larger lettering, within its width (NEW JERSEY's JERSEY).

// edgeStrip is the share of the frame's height along its top and bottom edges where cameras
// burn in their date and time.
const edgeStrip = 0.03

// dropPhantoms keeps the reads that may be plates in a frame of the given size, closing the
// crops of those it drops.
func dropPhantoms(reads []PlateRead, frame image.Point) []PlateRead {
	drop := make([]bool, len(reads))
	for i, rd := range reads {
		drop[i] = overlayDigits(rd.Box(), rd.Plate, frame) || longDigits(rd.Plate) || repeated(rd.Plate)
		for j := range reads {
			if j != i && (sameLine(rd.Box(), reads[j].Box()) || stacked(rd.Box(), reads[j].Box())) {
				drop[i] = true
			}
		}
	}
	kept := reads[:0]
	for i, rd := range reads {
		if drop[i] {
			rd.Crop.Close()
			continue
		}
		kept = append(kept, rd)
	}
	return kept
}

// overlayDigits tells whether a read of plate at b is a burned-in clock: three quarters
// digits or more, touching the strip along the frame's top or bottom edge.
func overlayDigits(b image.Rectangle, plate string, frame image.Point) bool {
	strip := int(edgeStrip * float64(frame.Y))
	atEdge := b.Min.Y <= strip || b.Max.Y >= frame.Y-strip
	return atEdge && 4*digits(plate) >= 3*len(plate)
}

// longDigits tells whether plate is eight digits or more: a date or a time, not a plate.
func longDigits(plate string) bool {
	return len(plate) >= 8 && digits(plate) == len(plate)
}

// repeated tells whether one character makes up more than 60 % of plate (1111111, LLLLLL).
func repeated(plate string) bool {
	if len(plate) < 4 {
		return false
	}
	for _, c := range plate {
		if 5*strings.Count(plate, string(c)) > 3*len(plate) {
			return true
		}
	}
	return false
}

// sameLine tells whether outlines a and b are pieces of one line of text: of one height
// (within a third), overlapping through most of it, and side by side with a gap under half
// that height.
func sameLine(a, b image.Rectangle) bool {
	ha, hb := a.Dy(), b.Dy()
	if ha <= 0 || hb <= 0 || 3*max(ha, hb) > 4*min(ha, hb) {
		return false
	}
	overlap := min(a.Max.Y, b.Max.Y) - max(a.Min.Y, b.Min.Y)
	if 10*overlap < 7*min(ha, hb) {
		return false
	}
	// Outlines overlapping by more than half a height are one plate read twice, which
	// suppressOverlaps settles; side by side they are pieces of one line.
	gap := max(a.Min.X, b.Min.X) - min(a.Max.X, b.Max.X)
	return gap > -min(ha, hb)/2 && gap < (ha+hb)/4
}

// stacked tells whether outline a lies just above or below the taller outline b (by less
// than half b's height), its centre within b's width: the smaller lettering of the same plate.
func stacked(a, b image.Rectangle) bool {
	if 5*a.Dy() > 4*b.Dy() {
		return false
	}
	if cx := (a.Min.X + a.Max.X) / 2; cx < b.Min.X || cx > b.Max.X {
		return false
	}
	gap := max(a.Min.Y-b.Max.Y, b.Min.Y-a.Max.Y)
	return gap < b.Dy()/2
}

func digits(plate string) int {
	n := 0
	for _, c := range plate {
		if c >= '0' && c <= '9' {
			n++
		}
	}
	return n
}
