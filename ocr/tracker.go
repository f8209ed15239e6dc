package ocr

import (
	"image"
	"sort"
	"time"

	"gocv.io/x/gocv"
)

// TrackerOptions configure a Tracker; zero fields take their defaults.
type TrackerOptions struct {
	// Window is how long a plate may go unseen before its pass is over
	// (default DefaultWindow): long enough to bridge frames where a wiper,
	// glare or another car hides it, short enough to report the pass
	// promptly (a hit is alerted at its first frame, not at the pass's end).
	Window time.Duration
	// MaxPass ends a pass that lasts longer than this (default 30 s), so a
	// plate parked in view is reported again now and then rather than never.
	MaxPass time.Duration
	// OneFrameConfidence is how sure the read of a plate seen in one frame
	// only must be for its pass to be reported (default 0.9). Lettering that
	// is no registration (a state name, a dealer's frame, a sign) flickers
	// into a single frame read unsure; a vehicle's plate is read in several.
	OneFrameConfidence float64
}

// DefaultWindow is Window's default. On the classroom's synthetic roads
// (three roads, 40 s each, every frame read at 10 frames/s; 109 plates in
// view), a vehicle hidden behind another gave a second pass of its plate 7
// times with a 1.5 s window, 5 with 3 s and none with 4 s or 5 s; the plates
// read right were the same 106 with each.
const DefaultWindow = 4 * time.Second

// Pass is one vehicle going by one camera: the best read of its plate,
// chosen by voting over the frames it was read in.
type Pass struct {
	Best   PlateRead // the most confident read of the winning plate, its State voted over the frames; caller closes Best.Crop
	BestAt time.Time // capture time of the frame that gave Best
	Votes  int       // frames that read the winning plate
	Frames int       // frames in which the vehicle's plate was read at all
	First  time.Time
	Last   time.Time
}

// track is a pass still in progress.
type track struct {
	votes  map[string]float64 // plate -> summed confidence
	counts map[string]int
	states map[string]float64   // state named -> summed state confidence, over every frame
	surest map[string]float64   // state named -> its most confident naming
	best   map[string]PlateRead // plate -> most confident read (crop owned by the track)
	bestAt map[string]time.Time
	frames int
	first  time.Time
	last   time.Time
	lastQ  [4]image.Point
}

// Tracker turns per-frame reads of one camera into one Pass per vehicle.
// It is not safe for concurrent use: each camera's loop owns its Tracker.
type Tracker struct {
	opt    TrackerOptions
	tracks []*track
}

// NewTracker returns a Tracker for one camera.
func NewTracker(opt TrackerOptions) *Tracker {
	if opt.Window <= 0 {
		opt.Window = DefaultWindow
	}
	if opt.MaxPass <= 0 {
		opt.MaxPass = 30 * time.Second
	}
	if opt.OneFrameConfidence == 0 {
		opt.OneFrameConfidence = 0.9
	}
	return &Tracker{opt: opt}
}

// Add records the reads of the frame captured at 'at' and returns the passes
// that this frame shows are over, oldest first. Add does not take the reads:
// it clones the crops it keeps, so the caller still closes its own.
func (t *Tracker) Add(at time.Time, reads []PlateRead) []Pass {
	taken := make([]bool, len(t.tracks))
	for _, rd := range reads {
		i := t.match(rd, taken)
		if i < 0 {
			t.tracks = append(t.tracks, &track{
				votes: map[string]float64{}, counts: map[string]int{},
				best: map[string]PlateRead{}, bestAt: map[string]time.Time{}, first: at,
			})
			taken = append(taken, false)
			i = len(t.tracks) - 1
		}
		taken[i] = true
		t.tracks[i].add(at, rd)
	}
	return t.finish(func(tr *track) bool {
		return at.Sub(tr.last) > t.opt.Window || at.Sub(tr.first) > t.opt.MaxPass
	})
}

// Flush ends every pass in progress (the camera stopped) and returns them.
func (t *Tracker) Flush() []Pass {
	return t.finish(func(*track) bool { return true })
}

// Close drops the passes in progress and their crops.
func (t *Tracker) Close() {
	for _, p := range t.Flush() {
		p.Best.Crop.Close()
	}
}

// match finds the open track a read continues: the same plate or one a
// misread away, near where that track was last seen or reading the same text.
func (t *Tracker) match(rd PlateRead, taken []bool) int {
	best, bestD := -1, 1<<30
	for i, tr := range t.tracks {
		if taken[i] {
			continue
		}
		near := IoU(bounds(tr.lastQ), rd.Box()) > 0 || nearby(tr.lastQ, rd.Quad)
		for plate := range tr.votes {
			d := editDistance(plate, rd.Plate)
			limit := 1 + len(rd.Plate)/4
			if near {
				limit = 3
			}
			if d <= limit && d < bestD {
				best, bestD = i, d
			}
		}
	}
	return best
}

// nearby reports whether two outlines are within a few plate widths: a car
// moves that far between frames a second apart, across the frame it does not.
func nearby(a, b [4]image.Point) bool {
	ra, rb := bounds(a), bounds(b)
	w := max(ra.Dx(), rb.Dx())
	dx := (ra.Min.X + ra.Max.X - rb.Min.X - rb.Max.X) / 2
	dy := (ra.Min.Y + ra.Max.Y - rb.Min.Y - rb.Max.Y) / 2
	return dx*dx+dy*dy <= 9*w*w
}

func (tr *track) add(at time.Time, rd PlateRead) {
	tr.frames++
	tr.last = at
	tr.lastQ = rd.Quad
	tr.votes[rd.Plate] += rd.Confidence
	tr.counts[rd.Plate]++
	if rd.State != "" {
		if tr.states == nil {
			tr.states, tr.surest = map[string]float64{}, map[string]float64{}
		}
		tr.states[rd.State] += rd.StateConfidence
		tr.surest[rd.State] = max(tr.surest[rd.State], rd.StateConfidence)
	}
	if old, ok := tr.best[rd.Plate]; !ok || rd.Confidence > old.Confidence {
		if ok {
			old.Crop.Close()
		}
		kept := rd
		kept.Crop = gocv.NewMat()
		if hasPixels(rd.Crop) {
			kept.Crop = rd.Crop.Clone()
		}
		tr.best[rd.Plate] = kept
		tr.bestAt[rd.Plate] = at
	}
}

// finish ends the tracks done says are over, returning their passes, but
// for a plate seen in one frame only and read unsure (OneFrameConfidence).
func (t *Tracker) finish(done func(*track) bool) []Pass {
	var out []Pass
	open := t.tracks[:0]
	for _, tr := range t.tracks {
		if !done(tr) {
			open = append(open, tr)
			continue
		}
		p := tr.pass()
		if p.Frames == 1 && p.Best.Confidence < t.opt.OneFrameConfidence {
			p.Best.Crop.Close()
			continue
		}
		out = append(out, p)
	}
	for i := len(open); i < len(t.tracks); i++ {
		t.tracks[i] = nil
	}
	t.tracks = open
	sort.SliceStable(out, func(i, j int) bool { return out[i].First.Before(out[j].First) })
	return out
}

// pass elects the plate with the most confidence summed over frames; ties go
// to the plate read more often, then to the lexically first for determinism.
func (tr *track) pass() Pass {
	var win string
	for p, v := range tr.votes {
		w := tr.votes[win]
		if win == "" || v > w || (v == w && (tr.counts[p] > tr.counts[win] || (tr.counts[p] == tr.counts[win] && p < win))) {
			win = p
		}
	}
	for p, rd := range tr.best {
		if p != win {
			rd.Crop.Close()
		}
	}
	best := tr.best[win]
	if best.State = tr.state(); best.State != "" {
		best.StateConfidence = tr.surest[best.State]
	}
	return Pass{Best: best, BestAt: tr.bestAt[win], Votes: tr.counts[win], Frames: tr.frames, First: tr.first, Last: tr.last}
}

// state is the state the pass's frames named, by their summed confidence: the best frame's
// read may have abstained where another frame saw the plate well enough to name it. Frames
// that name different states leave the pass with none unless one holds two thirds of the
// votes.
func (tr *track) state() string {
	var win string
	total := 0.0
	for st, v := range tr.states {
		total += v
		if win == "" || v > tr.states[win] || v == tr.states[win] && st < win {
			win = st
		}
	}
	if win == "" || 3*tr.states[win] < 2*total {
		return ""
	}
	return win
}

// hasPixels reports whether m holds an image; a zero gocv.Mat has no C
// object behind it and must not be asked.
func hasPixels(m gocv.Mat) bool { return m.Ptr() != nil && !m.Empty() }
