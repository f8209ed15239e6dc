package engine

import (
	"fmt"
	"syscall"
	"unsafe"
)

// readerNice is the niceness of the readers' threads: ten steps below the rest of the app
// gives them about a tenth of a busy core's time against a thread at normal priority, and
// the whole core when nothing else wants it.
const readerNice = 10

// lowerThreadPriority makes the calling thread nicer by readerNice; the caller has
// locked its goroutine to the thread. On Linux a niceness set for a thread id applies
// to that thread alone.
func lowerThreadPriority() error {
	tid := syscall.Gettid()
	prio, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
	if err != nil {
		return err
	}
	// The raw getpriority system call returns 20 - nice.
	return syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-prio+readerNice, 19))
}

// readerThread is the name the readers' threads carry (at most 15 bytes), so that a
// profile of the app by thread (scripts/window-load, top -H) tells the reading, which
// takes what the cores have left, from the rest of the app.
const readerThread = "alpr-reader"

// nameThread names the calling thread; the caller has locked its goroutine to it.
func nameThread(name string) error {
	b := append([]byte(name), 0)
	if _, _, errno := syscall.RawSyscall(syscall.SYS_PRCTL, syscall.PR_SET_NAME, uintptr(unsafe.Pointer(&b[0])), 0); errno != 0 {
		return fmt.Errorf("name thread %q: %w", name, errno)
	}
	return nil
}
