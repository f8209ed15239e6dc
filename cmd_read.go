package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"image"
	"io"
	"os"
	"path/filepath"
	"strings"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
	"patrol-alpr/car"
	"patrol-alpr/ocr"
)

// readLine is one plate read, as `patrol-alpr read --json` prints it (documented in README.md).
type readLine struct {
	File       string           `json:"file"`
	Frame      int              `json:"frame"`
	Plate      string           `json:"plate"`
	Confidence float64          `json:"confidence"`
	Alternates []alpr.Alternate `json:"alternates"`
	Box        [4]int           `json:"box"`  // x, y, w, h in pixels
	Quad       [4]image.Point   `json:"quad"` // corners, clockwise from top-left
	// State is the issuing state's two-letter code and StateConfidence the classifier's
	// confidence in it; "" and null when the reader abstains (not sure enough, or a model
	// folder without the state classifier).
	State           string   `json:"state"`
	StateConfidence *float64 `json:"state_confidence"`
}

var imageExts = map[string]bool{".jpg": true, ".jpeg": true, ".png": true, ".bmp": true, ".tif": true, ".tiff": true, ".webp": true}

func cmdRead(ctx context.Context, args []string, _ *os.File, stdout io.Writer) error {
	fs := flag.NewFlagSet("read", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "one JSON object a line")
	modelDir := fs.String("model", "", "directory of the recognizer model (default: built in)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return errors.New("read: name at least one image or video file")
	}
	r, err := car.OpenReader(*modelDir)
	if err != nil {
		return err
	}
	defer r.Close()
	enc := json.NewEncoder(stdout)
	var failed []string
	for _, file := range fs.Args() {
		err := readFile(ctx, r, file, func(l readLine) error {
			if *asJSON {
				return enc.Encode(l)
			}
			_, err := fmt.Fprintf(stdout, "%s\t%d\t%s\t%.2f\n", l.File, l.Frame, l.Plate, l.Confidence)
			return err
		})
		if err != nil {
			failed = append(failed, err.Error())
		}
	}
	if len(failed) > 0 {
		return fmt.Errorf("read: %s", strings.Join(failed, "; "))
	}
	return nil
}

// readFile reads every frame of an image or video and reports each plate read.
func readFile(ctx context.Context, r *ocr.Reader, file string, emit func(readLine) error) error {
	if imageExts[strings.ToLower(filepath.Ext(file))] {
		img := gocv.IMRead(file, gocv.IMReadColor)
		defer img.Close()
		if img.Empty() {
			return fmt.Errorf("%s: not a readable image", file)
		}
		return readFrame(r, file, 0, img, emit)
	}
	vc, err := gocv.OpenVideoCapture(file)
	if err != nil {
		return fmt.Errorf("%s: open video: %w", file, err)
	}
	defer vc.Close()
	frame := gocv.NewMat()
	defer frame.Close()
	n := 0
	for ; ctx.Err() == nil && vc.Read(&frame); n++ {
		if frame.Empty() {
			break
		}
		if err := readFrame(r, file, n, frame, emit); err != nil {
			return err
		}
	}
	if n == 0 {
		return fmt.Errorf("%s: no frames (not an image or a video OpenCV can decode)", file)
	}
	return ctx.Err()
}

func readFrame(r *ocr.Reader, file string, n int, img gocv.Mat, emit func(readLine) error) error {
	reads, err := r.Read(img)
	if err != nil {
		return fmt.Errorf("%s frame %d: %w", file, n, err)
	}
	defer func() {
		for _, rd := range reads {
			rd.Crop.Close()
		}
	}()
	for _, rd := range reads {
		b := rd.Box()
		l := readLine{File: file, Frame: n, Plate: rd.Plate, Confidence: rd.Confidence,
			Alternates: rd.Alternates, Box: [4]int{b.Min.X, b.Min.Y, b.Dx(), b.Dy()}, Quad: rd.Quad, State: rd.State}
		if rd.State != "" {
			l.StateConfidence = &rd.StateConfidence
		}
		if err := emit(l); err != nil {
			return err
		}
	}
	return nil
}

func cmdEval(ctx context.Context, args []string, _ *os.File, stdout io.Writer) error {
	fs := flag.NewFlagSet("eval", flag.ContinueOnError)
	modelDir := fs.String("model", "", "directory of the recognizer model (default: built in)")
	inCanvas := fs.Bool("in-canvas", false, "read each plate crop pasted into a grey canvas three times its size, through the whole reader (it finds and cuts the plate itself)")
	halves := fs.Bool("halves", false, "also the figures of the two halves by file name: "+ocr.HalfTune+" (where choices are made) and "+ocr.HalfHeld+" (where they are checked)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() != 1 {
		return errors.New("eval: name one folder holding labels.csv")
	}
	r, err := car.OpenReader(*modelDir)
	if err != nil {
		return err
	}
	defer r.Close()
	ocr.SetOpenCVThreads(1) // the figures are per core, as the car runs them
	evaluate := ocr.Evaluate
	if *inCanvas {
		evaluate = ocr.EvaluateInCanvas
	}
	rep, err := evaluate(ctx, r, fs.Arg(0))
	if err != nil {
		return fmt.Errorf("eval %s: %w", fs.Arg(0), err)
	}
	if _, err := rep.WriteTo(stdout); err != nil || !*halves {
		return err
	}
	for _, h := range []string{ocr.HalfTune, ocr.HalfHeld} {
		fmt.Fprintf(stdout, "\nhalf %s (the same reads):\n", h)
		if _, err := rep.Half(h).WriteSummary(stdout); err != nil {
			return err
		}
	}
	return nil
}
