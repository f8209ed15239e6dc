package synth

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"math"
	"strings"
	"testing"
	"time"
)

func TestSceneTruthInsideFrame(t *testing.T) {
	cases := []struct {
		name  string
		opt   SceneOptions
		short bool
	}{
		{"day 720p", SceneOptions{Seed: 1}, true},
		{"dusk 720p", SceneOptions{Seed: 2, Light: Dusk}, false},
		{"infrared 640x360", SceneOptions{Seed: 3, Light: Infrared, Width: 640, Height: 360}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if testing.Short() && !tc.short {
				t.Skip("short")
			}
			s, err := NewScene(tc.opt)
			if err != nil {
				t.Fatal(err)
			}
			img := image.NewRGBA(s.Bounds())
			seen := 0
			for ms := 0; ms <= 12000; ms += 400 {
				truths, err := s.Render(time.Duration(ms)*time.Millisecond, img)
				if err != nil {
					t.Fatal(err)
				}
				for _, tr := range truths {
					seen++
					box := image.Rectangle{}
					for i, p := range tr.Quad {
						if !p.In(s.Bounds()) {
							t.Fatalf("%s at %d ms: corner %v outside the frame", tr.Plate, ms, p)
						}
						if i == 0 {
							box = image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))}
						}
						box = box.Union(image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))})
					}
					if w := box.Dx(); w < 24 {
						t.Errorf("%s: plate %d px wide, too small to read", tr.Plate, w)
					}
					// Something was drawn over the street where the truth says a plate is.
					c := image.Pt((box.Min.X+box.Max.X)/2, (box.Min.Y+box.Max.Y)/2)
					if img.RGBAAt(c.X, c.Y) == s.bg.RGBAAt(c.X, c.Y) && img.RGBAAt(c.X+3, c.Y) == s.bg.RGBAAt(c.X+3, c.Y) {
						t.Errorf("%s at %d ms: frame at the plate's centre %v is bare background", tr.Plate, ms, c)
					}
				}
			}
			if seen < 10 {
				t.Errorf("only %d plate sightings in 12 s of traffic", seen)
			}
		})
	}
}

func TestSceneEnqueueDrivesBy(t *testing.T) {
	s, err := NewScene(SceneOptions{Seed: 9, Width: 640, Height: 360})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.Enqueue("TRN 1234", Style{Scheme: YellowBlack}); err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(s.Bounds())
	var xs []int
	vehicle := -1
	for ms := 0; ms <= 30000 && (vehicle < 0 || len(xs) < 40); ms += 100 {
		truths, err := s.Render(time.Duration(ms)*time.Millisecond, img)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range truths {
			if tr.Plate != "TRN1234" {
				continue
			}
			if vehicle >= 0 && tr.Vehicle != vehicle {
				t.Fatalf("the enqueued plate appeared on vehicles %d and %d", vehicle, tr.Vehicle)
			}
			vehicle = tr.Vehicle
			xs = append(xs, tr.Quad[0].X)
		}
	}
	if len(xs) < 5 {
		t.Fatalf("enqueued plate seen in %d frames, want a pass across the view", len(xs))
	}
	dir := xs[len(xs)-1] - xs[0]
	for i := 1; i < len(xs); i++ {
		if d := xs[i] - xs[i-1]; d*dir < 0 {
			t.Fatalf("plate moved back and forth: x %v", xs)
		}
	}
}

// The pictures depend on the time asked for, not on how often frames are drawn.
func TestSceneIndependentOfFrameRate(t *testing.T) {
	render := func(fps int) []byte {
		s, err := NewScene(SceneOptions{Seed: 4, Width: 480, Height: 270})
		if err != nil {
			t.Fatal(err)
		}
		img := image.NewRGBA(s.Bounds())
		step := time.Second / time.Duration(fps)
		for at := time.Duration(0); at <= 6*time.Second; at += step {
			if _, err := s.Render(at, img); err != nil {
				t.Fatal(err)
			}
		}
		if _, err := s.Render(6*time.Second, img); err != nil {
			t.Fatal(err)
		}
		return img.Pix
	}
	if !bytes.Equal(render(5), render(20)) {
		t.Error("frame at 6 s differs between 5 and 20 frames/s")
	}
}

func TestSceneBadInput(t *testing.T) {
	if _, err := NewScene(SceneOptions{Width: 100, Height: 50}); !errors.Is(err, ErrSceneSize) {
		t.Errorf("100×50 scene: err %v, want ErrSceneSize", err)
	}
	for _, share := range []float64{-0.1, 1.5, math.NaN()} {
		if _, err := NewScene(SceneOptions{HomeShare: share}); err == nil || !strings.Contains(err.Error(), "home share") {
			t.Errorf("home share %v: err %v, want one naming the home share", share, err)
		}
	}
	s, err := NewScene(SceneOptions{Width: 320, Height: 180})
	if err != nil {
		t.Fatal(err)
	}
	for _, plate := range []string{"", " - ", "ABCDE12345"} {
		if err := s.Enqueue(plate, Style{}); err == nil {
			t.Errorf("Enqueue(%q): no error", plate)
		}
	}
}

func BenchmarkRenderScene720p(b *testing.B) {
	for _, light := range []Light{Day, Infrared} {
		b.Run(light.String(), func(b *testing.B) {
			s, err := NewScene(SceneOptions{Seed: 1, Light: light})
			if err != nil {
				b.Fatal(err)
			}
			img := image.NewRGBA(s.Bounds())
			// Warm up: the first frames create the vehicles on screen.
			if _, err := s.Render(0, img); err != nil {
				b.Fatal(err)
			}
			frame := time.Second / 30
			at := time.Duration(0)
			for b.Loop() {
				at += frame
				if _, err := s.Render(at, img); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "frames/s")
		})
	}
}

func ExampleScene() {
	s, _ := NewScene(SceneOptions{Seed: 1})
	_ = s.Enqueue("7ABC123", Style{Scheme: California})
	frame := image.NewRGBA(s.Bounds())
	for at := time.Duration(0); at < 20*time.Second; at += time.Second / 15 {
		truths, _ := s.Render(at, frame)
		for _, tr := range truths {
			if tr.Plate == "7ABC123" {
				fmt.Println("7ABC123 is in view")
				return
			}
		}
	}
	// Output: 7ABC123 is in view
}

// TestSceneClockStaysInItsZone renders the same scene with and without a clock: the frames
// differ only inside ClockZone, and the clock changes as time passes.
func TestSceneClockStaysInItsZone(t *testing.T) {
	start := time.Date(2026, 11, 28, 13, 59, 58, 0, time.UTC)
	render := func(clock time.Time, at time.Duration) *image.RGBA {
		sc, err := NewScene(SceneOptions{Seed: 4, Clock: clock})
		if err != nil {
			t.Fatal(err)
		}
		img := image.NewRGBA(sc.Bounds())
		if _, err := sc.Render(at, img); err != nil {
			t.Fatal(err)
		}
		return img
	}
	plain, clocked := render(time.Time{}, time.Second), render(start, time.Second)
	zone := ClockZone().In(plain.Bounds().Size())
	inside, outside := 0, 0
	for y := range plain.Bounds().Dy() {
		for x := range plain.Bounds().Dx() {
			if plain.RGBAAt(x, y) == clocked.RGBAAt(x, y) {
				continue
			}
			if image.Pt(x, y).In(zone) {
				inside++
			} else {
				outside++
			}
		}
	}
	if inside < 500 || outside != 0 {
		t.Errorf("clock changed %d pixels inside its zone %v and %d outside; want many inside, none outside", inside, zone, outside)
	}
	later := render(start, 3*time.Second)
	changed := 0
	for y := zone.Min.Y; y < zone.Max.Y; y++ {
		for x := zone.Min.X; x < zone.Max.X; x++ {
			if later.RGBAAt(x, y) != clocked.RGBAAt(x, y) {
				changed++
			}
		}
	}
	if changed == 0 {
		t.Error("the clock printed the same two seconds later")
	}
}

// A road's plates are laid out as their states' plates are: an Illinois plate
// reads AB 12345, never California's 1ABC234 (the reader's state prior would
// take it for California's).
func TestScenePlatesFollowTheirStatesLayouts(t *testing.T) {
	seen := sceneMinute(t, SceneOptions{Seed: 5, Width: 640, Height: 360, StateSerials: true})
	known, own := 0, 0
	for _, tr := range seen {
		st, ok := stateByCode(tr.State)
		if !ok || len(st.Serials) == 0 {
			continue
		}
		known++
		for _, l := range st.Serials {
			if shape(tr.Plate) == strings.ReplaceAll(l, " ", "") {
				own++
				break
			}
		}
	}
	if known < 20 {
		t.Fatalf("only %d plates of states with known layouts in a minute of traffic", known)
	}
	if own < known*8/10 {
		t.Errorf("%d of %d plates in their state's own layouts; want at least 80 %% (the rest vanity)", own, known)
	}
}

// sceneMinute is the last truth of every vehicle in a minute of a scene's traffic.
func sceneMinute(t *testing.T, opt SceneOptions) map[int]Truth {
	t.Helper()
	s, err := NewScene(opt)
	if err != nil {
		t.Fatal(err)
	}
	img := image.NewRGBA(s.Bounds())
	seen := map[int]Truth{}
	for ms := 0; ms <= 60000; ms += 500 {
		truths, err := s.Render(time.Duration(ms)*time.Millisecond, img)
		if err != nil {
			t.Fatal(err)
		}
		for _, tr := range truths {
			seen[tr.Vehicle] = tr
		}
	}
	return seen
}

func TestSceneHomeShare(t *testing.T) {
	cases := []struct {
		share    float64
		min, max float64 // the share of California plates seen
	}{
		{0, 0, 0.3},   // random: California is one of nine schemes and sixteen states
		{0.8, 0.7, 1}, // a California road
		{1, 1, 1},     // every plate
	}
	for _, tc := range cases {
		t.Run(fmt.Sprint(tc.share), func(t *testing.T) {
			seen := sceneMinute(t, SceneOptions{Seed: 9, Width: 640, Height: 360, HomeShare: tc.share})
			ca := 0
			for _, tr := range seen {
				if tr.State == "CA" {
					ca++
				}
			}
			if got := float64(ca) / float64(len(seen)); got < tc.min || got > tc.max {
				t.Errorf("%d of %d plates California's (%.2f), want %.2f to %.2f", ca, len(seen), got, tc.min, tc.max)
			}
		})
	}
}
