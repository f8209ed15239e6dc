// Command demo opens the patrol screen on synthetic feeds, for screenshots and for
// looking at the screen without a car: a real store in a temporary directory, three
// moving synthetic scenes at the camera rate, and (with -hit) a hit alert.
//
//	xvfb-run -s "-screen 0 1024x768x24" go run ./app/internal/demo -screen patrol
package main

import (
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"os"
	"path/filepath"
	"time"

	fyneapp "fyne.io/fyne/v2/app"

	"patrol-alpr/alpr"
	"patrol-alpr/app"
	"patrol-alpr/store"
)

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run() error {
	screen := flag.String("screen", "patrol", "login, patrol, hit or training")
	fps := flag.Int("fps", 15, "frames per second per camera")
	flag.Parse()

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	dir, err := os.MkdirTemp("", "patrol-demo")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)
	db, err := store.Open(ctx, filepath.Join(dir, "demo.db"), store.Options{})
	if err != nil {
		return err
	}
	defer db.Close()
	day := time.Date(2024, 1, 10, 0, 0, 0, 0, time.UTC)
	op := alpr.Operator{ID: "4127", Name: "J. Rivera", Role: alpr.RoleOperator, TrainedAt: day, CertifiedAt: day, DatabaseTrainedAt: day}
	if err := db.PutOperator(ctx, op, "2468"); err != nil {
		return err
	}

	feed := &feeder{fps: *fps}
	u := app.New(fyneapp.NewWithID("gov.stocktonpd.patrolalpr.demo"), app.Deps{
		Login: db, Patrol: feed, Dispositions: db, Search: db, HotPlates: db, Equipment: db,
		VehicleNumber: "P-27", Training: *screen == "training",
	})
	feed.ui = u
	if *screen != "login" {
		u.SignIn(op.ID, "2468", "P-27")
	}
	for _, n := range []string{app.LightCam1, app.LightCam2, app.LightCam3, app.LightLEARN, app.LightSystem} {
		u.SetLight(n, app.Green, "working")
	}
	u.SetLight(app.LightGPS, app.Amber, "2D fix only")
	if *screen == "hit" || *screen == "training" {
		go func() {
			time.Sleep(2 * time.Second)
			raiseHit(ctx, db, u)
		}()
	}
	go feed.run(ctx)
	u.ShowAndRun()
	return nil
}

// feeder plays the engine: once the cameras are activated it sends moving synthetic
// scenes to the three panes.
type feeder struct {
	ui     *app.UI
	fps    int
	active chan struct{}
}

func (f *feeder) Activate(context.Context, alpr.Operator, alpr.Shift) error {
	close(f.activeCh())
	return nil
}

func (f *feeder) Deactivate(context.Context) error { return nil }

func (f *feeder) activeCh() chan struct{} {
	if f.active == nil {
		f.active = make(chan struct{})
	}
	return f.active
}

func (f *feeder) run(ctx context.Context) {
	select {
	case <-ctx.Done():
		return
	case <-f.activeCh():
	}
	t := time.NewTicker(time.Second / time.Duration(f.fps))
	defer t.Stop()
	reads := []string{"7ABC123", "5KLM777", "8XYZ001"}
	for i := 0; ; i++ {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
		for c, cam := range alpr.Cameras {
			x := (i*4 + c*150) % 440
			plate := image.Rect(x+40, 300, x+160, 330)
			f.ui.ShowFrame(cam, scene(640, 480, plate), []image.Rectangle{plate}, reads[c])
		}
	}
}

func scene(w, h int, plate image.Rectangle) *image.RGBA {
	img := image.NewRGBA(image.Rect(0, 0, w, h))
	fill := func(r image.Rectangle, c color.RGBA) { draw.Draw(img, r, &image.Uniform{c}, image.Point{}, draw.Src) }
	fill(img.Bounds(), color.RGBA{34, 40, 52, 255})
	fill(image.Rect(0, h*2/3, w, h), color.RGBA{62, 62, 66, 255})
	fill(plate.Inset(-plate.Dx()/2).Add(image.Pt(0, -20)), color.RGBA{130, 130, 140, 255})
	fill(plate, color.RGBA{235, 235, 230, 255})
	for x := plate.Min.X + 6; x < plate.Max.X-6; x += 12 {
		fill(image.Rect(x, plate.Min.Y+6, x+7, plate.Max.Y-6), color.RGBA{20, 30, 90, 255})
	}
	return img
}

func raiseHit(ctx context.Context, db *store.DB, u *app.UI) {
	plate := image.Rect(260, 300, 380, 330)
	sc := scene(640, 480, plate)
	d := alpr.Detection{Camera: alpr.Cam2, SeenAt: time.Now(), Plate: "7A8C123", State: "NV", Confidence: 0.88}
	if err := db.SaveDetection(ctx, &d); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return
	}
	e := alpr.HotEntry{List: "SVS", Plate: "7ABC123", State: "CA", Reason: "Stolen vehicle", NCICNumber: "V123456789",
		VehicleYear: "2019", VehicleColor: "Silver", VehicleMake: "Honda", VehicleModel: "Civic", EnteredBy: "Stockton PD Records",
		DRNumber: "25-004411", Synopsis: "Taken from a driveway on Pacific Ave overnight.", Priority: 3}
	h := alpr.Hit{DetectionID: d.ID, Match: alpr.Match{Entry: e, Kind: alpr.MatchNear, ReadPlate: d.Plate, Differs: []int{2},
		Edit: "8 read as B at 3", State: alpr.StateMismatch}}
	if err := db.SaveHit(ctx, &h); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		return
	}
	d.PlateJPEG, d.SceneJPEG = encode(sc.SubImage(plate)), encode(sc)
	u.RaiseHit(h, d)
}
