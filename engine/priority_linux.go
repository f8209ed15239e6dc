package engine

import "syscall"

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
