package synth

import (
	"bytes"
	"image"
	"math/rand/v2"
	"testing"
)

func TestRenderPlateWithMarks(t *testing.T) {
	red := rgb(196, 28, 36)
	badge := rgb(28, 60, 150)
	// A 300×150 plate: the characters' box is x 15–285, y 40–115.
	left, chars := image.Rect(15, 40, 60, 115), image.Rect(15, 40, 285, 115)
	for _, tc := range []struct {
		name  string
		text  string
		marks *Marks
		// pixels of the badge's colour at the left, of the symbol's among the characters
		badge, symbol bool
	}{
		{"bare plate", "ABC 123", nil, false, false},
		{"heart in the gap", "ABC 123", &Marks{Gap: SymbolHeart, GapColour: red}, false, true},
		{"star in a dashed gap", "ABC-123", &Marks{Gap: SymbolStar, GapColour: red}, false, true},
		{"no gap, no symbol", "ABC1234", &Marks{Gap: SymbolDot, GapColour: red}, false, false},
		{"disabled person", "ABC123", &Marks{Stacked: "DP", Wheelchair: true, Badge: badge}, true, false},
		{"both", "7ABC 123", &Marks{Gap: SymbolDiamond, GapColour: red, Stacked: "DV", Wheelchair: true, Badge: badge}, true, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			st := Style{Scheme: WhiteBlack, Width: 300, Condense: 0.8, Marks: tc.marks}
			img := RenderPlate(rand.New(rand.NewPCG(1, 1)), tc.text, st)
			if got := countNear(img, left, badge, 30) > 100; got != tc.badge {
				t.Errorf("badge colour at the left: %v, want %v", got, tc.badge)
			}
			if got := countNear(img, chars, red, 40) > 20; got != tc.symbol {
				t.Errorf("symbol colour among the characters: %v, want %v", got, tc.symbol)
			}
			if ink := countNear(img, chars, WhiteBlack.Text, 60); ink < 1000 {
				t.Errorf("only %d pixels of character ink", ink)
			}
		})
	}
}

func TestMarksMakeRoomForTheCharacters(t *testing.T) {
	// A badge pushes the registration right; it is not squeezed into the badge.
	st := Style{Scheme: WhiteBlack, Width: 300, Condense: 1}
	bare := RenderPlate(rand.New(rand.NewPCG(1, 1)), "ABCDEFG", st)
	st.Marks = &Marks{Stacked: "DP", Wheelchair: true, Badge: rgb(28, 60, 150)}
	marked := RenderPlate(rand.New(rand.NewPCG(1, 1)), "ABCDEFG", st)
	firstInk := func(img *image.RGBA) int {
		for x := 0; x < 300; x++ {
			if countNear(img, image.Rect(x, 40, x+1, 115), WhiteBlack.Text, 60) > 0 {
				return x
			}
		}
		return -1
	}
	if b, m := firstInk(bare), firstInk(marked); b < 0 || m <= b {
		t.Errorf("first dark column: bare plate %d, marked %d; want the stacked letters after the badge", b, m)
	}
	if bytes.Equal(bare.Pix, marked.Pix) {
		t.Error("marks changed nothing")
	}
}

func TestRandomMarksPrintSomething(t *testing.T) {
	badges := 0
	for i := range 400 {
		m := RandomMarks(rand.New(rand.NewPCG(9, uint64(i))))
		if m.Gap == SymbolNone && m.Stacked == "" {
			t.Fatalf("sample %d: marks that print nothing: %+v", i, *m)
		}
		if m.Stacked != "" {
			badges++
		}
	}
	if badges < 80 || badges > 240 {
		t.Errorf("%d of 400 marked plates carry a badge, want about a third to a half", badges)
	}
}
