package app

import (
	"bytes"
	"context"
	"image"
	"image/color"
	"image/draw"
	"image/jpeg"
	"path/filepath"
	"patrol-alpr/app/apptest"
	"patrol-alpr/internal/testclock"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/gopxl/beep/v2"

	"patrol-alpr/alarm"
	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// testClock is a clock the test moves by hand.
type testClock = testclock.Clock

// patrolRecorder stands in for the engine, which is not part of this package: it
// records what the screen asked of it.
type patrolRecorder struct {
	mu          sync.Mutex
	activated   []alpr.Shift
	deactivated int
	err         error
}

func (p *patrolRecorder) Activate(_ context.Context, _ alpr.Operator, s alpr.Shift) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.activated = append(p.activated, s)
	return p.err
}

func (p *patrolRecorder) Deactivate(context.Context) error {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.deactivated++
	return nil
}

// fixture is a UI on a test app over a real store in a temporary directory.
type fixture struct {
	t      testing.TB
	u      *UI
	db     *store.DB
	clock  *testClock
	patrol *patrolRecorder
	sound  *alarm.Recorder
	player *alarm.Player
}

var (
	officer = alpr.Operator{ID: "4127", Name: "J. Rivera", Role: alpr.RoleOperator, Phone: "209-555-0101",
		TrainedAt: time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC), CertifiedAt: time.Date(2024, 1, 12, 0, 0, 0, 0, time.UTC),
		DatabaseTrainedAt: time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)}
	analyst = alpr.Operator{ID: "9001", Name: "K. Osei", Role: alpr.RoleOperator,
		DatabaseTrainedAt: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC)}
	untrained = alpr.Operator{ID: "5555", Name: "P. New", Role: alpr.RoleOperator}
	trainer   = alpr.Operator{ID: "T-9", Name: "S. Okafor", Role: alpr.RoleTrainer,
		TrainedAt: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), CertifiedAt: time.Date(2023, 6, 2, 0, 0, 0, 0, time.UTC)}
)

const testPIN = "2468"

func newFixture(t testing.TB, edit func(*Deps)) *fixture {
	t.Helper()
	a := test.NewTempApp(t)
	clock := testclock.New(time.Date(2025, 3, 14, 21, 30, 0, 0, time.UTC))
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "alpr.db"), store.Options{Now: clock.Now, PINIterations: 1000})
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []alpr.Operator{officer, analyst, untrained} {
		if err := db.PutOperator(ctx, op, testPIN); err != nil {
			t.Fatal(err)
		}
	}
	sound := &alarm.Recorder{}
	player, err := alarm.NewPlayer(sound, beep.SampleRate(8000))
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, db: db, clock: clock, patrol: &patrolRecorder{}, sound: sound, player: player}
	deps := Deps{
		Login: db, Patrol: f.patrol, Dispositions: db, Search: db, HotPlates: db, Equipment: db,
		Alarm: player, VehicleNumber: "P-27", IdleLock: 5 * time.Minute, Now: clock.Now,
	}
	if edit != nil {
		edit(&deps)
	}
	f.u = New(a, deps)
	t.Cleanup(func() {
		f.u.Close()
		player.Close()
		db.Close()
	})
	return f
}

// settle waits until every background task the screen started has reported back.
func (f *fixture) settle() { f.u.work.Wait() }

// signIn logs op in through the login screen and waits for the patrol screen.
func (f *fixture) signIn(op alpr.Operator) {
	f.t.Helper()
	l := f.u.loginView
	test.Type(l.id, op.ID)
	test.Type(l.pin, testPIN)
	test.Tap(l.signIn)
	f.settle()
	if f.u.session == nil {
		f.t.Fatalf("sign-in of %s failed: %q", op.ID, l.message.Text)
	}
}

// screenText is every string visible on the window, overlays included, so tests can
// assert what the officer reads.
func (f *fixture) screenText() string { return apptest.WindowText(f.u.win) }

// scene draws a road scene with one plate in it (no photographs in tests).
func scene(w, h int, plate image.Rectangle) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	draw.Draw(img, img.Bounds(), &image.Uniform{color.RGBA{40, 44, 52, 255}}, image.Point{}, draw.Src)
	draw.Draw(img, image.Rect(0, h*2/3, w, h), &image.Uniform{color.RGBA{70, 70, 74, 255}}, image.Point{}, draw.Src)
	car := plate.Inset(-plate.Dx())
	draw.Draw(img, car, &image.Uniform{color.RGBA{120, 24, 30, 255}}, image.Point{}, draw.Src)
	draw.Draw(img, plate, &image.Uniform{color.RGBA{235, 235, 230, 255}}, image.Point{}, draw.Src)
	for x := plate.Min.X + 4; x < plate.Max.X-4; x += 7 {
		draw.Draw(img, image.Rect(x, plate.Min.Y+4, x+4, plate.Max.Y-4), &image.Uniform{color.RGBA{20, 30, 90, 255}}, image.Point{}, draw.Src)
	}
	return img
}

func jpegOf(t testing.TB, img image.Image) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := jpeg.Encode(&b, img, &jpeg.Options{Quality: 85}); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

// saveHit stores a detection of read and a hit on entry, as the engine would.
func (f *fixture) saveHit(read, state string, entry alpr.HotEntry, m alpr.Match) (alpr.Hit, alpr.Detection) {
	f.t.Helper()
	ctx := context.Background()
	box := image.Rect(260, 300, 380, 330)
	sc := scene(640, 400, box)
	d := alpr.Detection{Camera: alpr.Cam2, SeenAt: f.clock.Now(), Plate: read, State: state, Confidence: 0.91,
		Box:       []image.Point{box.Min, {box.Max.X, box.Min.Y}, box.Max, {box.Min.X, box.Max.Y}},
		Fix:       alpr.Fix{Lat: 37.95770, Lon: -121.29078, Quality: alpr.Fix3D, Time: f.clock.Now()},
		PlateJPEG: jpegOf(f.t, sc.SubImage(box)), SceneJPEG: jpegOf(f.t, sc)}
	if err := f.db.SaveDetection(ctx, &d); err != nil {
		f.t.Fatal(err)
	}
	m.Entry = entry
	m.ReadPlate = read
	h := alpr.Hit{DetectionID: d.ID, DetectionUUID: d.UUID, Match: m, RaisedAt: f.clock.Now(), VehicleNumber: "P-27"}
	if err := f.db.SaveHit(ctx, &h); err != nil {
		f.t.Fatal(err)
	}
	return h, d
}

var stolen = alpr.HotEntry{List: "SVS", Plate: "7ABC123", State: "CA", Code: "V", Reason: "Stolen vehicle",
	NCICNumber: "V123456789", VehicleYear: "2019", VehicleColor: "Silver", VehicleMake: "Honda", VehicleModel: "Civic",
	EnteredBy: "Stockton PD Records", DRNumber: "25-004411", Synopsis: "Taken from a driveway on Pacific Ave overnight.",
	Priority: 3}

// findButton finds the button labelled text under o.
func findButton(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Button:
			if x.Text == text {
				found = x
			}
		case *fyne.Container:
			for _, c := range x.Objects {
				walk(c)
			}
		}
	}
	walk(o)
	if found == nil {
		t.Fatalf("no button %q", text)
	}
	return found
}
