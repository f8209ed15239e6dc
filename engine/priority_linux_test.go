package engine

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"testing"
)

// threadNice is the calling thread's niceness (field 19 of /proc/thread-self/stat).
func threadNice(t *testing.T) int {
	t.Helper()
	b, err := os.ReadFile("/proc/thread-self/stat")
	if err != nil {
		t.Skipf("no /proc/thread-self: %v", err)
	}
	s := string(b)
	fields := strings.Fields(s[strings.LastIndexByte(s, ')')+2:]) // after "pid (comm) "
	n, err := strconv.Atoi(fields[16])
	if err != nil {
		t.Fatal(err)
	}
	return n
}

// TestReaderThreadIsNicer: lowering a reader's priority lowers its own thread's only.
func TestReaderThreadIsNicer(t *testing.T) {
	base := threadNice(t)
	got := make(chan int)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if err := lowerThreadPriority(); err != nil {
			t.Error(err)
		}
		got <- threadNice(t)
	}()
	if n, want := <-got, min(base+readerNice, 19); n != want {
		t.Errorf("reader thread nice %d, want %d", n, want)
	}
	if n := threadNice(t); n != base {
		t.Errorf("the test's own thread went from nice %d to %d", base, n)
	}
}

// TestReaderThreadIsNamed: the name goes to the calling thread alone, as a profile by
// thread sees it (/proc/.../task/TID/comm).
func TestReaderThreadIsNamed(t *testing.T) {
	comm := func() string {
		b, err := os.ReadFile("/proc/thread-self/comm")
		if err != nil {
			t.Skipf("no /proc/thread-self: %v", err)
		}
		return strings.TrimSpace(string(b))
	}
	base := comm()
	got := make(chan string)
	go func() {
		runtime.LockOSThread() // never unlocked: the thread ends with the goroutine
		if err := nameThread(readerThread); err != nil {
			t.Error(err)
		}
		got <- comm()
	}()
	if name := <-got; name != readerThread {
		t.Errorf("reader thread named %q, want %q", name, readerThread)
	}
	if name := comm(); name != base {
		t.Errorf("the test's own thread went from %q to %q", base, name)
	}
}
