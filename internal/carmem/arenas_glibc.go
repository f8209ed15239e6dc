//go:build linux && cgo

package carmem

// #include <malloc.h>
import "C"

import "fmt"

// LimitArenas caps how many malloc arenas glibc keeps. By default every thread
// that allocates gets its own, up to eight per core; camera, reader and pane
// goroutines move between threads, so OpenCV's megabyte-sized frames end up
// spread over many arenas, each holding freed memory the others cannot use.
// Measured with three cameras (engine's BenchmarkThreeCameras, 40 s): peak RSS
// 309.8 MB with the default, 279.3 MB with two arenas.
func LimitArenas(n int) error {
	if n < 1 {
		return fmt.Errorf("limit malloc arenas to %d: want at least 1", n)
	}
	if C.mallopt(C.M_ARENA_MAX, C.int(n)) != 1 {
		return fmt.Errorf("limit malloc arenas to %d: mallopt refused", n)
	}
	return nil
}
