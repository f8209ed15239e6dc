package synth

import (
	"image"
	"image/color"
	"math/rand/v2"

	"patrol-alpr/alpr"
)

// vehicleShape is a body style seen from behind, in fractions of the
// sprite's width (x) and height (y).
type vehicleShape struct {
	name             string
	aspect           float64 // height / width
	roofY, beltY     float64 // top of the cabin, bottom of the rear window
	roofW, beltW     float64 // cabin width at roof and at the belt line
	glassInset       float64
	bodyTop, bumperY float64
	lightY0, lightY1 float64
	plateY           float64 // plate centre
	twoRearWindows   bool    // vans: split rear doors
	wheelTop         float64
}

var vehicleShapes = [...]vehicleShape{
	{name: "sedan", aspect: 0.72, roofY: 0.04, beltY: 0.40, roofW: 0.60, beltW: 0.86, glassInset: 0.05, bodyTop: 0.38, bumperY: 0.78, lightY0: 0.44, lightY1: 0.56, plateY: 0.665, wheelTop: 0.86},
	{name: "suv", aspect: 0.82, roofY: 0.02, beltY: 0.44, roofW: 0.78, beltW: 0.90, glassInset: 0.06, bodyTop: 0.42, bumperY: 0.79, lightY0: 0.40, lightY1: 0.56, plateY: 0.67, wheelTop: 0.87},
	{name: "van", aspect: 0.95, roofY: 0.01, beltY: 0.40, roofW: 0.92, beltW: 0.94, glassInset: 0.09, bodyTop: 0.40, bumperY: 0.80, lightY0: 0.30, lightY1: 0.52, plateY: 0.69, twoRearWindows: true, wheelTop: 0.88},
}

// vehicle is one car in the scene: its sprite (drawn once) and where its
// plate lies on the sprite.
type vehicle struct {
	id      int
	sprite  *image.RGBA
	quad    [4]pt // plate corners on the sprite
	plate   string
	printed string
	state   string
	lane    int
	spawn   float64 // seconds since the scene began, when it entered
	x0      float64 // sprite's left edge at spawn
	speed   float64 // px/s, negative to the left
	y       float64 // sprite's top edge
}

// newVehicle draws a car of random shape and paint carrying the plate
// printed in style st, its plate plateW pixels wide, seen slightly from the
// side (yaw) as it crosses the view.
func newVehicle(rng *rand.Rand, printed string, st Style, plateW int, yaw float64, look sceneLook) (*vehicle, error) {
	shape := vehicleShapes[rng.IntN(len(vehicleShapes))]
	w := float64(plateW) * (4.1 + 0.5*rng.Float64())
	h := w * shape.aspect
	img := image.NewRGBA(image.Rect(0, 0, int(w), int(h)))
	paint := bodyColours[rng.IntN(len(bodyColours))]
	X := func(f float64) float64 { return f * w }
	Y := func(f float64) float64 { return f * h }

	// Shadow on the road, then wheels, body, cabin.
	fillPolygon(img, color.RGBA{0, 0, 0, 110}, pt{X(0.0), Y(0.93)}, pt{X(1), Y(0.93)}, pt{X(0.97), Y(1)}, pt{X(0.03), Y(1)})
	tyre := rgb(18, 18, 20)
	fillBox(img, tyre, X(0.07), Y(shape.wheelTop), X(0.24), Y(0.99))
	fillBox(img, tyre, X(0.76), Y(shape.wheelTop), X(0.93), Y(0.99))
	c0, c1 := (1-shape.roofW)/2, (1-shape.beltW)/2
	fillPolygon(img, shade(paint, 1.05), pt{X(c0), Y(shape.roofY)}, pt{X(1 - c0), Y(shape.roofY)}, pt{X(1 - c1), Y(shape.beltY + 0.02)}, pt{X(c1), Y(shape.beltY + 0.02)})
	g0, g1 := c0+shape.glassInset, c1+shape.glassInset
	gTop, gBot := shape.roofY+0.04, shape.beltY-0.02
	glassTop, glassBot := rgb(38, 46, 58), rgb(92, 104, 118)
	if shape.twoRearWindows {
		mid := 0.5
		fillPolygon(img, glassTop, pt{X(g0), Y(gTop)}, pt{X(mid - 0.015), Y(gTop)}, pt{X(mid - 0.015), Y(gBot)}, pt{X(g1), Y(gBot)})
		fillPolygon(img, glassTop, pt{X(mid + 0.015), Y(gTop)}, pt{X(1 - g0), Y(gTop)}, pt{X(1 - g1), Y(gBot)}, pt{X(mid + 0.015), Y(gBot)})
	} else {
		fillPolygon(img, glassTop, pt{X(g0), Y(gTop)}, pt{X(1 - g0), Y(gTop)}, pt{X(1 - g1), Y(gBot)}, pt{X(g1), Y(gBot)})
		// A pale reflection streak across the glass.
		fillPolygon(img, color.RGBA{glassBot.R / 3, glassBot.G / 3, glassBot.B / 3, 85},
			pt{X(0.45), Y(gTop)}, pt{X(0.55), Y(gTop)}, pt{X(0.42), Y(gBot)}, pt{X(0.32), Y(gBot)})
	}
	fillGradientBox(img, shade(paint, 1.1), shade(paint, 0.8), X(0.02), Y(shape.bodyTop), X(0.98), Y(shape.bumperY))
	fillBox(img, shade(paint, 0.6), X(0.04), Y(shape.lightY1+0.03), X(0.96), Y(shape.lightY1+0.038)) // trunk line
	lamp := rgb(170, 22, 26)
	if look.night {
		lamp = rgb(255, 60, 50)
	}
	fillBox(img, lamp, X(0.04), Y(shape.lightY0), X(0.2), Y(shape.lightY1))
	fillBox(img, lamp, X(0.8), Y(shape.lightY0), X(0.96), Y(shape.lightY1))
	fillBox(img, rgb(36, 36, 40), X(0.01), Y(shape.bumperY), X(0.99), Y(shape.wheelTop+0.03))

	// Plate recess, then the plate.
	pw, ph := float64(plateW), float64(plateW)/2
	cx, cy := X(0.5), Y(shape.plateY)
	fillBox(img, shade(paint, 0.55), cx-0.6*pw, cy-0.62*ph, cx+0.6*pw, cy+0.62*ph)
	if look.night {
		// Night: the body is dark but the plate lamp and tail lights are not.
		scaleLight(img, 0.3, 1.2)
		fillBox(img, rgb(255, 70, 60), X(0.05), Y(shape.lightY0+0.01), X(0.19), Y(shape.lightY1-0.01))
		fillBox(img, rgb(255, 70, 60), X(0.81), Y(shape.lightY0+0.01), X(0.95), Y(shape.lightY1-0.01))
	}
	st.Width = min(max(plateW*3/2, 120), 480)
	flat := RenderPlate(rng, printed, st)
	if look.night && !look.infrared {
		scaleLight(flat, 0.75, 1.1)
	}
	if look.infrared {
		toInfrared(flat, 1.6)
	}
	asm, plateRect := mountPlate(rng, flat, rng.IntN(3) == 0)
	proj := projectPlate(asm, plateRect, plateW, yaw, 4*(rng.Float64()-0.5), 3*(rng.Float64()-0.5))
	for i := range proj {
		proj[i] = pt{proj[i].X + cx, proj[i].Y + cy}
	}
	if err := warpAssembly(img, asm, proj[:4]); err != nil {
		return nil, err
	}
	if look.infrared {
		toInfrared(img, 1.2)
	}
	v := &vehicle{sprite: img, plate: alpr.NormalizePlate(printed), printed: printed, state: st.State}
	copy(v.quad[:], proj[4:])
	return v, nil
}

// at is the sprite's top-left corner at time t seconds.
func (v *vehicle) at(t float64) pt {
	return pt{v.x0 + v.speed*(t-v.spawn), v.y}
}
