package ocr

import (
	"image"
	"os"
	"runtime"
	"syscall"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/synth"
)

func threadCPU() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(1, &ru) // RUSAGE_THREAD
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

type cpuClock struct{ start time.Duration }

func (c *cpuClock) reset()               { c.start = threadCPU() }
func (c *cpuClock) since() time.Duration { return threadCPU() - c.start }

func TestDebugStages(t *testing.T) {
	if os.Getenv("OCR_DEBUG_STAGES") == "" {
		t.Skip()
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	var clk cpuClock
	SetOpenCVThreads(1)
	frames := renderScene(t, synth.SceneOptions{Seed: 5}, 16, 500*time.Millisecond, 80)
	defer closeFrames(frames)
	if os.Getenv("OCR_DEBUG_STAGES") == "dev" {
		labels, _ := LoadLabels("/tmp/devsplit/tune")
		frames = nil
		for _, l := range labels[:20] {
			frames = append(frames, sceneFrame{img: gocv.IMRead("/tmp/devsplit/tune/"+l.File, gocv.IMReadColor)})
		}
	}
	r := openTestReader(t)
	var tGrey, tProp, tRows, tRec time.Duration
	var nProp, nRows int
	for rep := 0; rep < 3; rep++ {
		for _, f := range frames {
			clk.reset()
			gocv.CvtColor(f.img, &r.grey, gocv.ColorBGRToGray)
			if r.grey.Cols() > 1280 || r.grey.Rows() > 1280 {
				continue
			}
			tGrey += clk.since()
			clk.reset()
			ps := r.prop.propose(r.grey)
			tProp += clk.since()
			nProp += len(ps)
			clk.reset()
			var cands []candidate
			for _, p := range ps {
				for _, row := range r.rows.find(r.grey, p) {
					cands = addCandidate(cands, candidate{plateQuad(row), row.score})
				}
			}
			tRows += clk.since()
			nRows += len(cands)
			clk.reset()
			for _, c := range cands[:min(len(cands), 10)] {
				warpQuad(r.grey, &r.plate, c.quad, image.Pt(cropW, cropH), gocv.InterpolationArea)
				r.rec.read(r.plate, 5)
			}
			tRec += clk.since()
		}
	}
	n := time.Duration(3 * len(frames))
	t.Logf("per frame: grey %v proposals %v (%d) rows %v (%d cands) recognise %v", tGrey/n, tProp/n, nProp/int(n), tRows/n, nRows/int(n), tRec/n)
}
