package ocr

import (
	"encoding/binary"

	"gocv.io/x/gocv"
)

// componentStats reads the n x 5 int32 table ConnectedComponentsWithStats
// fills (left, top, width, height, area) in one copy: fetching it cell by
// cell costs a cgo call each, which dominated the search on noisy frames.
func componentStats(stats gocv.Mat, n int) [][5]int {
	b := stats.ToBytes()
	out := make([][5]int, 0, n)
	for i := 0; i < n && (i+1)*20 <= len(b); i++ {
		var row [5]int
		for j := range row {
			row[j] = int(int32(binary.LittleEndian.Uint32(b[i*20+j*4:])))
		}
		out = append(out, row)
	}
	return out
}
