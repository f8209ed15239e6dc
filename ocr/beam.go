package ocr

import (
	"sort"
	"strings"
)

// texts is what r may say with each text's probability: the beam's texts,
// or only its own plate at its confidence where edge characters were
// trimmed (the beam would offer the untrimmed text).
func (r reading) texts() []scoredText {
	if r.trimmed || len(r.probs) == 0 {
		return []scoredText{{r.plate, r.confidence}}
	}
	return beamTexts(r.probs, beamWidth)
}

// beamWidth is how many prefixes the beam search keeps a column.
const beamWidth = 12

// beamTexts is CTC prefix beam search over per-column probabilities: the
// width most probable texts, each with its probability summed over every
// alignment, best first. Only classes above beamFloor in a column extend a
// prefix there, which keeps it to a few dozen prefixes a column.
func beamTexts(probs [][]float64, width int) []scoredText {
	beams := map[string]mass{"": {blank: 1}}
	for _, p := range probs {
		next := make(map[string]mass, len(beams)*4)
		for prefix, m := range beams {
			total := m.blank + m.char
			// Stay: a blank, or the last character repeated.
			n := next[prefix]
			n.blank += total * p[0]
			if prefix != "" {
				last := classOf(prefix[len(prefix)-1])
				n.char += m.char * p[last]
			}
			next[prefix] = n
			for c := 1; c < len(p); c++ {
				if p[c] < beamFloor {
					continue
				}
				ext := prefix + string(alphabet[c-1])
				e := next[ext]
				if prefix != "" && classOf(prefix[len(prefix)-1]) == c {
					e.char += m.blank * p[c] // a repeat needs a blank between
				} else {
					e.char += total * p[c]
				}
				next[ext] = e
			}
		}
		beams = prune(next, width)
	}
	out := make([]scoredText, 0, len(beams))
	for t, m := range beams {
		out = append(out, scoredText{t, m.blank + m.char})
	}
	sort.Slice(out, func(i, j int) bool {
		return out[i].score > out[j].score || out[i].score == out[j].score && out[i].text < out[j].text
	})
	return out
}

// beamFloor is the least probability a class needs in a column to extend
// a prefix there.
const beamFloor = 1e-3

// mass is a prefix's probability, split by whether its alignments end in a
// blank or in its last character (a repeat of which extends it only after a
// blank).
type mass struct{ blank, char float64 }

type scoredText struct {
	text  string
	score float64
}

func prune(beams map[string]mass, width int) map[string]mass {
	if len(beams) <= width {
		return beams
	}
	// Each prefix's total once, not at every comparison.
	ranked := make([]scoredText, 0, len(beams))
	for k, m := range beams {
		ranked = append(ranked, scoredText{k, m.blank + m.char})
	}
	sort.Slice(ranked, func(i, j int) bool {
		return ranked[i].score > ranked[j].score || ranked[i].score == ranked[j].score && ranked[i].text < ranked[j].text
	})
	out := make(map[string]mass, width)
	for _, k := range ranked[:width] {
		out[k.text] = beams[k.text]
	}
	return out
}

// classOf is the network's class of a plate character; 0 (the blank) for
// anything else.
func classOf(b byte) int { return strings.IndexByte(alphabet, b) + 1 }
