package ocr

import "math"

// layoutPrior weighs a text the beam offers by how plates are laid out (withLayouts): the
// share of all US plates (layouts), or of the plates of the states the picture may show
// (stateMix).
type layoutPrior interface {
	weight(text string) float64
}

// stateMix is the layout prior of one plate whose picture says which state issued it: the
// share of a layout among plates of text's length is a mixture over the states,
//
//	Σ_s P(s | picture) · P(layout | s),
//
// P(layout | s) being the state's own counts (stateLayouts) shrunk towards the share among
// all plates (layouts) with a weight of smooth plates, so that a state seen on few plates
// falls back to the general prior. A California seven-character plate is 1ABC234, so a
// picture sure of California turns ZEAV033 into 7EAV033 where the network hesitated, and a
// picture in doubt weighs every state's layouts by its doubt.
//
// The state probabilities are the picture's alone (stateClassifier.scores): the ones the
// reader names a state with are weighed by the read's layout, which this prior chooses.
type stateMix struct {
	general *layouts
	states  *stateLayouts
	codes   []string  // one per probability
	p       []float64 // P(state | picture)
	smooth  float64   // weight of the general share, in plates
	// terms[n] are the states' terms of the mixture for texts n characters long, made
	// the first time such a text is weighed (every text the beam offers for one read).
	terms [maxLayout + 1][]mixTerm
	// sumG[n] is the weight of the general share in the mixture for length n.
	sumG [maxLayout + 1]float64
}

// mixTerm is one state's part of the mixture for one length: its layout counts and
// P(state | picture) over its plates that long plus the smoothing.
type mixTerm struct {
	counts map[string]int
	w      float64
}

// weight is the mixture's share of text's layout to the power layoutWeight, as
// layouts.weight; without states or the general prior it is the general prior's weight.
func (m *stateMix) weight(text string) float64 {
	if m.states == nil || m.general == nil || len(m.p) == 0 {
		return m.general.weight(text)
	}
	return math.Pow(m.share(text), layoutWeight)
}

// share is the mixture's share of text's layout among plates as long as text. O and 0 count
// as whichever is likelier, as in layouts.share.
func (m *stateMix) share(text string) float64 {
	n := len(text)
	if text == "" || n > maxLayout {
		return 0
	}
	terms, sumG := m.termsOf(n)
	return bestLayout(text, func(l string) float64 {
		s := sumG * m.general.layoutShare(l) / m.general.ofLength[n]
		for _, t := range terms {
			s += t.w * float64(t.counts[l])
		}
		return s
	})
}

// termsOf is the part of the mixture for texts n characters long that does not depend on
// the layout: each state's weight over its plates this long plus the smoothing, and the
// general share's weight.
func (m *stateMix) termsOf(n int) ([]mixTerm, float64) {
	if m.terms[n] == nil {
		terms, sumG := make([]mixTerm, 0, len(m.p)), 0.0
		for i, c := range m.codes {
			if m.p[i] == 0 {
				continue
			}
			w := m.p[i] / (float64(m.states.platesOfLength(c, n)) + m.smooth)
			terms = append(terms, mixTerm{m.states.count[c], w})
			sumG += w * m.smooth
		}
		m.terms[n], m.sumG[n] = terms, sumG
	}
	return m.terms[n], m.sumG[n]
}

// textPrior is the layout prior for a read whose crop the state classifier scored as p
// (nil: not scored): the mixture over states when the classes file asks for it
// ("text-prior"), the share of all plates otherwise.
func (c *stateClassifier) textPrior(general *layouts, p []float64) layoutPrior {
	if c == nil || c.textSmooth <= 0 || c.counts == nil || p == nil {
		return general
	}
	return &stateMix{general: general, states: c.counts, codes: c.codes, p: p, smooth: c.textSmooth}
}
