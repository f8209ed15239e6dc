package matcher

import (
	"syscall"
	"time"
)

// processCPU returns the CPU time of the whole process, garbage collector included.
// Benchmarks report it beside wall time because the build machine is shared: wall time
// there includes time spent waiting for a core, CPU time does not.
func processCPU() (time.Duration, bool) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, false
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), true
}
