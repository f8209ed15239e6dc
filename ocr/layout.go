package ocr

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"sort"
	"strconv"
	"strings"

	"patrol-alpr/alpr"
)

// LayoutFile is the file beside ModelFile that says how often real plates
// are laid out each way (layouts).
const LayoutFile = "plate-layouts.csv"

// layouts is how often real US plates are laid out each way: the order of
// their letters and digits (ABC1234 is LLLDDDD). The network reads a plate
// column by column, so on a small, soft plate it may take a letter for the
// digit it resembles (A/4, Z/2, B/8) and make a text laid out as few plates
// are; weighing what the beam offers by its layout's share of real plates
// puts the likelier text first where the network hesitated, and leaves a
// sure read alone.
//
// A layout's share mixes how often plates have exactly that layout with a
// chain of letter/digit steps, which gives a layout the counts never saw a
// fair share instead of none.
type layouts struct {
	count map[string]float64 // plates with each layout
	total float64
	step  map[string]float64 // "xy": how often y follows x; "x": how often x is followed (^ starts, $ ends)
	// ofLength[n] is the share of every layout n characters long together.
	ofLength [maxLayout + 1]float64
}

// maxLayout is the longest text weighed by its layout; a longer one is no plate.
const maxLayout = 12

const (
	// layoutWeight is the power of a layout's share in a text's weight: the
	// beam's probability times share^layoutWeight. Chosen on the tune half
	// of alpr-bench/dev (1.25 to 1.75 read the same; see ocr/train/README.md).
	layoutWeight = 1.5
	// exactShare is the weight of the exact layout counts in the mix with the
	// letter/digit chain.
	exactShare = 0.2
	// possibleLayouts is how many layouts plates of five to eight characters
	// can have (2^5 + ... + 2^8): the counts are smoothed over them.
	possibleLayouts = 480
)

// loadLayouts reads a layout file: a header, then "layout,plates" rows
// (layout of L and D, plates a count).
func loadLayouts(path string) (*layouts, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("%w: plate layouts: %v", ErrBadModel, err)
	}
	defer f.Close()
	l, err := parseLayouts(f)
	if err != nil {
		return nil, fmt.Errorf("%w: plate layouts %s: %v", ErrBadModel, path, err)
	}
	return l, nil
}

func parseLayouts(r io.Reader) (*layouts, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = 2
	rows, err := cr.ReadAll()
	if err != nil {
		return nil, err
	}
	if len(rows) < 2 || rows[0][0] != "layout" {
		return nil, errors.New(`want a "layout,plates" header and at least one row`)
	}
	l := &layouts{count: make(map[string]float64), step: make(map[string]float64)}
	for i, row := range rows[1:] {
		lay, n := row[0], row[1]
		plates, err := strconv.Atoi(n)
		if lay == "" || strings.Trim(lay, "LD") != "" || err != nil || plates < 0 {
			return nil, fmt.Errorf("line %d: %q,%q is not a layout of L and D and a count", i+2, lay, n)
		}
		l.count[lay] += float64(plates)
		l.total += float64(plates)
		chain := "^" + lay + "$"
		for j := 0; j+1 < len(chain); j++ {
			l.step[chain[j:j+2]] += float64(plates)
			l.step[chain[j:j+1]] += float64(plates)
		}
	}
	if l.total == 0 {
		return nil, errors.New("no plates counted")
	}
	for n := 1; n <= maxLayout; n++ {
		lay := make([]byte, n)
		for m := 0; m < 1<<n; m++ {
			for i := range lay {
				lay[i] = "DL"[m>>i&1]
			}
			l.ofLength[n] += l.layoutShare(string(lay))
		}
	}
	return l, nil
}

// share is the share of real plates as long as text that are laid out as
// it is: the layout weighs letters against digits, and leaves how many
// characters a plate has to the network. O and 0 are one glyph on many
// plates, so either counts as the letter or the digit, whichever is
// likelier: the layout does not choose between them.
func (l *layouts) share(text string) float64 {
	if text == "" || len(text) > maxLayout {
		return 0
	}
	return bestLayout(text, l.layoutShare) / l.ofLength[len(text)]
}

// bestLayout is the largest weight of text's layout (L a letter, D a digit) with
// each O or 0 taken as the letter or the digit, whichever weighs more.
func bestLayout(text string, weight func(layout string) float64) float64 {
	lay := []byte(text)
	var either []int
	for i, c := range lay {
		switch {
		case c == 'O' || c == '0':
			either = append(either, i)
		case c >= '0' && c <= '9':
			lay[i] = 'D'
		default:
			lay[i] = 'L'
		}
	}
	best := 0.0
	for m := 0; m < 1<<len(either); m++ {
		for j, i := range either {
			lay[i] = "DL"[m>>j&1]
		}
		best = math.Max(best, weight(string(lay)))
	}
	return best
}

func (l *layouts) layoutShare(lay string) float64 {
	exact := (l.count[lay] + 1) / (l.total + possibleLayouts)
	chain, p := "^"+lay+"$", 1.0
	for j := 0; j+1 < len(chain); j++ {
		// Three things may follow: a letter, a digit or the end.
		p *= (l.step[chain[j:j+2]] + 1) / (l.step[chain[j:j+1]] + 3)
	}
	return exactShare*exact + (1-exactShare)*p
}

// weight is how much text's layout counts for: its share to the power
// layoutWeight; nil layouts count every layout alike.
func (l *layouts) weight(text string) float64 {
	if l == nil {
		return 1
	}
	return math.Pow(l.share(text), layoutWeight)
}

// withLayouts ranks the texts CTC beam search finds for r by their
// probability times their layout's weight (l: the share of all plates, or of
// the plates of the states the picture may show; nil counts every layout alike), keeping as the read the plausible
// text (minChars to maxChars long) that weighs most and the next want as its
// alternates. How many characters the plate has stays the network's call: a
// text of another length than the read weighs by the read's layout. A text
// the beam found weighs by its probability over every alignment; a swap
// (decode's alternates), by its score. Alternates are scored like the read's
// confidence (confidence times their weight over the read's), best first; a
// new read's characters and confidence come from its best alignment to the
// columns. A read trimmed of edge characters is left alone: the beam would
// offer the untrimmed text.
func (r reading) withLayouts(l layoutPrior, minChars, maxChars, want int) reading {
	if r.trimmed || len(r.probs) == 0 {
		return r
	}
	if l == nil {
		l = (*layouts)(nil)
	}
	prob := map[string]float64{r.plate: r.confidence}
	if r.beam == nil {
		r.beam = beamTexts(r.probs, beamWidth)
	}
	for _, t := range r.beam {
		prob[t.text] = t.score
	}
	delete(prob, "")
	// The character swaps top up where the beam offers fewer texts than
	// wanted: they only change one column's character, where the beam also
	// offers a character the best path dropped or doubled.
	for _, a := range r.alternates {
		if _, ok := prob[a.Plate]; !ok && len(prob) <= want {
			prob[a.Plate] = a.Score
		}
	}
	type weighed struct {
		text   string
		weight float64
	}
	all := make([]weighed, 0, len(prob))
	for t, p := range prob {
		// A text as long as the read weighs by its own layout; any other by
		// the read's, so that the layout never adds or drops a character.
		lay := r.plate
		if len(t) == len(r.plate) {
			lay = t
		}
		all = append(all, weighed{t, p * l.weight(lay)})
	}
	sort.Slice(all, func(i, j int) bool {
		return all[i].weight > all[j].weight || all[i].weight == all[j].weight && all[i].text < all[j].text
	})
	best := weighed{r.plate, prob[r.plate] * l.weight(r.plate)}
	for _, w := range all {
		if w.text == r.plate {
			break
		}
		if len(w.text) < minChars || len(w.text) > maxChars || isLegend(w.text) {
			continue
		}
		if slots := align(r.probs, w.text); slots != nil {
			best = w
			r.plate, r.charConf, r.cols, r.confidence = w.text, make([]float64, len(slots)), make([]int, len(slots)), 1
			for i, s := range slots {
				r.charConf[i], r.cols[i] = s.prob, s.column
				r.confidence *= s.prob
			}
			break
		}
	}
	r.alternates = r.alternates[:0:0]
	for _, w := range all {
		if w.text != r.plate && len(r.alternates) < want && best.weight > 0 {
			r.alternates = append(r.alternates, alpr.Alternate{Plate: w.text, Score: r.confidence * w.weight / best.weight})
		}
	}
	return r
}

// align is text's most probable CTC alignment to the columns (Viterbi over
// text with blanks between): each character's class, its peak probability
// over the columns aligned to it and the column of the peak. The text must
// fit the columns (at most one character a column, a blank between repeats).
func align(probs [][]float64, text string) []slot {
	// State 2i+1 is text[i]; even states are the blanks around them.
	n := 2*len(text) + 1
	class := func(s int) int {
		if s%2 == 0 {
			return 0
		}
		return classOf(text[s/2])
	}
	score := make([]float64, n)
	from := make([][]int, len(probs))
	for s := range score {
		score[s] = math.Inf(-1)
	}
	for t, p := range probs {
		next := make([]float64, n)
		from[t] = make([]int, n)
		for s := range next {
			next[s], from[t][s] = math.Inf(-1), -1
			if t == 0 {
				if s <= 1 {
					next[s] = math.Log(p[class(s)])
				}
				continue
			}
			for _, prev := range []int{s, s - 1, s - 2} {
				if prev < 0 || prev == s-2 && (s%2 == 0 || class(s) == class(prev)) {
					continue
				}
				if score[prev] > next[s] {
					next[s], from[t][s] = score[prev], prev
				}
			}
			next[s] += math.Log(p[class(s)])
		}
		score = next
	}
	end := n - 1
	if n > 1 && score[n-2] > score[n-1] {
		end = n - 2
	}
	if math.IsInf(score[end], -1) {
		return nil
	}
	out := make([]slot, len(text))
	for t, s := len(probs)-1, end; t >= 0 && s >= 0; t-- {
		if s%2 == 1 {
			i, p := s/2, probs[t][class(s)]
			if out[i].class == 0 || p > out[i].prob {
				out[i] = slot{class: class(s), prob: p, column: t}
			}
		}
		s = from[t][s]
	}
	return out
}
