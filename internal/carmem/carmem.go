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
// collector runs: a quarter again, not Go's default of double. The reading
// side's garbage (a pane image and crops a frame) is short-lived, and the
// collector costs little here: the whole window under load in classroom mode
// (scripts/window-load, 3 min, 2026-12-07) settled at 380-387 MB resident at
// 25 against 395-400 MB at 50, with the collector at 0.8 % of the CPU
// against 0.4 %, and the panes' frame rates within the runs' spread (earlier,
// engine's BenchmarkThreeCameras: 280-289 MB at Go's default, 253-258 MB at
// 50). A percentage, unlike a fixed limit, keeps pace with large hot lists,
// whose entries stay live all shift.
const GCPercent = 25

// Apply puts the car's settings in force: LimitArenas(Arenas), and
// GCPercent unless the environment sets GOGC. Call it before the cameras
// start: arenas already made are kept.
func Apply() error {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(GCPercent)
	}
	return LimitArenas(Arenas)
}
