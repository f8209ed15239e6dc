// Command verifycrops writes the colour crops of the reads the whole reader keeps in labelled
// photos, each marked a plate (its box overlaps a labelled plate, IoU >= 0.5) or other
// lettering (overlapping none, IoU < 0.3), for training the plate verifier
// (ocr/train/verify.py): its negatives are what the reader takes for a plate. Reads between
// the two overlap part of a plate and are written as "part", which training leaves out.
//
//	go run ./ocr/cmd/verifycrops -photos DIR -out DIR [-tune-only] [-min-confidence 0.02]
//
// With -tune-only the photos of the held half (ocr.HalfOf) are never read.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"image"
	"os"
	"path/filepath"
	"strings"

	"gocv.io/x/gocv"

	"patrol-alpr/ocr"
)

func main() {
	photos := flag.String("photos", "", "folder of photos with labels.csv (file,plate,x,y,w,h)")
	out := flag.String("out", "", "folder to write the crops and labels.csv into")
	model := flag.String("model", "assets/models", "model folder of the reader")
	tuneOnly := flag.Bool("tune-only", false, "read only the tune half of the photos (ocr.HalfOf)")
	minConf := flag.Float64("min-confidence", 0, "the reader's MinConfidence (0: its default); lower keeps more reads of other lettering")
	prefix := flag.String("prefix", "", "prefix of the written file names (several runs into one folder)")
	flag.Parse()
	if err := run(*photos, *out, *model, *prefix, *tuneOnly, *minConf); err != nil {
		fmt.Fprintln(os.Stderr, "verifycrops:", err)
		os.Exit(1)
	}
}

func run(photos, out, model, prefix string, tuneOnly bool, minConf float64) error {
	if photos == "" || out == "" {
		return fmt.Errorf("want -photos and -out")
	}
	labels, err := ocr.LoadLabels(photos)
	if err != nil {
		return err
	}
	boxes := map[string][]image.Rectangle{}
	var files []string
	for _, l := range labels {
		if tuneOnly && ocr.HalfOf(l.File) != ocr.HalfTune {
			continue
		}
		if _, ok := boxes[l.File]; !ok {
			files = append(files, l.File)
		}
		boxes[l.File] = append(boxes[l.File], l.Box)
	}
	r, err := ocr.Open(ocr.Options{ModelDir: model, MinConfidence: minConf})
	if err != nil {
		return err
	}
	defer r.Close()
	ocr.SetOpenCVThreads(1)
	if err := os.MkdirAll(out, 0o755); err != nil {
		return fmt.Errorf("make %s: %w", out, err)
	}
	path := filepath.Join(out, "labels.csv")
	_, statErr := os.Stat(path)
	f, err := os.OpenFile(path, os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644)
	if err != nil {
		return fmt.Errorf("open labels: %w", err)
	}
	defer f.Close()
	w := csv.NewWriter(f)
	if statErr != nil {
		w.Write([]string{"file", "source", "class", "read", "confidence", "iou"})
	}
	counts := map[string]int{}
	for _, name := range files {
		img := gocv.IMRead(filepath.Join(photos, name), gocv.IMReadColor)
		if img.Empty() {
			img.Close()
			return fmt.Errorf("cannot decode %s", name)
		}
		reads, err := r.Read(img)
		img.Close()
		if err != nil {
			return fmt.Errorf("%s: %w", name, err)
		}
		for i, rd := range reads {
			best := 0.0
			for _, b := range boxes[name] {
				best = max(best, ocr.IoU(rd.Box(), b))
			}
			class := classOf(best)
			file := fmt.Sprintf("%s%s-%d.png", prefix, strings.TrimSuffix(name, filepath.Ext(name)), i)
			if !gocv.IMWrite(filepath.Join(out, file), rd.Crop) {
				return fmt.Errorf("write %s", file)
			}
			w.Write([]string{file, name, class, rd.Plate, fmt.Sprintf("%.3f", rd.Confidence), fmt.Sprintf("%.3f", best)})
			counts[class]++
			rd.Crop.Close()
		}
	}
	w.Flush()
	fmt.Fprintf(os.Stderr, "verifycrops: %d photos: %d plates, %d other lettering, %d parts\n", len(files), counts["plate"], counts["other"], counts["part"])
	return w.Error()
}

// classOf is a read's class by its best overlap with a labelled plate: the plate (IoU ≥ 0.5),
// other lettering (under 0.3), or part of a plate between, which training leaves out.
func classOf(best float64) string {
	switch {
	case best >= 0.5:
		return "plate"
	case best < 0.3:
		return "other"
	}
	return "part"
}
