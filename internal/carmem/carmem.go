// Package cmem tunes the C allocator that OpenCV's frames and buffers come
// from. It is a process setting: main applies it at start, and benchmarks that
// measure the car's memory apply it as the car does.
package cmem

// #include <malloc.h>
import "C"

import "fmt"

// CarArenas is the arena cap the app runs with: two, one per core of the car's
// computer, which keeps allocation from threads of both cores contention-free
// enough while freed frames are reused.
const CarArenas = 2

// LimitArenas caps how many malloc arenas glibc keeps. By default every thread
// that allocates gets its own, up to eight per core; camera, reader and pane
// goroutines move between threads, so OpenCV's megabyte-sized frames end up
// spread over many arenas, each holding freed memory the others cannot use.
// Measured with three cameras (engine's BenchmarkThreeCameras, 40 s): peak RSS
// 309.8 MB with the default, 279.3 MB with two arenas. Call it before the
// cameras start: arenas already made are kept.
func LimitArenas(n int) error {
	if n < 1 {
		return fmt.Errorf("limit malloc arenas to %d: want at least 1", n)
	}
	if C.mallopt(C.M_ARENA_MAX, C.int(n)) != 1 {
		return fmt.Errorf("limit malloc arenas to %d: mallopt refused", n)
	}
	return nil
}
