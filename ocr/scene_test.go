package ocr

import (
	"image"
	"sort"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

// sceneFrame is one rendered traffic frame with the plates in it.
type sceneFrame struct {
	at     time.Duration
	img    gocv.Mat
	truths []synth.Truth
}

// renderScene draws n frames of synthetic traffic (issue 3's synthetic
// source), one every step, keeping only frames with at least one plate at
// least minWidth px wide in view. The caller closes the frames.
func renderScene(t testing.TB, opt synth.SceneOptions, n int, step time.Duration, minWidth int) []sceneFrame {
	t.Helper()
	s, err := synth.NewScene(opt)
	if err != nil {
		t.Fatal(err)
	}
	rgba := image.NewRGBA(s.Bounds())
	var out []sceneFrame
	for at := time.Duration(0); len(out) < n && at < 10*time.Minute; at += step {
		truths, err := s.Render(at, rgba)
		if err != nil {
			t.Fatal(err)
		}
		var big []synth.Truth
		for _, tr := range truths {
			if b := bounds(tr.Quad); b.Dx() >= minWidth && b.In(s.Bounds()) {
				big = append(big, tr)
			}
		}
		if len(big) == 0 {
			continue
		}
		m, err := gocv.ImageToMatRGB(rgba)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, sceneFrame{at, m, big})
	}
	if len(out) < n {
		t.Fatalf("only %d frames with a plate in view", len(out))
	}
	return out
}

func closeFrames(fs []sceneFrame) {
	for _, f := range fs {
		f.img.Close()
	}
}

// TestReadSyntheticTraffic reads rendered day and infrared traffic, where
// the truth is known exactly, and checks plates are found where they are and
// read as printed.
func TestReadSyntheticTraffic(t *testing.T) {
	r := openTestReader(t)
	for _, light := range []synth.Light{synth.Day, synth.Infrared} {
		t.Run(light.String(), func(t *testing.T) {
			frames := renderScene(t, synth.SceneOptions{Seed: 11, Light: light}, 12, 700*time.Millisecond, 100)
			defer closeFrames(frames)
			var plates, found, exact int
			for _, f := range frames {
				reads, err := r.Read(f.img)
				if err != nil {
					t.Fatal(err)
				}
				for _, tr := range f.truths {
					plates++
					for _, rd := range reads {
						if IoU(rd.Box(), bounds(tr.Quad)) >= 0.3 {
							found++
							if rd.Plate == tr.Plate {
								exact++
							} else {
								t.Logf("%v: %s read as %s (%.2f)", f.at, tr.Plate, rd.Plate, rd.Confidence)
							}
							break
						}
					}
				}
				for _, rd := range reads {
					if rd.Crop.Rows() != 2*cropH || rd.Crop.Cols() != 2*cropW {
						t.Errorf("crop is %dx%d", rd.Crop.Cols(), rd.Crop.Rows())
					}
					if len(rd.CharConf) != len(rd.Plate) || len(rd.Alternates) < 3 {
						t.Errorf("read %s has %d char confidences and %d alternates", rd.Plate, len(rd.CharConf), len(rd.Alternates))
					}
				}
				closeReads(reads)
			}
			t.Logf("%s: %d plates, %d found, %d read exactly", light, plates, found, exact)
			if found*10 < plates*9 || exact*10 < plates*8 {
				t.Errorf("%d plates: found %d, read %d exactly", plates, found, exact)
			}
		})
	}
}

func TestReadBadFrames(t *testing.T) {
	r := openTestReader(t)
	tiny := gocv.NewMatWithSize(4, 4, gocv.MatTypeCV8UC3)
	defer tiny.Close()
	empty := gocv.NewMat()
	defer empty.Close()
	float := gocv.NewMatWithSize(100, 200, gocv.MatTypeCV32F)
	defer float.Close()
	blank := gocv.NewMatWithSize(720, 1280, gocv.MatTypeCV8UC3)
	defer blank.Close()
	smallest := gocv.NewMatWithSize(16, 32, gocv.MatTypeCV8UC3) // the glyph pyramid's top level is 8x4
	defer smallest.Close()
	odd := gocv.NewMatWithSize(33, 47, gocv.MatTypeCV8UC1)
	defer odd.Close()
	tests := []struct {
		name    string
		frame   gocv.Mat
		wantErr bool
	}{
		{"empty", empty, true},
		{"tiny", tiny, true},
		{"float pixels", float, true},
		{"black frame", blank, false},
		{"smallest frame read", smallest, false},
		{"odd-sized grey frame", odd, false},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			reads, err := r.Read(tc.frame)
			closeReads(reads)
			if (err != nil) != tc.wantErr {
				t.Fatalf("error %v, want error %v", err, tc.wantErr)
			}
			if !tc.wantErr && len(reads) != 0 {
				t.Errorf("%d plates read in a black frame", len(reads))
			}
		})
	}
}

// BenchmarkReadFrame720p is the whole pipeline on 1280x720 traffic frames
// with a plate in view, OpenCV held to one thread (run with -cpu 1): issue 3
// asks for at least 30 frames/s. Two roads: "any-state", every plate of a
// random state, design and layout (the frames this benchmark has always read),
// and "california", the classroom's road: four in five plates California's,
// each plate in its state's own serials (AB 12345 in Illinois, A12 BCD in New
// Jersey), which are rarer among real plates' layouts, so the reader reads
// more of them again through moved crops.
func BenchmarkReadFrame720p(b *testing.B) {
	for _, road := range []struct {
		name string
		opt  synth.SceneOptions
	}{
		{"any-state", synth.SceneOptions{Seed: 5}},
		{"california", synth.SceneOptions{Seed: 5, HomeShare: 0.8, StateSerials: true}},
	} {
		b.Run(road.name, func(b *testing.B) {
			SetOpenCVThreads(1)
			defer SetOpenCVThreads(-1)
			frames := renderScene(b, road.opt, 16, 500*time.Millisecond, 80)
			defer closeFrames(frames)
			imgs := make([]gocv.Mat, len(frames))
			for i, f := range frames {
				imgs[i] = f.img
			}
			benchmarkRead(b, imgs)
		})
	}
}

// benchmarkRead reads every frame once an op, so the figures always cover
// the whole set, and reports frames/s, the median and p95 ms a frame, and the
// crops the recognizer read a frame.
func benchmarkRead(b *testing.B, frames []gocv.Mat) {
	r := openTestReader(b)
	var took []float64
	for b.Loop() {
		for _, f := range frames {
			start := time.Now()
			reads, err := r.Read(f)
			took = append(took, float64(time.Since(start).Microseconds())/1000)
			if err != nil {
				b.Fatal(err)
			}
			closeReads(reads)
		}
	}
	sort.Float64s(took)
	b.ReportMetric(float64(len(took))/b.Elapsed().Seconds(), "frames/s")
	b.ReportMetric(took[len(took)/2], "median-ms")
	b.ReportMetric(took[len(took)*95/100], "p95-ms")
	b.ReportMetric(float64(r.read)/float64(len(took)), "crops/frame")
}
