package ocr

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"
)

// StateLayoutsFile says how each state lays out its plates, beside StateClassesFile: rows
// "state,layout,plates" counted from the labelled crops the state classifier trained on
// (ocr/train/state.py --layouts). The reader needs it when StateClassesFile has a
// "layout-prior" line.
const StateLayoutsFile = "plate-state-layouts.csv"

// stateLayouts is the layout prior of the state classifier: the read's layout is evidence of
// the state beside the picture. 1ABC234 is California's standard plate and rare elsewhere, so
// a soft crop whose colours could be any white plate's is named California when it reads
// like one, and a plate reading like no Californian layout needs a surer picture.
//
// A state's share of a layout is its own count shrunk towards the share among all plates
// (prior plates of weight), so a state seen on few plates is not judged by them alone. The
// classifier's probabilities are multiplied by each state's share over the share among all
// and renormalised: Bayes' rule with the layout independent of the picture given the state.
// state.py computes the same when it calibrates the threshold, which is set on the fused
// probabilities.
type stateLayouts struct {
	prior float64                   // weight of the share among all plates, in plates
	count map[string]map[string]int // state -> layout -> plates
	per   map[string]int            // state -> plates
	// perLength[state][n] is the state's plates n characters long (stateMix).
	perLength map[string]*[maxLayout + 1]int
	all       map[string]int // layout -> plates of every state
	total     int
}

// loadStateLayouts reads StateLayoutsFile for a prior of the given weight.
func loadStateLayouts(path string, prior float64) (*stateLayouts, error) {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, fmt.Errorf("%w: %w", ErrBadModel, errNoLayouts)
	}
	if err != nil {
		return nil, fmt.Errorf("%w: state layouts: %v", ErrBadModel, err)
	}
	defer f.Close()
	cr := csv.NewReader(f)
	cr.FieldsPerRecord = 3
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, fmt.Errorf("%w: state layouts %s: %v", ErrBadModel, path, err)
	}
	if len(rows) < 2 || rows[0][0] != "state" {
		return nil, fmt.Errorf("%w: state layouts %s: want a \"state,layout,plates\" header and rows", ErrBadModel, path)
	}
	s := &stateLayouts{prior: prior, count: map[string]map[string]int{}, per: map[string]int{}, all: map[string]int{},
		perLength: map[string]*[maxLayout + 1]int{}}
	for i, row := range rows[1:] {
		st, lay := row[0], row[1]
		n, err := strconv.Atoi(row[2])
		if err != nil || n < 0 || len(st) != 2 || strings.Trim(lay, "LD") != "" || lay == "" {
			return nil, fmt.Errorf("%w: state layouts %s row %d: %q", ErrBadModel, path, i+2, strings.Join(row, ","))
		}
		if s.count[st] == nil {
			s.count[st] = map[string]int{}
			s.perLength[st] = new([maxLayout + 1]int)
		}
		if len(lay) <= maxLayout {
			s.perLength[st][len(lay)] += n
		}
		s.count[st][lay] += n
		s.per[st] += n
		s.all[lay] += n
		s.total += n
	}
	if s.total == 0 {
		return nil, fmt.Errorf("%w: state layouts %s: no plates", ErrBadModel, path)
	}
	return s, nil
}

// platesOfLength is how many of state's plates counted are n characters long.
func (s *stateLayouts) platesOfLength(state string, n int) int {
	if l := s.perLength[state]; l != nil && n >= 0 && n <= maxLayout {
		return l[n]
	}
	return 0
}

// errNoLayouts reports a classes file asking for the layout prior without its counts.
var errNoLayouts = errors.New("a layout prior needs " + StateLayoutsFile)

// weigh multiplies p (one probability per code) by each state's share of the layout of text
// over the share among all plates, and renormalises it. Texts of no plate's length (five to
// eight characters) leave p as it is.
func (s *stateLayouts) weigh(p []float64, codes []string, text string) {
	if s == nil || len(text) < 5 || len(text) > 8 {
		return
	}
	lay := layoutOf(text)
	all := (float64(s.all[lay]) + 0.5) / (float64(s.total) + 0.5*possibleLayouts)
	sum := 0.0
	for i, c := range codes {
		share := (float64(s.count[c][lay]) + s.prior*all) / (float64(s.per[c]) + s.prior)
		p[i] *= share / all
		sum += p[i]
	}
	if sum > 0 {
		for i := range p {
			p[i] /= sum
		}
	}
}

// layoutOf is text's layout: L for a letter, D for anything else (a digit).
func layoutOf(text string) string {
	b := []byte(text)
	for i, c := range b {
		if c >= 'A' && c <= 'Z' {
			b[i] = 'L'
		} else {
			b[i] = 'D'
		}
	}
	return string(b)
}
