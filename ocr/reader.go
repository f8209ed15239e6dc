package ocr

import (
	"errors"
	"fmt"
	"image"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strings"
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
	// MaxCandidates caps how many localised regions are read per frame (default 16):
	// the recognizer is the costly step, so this bounds the time per frame.
	MaxCandidates int
	// SureConfidence is the confidence from which a read is taken as it is;
	// a less sure read is read again through slightly moved crops (default 0.9).
	SureConfidence float64
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
	if o.SureConfidence == 0 {
		o.SureConfidence = 0.9
	}
	if o.MinChars == 0 {
		o.MinChars = 5
	}
	if o.MaxChars == 0 {
		o.MaxChars = 8
	}
	if o.MaxCandidates == 0 {
		o.MaxCandidates = 16
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
	// State is the issuing state's two-letter code, or "" when the reader is not sure enough
	// to name one; StateConfidence is the classifier's confidence in its best state either way.
	State           string
	StateConfidence float64
	// network is the network's read before the layout prior weighed its texts, for the
	// states' layouts to weigh them again (Reader.nameStates); nil once that is done.
	network *reading
}

// Box is the plate's bounding rectangle in the frame.
func (p PlateRead) Box() image.Rectangle { return bounds(p.Quad) }

// Reader finds and reads plates in frames. It is safe for concurrent use;
// calls are serialised because OpenCV's network keeps per-call state, so give
// each camera its own Reader to read in parallel.
type Reader struct {
	opt Options

	mu      sync.Mutex
	rec     *recognizer
	states  *stateClassifier // nil when the model folder has no state classifier
	verify  *verifier        // nil when the model folder has no plate verifier
	layouts *layouts
	prop    *proposer
	rows    *rowFinder
	glyph   *glyphFinder
	grey    gocv.Mat
	work    gocv.Mat
	crops   []gocv.Mat // the recognizer's input, grown to the most crops read at once
	read    int        // crops read since Open, for benchmarks
	scale   float64    // r.work's size over r.grey's, for the frame being read
}

// Open loads the recognizer and the plate layouts from opt.ModelDir,
// checking the files first.
func Open(opt Options) (*Reader, error) {
	opt = opt.withDefaults()
	rec, err := openRecognizer(filepath.Join(opt.ModelDir, ModelFile))
	if err != nil {
		return nil, fmt.Errorf("open plate reader: %w", err)
	}
	lay, err := loadLayouts(filepath.Join(opt.ModelDir, LayoutFile))
	if err != nil {
		rec.Close()
		return nil, fmt.Errorf("open plate reader: %w", err)
	}
	states, err := openStates(opt.ModelDir)
	if err != nil {
		rec.Close()
		return nil, fmt.Errorf("open plate reader: %w", err)
	}
	verify, err := openVerifier(opt.ModelDir)
	if err != nil {
		rec.Close()
		if states != nil {
			states.Close()
		}
		return nil, fmt.Errorf("open plate reader: %w", err)
	}
	return &Reader{
		opt:     opt,
		rec:     rec,
		states:  states,
		verify:  verify,
		layouts: lay,
		prop:    newProposer([]float32{35, 50, 70, 100}),
		rows:    newRowFinder(defaultBinarisations),
		glyph:   newGlyphFinder([]float64{0.75, 0.5, 0.25}),
		grey:    gocv.NewMat(),
		work:    gocv.NewMat(),
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
	if r.states != nil {
		r.states.Close()
	}
	if r.verify != nil {
		r.verify.Close()
	}
	r.prop.Close()
	r.rows.Close()
	r.glyph.Close()
	r.grey.Close()
	r.work.Close()
	for _, m := range r.crops {
		m.Close()
	}
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

	r.scale = scale
	looks, err := r.readAll(r.localise())
	if err != nil {
		return nil, fmt.Errorf("read plates: %w", err)
	}
	var reads []PlateRead
	for _, l := range looks {
		if !r.plausible(l.rd) {
			continue
		}
		rd := l.rd.withLayouts(r.layouts, r.opt.MinChars, r.opt.MaxChars, r.opt.Alternates)
		pr, err := r.plateRead(frame, l.at, l.q, rd, scale)
		if err != nil {
			closeReads(reads)
			return nil, fmt.Errorf("read plates: %w", err)
		}
		l.rd.beam = rd.beam // found once, weighed again in nameStates
		pr.network = &l.rd
		reads = append(reads, pr)
	}
	if r.verify != nil {
		if reads, err = r.verify.keepPlates(reads); err != nil {
			return nil, fmt.Errorf("read plates: %w", err)
		}
	}
	reads = dropPhantoms(suppressOverlaps(reads), image.Pt(frame.Cols(), frame.Rows()))
	if err := r.nameStates(reads, r.opt.MinChars); err != nil {
		closeReads(reads)
		return nil, fmt.Errorf("read plates: %w", err)
	}
	return reads, nil
}

// openStates opens the state classifier of a model folder, or none when the folder has
// neither of its files (a folder made before the reader named states); one file without
// the other is a broken folder.
func openStates(dir string) (*stateClassifier, error) {
	model, classes := filepath.Join(dir, StateModelFile), filepath.Join(dir, StateClassesFile)
	_, errM := os.Stat(model)
	_, errC := os.Stat(classes)
	if errors.Is(errM, fs.ErrNotExist) && errors.Is(errC, fs.ErrNotExist) {
		return nil, nil
	}
	return openStateClassifier(model, classes)
}

// nameStates names the issuing state of each read from its colour crop. Where the classes
// file asks for a text prior (stateMix), the read's text is first chosen again among the
// network's (pr.network; minChars the shortest plausible) with the layouts of the states the
// crop may show, and the state is then named from the picture and that text as before. The
// reads themselves (which of overlapping reads is kept, which phantoms go) were chosen with
// the share of all plates: a read the state's layouts change is less sure of its characters,
// and would lose to a cut-short read of the same plate.
func (r *Reader) nameStates(reads []PlateRead, minChars int) error {
	for i := range reads {
		pr := &reads[i]
		network := pr.network
		pr.network = nil
		if r.states == nil {
			continue
		}
		p, err := r.states.scores(pr.Crop)
		if err != nil {
			return fmt.Errorf("state of a plate's crop: %w", err)
		}
		if network != nil && r.states.counts != nil {
			pr.setText(network.withLayouts(r.states.textPrior(r.layouts, p), minChars, r.opt.MaxChars, r.opt.Alternates))
		}
		pr.State, pr.StateConfidence = r.states.nameFrom(p, pr.Plate)
	}
	return nil
}

// look is a candidate's best read so far: where the localiser put the plate,
// and the crop that gave the read. The crop shows what was read; the outline
// stays the localiser's, which views only borrow and the second look widens
// by the characters it adds.
type look struct {
	at, q quadf
	rd    reading
}

// secondLookWidth is how much wider the second look's crop is: one
// character more at either end of a seven-character plate.
const secondLookWidth = 1.3

// readAll reads every candidate and, where a read is in doubt, other crops
// of the same place, in rounds whose crops go through the network together
// (netBatch at a time).
//
// A read longer than any plate that has a gap standing out between its
// characters ran on into other lettering: the plate's part is read again
// (longestPart).
//
// A row that lost a character at an end (pressed against the frame, or
// beyond a sticker) gives a crop centred off the plate: a read that may be
// cut short gets a second look through a wider crop, kept where it holds the
// first read and more. A plausible read the network is unsure of is read
// again through slightly moved crops (the network was trained on outlines
// that stray as much), and the views pool their votes (pool).
func (r *Reader) readAll(cands []candidate) ([]look, error) {
	looks := make([]look, len(cands))
	qs := make([]quadf, len(cands))
	for i, c := range cands {
		looks[i] = look{at: c.quad, q: c.quad}
		qs[i] = c.quad
	}
	rds, err := r.recognise(qs)
	if err != nil {
		return nil, err
	}
	for i := range looks {
		looks[i].rd = rds[i]
	}

	var who []int
	qs = qs[:0]
	for i, l := range looks {
		if u0, u1, ok := r.longestPart(l.rd); ok {
			who, qs = append(who, i), append(qs, l.q.span(u0, u1))
		}
	}
	if rds, err = r.recognise(qs); err != nil {
		return nil, err
	}
	for k, i := range who {
		if r.plausible(rds[k]) && rds[k].confidence >= partConfidence {
			looks[i] = look{at: qs[k], q: qs[k], rd: rds[k]}
		}
	}

	who, qs = who[:0], qs[:0]
	for i, l := range looks {
		if r.mayBeShort(l.rd) {
			who, qs = append(who, i), append(qs, l.q.widened(secondLookWidth))
		}
	}
	if rds, err = r.recognise(qs); err != nil {
		return nil, err
	}
	for k, i := range who {
		l, wide := &looks[i], rds[k]
		if r.plausible(wide) && (!r.plausible(l.rd) || extends(wide.plate, wide.confidence, l.rd.plate, l.rd.confidence)) {
			// The outline grows with the characters the wider crop found.
			grow := min(secondLookWidth, float64(len(wide.plate))/float64(len(l.rd.plate)))
			if grow > 1 {
				l.at = l.at.widened(grow)
			}
			l.q, l.rd = qs[k], wide
		}
	}

	who, qs = who[:0], nil
	for i, l := range looks {
		if r.plausible(l.rd) && l.rd.confidence < r.opt.SureConfidence {
			for _, v := range l.q.views() {
				who, qs = append(who, i), append(qs, v)
			}
		}
	}
	if rds, err = r.recognise(qs); err != nil {
		return nil, err
	}
	r.pool(looks, who, qs, rds)
	return looks, nil
}

// pool settles each look that was read again through views (who[k] is the
// look view qs[k], read as rds[k], belongs to). One view's sure misreading
// should not outvote the rest, so every text is scored by its probability
// over every alignment (the CTC beam) summed over the first read and the
// views; the plausible text that scores most is kept, as read by the crop
// surest of it.
func (r *Reader) pool(looks []look, who []int, qs []quadf, rds []reading) {
	views := make(map[int][]look)
	for k, i := range who {
		views[i] = append(views[i], look{at: looks[i].at, q: qs[k], rd: rds[k]})
	}
	for i, vs := range views {
		all := append([]look{looks[i]}, vs...)
		score := make(map[string]float64)
		for _, v := range all {
			for _, t := range v.rd.texts() {
				score[t.text] += t.score
			}
		}
		best := 0 // the first read is plausible, or it had no views
		for j, v := range all {
			if !r.plausible(v.rd) {
				continue
			}
			s, b := score[v.rd.plate], score[all[best].rd.plate]
			if s > b || (s == b && v.rd.confidence > all[best].rd.confidence) {
				best = j
			}
		}
		looks[i] = all[best]
	}
}

// partGap is how many times wider than the typical spacing the widest gap
// between an over-long read's characters must be to cut the read there.
const partGap = 1.5

// partConfidence is how sure the read of a part must be to stand for the
// over-long read: junk rows (railings, text on a truck) cut anywhere give
// some plausible-looking part.
const partConfidence = 0.5

// longestPart finds, in a read longer than a plate (a row that ran on into
// other lettering: a plate mounted over another, a sign beside it), the
// part on the longer side of the widest gap between characters, where that
// gap stands out, and returns where the part lies along the crop (0 to 1)
// with a margin either side.
func (r *Reader) longestPart(rd reading) (u0, u1 float64, ok bool) {
	n := len(rd.cols)
	if n <= r.opt.MaxChars {
		return 0, 0, false
	}
	gaps := make([]float64, n-1)
	widest := 0
	for i := range gaps {
		gaps[i] = float64(rd.cols[i+1] - rd.cols[i])
		if gaps[i] > gaps[widest] {
			widest = i
		}
	}
	pitch := math.Max(1, median(gaps))
	if gaps[widest] < partGap*pitch {
		return 0, 0, false
	}
	// A character's spacing of margin at the plate's outer end; at the cut,
	// short of halfway across the gap, clear of the next lettering.
	cut := math.Max(0.5, gaps[widest]/2-0.5)
	first, last, before, after := 0, widest, pitch, cut
	if widest+1 < n-widest-1 {
		first, last, before, after = widest+1, n-1, cut, pitch
	}
	if last-first+1 < r.opt.MinChars {
		return 0, 0, false
	}
	cols := float64(len(rd.probs))
	return (float64(rd.cols[first]) + 0.5 - before) / cols, (float64(rd.cols[last]) + 0.5 + after) / cols, true
}

// mayBeShort tells whether a read may be a plate cut short: a few confident
// characters, or any plate shorter than the longest (MaxChars): an
// eight-character plate whose first character touched the frame reads as a
// confident seven.
func (r *Reader) mayBeShort(rd reading) bool {
	return len(rd.plate) >= 2 && len(rd.plate) < r.opt.MaxChars && rd.confidence >= 0.2
}

// plausible tells whether a read can be a plate.
func (r *Reader) plausible(rd reading) bool {
	n := len(rd.plate)
	return n >= r.opt.MinChars && n <= r.opt.MaxChars && rd.confidence >= r.opt.MinConfidence && !isLegend(rd.plate)
}

// recognise rectifies each quad (in work-frame coordinates) and reads them.
func (r *Reader) recognise(qs []quadf) ([]reading, error) {
	for len(r.crops) < len(qs) {
		r.crops = append(r.crops, gocv.NewMat())
	}
	for i, q := range qs {
		src := r.grey
		if r.scale > 1 {
			// The frame was shrunk to search it: read from its own pixels,
			// which a small plate needs.
			src, q = r.work, q.times(r.scale)
		}
		if err := warpQuad(src, &r.crops[i], q, image.Pt(cropW, cropH), gocv.InterpolationArea); err != nil {
			return nil, err
		}
	}
	r.read += len(qs)
	return r.rec.read(r.opt.Alternates, r.crops[:len(qs)])
}

// localise returns the best plate candidates of r.grey, strongest first.
func (r *Reader) localise() []candidate {
	var cands []candidate
	for _, p := range r.prop.propose(r.grey) {
		rows := r.rows.find(r.grey, p)
		for _, row := range rows {
			cands = addCandidate(cands, candidate{plateQuad(row), row.score})
		}
		if c, ok := bandCandidate(p, rows); ok {
			cands = addCandidate(cands, c)
		} else if len(rows) == 0 && plateShaped(p) {
			// No character row at all: a grille or a light, or a plate whose characters
			// motion blur or distance ran together. Read last, as a whole plate; the
			// recognizer and the phantom filter drop what is no plate.
			cands = addCandidate(cands, candidate{bandQuad(p), rowlessBand})
			if p.Dy() < 3*bandHeight {
				// A small plate seen whole is mostly surround: a plate in a dark
				// recess, or tilted, makes the band wider and taller than itself.
				// Its inner part is read too, after every other candidate.
				cands = addCandidate(cands, candidate{bandQuad(innerBand(p)), rowlessBand - 1})
			}
		}
	}
	for _, row := range r.glyph.rows(r.grey, r.prop.half) {
		cands = addCandidate(cands, candidate{plateQuad(row), row.score})
	}
	sort.SliceStable(cands, func(i, j int) bool { return cands[i].score > cands[j].score })
	if len(cands) > r.opt.MaxCandidates {
		cands = cands[:r.opt.MaxCandidates]
	}
	return cands
}

// bandCandidate is proposal band p taken as a whole plate, where it is shaped
// like one and the rows found in it are no tidy plate number (faint or glared
// characters, broken into pieces or split from the rest): the recognizer
// reads whole plates, so the band is read as one too. A band with no
// character-like row at all is more often a grille or a light than a plate:
// localise reads it last (rowlessBand).
func bandCandidate(p image.Rectangle, rows []charRow) (candidate, bool) {
	best := bestScore(rows)
	if len(rows) == 0 || best >= goodRow || !plateShaped(p) {
		return candidate{}, false
	}
	return candidate{bandQuad(p), best - bandBelow}, true
}

// rowlessBand is the rank of a plate-shaped band with no character row in it: below every
// candidate with one.
const rowlessBand = -1e6

// bandBelow is how far a band read as a whole plate ranks below the row
// found in it: where candidates are many, rows are read first.
const bandBelow = 1.0

// addCandidate adds c unless a better candidate covers the same place.
func addCandidate(cands []candidate, c candidate) []candidate {
	b := bounds(c.quad.scaled(1))
	for i, o := range cands {
		if IoU(bounds(o.quad.scaled(1)), b) > 0.8 {
			if c.score > o.score {
				cands[i] = c
			}
			return cands
		}
	}
	return append(cands, c)
}

// plateRead is the read rd of the plate localised at work-frame quad at and
// read through quad q, with its crop cut from the full-resolution frame.
func (r *Reader) plateRead(frame gocv.Mat, at, q quadf, rd reading, scale float64) (PlateRead, error) {
	full, outline := q.times(scale), at.times(scale).outline()
	crop := gocv.NewMat()
	if err := warpQuad(frame, &crop, full, image.Pt(2*cropW, 2*cropH), gocv.InterpolationLinear); err != nil {
		crop.Close()
		return PlateRead{}, err
	}
	pr := PlateRead{Quad: outline.scaled(1), Crop: crop}
	pr.setText(rd)
	return pr, nil
}

// setText sets what pr says of the plate's text from rd.
func (pr *PlateRead) setText(rd reading) {
	pr.Plate, pr.Confidence, pr.CharConf, pr.Alternates = rd.plate, rd.confidence, rd.charConf, rd.alternates
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
// (one plate found through two proposals), and of two reads one of which
// lies mostly inside the other, the larger: that is other lettering on the
// same plate (its state name, a caption, a dealer's frame), and the
// registration is a plate's largest lettering. It closes the crops it drops.
func suppressOverlaps(reads []PlateRead) []PlateRead {
	sort.SliceStable(reads, func(i, j int) bool { return reads[i].Confidence > reads[j].Confidence })
	var kept []PlateRead
	for _, rd := range reads {
		keep := true
		for i, k := range kept {
			a, b := rd.Box(), k.Box()
			switch {
			case IoU(a, b) > 0.3:
				if extends(rd.Plate, rd.Confidence, k.Plate, k.Confidence) {
					kept[i], rd = rd, k
				}
			case within(a, b) > lettering:
				if area(a) > area(b) {
					kept[i], rd = rd, k
				}
			default:
				continue
			}
			keep = false
			break
		}
		if keep {
			kept = append(kept, rd)
		} else {
			rd.Crop.Close()
		}
	}
	return kept
}

// lettering is the share of the smaller of two reads' outlines that must lie
// inside the larger for the two to be one plate's lettering.
const lettering = 0.6

// within is the share of the smaller rectangle that lies inside the other.
func within(a, b image.Rectangle) float64 {
	small := min(area(a), area(b))
	if small == 0 {
		return 0
	}
	return float64(area(a.Intersect(b))) / float64(small)
}

func area(r image.Rectangle) int { return r.Dx() * r.Dy() }

// extends tells whether the read long (with its confidence), of the same
// plate as the more confident short, is short with characters a narrower
// crop cut off. Every extra character lowers a read's confidence, so the
// confidences alone would keep the truncated read; a fair share of it is
// enough for the longer one.
func extends(long string, longConf float64, short string, shortConf float64) bool {
	return len(long) > len(short) && strings.Contains(long, short) && longConf >= extendShare*shortConf
}

// extendShare is how much less confident a read holding another may be and
// still replace it.
const extendShare = 0.25

func closeReads(reads []PlateRead) {
	for _, rd := range reads {
		rd.Crop.Close()
	}
}
