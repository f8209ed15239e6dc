package ocr

import (
	"math"
	"sort"

	"patrol-alpr/alpr"
)

// alphabet is the recognizer's output classes after the CTC blank (class 0).
const alphabet = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"

// columnProbs turns the network's logits, laid out class-major as the
// convolution emits them (classes x columns), into per-column softmax
// probabilities, column-major.
func columnProbs(logits []float32, classes, columns int) [][]float64 {
	probs := make([][]float64, columns)
	for t := 0; t < columns; t++ {
		p := make([]float64, classes)
		mx := math.Inf(-1)
		for c := 0; c < classes; c++ {
			mx = math.Max(mx, float64(logits[c*columns+t]))
		}
		sum := 0.0
		for c := 0; c < classes; c++ {
			p[c] = math.Exp(float64(logits[c*columns+t]) - mx)
			sum += p[c]
		}
		for c := range p {
			p[c] /= sum
		}
		probs[t] = p
	}
	return probs
}

// slot is one character of the best path: the class read, its probability,
// and the column where it peaked (whose runner-up gives the alternates).
type slot struct {
	class  int
	prob   float64
	column int
}

// bestPath decodes the most likely column labelling, collapsing repeats and
// dropping blanks. Each character's confidence is its peak probability over
// the columns that produced it.
func bestPath(probs [][]float64) []slot {
	var out []slot
	prev := 0
	for t, p := range probs {
		c := argmax(p)
		switch {
		case c == 0:
		case c != prev:
			out = append(out, slot{class: c, prob: p[c], column: t})
		case p[c] > out[len(out)-1].prob:
			out[len(out)-1].prob, out[len(out)-1].column = p[c], t
		}
		prev = c
	}
	return out
}

// edgeDoubt is the confidence under which a character at either end of a
// read longer than a US plate's usual seven is taken for what often sits
// there: a bolt, a frame's edge or a sticker.
const edgeDoubt = 0.5

// trimEdges drops doubtful characters from the ends of an over-long read.
func trimEdges(s []slot) []slot {
	for len(s) > 7 {
		switch {
		case s[0].prob < edgeDoubt && s[0].prob <= s[len(s)-1].prob:
			s = s[1:]
		case s[len(s)-1].prob < edgeDoubt:
			s = s[:len(s)-1]
		default:
			return s
		}
	}
	return s
}

func argmax(p []float64) int {
	best := 0
	for i, v := range p {
		if v > p[best] {
			best = i
		}
	}
	return best
}

// reading is a decoded plate with its scores.
type reading struct {
	plate      string
	confidence float64
	charConf   []float64
	alternates []alpr.Alternate
	probs      [][]float64 // the columns it was decoded from
	cols       []int       // the column where each character peaked
	trimmed    bool        // characters were dropped from its ends (trimEdges)
	// beam are the texts CTC beam search finds in probs, once found (withLayouts): a
	// kept read's texts are weighed again once its state is guessed (Reader.nameStates).
	beam []scoredText
}

// decode reads the plate from per-column probabilities. The confidence is
// the product of the character confidences: the chance that every character
// is right. Alternates swap the characters the network was least sure of for
// their runners-up (one and two swaps), scored the same way, best first, so
// that a look-alike (8/B, 0/O, ...) the network hesitated on is offered to the
// matcher with an honest score.
func decode(probs [][]float64, want int) reading {
	path := bestPath(probs)
	slots := trimEdges(path)
	r := reading{charConf: make([]float64, len(slots)), cols: make([]int, len(slots)), probs: probs, trimmed: len(slots) < len(path)}
	text := make([]byte, len(slots))
	r.confidence = 1
	for i, s := range slots {
		text[i] = alphabet[s.class-1]
		r.charConf[i] = s.prob
		r.cols[i] = s.column
		r.confidence *= s.prob
	}
	r.plate = string(text)
	if len(slots) == 0 {
		r.confidence = 0
		return r
	}

	type swap struct {
		pos   int
		class int
		ratio float64 // score of the swapped plate relative to the best one
	}
	var swaps []swap
	for i, s := range slots {
		p := probs[s.column]
		for c := 1; c < len(p); c++ {
			if c != s.class {
				swaps = append(swaps, swap{i, c, p[c] / s.prob})
			}
		}
	}
	sort.Slice(swaps, func(a, b int) bool { return swaps[a].ratio > swaps[b].ratio })
	if len(swaps) > 12 {
		swaps = swaps[:12]
	}
	seen := map[string]bool{r.plate: true}
	add := func(b []byte, score float64) {
		if s := string(b); !seen[s] {
			seen[s] = true
			r.alternates = append(r.alternates, alpr.Alternate{Plate: s, Score: score})
		}
	}
	for i, a := range swaps {
		b := []byte(r.plate)
		b[a.pos] = alphabet[a.class-1]
		add(b, r.confidence*a.ratio)
		for _, c := range swaps[i+1:] {
			if c.pos == a.pos {
				continue
			}
			b2 := []byte(string(b))
			b2[c.pos] = alphabet[c.class-1]
			add(b2, r.confidence*a.ratio*c.ratio)
		}
	}
	sort.SliceStable(r.alternates, func(a, b int) bool { return r.alternates[a].Score > r.alternates[b].Score })
	if len(r.alternates) > want {
		r.alternates = r.alternates[:want]
	}
	return r
}
