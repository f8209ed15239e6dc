// Package carmem holds the memory settings the car's process runs with: the
// C allocator's arenas (OpenCV's frames and buffers come from it) and the Go
// collector's pace. main applies them at start, and benchmarks that measure
// the car's memory apply them as the car does.
package carmem

import (
	"os"
	"runtime/debug"
)

// Arenas is the arena cap the app runs with: two, one per core of the car's
// computer, which keeps allocation from threads of both cores contention-free
// enough while freed frames are reused.
const Arenas = 2

// GCPercent is how far the Go heap grows past what is live before the
// collector runs: half again, not Go's default of double. The reading side's
// garbage (a pane image and crops a frame) is short-lived, and the collector's
// extra work costs no frames now that reading a frame leaves a core room.
// Measured with three cameras (engine's BenchmarkThreeCameras, 20 s, twice
// each): peak RSS 280-289 MB at the default, 253-258 MB at 50, frames read
// 44.4-44.5 a second either way. A percentage, unlike a fixed limit, keeps
// pace with large hot lists, whose entries stay live all shift.
const GCPercent = 50

// Apply puts the car's settings in force: LimitArenas(Arenas), and
// GCPercent unless the environment sets GOGC. Call it before the cameras
// start: arenas already made are kept.
func Apply() error {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(GCPercent)
	}
	return LimitArenas(Arenas)
}
