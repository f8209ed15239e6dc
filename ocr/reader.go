package ocr

import (
	"errors"
	"fmt"
	"image"
	"math"
	"path/filepath"
	"sort"
	"sync"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
)

// ModelFile is the recognizer's file name inside a model directory.
const ModelFile = "plate-ctc.onnx"

// ErrEmptyFrame reports a frame with no pixels or of a type the reader cannot use.
var ErrEmptyFrame = errors.New("empty or unsupported frame")

// Options configure a Reader. The zero value of every field means its default.
type Options struct {
	// ModelDir holds ModelFile (usually assets/models).
	ModelDir string
	// MinConfidence drops reads whose whole-plate confidence is lower (default 0.1).
	MinConfidence float64
	// MinChars and MaxChars bound a plausible US plate (default 5 and 8).
	MinChars, MaxChars int
	// MaxCandidates caps how many localised regions are read per frame (default 10):
	// the recognizer is the costly step, so this bounds the time per frame.
	MaxCandidates int
	// Alternates is how many alternates each read carries (default 5, at least 3).
	Alternates int
	// MaxWorkSide shrinks frames whose longer side exceeds it before searching (default 1280):
	// plates in bigger frames are big enough to survive it, and it bounds the cost.
	MaxWorkSide int
}

func (o Options) withDefaults() Options {
	if o.MinConfidence == 0 {
		o.MinConfidence = 0.1
	}
	if o.MinChars == 0 {
		o.MinChars = 5
	}
	if o.MaxChars == 0 {
		o.MaxChars = 8
	}
	if o.MaxCandidates == 0 {
		o.MaxCandidates = 10
	}
	if o.Alternates < 3 {
		o.Alternates = 5
	}
	if o.MaxWorkSide == 0 {
		o.MaxWorkSide = 1280
	}
	return o
}

// PlateRead is one plate read in one frame.
type PlateRead struct {
	Plate      string           // normalised A–Z, 0–9
	Confidence float64          // chance the whole plate is right, in [0,1]
	CharConf   []float64        // one per character of Plate
	Alternates []alpr.Alternate // other readings, best first, each scored like Confidence
	Quad       [4]image.Point   // plate outline in the frame, clockwise from top-left
	Crop       gocv.Mat         // rectified plate, BGR; the caller closes it
}

// Box is the plate's bounding rectangle in the frame.
func (p PlateRead) Box() image.Rectangle { return bounds(p.Quad) }

// Reader finds and reads plates in frames. It is safe for concurrent use;
// calls are serialised because OpenCV's network keeps per-call state, so give
// each camera its own Reader to read in parallel.
type Reader struct {
	opt Options

	mu    sync.Mutex
	rec   *recognizer
	prop  *proposer
	rows  *rowFinder
	grey  gocv.Mat
	work  gocv.Mat
	plate gocv.Mat
}

// Open loads the recognizer from opt.ModelDir, checking the file first.
func Open(opt Options) (*Reader, error) {
	opt = opt.withDefaults()
	path := filepath.Join(opt.ModelDir, ModelFile)
	rec, err := openRecognizer(path)
	if err != nil {
		return nil, fmt.Errorf("open plate reader: %w", err)
	}
	return &Reader{
		opt:   opt,
		rec:   rec,
		prop:  newProposer([]float32{35, 50, 70, 100}),
		rows:  newRowFinder(defaultBinarisations),
		grey:  gocv.NewMat(),
		work:  gocv.NewMat(),
		plate: gocv.NewMat(),
	}, nil
}

// Close releases the network and the reader's buffers.
func (r *Reader) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rec == nil {
		return nil
	}
	err := r.rec.Close()
	r.prop.Close()
	r.rows.Close()
	r.grey.Close()
	r.work.Close()
	r.plate.Close()
	r.rec = nil
	return err
}

// candidate is a localised plate waiting to be read.
type candidate struct {
	quad  quadf
	score float64
}

// Read finds and reads the plates in a BGR (or grey) frame, best first.
func (r *Reader) Read(frame gocv.Mat) ([]PlateRead, error) {
	if frame.Empty() || frame.Cols() < 32 || frame.Rows() < 16 {
		return nil, fmt.Errorf("read plates: %w", ErrEmptyFrame)
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.rec == nil {
		return nil, errors.New("read plates: reader is closed")
	}
	switch frame.Type() {
	case gocv.MatTypeCV8UC3:
		gocv.CvtColor(frame, &r.work, gocv.ColorBGRToGray)
	case gocv.MatTypeCV8UC4:
		gocv.CvtColor(frame, &r.work, gocv.ColorBGRAToGray)
	case gocv.MatTypeCV8UC1:
		frame.CopyTo(&r.work)
	default:
		return nil, fmt.Errorf("read plates: pixel type %v, want 8-bit BGR, BGRA or grey: %w", frame.Type(), ErrEmptyFrame)
	}
	scale := 1.0
	if side := max(r.work.Cols(), r.work.Rows()); side > r.opt.MaxWorkSide {
		scale = float64(side) / float64(r.opt.MaxWorkSide)
		gocv.Resize(r.work, &r.grey, image.Pt(int(float64(r.work.Cols())/scale), int(float64(r.work.Rows())/scale)), 0, 0, gocv.InterpolationArea)
	} else {
		r.work.CopyTo(&r.grey)
	}

	cands := r.localise()
	var reads []PlateRead
	for _, c := range cands {
		pr, ok, err := r.readCandidate(frame, c, scale)
		if err != nil {
			closeReads(reads)
			return nil, fmt.Errorf("read plates: %w", err)
		}
		if ok {
			reads = append(reads, pr)
		}
	}
	return suppressOverlaps(reads), nil
}

// localise returns the best plate candidates of r.grey, strongest first.
func (r *Reader) localise() []candidate {
	var cands []candidate
	for _, p := range r.prop.propose(r.grey) {
		for _, row := range r.rows.find(r.grey, p) {
			cands = addCandidate(cands, candidate{plateQuad(row), row.score})
		}
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	if len(cands) > r.opt.MaxCandidates {
		cands = cands[:r.opt.MaxCandidates]
	}
	return cands
}

// addCandidate adds c unless a better candidate covers the same place.
func addCandidate(cands []candidate, c candidate) []candidate {
	b := bounds(c.quad.scaled(1))
	for i, o := range cands {
		if iou(bounds(o.quad.scaled(1)), b) > 0.5 {
			if c.score > o.score {
				cands[i] = c
			}
			return cands
		}
	}
	return append(cands, c)
}

// readCandidate rectifies one candidate and reads it; ok is false when the
// read is not a plausible plate.
func (r *Reader) readCandidate(frame gocv.Mat, c candidate, scale float64) (PlateRead, bool, error) {
	if err := warpQuad(r.grey, &r.plate, c.quad, image.Pt(cropW, cropH), gocv.InterpolationArea); err != nil {
		return PlateRead{}, false, err
	}
	rd, err := r.rec.read(r.opt.Alternates, r.plate)
	if err != nil {
		return PlateRead{}, false, err
	}
	if n := len(rd.plate); n < r.opt.MinChars || n > r.opt.MaxChars || rd.confidence < r.opt.MinConfidence || isLegend(rd.plate) {
		return PlateRead{}, false, nil
	}
	var full quadf
	for i, p := range c.quad {
		full[i] = [2]float64{p[0] * scale, p[1] * scale}
	}
	crop := gocv.NewMat()
	if err := warpQuad(frame, &crop, full, image.Pt(2*cropW, 2*cropH), gocv.InterpolationLinear); err != nil {
		crop.Close()
		return PlateRead{}, false, err
	}
	return PlateRead{
		Plate:      rd.plate,
		Confidence: rd.confidence,
		CharConf:   rd.charConf,
		Alternates: rd.alternates,
		Quad:       full.scaled(1),
		Crop:       crop,
	}, true, nil
}

// warpQuad cuts the quad out of src as an upright size-sized image. Where
// the quad runs off the frame the edge pixels are repeated, as in training.
func warpQuad(src gocv.Mat, dst *gocv.Mat, q quadf, size image.Point, interp gocv.InterpolationFlags) error {
	from := make([]gocv.Point2f, 4)
	for i, p := range q {
		if math.IsNaN(p[0]) || math.IsNaN(p[1]) {
			return errors.New("degenerate plate outline")
		}
		from[i] = gocv.Point2f{X: float32(p[0]), Y: float32(p[1])}
	}
	to := []gocv.Point2f{{X: 0, Y: 0}, {X: float32(size.X), Y: 0}, {X: float32(size.X), Y: float32(size.Y)}, {X: 0, Y: float32(size.Y)}}
	fv, tv := gocv.NewPoint2fVectorFromPoints(from), gocv.NewPoint2fVectorFromPoints(to)
	defer fv.Close()
	defer tv.Close()
	m := gocv.GetPerspectiveTransform2f(fv, tv)
	defer m.Close()
	gocv.WarpPerspectiveWithParams(src, dst, m, size, interp, gocv.BorderReplicate, color0)
	return nil
}

// suppressOverlaps keeps the most confident of reads whose outlines overlap
// (one plate found through two proposals), closing the crops it drops.
func suppressOverlaps(reads []PlateRead) []PlateRead {
	sort.SliceStable(reads, func(i, j int) bool { return reads[i].Confidence > reads[j].Confidence })
	var kept []PlateRead
	for _, rd := range reads {
		keep := true
		for _, k := range kept {
			if iou(rd.Box(), k.Box()) > 0.3 {
				keep = false
				break
			}
		}
		if keep {
			kept = append(kept, rd)
		} else {
			rd.Crop.Close()
		}
	}
	return kept
}

func closeReads(reads []PlateRead) {
	for _, rd := range reads {
		rd.Crop.Close()
	}
}
