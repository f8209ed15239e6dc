package store_test

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// crashChildEnv switches the test binary into the child role of TestCrashSafety.
const crashChildEnv = "PATROL_ALPR_STORE_CRASH_CHILD"

// TestCrashSafety kills a process that is saving detections with SIGKILL, several
// times, and checks after each kill that every detection whose SaveDetection had
// returned is in the file and that the file is intact.
func TestCrashSafety(t *testing.T) {
	if path := os.Getenv(crashChildEnv); path != "" {
		crashChild(path) // never returns: the parent kills it
	}
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "alpr.db")
	rounds := 4
	if testing.Short() {
		rounds = 2
	}
	promised := map[int64]string{} // id -> uuid, for every save that returned
	for round := 0; round < rounds; round++ {
		cmd := exec.Command(os.Args[0], "-test.run=^TestCrashSafety$")
		cmd.Env = append(os.Environ(), crashChildEnv+"="+path)
		cmd.Stderr = os.Stderr
		out, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Kill after a varying number of saves, while the writers are mid-stream.
		killAfter := 40 + 37*round
		lines := bufio.NewScanner(out)
		seen := 0
		for lines.Scan() {
			id, uuid, ok := strings.Cut(lines.Text(), " ")
			n, err := strconv.ParseInt(id, 10, 64)
			if !ok || err != nil {
				t.Fatalf("child printed %q", lines.Text())
			}
			promised[n] = uuid
			if seen++; seen == killAfter {
				if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
					t.Fatal(err)
				}
			}
		}
		err = cmd.Wait()
		if ws, ok := cmd.ProcessState.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
			t.Fatalf("round %d: child ended with %v, not killed by SIGKILL", round, err)
		}
		if seen < killAfter {
			t.Fatalf("round %d: child printed only %d saves", round, seen)
		}

		checkIntegrity(t, path)
		db, err := store.Open(ctx, path, store.Options{})
		if err != nil {
			t.Fatalf("round %d: reopen after SIGKILL: %v", round, err)
		}
		for id, uuid := range promised {
			d, err := db.Detection(ctx, id)
			if err != nil {
				t.Fatalf("round %d: detection %d, saved before the kill: %v", round, id, err)
			}
			if d.UUID != uuid || !d.HasImages() {
				t.Fatalf("round %d: detection %d is %s (images %t), want %s with images", round, id, d.UUID, d.HasImages(), uuid)
			}
		}
		db.Close()
		t.Logf("round %d: killed after %d saves; %d promised detections all present", round, seen, len(promised))
	}
}

// crashChild saves detections from three writers (one per camera) until killed,
// printing "id uuid" after each SaveDetection returns.
func crashChild(path string) {
	ctx := context.Background()
	db, err := store.Open(ctx, path, store.Options{})
	if err != nil {
		fmt.Fprintln(os.Stderr, "crash child:", err)
		os.Exit(2)
	}
	var mu sync.Mutex
	var wg sync.WaitGroup
	for _, cam := range alpr.Cameras {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				d := detection(fmt.Sprintf("%dCRS%03d", i%10, i%1000), time.Now())
				d.Camera = cam
				d.SceneJPEG = make([]byte, 16<<10)
				if err := db.SaveDetection(ctx, d); err != nil {
					fmt.Fprintln(os.Stderr, "crash child:", err)
					os.Exit(2)
				}
				mu.Lock()
				fmt.Printf("%d %s\n", d.ID, d.UUID)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	os.Exit(0)
}
