package engine

import (
	"context"
	"image"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/camera"
	"patrol-alpr/gps"
	"patrol-alpr/matcher"
	"patrol-alpr/ocr"
	"patrol-alpr/store"
	"patrol-alpr/synth"
)

// modelDir is the recognizer model committed in the repository.
const modelDir = "../assets/models"

// screenLog records what the engine put in front of the officer. The real screen is Fyne's
// (tested in package app); here only the calls matter.
type screenLog struct {
	mu     sync.Mutex
	frames map[alpr.CameraID]int
	dets   []alpr.Detection
	hits   []alpr.Hit
	hitCh  chan raised
}

func newScreenLog() *screenLog {
	return &screenLog{frames: map[alpr.CameraID]int{}, hitCh: make(chan raised, 64)}
}

func (s *screenLog) ShowFrame(cam alpr.CameraID, img image.Image, _ []image.Rectangle, _ string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if img != nil && img.Bounds().Dx() > 0 {
		s.frames[cam]++
	}
}

// PaneSize is the room a pane of the car's 1024x768 window has for its picture.
func (s *screenLog) PaneSize(alpr.CameraID) image.Point { return image.Pt(339, 284) }

func (s *screenLog) AddDetection(d alpr.Detection) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dets = append(s.dets, d)
}

// raised is one alert with the moment it reached the screen.
type raised struct {
	hit alpr.Hit
	at  time.Time
}

func (s *screenLog) RaiseHit(h alpr.Hit, d alpr.Detection) {
	now := time.Now()
	s.mu.Lock()
	s.hits = append(s.hits, h)
	s.mu.Unlock()
	s.hitCh <- raised{h, now}
}

type fixedLists struct{ ix *matcher.Index }

func (f fixedLists) Index() *matcher.Index { return f.ix }

type shift struct{}

func (shift) Current() alpr.Shift { return alpr.Shift{ID: 0, VehicleNumber: "2317"} }

func needModel(tb testing.TB) {
	tb.Helper()
	if _, err := os.Stat(filepath.Join(modelDir, ocr.ModelFile)); err != nil {
		tb.Skipf("recognizer model not built: %v", err)
	}
}

// rig is a whole pipeline on a synthetic road: real camera loop, real reader, real GPS
// receiver on the simulated route, real SQLite store, real matcher.
type rig struct {
	scene  *synth.Scene
	screen *screenLog
	db     *store.DB
	cancel context.CancelFunc
	done   chan struct{}
}

func startRig(tb testing.TB, listed []alpr.HotEntry) *rig {
	tb.Helper()
	needModel(tb)
	scene, err := synth.NewScene(synth.SceneOptions{Seed: 7})
	if err != nil {
		tb.Fatal(err)
	}
	db, err := store.Open(context.Background(), filepath.Join(tb.TempDir(), "car.db"), store.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	route := &gps.Route{Interval: 100 * time.Millisecond}
	rx := gps.NewReceiver(gps.Options{Source: route})
	go func() { _ = rx.Run(ctx) }()
	cam := camera.Start(ctx, alpr.Cam1, camera.NewSynthetic(scene, 15), camera.Options{FPS: 15})
	lists := []alpr.HotList{{Name: "SVS", Kind: alpr.General, Priority: 80, Tolerance: alpr.LookAlike}}
	sc := newScreenLog()
	e := &Engine{
		Feeds:     []Feed{cam},
		NewReader: func() (PlateReader, error) { return ocr.Open(ocr.Options{ModelDir: modelDir}) },
		Locator:   rx,
		Recorder:  db,
		HotLists:  fixedLists{matcher.NewIndex(lists, listed)},
		Screen:    sc,
		Alerter:   &Alerter{Recorder: db, Screen: sc, Shift: shift{}},
		Shift:     shift{},
	}
	r := &rig{scene: scene, screen: sc, db: db, cancel: cancel, done: make(chan struct{})}
	go func() {
		defer close(r.done)
		_ = e.Run(ctx)
	}()
	tb.Cleanup(func() {
		cancel()
		cam.Close()
		<-r.done
		db.Close()
	})
	return r
}

func californiaStyle(seed uint64) synth.Style {
	st := synth.RandomStyle(rand.New(rand.NewPCG(seed, 1)))
	st.Scheme, st.State, st.StateName = synth.California, "CA", "California"
	return st
}

func TestListedPlateRaisesOneHitWithEverythingRecorded(t *testing.T) {
	const plate = "7TRN123"
	r := startRig(t, []alpr.HotEntry{{List: "SVS", Plate: plate, State: "CA", Code: "V", Reason: "Stolen vehicle", Priority: 80}})
	if err := r.scene.Enqueue(plate, californiaStyle(1)); err != nil {
		t.Fatal(err)
	}
	var h alpr.Hit
	select {
	case x := <-r.screen.hitCh:
		h = x.hit
	case <-time.After(90 * time.Second):
		r.screen.mu.Lock()
		t.Fatalf("no hit within 90 s; detections so far: %d", len(r.screen.dets))
	}
	if h.Match.Entry.Plate != plate || h.VehicleNumber != "2317" || h.ID == 0 {
		t.Errorf("hit = %+v, want the listed plate, the shift's vehicle and a saved ID", h)
	}
	d, err := r.db.Detection(context.Background(), h.DetectionID)
	if err != nil {
		t.Fatalf("hit's detection not in the store: %v", err)
	}
	if d.Camera != alpr.Cam1 || !d.HasImages() || d.SeenAt.IsZero() {
		t.Errorf("detection = camera %s images %v seen %v, want Cam-1 with plate and scene images", d.Camera, d.HasImages(), d.SeenAt)
	}
	if !d.Fix.Valid() {
		t.Errorf("detection has no GPS fix although the receiver had one: %+v", d.Fix)
	}
	// The reader names the plate's state or abstains; it never names another.
	if d.State != "" && d.State != "CA" {
		t.Errorf("detection's state %q, want CA or none for a California plate", d.State)
	}
	t.Logf("state named %q", d.State)
	// The hit's state check (III.D.2) is made with the state the reader named.
	want := alpr.StateUnknown
	if d.State == "CA" {
		want = alpr.StateMatch
	}
	if h.Match.State != want {
		t.Errorf("hit's state check %q with the state read %q and listed CA, want %q", h.Match.State, d.State, want)
	}
	// The vehicle drives on out of view: its pass ends without a second detection or hit.
	time.Sleep(6 * time.Second)
	r.screen.mu.Lock()
	defer r.screen.mu.Unlock()
	n := 0
	for _, x := range r.screen.dets {
		if x.Plate == d.Plate {
			n++
		}
	}
	if n != 1 {
		t.Errorf("%d detections of %s for one pass, want 1", n, d.Plate)
	}
	if len(r.screen.hits) != 1 {
		t.Errorf("%d hits for one pass, want 1", len(r.screen.hits))
	}
	if r.screen.frames[alpr.Cam1] == 0 {
		t.Error("no frame reached the Cam-1 pane")
	}
}

// BenchmarkFrameToAlert measures from the capture of the frame whose read hit to the alert
// reaching the screen, one listed vehicle per iteration.
func BenchmarkFrameToAlert(b *testing.B) {
	var listed []alpr.HotEntry
	plates := make([]string, b.N)
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range plates {
		plates[i] = synth.RandomPlateText(rng)
		listed = append(listed, alpr.HotEntry{List: "SVS", Plate: alpr.NormalizePlate(plates[i]), Priority: 80})
	}
	r := startRig(b, listed)
	var lat []float64
	b.ResetTimer()
	for i := range plates {
		if err := r.scene.Enqueue(plates[i], californiaStyle(uint64(i))); err != nil {
			b.Fatal(err)
		}
		deadline := time.After(60 * time.Second)
	wait:
		for {
			select {
			case x := <-r.screen.hitCh:
				if want := alpr.NormalizePlate(plates[i]); x.hit.Match.Entry.Plate != want {
					// Another listed plate hit by a background vehicle's read
					// (look-alike or a character more or less): not this pass.
					b.Logf("while waiting for %s: hit on %s read %s (%s)", want, x.hit.Match.Entry.Plate, x.hit.Match.ReadPlate, x.hit.Match.Kind)
					continue
				}
				d, err := r.db.Detection(context.Background(), x.hit.DetectionID)
				if err != nil {
					b.Fatal(err)
				}
				lat = append(lat, float64(x.at.Sub(d.SeenAt).Microseconds())/1000)
				break wait
			case <-deadline:
				b.Logf("no alert for listed plate %q", plates[i])
				break wait // a plate the reader missed: no alert to time
			}
		}
	}
	b.StopTimer()
	if len(lat) == 0 {
		b.Fatal("no alert raised")
	}
	sort.Float64s(lat)
	b.ReportMetric(lat[len(lat)/2], "median-ms")
	b.ReportMetric(lat[min(len(lat)-1, len(lat)*95/100)], "p95-ms")
	b.ReportMetric(float64(len(lat))/float64(len(plates)), "alerted/listed")
}
