package ocr

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gocv.io/x/gocv"
)

// StateModelFile is the state classifier's file beside ModelFile: a small CNN that looks at a
// plate's colour crop (its design, colours and the state name across it) and scores each
// issuing state (ocr/train/state.py).
const StateModelFile = "plate-state.onnx"

// StateClassesFile names the classifier's outputs in order, and the confidence under which
// the reader names no state (calibrated by cross-validation, ocr/train/README.md): a line
// "threshold P" for every state, and "threshold XX P" for a state calibrated on its own. A
// line "layout-prior A" weighs the network's probabilities by the read's layout
// (stateLayouts, StateLayoutsFile beside it), which the thresholds were calibrated with. A
// line "text-prior K" makes the layout prior that weighs the texts the beam offers a mixture
// over the states the picture may show (stateMix, K its smoothing weight in plates; the
// same StateLayoutsFile); without it the texts weigh by the share of all plates.
const StateClassesFile = "plate-states.txt"

// The state classifier's input is the colour plate crop, BGR scaled to [0,1], at the size
// its network was exported at (read from the ONNX graph): 64×32 for the first model, 128×64
// for one that can make out the state name.

// stateClassifier names the issuing state of a plate from its colour crop, or abstains.
// It is not safe for concurrent use: OpenCV's Net keeps per-call state.
type stateClassifier struct {
	net       *colourNet
	codes     []string
	threshold []float64     // one per code
	layouts   *stateLayouts // nil: the picture alone
	// counts are the states' layout counts the text prior mixes (stateMix), with
	// textSmooth its smoothing weight; nil and 0: texts weigh by the share of all plates.
	counts     *stateLayouts
	textSmooth float64
}

// openStateClassifier loads the network and its classes, checking the files first (gocv
// aborts the process on a corrupt ONNX file).
func openStateClassifier(model, classes string) (*stateClassifier, error) {
	sc, err := loadStateClasses(classes)
	if err != nil {
		return nil, err
	}
	var lay, counts *stateLayouts
	if sc.layoutPrior > 0 || sc.textPrior > 0 {
		if counts, err = loadStateLayouts(filepath.Join(filepath.Dir(classes), StateLayoutsFile), sc.layoutPrior); err != nil {
			return nil, fmt.Errorf("%s asks for a layout prior: %w", classes, err)
		}
		if sc.layoutPrior > 0 {
			lay = counts
		}
		if sc.textPrior <= 0 {
			counts = nil
		}
	}
	net, err := openColourNet(model, len(sc.codes))
	if err != nil {
		return nil, err
	}
	return &stateClassifier{net: net, codes: sc.codes, threshold: sc.threshold, layouts: lay, counts: counts, textSmooth: sc.textPrior}, nil
}

// stateClasses is what StateClassesFile says.
type stateClasses struct {
	codes       []string
	threshold   []float64 // one per code
	layoutPrior float64   // "layout-prior": the naming's layout prior weight, 0 for none
	textPrior   float64   // "text-prior": the texts' mixture's smoothing weight, 0 for none
}

// loadStateClasses reads StateClassesFile: the threshold lines (and the layout priors'),
// then one state code a line.
func loadStateClasses(path string) (stateClasses, error) {
	f, err := os.Open(path)
	if err != nil {
		return stateClasses{}, fmt.Errorf("%w: state classes: %v", ErrBadModel, err)
	}
	defer f.Close()
	var codes []string
	all, prior, text := -1.0, 0.0, 0.0
	own := map[string]float64{}
	isCode := func(t string) bool { return len(t) == 2 && t[0] >= 'A' && t[0] <= 'Z' && t[1] >= 'A' && t[1] <= 'Z' }
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		t := strings.TrimSpace(sc.Text())
		switch fields := strings.Fields(t); {
		case t == "" || strings.HasPrefix(t, "#"):
		case fields[0] == "threshold" && (len(fields) == 2 || len(fields) == 3 && isCode(fields[1])):
			p, err := strconv.ParseFloat(fields[len(fields)-1], 64)
			if err != nil || p <= 0 || p > 1 {
				return stateClasses{}, fmt.Errorf("%w: %s line %d: %q: want a confidence in (0,1]", ErrBadModel, path, line, t)
			}
			if len(fields) == 2 {
				all = p
			} else {
				own[fields[1]] = p
			}
		case (fields[0] == "layout-prior" || fields[0] == "text-prior") && len(fields) == 2:
			p, err := strconv.ParseFloat(fields[1], 64)
			if err != nil || p <= 0 || p > 1e6 {
				return stateClasses{}, fmt.Errorf("%w: %s line %d: %q: want a positive weight", ErrBadModel, path, line, t)
			}
			if fields[0] == "layout-prior" {
				prior = p
			} else {
				text = p
			}
		case isCode(t):
			codes = append(codes, t)
		default:
			return stateClasses{}, fmt.Errorf("%w: %s line %d: %q is not a two-letter state code", ErrBadModel, path, line, t)
		}
	}
	if err := sc.Err(); err != nil {
		return stateClasses{}, fmt.Errorf("%w: state classes: %v", ErrBadModel, err)
	}
	if all < 0 || len(codes) < 2 {
		return stateClasses{}, fmt.Errorf("%w: %s: want a threshold line and at least two states", ErrBadModel, path)
	}
	th := make([]float64, len(codes))
	for i, c := range codes {
		th[i] = all
		if p, ok := own[c]; ok {
			th[i] = p
			delete(own, c)
		}
	}
	for c := range own {
		return stateClasses{}, fmt.Errorf("%w: %s: a threshold for %s, which is not among its states", ErrBadModel, path, c)
	}
	return stateClasses{codes: codes, threshold: th, layoutPrior: prior, textPrior: text}, nil
}

// scores runs the network on one BGR (or grey) crop and returns the softmax over the states.
func (c *stateClassifier) scores(crop gocv.Mat) ([]float64, error) {
	out, err := c.net.forward(crop)
	if err != nil {
		return nil, fmt.Errorf("state network: %w", err)
	}
	if len(out) != len(c.codes) {
		return nil, fmt.Errorf("state network has %d outputs, want %d states", len(out), len(c.codes))
	}
	return softmax(out), nil
}

// nameFrom is the state the plate, read as text, was issued by and the classifier's
// confidence, from the picture's probabilities p (scores, weighed in place by text's layout
// when the classes file asks for it), or "" when that confidence is under the calibrated
// threshold: a state named is one the classifier is rarely wrong about (issue 21 asks ≥ 95 %
// precision), and the officer checks the others as before (III.D.2).
func (c *stateClassifier) nameFrom(p []float64, text string) (string, float64) {
	c.layouts.weigh(p, c.codes, text)
	best := 0
	for i := range p {
		if p[i] > p[best] {
			best = i
		}
	}
	if p[best] < c.threshold[best] {
		return "", p[best]
	}
	return c.codes[best], p[best]
}

func (c *stateClassifier) Close() error { return c.net.Close() }

func softmax(x []float32) []float64 {
	if len(x) == 0 {
		return nil
	}
	top := x[0]
	for _, v := range x {
		top = max(top, v)
	}
	out := make([]float64, len(x))
	sum := 0.0
	for i, v := range x {
		out[i] = math.Exp(float64(v - top))
		sum += out[i]
	}
	for i := range out {
		out[i] /= sum
	}
	return out
}
