package synth

import (
	"image/color"
	"math/rand/v2"
)

// Scheme is a plate's colours.
type Scheme struct {
	Name string
	// Background fades from Top to Bottom; equal colours give a flat plate.
	Top, Bottom color.RGBA
	Text        color.RGBA // the registration characters
	StateName   color.RGBA
	Caption     color.RGBA
}

// Colour schemes of common US plates. Names are stable: datasets record them.
var (
	WhiteBlack  = Scheme{"white-black", rgb(242, 242, 238), rgb(236, 236, 232), rgb(22, 22, 26), rgb(28, 40, 110), rgb(22, 22, 26)}
	California  = Scheme{"california", rgb(246, 246, 244), rgb(238, 240, 242), rgb(20, 34, 96), rgb(196, 28, 36), rgb(20, 34, 96)}
	YellowBlack = Scheme{"yellow-black", rgb(246, 204, 40), rgb(238, 192, 30), rgb(16, 16, 16), rgb(16, 16, 16), rgb(16, 16, 16)}
	BlueWhite   = Scheme{"blue-white", rgb(28, 50, 128), rgb(20, 38, 104), rgb(246, 246, 246), rgb(250, 212, 64), rgb(246, 246, 246)}
	BlackWhite  = Scheme{"black-white", rgb(24, 24, 26), rgb(16, 16, 18), rgb(236, 236, 230), rgb(236, 236, 230), rgb(200, 200, 196)}
	BlackYellow = Scheme{"black-yellow", rgb(22, 22, 24), rgb(14, 14, 16), rgb(232, 196, 64), rgb(232, 196, 64), rgb(232, 196, 64)}
	GoldBlue    = Scheme{"gold-blue", rgb(250, 246, 232), rgb(240, 190, 70), rgb(20, 40, 112), rgb(20, 40, 112), rgb(20, 40, 112)}
	SkyBlue     = Scheme{"sky-blue", rgb(176, 206, 236), rgb(248, 248, 246), rgb(16, 36, 92), rgb(170, 24, 32), rgb(16, 36, 92)}
	WhiteMaroon = Scheme{"white-maroon", rgb(244, 242, 236), rgb(236, 234, 228), rgb(128, 22, 34), rgb(24, 24, 28), rgb(128, 22, 34)}
)

// Schemes returns every built-in colour scheme.
func Schemes() []Scheme {
	return []Scheme{WhiteBlack, California, YellowBlack, BlueWhite, BlackWhite, BlackYellow, GoldBlue, SkyBlue, WhiteMaroon}
}

// DarkOnLight reports whether the characters are darker than the plate, the
// split the reader's binarisation cares about.
func (s Scheme) DarkOnLight() bool { return luma(s.Text) < luma(s.Top) }

// Style is everything about how a plate looks, independent of the camera.
type Style struct {
	Scheme    Scheme
	Font      *Font   // the registration characters
	StateFont *Font   // the state name; nil leaves it out
	State     string  // two-letter code of the issuing state, "" when not printed
	StateName string  // printed across the top
	Caption   string  // printed along the bottom; "" for none
	Condense  float64 // character width relative to the font's own, 0.55–1.0
	Width     int     // pixels; the plate is Width × Width/2 (12 × 6 inches)
	Stickers  int     // registration stickers in the top corners, 0–2
	Bolts     bool    // draw the four bolt holes
	Rim       bool    // draw the embossed border
	Frame     *Frame  // a dealer's frame over the plate; nil for none
	Marks     *Marks  // symbols and badges printed among the characters; nil for none
}

// DefaultWidth is the width RenderPlate uses when Style.Width is zero.
const DefaultWidth = 240

// RandomStyle picks a style from the built-in schemes, states and fonts.
func RandomStyle(rng *rand.Rand) Style {
	return RandomStyleFrom(rng, builtinFonts())
}

// RandomStyleFrom is RandomStyle drawing the characters from fonts (for
// example the built-ins plus Debian's DejaVu faces). fonts must not be empty.
func RandomStyleFrom(rng *rand.Rand, fonts []*Font) Style {
	schemes := Schemes()
	s := randomStyleIn(rng, fonts, schemes[rng.IntN(len(schemes))])
	if rng.IntN(12) == 0 {
		// Some plates (dealer, older issues) print no state name at all.
		s.StateFont, s.StateName = nil, ""
	}
	return s
}

// RandomStyleIn is RandomStyle on the scheme sc, always printing the state's name; on
// California's, the plate is California's throughout: its name in script and one of
// its captions.
func RandomStyleIn(rng *rand.Rand, sc Scheme) Style {
	return randomStyleIn(rng, builtinFonts(), sc)
}

func randomStyleIn(rng *rand.Rand, fonts []*Font, sc Scheme) Style {
	st := states[rng.IntN(len(states))]
	if sc.Name == California.Name {
		st, _ = stateByCode("CA")
	}
	s := Style{
		Scheme:    sc,
		Font:      fonts[rng.IntN(len(fonts))],
		StateFont: builtinFonts()[0],
		State:     st.Code,
		StateName: st.Name,
		Caption:   st.Captions[rng.IntN(len(st.Captions))],
		Condense:  0.6 + 0.4*rng.Float64(),
		Width:     DefaultWidth,
		Stickers:  rng.IntN(3),
		Bolts:     rng.IntN(3) > 0,
		Rim:       rng.IntN(2) == 0,
	}
	if st.Code == "CA" || rng.IntN(4) == 0 {
		s.StateFont = scriptFont()
	}
	return s
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }

func luma(c color.RGBA) float64 { return 0.299*float64(c.R) + 0.587*float64(c.G) + 0.114*float64(c.B) }
