package synth

import (
	"bytes"
	"image"
	"math/rand/v2"
	"testing"
)

// The quad must sit on the plate: just inside each corner is plate-white,
// just outside the plate is the black car body.
func TestRenderSampleQuadOnPlate(t *testing.T) {
	cases := []struct {
		name             string
		yaw, pitch, roll float64
		width            int
	}{
		{"frontal", 0, 0, 0, 160},
		{"yaw left 30", -30, 0, 0, 160},
		{"yaw right 30", 30, 0, 0, 120},
		{"pitch 20 roll 10", 10, 20, 10, 200},
		{"small 80px skewed", 25, -15, -8, 80},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rng := rand.New(rand.NewPCG(3, 4))
			st := RandomStyle(rng)
			st.Scheme, st.Stickers, st.Bolts, st.Rim = WhiteBlack, 0, false, false
			cond := Clean()
			cond.Yaw, cond.Pitch, cond.Roll, cond.PlateWidth = tc.yaw, tc.pitch, tc.roll, tc.width
			cond.Body = rgb(10, 10, 10)
			s, err := RenderSample(rng, "ABC 123", st, cond)
			if err != nil {
				t.Fatal(err)
			}
			if s.Plate != "ABC123" || s.Printed != "ABC 123" {
				t.Errorf("labels %q/%q, want ABC123/ABC 123", s.Plate, s.Printed)
			}
			b := s.Image.Bounds()
			var c image.Point
			for _, p := range s.Quad {
				if !p.In(b) {
					t.Fatalf("quad corner %v outside the crop %v", p, b)
				}
				c = c.Add(p)
			}
			c = c.Div(4)
			for i, p := range s.Quad {
				in := lerpPt(p, c, 0.1)
				out := lerpPt(p, c, -0.08)
				if l := luma(s.Image.RGBAAt(in.X, in.Y)); l < 150 {
					t.Errorf("corner %d: inside at %v luma %.0f, want plate white", i, in, l)
				}
				if out.In(b) {
					if l := luma(s.Image.RGBAAt(out.X, out.Y)); l > 100 {
						t.Errorf("corner %d: outside at %v luma %.0f, want dark body", i, out, l)
					}
				}
			}
			w := s.Quad[1].X - s.Quad[0].X
			if w < tc.width*3/4 || w > tc.width*5/4 {
				t.Errorf("top edge %d px wide, want about %d", w, tc.width)
			}
		})
	}
}

func TestRenderSampleDeterministic(t *testing.T) {
	render := func(seed uint64) *image.RGBA {
		s, err := RandomSample(rand.New(rand.NewPCG(seed, 0)))
		if err != nil {
			t.Fatal(err)
		}
		return s.Image
	}
	a, b, c := render(11), render(11), render(12)
	if !bytes.Equal(a.Pix, b.Pix) {
		t.Error("the same seed rendered different pixels")
	}
	if bytes.Equal(a.Pix, c.Pix) {
		t.Error("different seeds rendered the same pixels")
	}
}

func TestRenderSampleLightings(t *testing.T) {
	for _, light := range []Light{Day, Dusk, Infrared} {
		t.Run(light.String(), func(t *testing.T) {
			rng := rand.New(rand.NewPCG(5, 5))
			cond := RandomConditions(rng)
			cond.Light = light
			cond.JPEGQuality = 0 // JPEG chroma rounding could tint a grey image
			s, err := RenderSample(rng, "7XYZ123", RandomStyle(rng), cond)
			if err != nil {
				t.Fatal(err)
			}
			grey := true
			for i := 0; i < len(s.Image.Pix); i += 4 {
				p := s.Image.Pix[i : i+3]
				if p[0] != p[1] || p[1] != p[2] {
					grey = false
					break
				}
			}
			if light == Infrared && !grey {
				t.Error("infrared image has colour")
			}
			if light == Day && grey {
				t.Error("day image is grey")
			}
		})
	}
}

func TestRenderSampleRejectsTinyPlate(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 1))
	cond := Clean()
	cond.PlateWidth = 4
	if _, err := RenderSample(rng, "ABC123", RandomStyle(rng), cond); err == nil {
		t.Error("a 4 px plate rendered without error")
	}
}

func lerpPt(a, b image.Point, t float64) image.Point {
	return image.Pt(a.X+int(float64(b.X-a.X)*t), a.Y+int(float64(b.Y-a.Y)*t))
}
