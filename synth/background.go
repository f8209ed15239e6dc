package synth

import "image"

// paintBackground draws the street once: sky, a skyline, the road with lane
// markings, and at night the pools of street lamps.
func (s *Scene) paintBackground() *image.RGBA {
	w, h := float64(s.w), float64(s.h)
	img := image.NewRGBA(image.Rect(0, 0, s.w, s.h))
	rng := s.rng
	horizon := 0.4 * h

	skyTop, skyBot := rgb(120, 170, 222), rgb(210, 226, 240)
	road0, road1 := rgb(104, 104, 108), rgb(72, 72, 76)
	if s.look.night {
		skyTop, skyBot = rgb(6, 8, 18), rgb(24, 28, 42)
		road0, road1 = rgb(26, 26, 30), rgb(16, 16, 18)
	}
	fillGradientBox(img, skyTop, skyBot, 0, 0, w, horizon)
	// Skyline: buildings and trees of muted colours.
	for x := 0.0; x < w; {
		bw := w * (0.04 + 0.08*rng.Float64())
		bh := h * (0.06 + 0.22*rng.Float64())
		c := rgb(uint8(90+rng.IntN(80)), uint8(90+rng.IntN(70)), uint8(90+rng.IntN(60)))
		if rng.IntN(3) == 0 {
			c = rgb(uint8(40+rng.IntN(30)), uint8(80+rng.IntN(40)), uint8(40+rng.IntN(30)))
		}
		if s.look.night {
			c = shade(c, 0.18)
		}
		fillBox(img, c, x, horizon-bh, x+bw, horizon)
		if s.look.night {
			// Lit windows.
			for i := 0; i < 6; i++ {
				wx, wy := x+bw*rng.Float64()*0.85, horizon-bh*rng.Float64()*0.9
				fillBox(img, rgb(200, 170, 90), wx, wy, wx+bw*0.08, wy+bh*0.05)
			}
		}
		x += bw
	}
	fillBox(img, rgb(150, 150, 146), 0, horizon, w, horizon+0.03*h)
	if s.look.night {
		fillBox(img, rgb(40, 40, 40), 0, horizon, w, horizon+0.03*h)
	}
	fillGradientBox(img, road0, road1, 0, horizon+0.03*h, w, h)

	// Dashed lane lines between the lanes, wider nearer the camera.
	line := rgb(220, 220, 210)
	if s.look.night {
		line = rgb(90, 90, 84)
	}
	for _, y := range [...]float64{0.64, 0.81} {
		thick := h * 0.006 * (y / 0.6)
		dash := w * 0.06 * (y / 0.6)
		for x := -rng.Float64() * dash * 2; x < w; x += dash * 2 {
			fillBox(img, line, x, y*h, x+dash, y*h+thick)
		}
	}
	addNoise(rng, img, 3, s.look.infrared)
	if s.look.night {
		for i := 0; i < 3; i++ {
			x := w * (0.15 + 0.35*float64(i) + 0.1*rng.Float64())
			glare(img, pt{x, horizon - 0.12*h}, 0.02*w, 0.02*w, 0.9)
			glare(img, pt{x, 0.55 * h}, 0.18*w, 0.08*h, 0.25)
		}
	}
	if s.look.infrared {
		toInfrared(img, 1)
	}
	return img
}
