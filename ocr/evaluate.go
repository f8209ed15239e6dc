package ocr

import (
	"context"
	"crypto/sha1"
	"encoding/csv"
	"errors"
	"fmt"
	"image"
	"io"
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
	Box   image.Rectangle
}

// ImageResult is how the reader did on one photo.
type ImageResult struct {
	Labelled
	Read       string  // the read overlapping the labelled plate best; "" if none
	IoU        float64 // of that read's box with the labelled box
	InTop3     bool    // the plate was the read or one of its two best alternates
	FalseReads int     // reads that overlap no labelled plate
	Millis     float64
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
	Results         []ImageResult
}

// LoadLabels reads dir/labels.csv: file,plate,x,y,w,h with a header line.
func LoadLabels(dir string) ([]Labelled, error) {
	path := filepath.Join(dir, "labels.csv")
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("load labels: %w", err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = 6
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
			continue
		}
		var n [4]int
		for i := range n {
			if n[i], err = strconv.Atoi(strings.TrimSpace(rec[2+i])); err != nil {
				return nil, fmt.Errorf("load labels %s:%d: column %d: %w", path, line, 3+i, err)
			}
		}
		out = append(out, Labelled{File: rec[0], Plate: alpr.NormalizePlate(rec[1]),
			Box: image.Rect(n[0], n[1], n[0]+n[2], n[1]+n[3])})
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("load labels %s: no photos listed", path)
	}
	return out, nil
}

// Evaluate runs the reader on every photo listed in dir/labels.csv and
// measures it. Text is scored on the read overlapping the labelled plate
// best, so a read of the right plate with a loose outline still counts as
// read; the outline itself is scored by DetectionRecall.
func Evaluate(ctx context.Context, r PlateReader, dir string) (Report, error) {
	labels, err := LoadLabels(dir)
	if err != nil {
		return Report{}, err
	}
	results := make([]ImageResult, 0, len(labels))
	for _, l := range labels {
		if err := ctx.Err(); err != nil {
			return Report{}, fmt.Errorf("evaluate %s: %w", dir, err)
		}
		img := gocv.IMRead(filepath.Join(dir, l.File), gocv.IMReadColor)
		if img.Empty() {
			img.Close()
			return Report{}, fmt.Errorf("evaluate: cannot decode %s", filepath.Join(dir, l.File))
		}
		// Durations only: the monotonic clock, not an injected wall clock.
		start := time.Now()
		reads, err := r.Read(img)
		took := float64(time.Since(start).Microseconds()) / 1000
		img.Close()
		if err != nil {
			return Report{}, fmt.Errorf("evaluate %s: %w", l.File, err)
		}
		res := score(l, reads)
		res.Millis = took
		closeReads(reads)
		results = append(results, res)
	}
	return summarise(results), nil
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
		ms = append(ms, res.Millis)
	}
	n := float64(len(results))
	rep.Top1, rep.Top3, rep.DetectionRecall = float64(top1)/n, float64(top3)/n, float64(det)/n
	rep.CharAccuracy, rep.FalsePerImage = chars/n, falses/n
	rep.MedianMillis = median(ms)
	return rep
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

func score(l Labelled, reads []PlateRead) ImageResult {
	res := ImageResult{Labelled: l}
	best := -1
	for i, rd := range reads {
		v := iou(rd.Box(), l.Box)
		if v == 0 {
			res.FalseReads++
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
	res.Read = rd.Plate
	res.InTop3 = rd.Plate == l.Plate
	for _, a := range rd.Alternates[:min(2, len(rd.Alternates))] {
		res.InTop3 = res.InTop3 || a.Plate == l.Plate
	}
	return res
}

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
	fmt.Fprintf(b, "plate exact top-1 %.1f %%\n", 100*rep.Top1)
	fmt.Fprintf(b, "plate within top-3 %.1f %%\n", 100*rep.Top3)
	fmt.Fprintf(b, "character accuracy %.1f %%\n", 100*rep.CharAccuracy)
	fmt.Fprintf(b, "detection recall  %.1f %% (box IoU >= 0.5)\n", 100*rep.DetectionRecall)
	fmt.Fprintf(b, "false reads/image %.2f\n", rep.FalsePerImage)
	fmt.Fprintf(b, "median ms/image   %.1f\n", rep.MedianMillis)
}
