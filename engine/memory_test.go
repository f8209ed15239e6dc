package engine

import (
	"bufio"
	"context"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
	"patrol-alpr/camera"
	"patrol-alpr/internal/carmem"
	"patrol-alpr/matcher"
	"patrol-alpr/ocr"
	"patrol-alpr/store"
	"patrol-alpr/synth"
)

// peakRSSMB is the process's peak resident memory (VmHWM), in MB.
func peakRSSMB(tb testing.TB) float64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		tb.Skipf("no /proc: %v", err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			kb, err := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			if err == nil {
				return kb / 1024
			}
		}
	}
	tb.Skip("no VmHWM in /proc/self/status")
	return 0
}

// countingReader counts the frames a reader was given.
type countingReader struct {
	*ocr.Reader
	n *atomic.Int64
}

func (c countingReader) Read(m gocv.Mat) ([]ocr.PlateRead, error) {
	c.n.Add(1)
	return c.Reader.Read(m)
}

// BenchmarkThreeCameras runs the reading side of the car — three synthetic 720p cameras at
// 15 frames/s, a reader each, the store and the matcher — for b.N seconds, and reports the
// frames read per second over all cameras, the frames each pane showed per second, and the
// process's peak memory (the UI is measured
// apart, in package app).
// TestMain applies the car's memory settings (C allocator arenas, Go collector pace) before
// anything allocates, as the app does at start (main.go), so the memory measured is the
// car's, not the defaults'.
func TestMain(m *testing.M) {
	if err := carmem.Apply(); err != nil {
		panic(err)
	}
	os.Exit(m.Run())
}

func BenchmarkThreeCameras(b *testing.B) {
	needModel(b)
	db, err := store.Open(context.Background(), filepath.Join(b.TempDir(), "car.db"), store.Options{})
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	ctx, cancel := context.WithCancel(context.Background())
	var read atomic.Int64
	var feeds []Feed
	var cams []*camera.Camera
	for i, id := range alpr.Cameras {
		sc, err := synth.NewScene(synth.SceneOptions{Seed: int64(i + 1)})
		if err != nil {
			b.Fatal(err)
		}
		c := camera.Start(ctx, id, camera.NewSynthetic(sc, 15), camera.Options{FPS: 15})
		cams = append(cams, c)
		feeds = append(feeds, c)
	}
	sl := newScreenLog()
	e := &Engine{
		Feeds: feeds,
		NewReader: func() (PlateReader, error) {
			r, err := ocr.Open(ocr.Options{ModelDir: modelDir})
			return countingReader{r, &read}, err
		},
		Recorder: db,
		HotLists: fixedLists{matcher.NewIndex(nil, nil)},
		Screen:   sl,
		Alerter:  &Alerter{Recorder: db, Screen: sl},
	}
	done := make(chan struct{})
	go func() { defer close(done); _ = e.Run(ctx) }()
	// Measure the steady state: the readers open and the first frames arrive first.
	time.Sleep(3 * time.Second)
	read0 := read.Load()
	sl.mu.Lock()
	shown0 := min(sl.frames[alpr.Cam1], sl.frames[alpr.Cam2], sl.frames[alpr.Cam3])
	sl.mu.Unlock()
	b.ResetTimer()
	time.Sleep(time.Duration(b.N) * time.Second)
	b.StopTimer()
	cancel()
	for _, c := range cams {
		c.Close()
	}
	<-done
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(read.Load()-read0)/float64(b.N), "frames-read/s")
	sl.mu.Lock()
	shown := min(sl.frames[alpr.Cam1], sl.frames[alpr.Cam2], sl.frames[alpr.Cam3]) - shown0
	sl.mu.Unlock()
	b.ReportMetric(float64(shown)/float64(b.N), "min-pane-fps")
	b.ReportMetric(peakRSSMB(b), "peak-rss-MB")
	b.ReportMetric(float64(ms.HeapInuse)/(1<<20), "heap-MB")
}
