package ocr

import (
	"context"
	"crypto/sha1"
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"io"
	"math"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
)

// PlateReader is what Evaluate measures: a Reader, or anything read like one.
type PlateReader interface {
	Read(frame gocv.Mat) ([]PlateRead, error)
}

// Labelled is one evaluation photo's ground truth.
type Labelled struct {
	File  string
	Plate string
	Box   image.Rectangle // empty for a crop that is the plate, edge to edge
	State string          // issuing state's two-letter code; "" when not labelled
}

// IsCrop tells whether the photo is a plate crop (no box: the plate fills it).
func (l Labelled) IsCrop() bool { return l.Box.Empty() }

// ImageResult is how the reader did on one photo.
type ImageResult struct {
	Labelled
	Read       string  // the read overlapping the labelled plate best; "" if none
	IoU        float64 // of that read's box with the labelled box
	InTop3     bool    // the plate was the read or one of its two best alternates
	FalseReads int     // reads that overlap no labelled plate
	ReadState  string  // the state named for the read scored; "" when none was named
	Millis     float64
	// Doubtful: the read scored is one the car shows as doubtful (alpr.DoubtfulBelow);
	// FalseDoubtful: how many of the false reads are.
	Doubtful      bool
	FalseDoubtful int
}

// Report sums up an evaluation run (the figures issue 3 asks for).
type Report struct {
	Images          int
	Top1            float64 // exact plate, best read
	Top3            float64 // exact plate within the best read and its two best alternates
	CharAccuracy    float64 // 1 - edit distance / plate length, averaged (at worst 0 a plate)
	DetectionRecall float64 // labelled plates with a read whose box has IoU >= 0.5
	FalsePerImage   float64
	MedianMillis    float64
	// State naming, over the photos whose state is labelled: of the states named, the share
	// right; the share of plates named at all; the share of California plates named right.
	StateLabelled, StateNamed, StateRight int
	StatePrecision, StateCoverage         float64
	CALabelled, CARight                   int
	// Reads shown as doubtful (alpr.DoubtfulBelow): of the wrong reads of a labelled
	// plate, of the right ones, and of the false reads.
	Wrong, WrongDoubtful, Right, RightDoubtful, FalseReads, FalseDoubtful int
	Results                                                               []ImageResult
}

// LoadLabels reads dir/labels.csv. Photos: a header naming file, plate, x, y, w, h (the
// plate's box) and optionally state; crops that are one plate each: file, plate and state
// with no box. A file without a header is read as photos, file,plate,x,y,w,h.
func LoadLabels(dir string) ([]Labelled, error) {
	path := filepath.Join(dir, "labels.csv")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load labels: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = -1
	col := map[string]int{"file": 0, "plate": 1, "x": 2, "y": 3, "w": 4, "h": 5}
	var out []Labelled
	for line := 1; ; line++ {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fmt.Errorf("load labels %s: %w", path, err)
		}
		if line == 1 && rec[0] == "file" {
			col = map[string]int{}
			for i, name := range rec {
				col[strings.TrimSpace(name)] = i
			}
			if _, ok := col["plate"]; !ok {
				return nil, fmt.Errorf("load labels %s: the header names no plate column", path)
			}
			continue
		}
		field := func(name string) (string, bool) {
			i, ok := col[name]
			if !ok || i >= len(rec) {
				return "", false
			}
			return strings.TrimSpace(rec[i]), true
		}
		file, _ := field("file")
		plate, ok := field("plate")
		if !ok || file == "" {
			return nil, fmt.Errorf("load labels %s:%d: want a file and a plate", path, line)
		}
		l := Labelled{File: file, Plate: alpr.NormalizePlate(plate)}
		if st, ok := field("state"); ok {
			l.State = strings.ToUpper(st)
		}
		if _, boxed := col["x"]; boxed {
			var n [4]int
			for i, name := range []string{"x", "y", "w", "h"} {
				v, _ := field(name)
				if n[i], err = strconv.Atoi(v); err != nil {
					return nil, fmt.Errorf("load labels %s:%d: column %s: %w", path, line, name, err)
				}
			}
			l.Box = image.Rect(n[0], n[1], n[0]+n[2], n[1]+n[3])
			if l.Box.Empty() {
				return nil, fmt.Errorf("load labels %s:%d: empty box", path, line)
			}
		}
		out = append(out, l)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("load labels %s: no photos listed", path)
	}
	return out, nil
}

// CropReader reads an image that is one plate edge to edge, as a labelled crop is
// (Reader.ReadCrop).
type CropReader interface {
	ReadCrop(crop gocv.Mat) (PlateRead, error)
}

// Evaluate runs the reader on every photo listed in dir/labels.csv and
// measures it. Text is scored on the read overlapping the labelled plate
// best, so a read of the right plate with a loose outline still counts as
// read; the outline itself is scored by DetectionRecall.
func Evaluate(ctx context.Context, r PlateReader, dir string) (Report, error) {
	return evaluateEach(ctx, dir, "", func(img gocv.Mat, l *Labelled) ([]PlateRead, error) {
		return readLabelled(r, img, *l)
	})
}

// evaluateEach reads every image listed in dir/labels.csv with read, timing it, and scores
// each against its label (which read may move, as a crop pasted elsewhere moves its box).
// how names the way of reading in errors ("" for the plain one).
func evaluateEach(ctx context.Context, dir, how string, read func(img gocv.Mat, l *Labelled) ([]PlateRead, error)) (Report, error) {
	labels, err := LoadLabels(dir)
	if err != nil {
		return Report{}, err
	}
	if how != "" {
		how = " " + how
	}
	results := make([]ImageResult, 0, len(labels))
	for _, l := range labels {
		if err := ctx.Err(); err != nil {
			return Report{}, fmt.Errorf("evaluate %s%s: %w", dir, how, err)
		}
		img := gocv.IMRead(filepath.Join(dir, l.File), gocv.IMReadColor)
		if img.Empty() {
			img.Close()
			return Report{}, fmt.Errorf("evaluate%s: cannot decode %s", how, filepath.Join(dir, l.File))
		}
		// Durations only: the monotonic clock, not an injected wall clock.
		start := time.Now()
		reads, err := read(img, &l)
		took := float64(time.Since(start).Microseconds()) / 1000
		img.Close()
		if err != nil {
			return Report{}, fmt.Errorf("evaluate %s%s: %w", l.File, how, err)
		}
		res := Score(l, reads)
		res.Millis = took
		closeReads(reads)
		results = append(results, res)
	}
	return summarise(results), nil
}

// readLabelled reads a photo with the reader, or a crop with its ReadCrop.
func readLabelled(r PlateReader, img gocv.Mat, l Labelled) ([]PlateRead, error) {
	if !l.IsCrop() {
		return r.Read(img)
	}
	cr, ok := r.(CropReader)
	if !ok {
		return nil, errors.New("this reader cannot read plate crops")
	}
	rd, err := cr.ReadCrop(img)
	if err != nil {
		return nil, err
	}
	return []PlateRead{rd}, nil
}

// summarise sums up the results of one photo each.
func summarise(results []ImageResult) Report {
	rep := Report{Images: len(results), Results: results}
	if len(results) == 0 {
		return rep
	}
	var top1, top3, det int
	var chars, falses float64
	ms := make([]float64, 0, len(results))
	for _, res := range results {
		if res.Read == res.Plate {
			top1++
		}
		if res.InTop3 {
			top3++
		}
		if res.IoU >= 0.5 {
			det++
		}
		chars += charAccuracy(res.Plate, res.Read)
		falses += float64(res.FalseReads)
		rep.tallyDoubt(res)
		if res.State != "" {
			rep.StateLabelled++
			if res.ReadState != "" {
				rep.StateNamed++
			}
			if res.ReadState == res.State {
				rep.StateRight++
			}
			if res.State == "CA" {
				rep.CALabelled++
				if res.ReadState == "CA" {
					rep.CARight++
				}
			}
		}
		ms = append(ms, res.Millis)
	}
	n := float64(len(results))
	rep.Top1, rep.Top3, rep.DetectionRecall = float64(top1)/n, float64(top3)/n, float64(det)/n
	rep.CharAccuracy, rep.FalsePerImage = chars/n, falses/n
	rep.MedianMillis = median(ms)
	if rep.StateNamed > 0 {
		rep.StatePrecision = float64(rep.StateRight) / float64(rep.StateNamed)
	}
	if rep.StateLabelled > 0 {
		rep.StateCoverage = float64(rep.StateNamed) / float64(rep.StateLabelled)
	}
	return rep
}

// tallyDoubt counts the photo's reads, and those shown as doubtful, by whether they are
// right, wrong or of no labelled plate.
func (rep *Report) tallyDoubt(res ImageResult) {
	rep.FalseReads += res.FalseReads
	rep.FalseDoubtful += res.FalseDoubtful
	switch {
	case res.Read == "":
	case res.Read == res.Plate:
		rep.Right++
		if res.Doubtful {
			rep.RightDoubtful++
		}
	default:
		rep.Wrong++
		if res.Doubtful {
			rep.WrongDoubtful++
		}
	}
}

// The halves a labelled set is split into, so that a choice (a parameter, a
// model) can be made on one and checked on photos it was not made on.
const (
	HalfTune = "tune"
	HalfHeld = "held"
)

// HalfOf is the half a labelled photo belongs to, fixed by its file name
// alone: tune where the first byte of the name's SHA-1 is even. Adding or
// removing photos moves no other photo between the halves.
func HalfOf(file string) string {
	if sha1.Sum([]byte(file))[0]%2 == 0 {
		return HalfTune
	}
	return HalfHeld
}

// Half is the report of the run's photos in one half (HalfOf), taken from
// the same reads.
func (rep Report) Half(half string) Report {
	var in []ImageResult
	for _, res := range rep.Results {
		if HalfOf(res.File) == half {
			in = append(in, res)
		}
	}
	return summarise(in)
}

// Score scores the reads of one labelled photo (or crop) as `eval` does: the text is the read
// overlapping the labelled plate best (any overlap; IoU ≥ 0.5 counts it found), its first two
// alternates make the top-3, and a read overlapping no labelled plate is a false read.
func Score(l Labelled, reads []PlateRead) ImageResult {
	res := ImageResult{Labelled: l}
	best := -1
	for i, rd := range reads {
		v := 1.0 // a crop is the plate: its one read is of it
		if !l.IsCrop() {
			v = IoU(rd.Box(), l.Box)
		}
		if v == 0 {
			res.FalseReads++
			if doubtful(rd) {
				res.FalseDoubtful++
			}
			continue
		}
		if v > res.IoU {
			res.IoU, best = v, i
		}
	}
	if best < 0 {
		return res
	}
	rd := reads[best]
	res.Read, res.ReadState, res.Doubtful = rd.Plate, rd.State, doubtful(rd)
	res.InTop3 = rd.Plate == l.Plate
	for _, a := range rd.Alternates[:min(2, len(rd.Alternates))] {
		res.InTop3 = res.InTop3 || a.Plate == l.Plate
	}
	return res
}

// doubtful says whether the car shows the read as doubtful.
func doubtful(rd PlateRead) bool { return alpr.Detection{Confidence: rd.Confidence}.Doubtful() }

// charAccuracy is 1 - edit distance / len(want), at worst 0.
func charAccuracy(want, got string) float64 {
	if want == "" {
		return 0
	}
	d := editDistance(want, got)
	return max(0, 1-float64(d)/float64(len(want)))
}

func editDistance(a, b string) int {
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := append([]float64(nil), xs...)
	sort.Float64s(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

// WriteTo prints the report for a person: the summary, then every photo the
// reader got wrong, those whose plate was among the read's alternates marked
// "in top-3".
func (rep Report) WriteTo(w io.Writer) (int64, error) {
	var b strings.Builder
	rep.summary(&b)
	for _, r := range rep.Results {
		if r.Read != r.Plate || r.IoU < 0.5 {
			top3 := ""
			if r.InTop3 && r.Read != r.Plate {
				top3 = "  in top-3"
			}
			fmt.Fprintf(&b, "  miss %-45s want %-8s read %-8s iou %.2f%s\n", r.File, r.Plate, r.Read, r.IoU, top3)
		}
	}
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

// WriteSummary prints the report's figures alone, without the misses.
func (rep Report) WriteSummary(w io.Writer) (int64, error) {
	var b strings.Builder
	rep.summary(&b)
	n, err := io.WriteString(w, b.String())
	return int64(n), err
}

func (rep Report) summary(b *strings.Builder) {
	fmt.Fprintf(b, "images            %d\n", rep.Images)
	fmt.Fprintf(b, "plate exact top-1 %.1f %%%s\n", 100*rep.Top1, interval(rep.Top1, rep.Images))
	fmt.Fprintf(b, "plate within top-3 %.1f %%%s\n", 100*rep.Top3, interval(rep.Top3, rep.Images))
	fmt.Fprintf(b, "character accuracy %.1f %%\n", 100*rep.CharAccuracy)
	if len(rep.Results) > 0 && rep.Results[0].IsCrop() {
		fmt.Fprintf(b, "plate crops, each read whole (no detection, no false reads)\n")
	} else {
		fmt.Fprintf(b, "detection recall  %.1f %% (box IoU >= 0.5)%s\n", 100*rep.DetectionRecall, interval(rep.DetectionRecall, rep.Images))
		fmt.Fprintf(b, "false reads/image %.2f\n", rep.FalsePerImage)
	}
	fmt.Fprintf(b, "median ms/image   %.1f\n", rep.MedianMillis)
	fmt.Fprintf(b, "shown doubtful    %d of %d wrong reads, %d of %d right", rep.WrongDoubtful, rep.Wrong, rep.RightDoubtful, rep.Right)
	if !(len(rep.Results) > 0 && rep.Results[0].IsCrop()) {
		fmt.Fprintf(b, ", %d of %d false", rep.FalseDoubtful, rep.FalseReads)
	}
	fmt.Fprintf(b, " (confidence under %.2f)\n", alpr.DoubtfulBelow)
	if rep.StateLabelled > 0 {
		fmt.Fprintf(b, "state precision   %.1f %% (%d right of %d named)%s\n", 100*rep.StatePrecision, rep.StateRight, rep.StateNamed, interval(rep.StatePrecision, rep.StateNamed))
		fmt.Fprintf(b, "state coverage    %.1f %% (%d named of %d plates)\n", 100*rep.StateCoverage, rep.StateNamed, rep.StateLabelled)
		if rep.CALabelled > 0 {
			fmt.Fprintf(b, "California right  %.1f %% (%d of %d)\n", 100*float64(rep.CARight)/float64(rep.CALabelled), rep.CARight, rep.CALabelled)
		}
	}
}

// interval is a share's 95 % Wilson score interval over n, as the summary prints it after
// the share: how far the figure of a set this size may lie from the reader's true rate
// (59 photos read 88 % right are as consistent with 78 % as with 94 %). Two readers
// compared on the same photos differ by less than their intervals suggest, but a gap
// inside one interval is no evidence on its own.
func interval(share float64, n int) string {
	if n == 0 {
		return ""
	}
	lo, hi := wilson(share, n)
	return fmt.Sprintf("  (95 %% interval %.1f-%.1f)", 100*lo, 100*hi)
}

// wilson is the 95 % Wilson score interval of a share p of n trials.
func wilson(p float64, n int) (lo, hi float64) {
	const z = 1.959964
	nf := float64(n)
	centre := (p + z*z/(2*nf)) / (1 + z*z/nf)
	half := z / (1 + z*z/nf) * math.Sqrt(p*(1-p)/nf+z*z/(4*nf*nf))
	return max(0, centre-half), min(1, centre+half)
}
