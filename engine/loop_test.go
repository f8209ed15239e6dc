package engine

import (
	"image"
	"image/color"
	"image/draw"
	"math/rand/v2"
	"testing"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/alpr"
	"patrol-alpr/ocr"
	"patrol-alpr/synth"
)

func TestPaneBoxesOnlyWhileFresh(t *testing.T) {
	found := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	still := []plateBox{{rect: image.Rect(100, 200, 300, 260), plate: "4KXT218"}}
	moving := []plateBox{{rect: image.Rect(100, 200, 300, 260), plate: "4KXT218", vx: 500, vy: -100}}
	for _, tc := range []struct {
		name  string
		boxes []plateBox
		shown time.Duration // after the frame the boxes were found in
		want  []image.Rectangle
	}{
		{"same frame", still, 0, []image.Rectangle{image.Rect(50, 100, 150, 130)}},
		{"a read behind", still, 120 * time.Millisecond, []image.Rectangle{image.Rect(50, 100, 150, 130)}},
		{"at the limit", still, boxFresh, []image.Rectangle{image.Rect(50, 100, 150, 130)}},
		{"stale", still, boxFresh + time.Millisecond, nil},
		{"from the future", still, -2 * boxFresh, nil},
		// 0.2 s at 500 px/s right and 100 px/s up: 100 px right, 20 up in the frame.
		{"moving plate followed", moving, 200 * time.Millisecond, []image.Rectangle{image.Rect(100, 90, 200, 120)}},
		{"moving plate, same frame", moving, 0, []image.Rectangle{image.Rect(50, 100, 150, 130)}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := paneBoxes(tc.boxes, found, found.Add(tc.shown), 0.5)
			if len(got) != len(tc.want) {
				t.Fatalf("%d boxes, want %d", len(got), len(tc.want))
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Errorf("box %v, want %v", got[i], tc.want[i])
				}
			}
		})
	}
}

// TestMarkGivesPlatesTheirSpeed: a plate read again moves at the speed between its two
// reads; a new plate, or one last read too long ago, stands still.
func TestMarkGivesPlatesTheirSpeed(t *testing.T) {
	at := time.Date(2026, 11, 28, 9, 0, 0, 0, time.UTC)
	read := func(plate string, x, y int) ocr.PlateRead {
		return ocr.PlateRead{Plate: plate, Quad: [4]image.Point{{x, y}, {x + 120, y}, {x + 120, y + 60}, {x, y + 60}}}
	}
	for _, tc := range []struct {
		name           string
		first, second  ocr.PlateRead
		gap            time.Duration
		wantVX, wantVY float64
	}{
		{"read again 0.1 s later", read("4KXT218", 400, 300), read("4KXT218", 440, 298), 100 * time.Millisecond, 400, -20},
		{"a character misread between frames", read("4KXT218", 400, 300), read("4KXT21B", 430, 300), 100 * time.Millisecond, 300, 0},
		{"another plate", read("4KXT218", 400, 300), read("9PLM402", 440, 300), 100 * time.Millisecond, 0, 0},
		{"read again after too long", read("4KXT218", 400, 300), read("4KXT218", 900, 300), 2 * trackFor, 0, 0},
	} {
		t.Run(tc.name, func(t *testing.T) {
			l := &loop{}
			l.mark(at, []ocr.PlateRead{tc.first})
			l.mark(at.Add(tc.gap), []ocr.PlateRead{tc.second})
			if got := l.boxes[0]; got.vx != tc.wantVX || got.vy != tc.wantVY {
				t.Errorf("speed (%g, %g) px/s, want (%g, %g)", got.vx, got.vy, tc.wantVX, tc.wantVY)
			}
			if l.lastRead != tc.second.Plate {
				t.Errorf("last read %q, want %q", l.lastRead, tc.second.Plate)
			}
		})
	}
}

// TestReadTextNamesTheState: the pane shows the state beside the plate when the reader
// named one, and the plate alone when it abstained.
func TestReadTextNamesTheState(t *testing.T) {
	for _, tc := range []struct {
		rd   ocr.PlateRead
		want string
	}{
		{ocr.PlateRead{Plate: "7TRN123", State: "CA"}, "7TRN123 (CA)"},
		{ocr.PlateRead{Plate: "7TRN123"}, "7TRN123"},
	} {
		if got := readText(tc.rd); got != tc.want {
			t.Errorf("readText(%q, state %q) = %q, want %q", tc.rd.Plate, tc.rd.State, got, tc.want)
		}
	}
}

// TestOutsideDropsReadsInIgnoredZones reads a real rendered plate with the real reader and
// checks which zones drop it: only one holding the plate's centre.
func TestOutsideDropsReadsInIgnoredZones(t *testing.T) {
	needModel(t)
	r, err := ocr.Open(ocr.Options{ModelDir: modelDir})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	frame := image.NewRGBA(image.Rect(0, 0, 1280, 720))
	draw.Draw(frame, frame.Bounds(), image.NewUniform(color.RGBA{90, 95, 100, 255}), image.Point{}, draw.Src)
	plate := synth.RenderPlate(rand.New(rand.NewPCG(5, 6)), "4KXT218", californiaStyle(5))
	at := image.Pt(820, 480) // the plate's top-left: it lies right of and below the centre
	draw.Draw(frame, plate.Bounds().Add(at), plate, plate.Bounds().Min, draw.Src)
	mat, err := gocv.ImageToMatRGB(frame)
	if err != nil {
		t.Fatal(err)
	}
	defer mat.Close()
	size := image.Pt(1280, 720)
	for _, tc := range []struct {
		name  string
		zones []alpr.Zone
		kept  bool
	}{
		{"no zones", nil, true},
		{"clock strip along the top", []alpr.Zone{{X0: 0, Y0: 0, X1: 0.4, Y1: 0.08}}, true},
		{"left half", []alpr.Zone{{X0: 0, Y0: 0, X1: 0.5, Y1: 1}}, true},
		{"lower right quarter", []alpr.Zone{{X0: 0.5, Y0: 0.5, X1: 1, Y1: 1}}, false},
		{"one of two zones", []alpr.Zone{{X0: 0, Y0: 0, X1: 0.1, Y1: 0.1}, {X0: 0.6, Y0: 0.6, X1: 0.9, Y1: 0.9}}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			reads, err := r.Read(mat)
			if err != nil {
				t.Fatal(err)
			}
			var found bool
			for _, rd := range reads {
				found = found || rd.Plate == "4KXT218"
			}
			if !found {
				t.Fatalf("the reader did not read the rendered plate: %v", reads)
			}
			kept := outside(reads, tc.zones, size)
			defer func() {
				for _, rd := range kept {
					rd.Crop.Close()
				}
			}()
			var still bool
			for _, rd := range kept {
				still = still || rd.Plate == "4KXT218"
			}
			if still != tc.kept {
				t.Errorf("plate kept = %v, want %v (zones %v)", still, tc.kept, tc.zones)
			}
		})
	}
}

func TestShadeDarkensOnlyTheZones(t *testing.T) {
	pane := gocv.NewMatWithSizeFromScalar(gocv.NewScalar(200, 200, 200, 0), 270, 480, gocv.MatTypeCV8UC3)
	defer pane.Close()
	shade(pane, []alpr.Zone{{X0: 0, Y0: 0, X1: 0.5, Y1: 0.1}})
	for _, tc := range []struct {
		name string
		x, y int
		want uint8
	}{
		{"inside the zone", 100, 10, 100},
		{"below it", 100, 200, 200},
		{"right of it", 400, 10, 200},
	} {
		if got := pane.GetVecbAt(tc.y, tc.x)[0]; got != tc.want {
			t.Errorf("%s: pixel (%d,%d) = %d, want %d", tc.name, tc.x, tc.y, got, tc.want)
		}
	}
}

// TestClockZoneDropsTheClock: a camera printing its clock into the picture may get the digits
// read as plates; its ignore zone drops those reads and keeps the vehicles'. The reader drops
// a clock along the frame's edge itself (ocr's phantom rules), so a read of the clock is made
// up for the zone; the frames check that the vehicles' reads outside it are kept.
func TestClockZoneDropsTheClock(t *testing.T) {
	needModel(t)
	r, err := ocr.Open(ocr.Options{ModelDir: modelDir})
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	sc, err := synth.NewScene(synth.SceneOptions{Seed: 1, Clock: time.Date(2026, 11, 28, 14, 3, 7, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	zone := synth.ClockZone().In(sc.Bounds().Size())
	var clockReads, kept, vehicles int
	for k := range 4 {
		img := image.NewRGBA(sc.Bounds())
		truths, err := sc.Render(time.Duration(k)*1700*time.Millisecond, img)
		if err != nil {
			t.Fatal(err)
		}
		vehicles += len(truths)
		mat, err := gocv.ImageToMatRGB(img)
		if err != nil {
			t.Fatal(err)
		}
		reads, err := r.Read(mat)
		mat.Close()
		if err != nil {
			t.Fatal(err)
		}
		for _, rd := range reads {
			if rd.Box().Overlaps(zone) {
				clockReads++
			}
		}
		for _, rd := range outside(reads, []alpr.Zone{synth.ClockZone()}, sc.Bounds().Size()) {
			if rd.Box().Overlaps(zone) {
				t.Errorf("frame %d: %s read in the clock zone was kept", k, rd.Plate)
			}
			kept++
			rd.Crop.Close()
		}
	}
	t.Logf("the reader read the clock %d times in 4 frames", clockReads)
	b := zone
	inZone := ocr.PlateRead{Plate: "1403070", Crop: gocv.NewMat(), Quad: [4]image.Point{b.Min, {b.Max.X, b.Min.Y}, b.Max, {b.Min.X, b.Max.Y}}}
	if got := outside([]ocr.PlateRead{inZone}, []alpr.Zone{synth.ClockZone()}, sc.Bounds().Size()); len(got) != 0 {
		t.Errorf("a read of the clock in its zone was kept: %v", got[0].Plate)
	}
	if kept == 0 || vehicles == 0 {
		t.Errorf("kept %d reads of %d visible plates, want the vehicles' reads kept", kept, vehicles)
	}
}
