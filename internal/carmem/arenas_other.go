//go:build !(linux && cgo)

package carmem

import "fmt"

// LimitArenas is LimitArenas of glibc's allocator, which this build does not use
// (Windows' heap, or a build without cgo): it checks n and changes nothing.
func LimitArenas(n int) error {
	if n < 1 {
		return fmt.Errorf("limit malloc arenas to %d: want at least 1", n)
	}
	return nil
}
