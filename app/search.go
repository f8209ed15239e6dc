package app

import (
	"context"
	"errors"
	"fmt"
	"image"
	"strconv"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

// searchPurposes are the official purposes of policy III.A.1 an officer picks from;
// the purpose is written to the audit log with every query (I.C; Cal. Civ. Code 1798.90.52).
var searchPurposes = []string{
	"Investigation of a reported crime",
	"Locating a suspect vehicle",
	"Stolen vehicle or plate",
	"Wanted or missing person",
	"Canvass near a crime scene",
	"Other use approved by a supervisor",
}

const (
	anyCamera      = "Any camera"
	searchLimit    = 200
	searchPictures = 50 // results shown with their pictures; the rest say so
	timeLayout     = "2006-01-02 15:04"
	selfCheckWhy   = "Shift system check (III.C.7)"
)

// searchView queries detections with a purpose and a case number and lists the results
// with their pictures and positions.
type searchView struct {
	u       *UI
	root    fyne.CanvasObject
	plate   *widget.Entry
	state   *widget.Entry
	from    *widget.Entry
	to      *widget.Entry
	camera  *widget.Select
	lat     *widget.Entry
	lon     *widget.Entry
	radius  *widget.Entry
	purpose *widget.Select
	caseNo  *widget.Entry
	run     *widget.Button
	message *widget.Label
	count   *widget.Label
	results *fyne.Container
}

func newSearchView(u *UI) *searchView {
	v := &searchView{u: u}
	v.plate = widget.NewEntry()
	v.plate.SetPlaceHolder("ABC123, 7AB*, 7?C123")
	v.state = widget.NewEntry()
	v.state.SetPlaceHolder("State")
	v.from = widget.NewEntry()
	v.from.SetPlaceHolder("YYYY-MM-DD hh:mm")
	v.to = widget.NewEntry()
	v.to.SetPlaceHolder("YYYY-MM-DD hh:mm (blank: now)")
	v.camera = widget.NewSelect(append([]string{anyCamera}, cameraNames()...), nil)
	v.camera.SetSelected(anyCamera)
	v.lat = widget.NewEntry()
	v.lat.SetPlaceHolder("Latitude")
	v.lon = widget.NewEntry()
	v.lon.SetPlaceHolder("Longitude")
	v.radius = widget.NewEntry()
	v.radius.SetPlaceHolder("Radius m")
	v.purpose = widget.NewSelect(searchPurposes, nil)
	v.purpose.PlaceHolder = "Choose the purpose"
	v.caseNo = widget.NewEntry()
	v.caseNo.SetPlaceHolder("Case or DR number")
	v.run = widget.NewButtonWithIcon("Search", theme.SearchIcon(), v.submit)
	v.run.Importance = widget.HighImportance
	v.message = widget.NewLabel("")
	v.message.Wrapping = fyne.TextWrapWord
	v.message.Importance = widget.DangerImportance
	v.count = widget.NewLabelWithStyle("Every search is logged with its purpose and case number (I.C).", fyne.TextAlignLeading, fyne.TextStyle{Italic: true})
	v.count.Wrapping = fyne.TextWrapWord
	v.results = container.NewVBox()

	form := widget.NewForm(
		widget.NewFormItem("Plate", container.NewBorder(nil, nil, nil,
			container.New(layout.NewGridWrapLayout(fyne.NewSize(88, v.state.MinSize().Height)), v.state), v.plate)),
		widget.NewFormItem("From", v.from),
		widget.NewFormItem("To", v.to),
		widget.NewFormItem("Camera", v.camera),
		widget.NewFormItem("Near", container.NewGridWithColumns(3, v.lat, v.lon, v.radius)),
		widget.NewFormItem("Purpose", v.purpose),
		widget.NewFormItem("Case / DR", v.caseNo),
	)
	left := container.NewVBox(form, v.run, v.message)
	leftBox := container.New(layout.NewGridWrapLayout(fyne.NewSize(440, left.MinSize().Height)), left)
	right := container.NewBorder(v.count, nil, nil, nil, container.NewVScroll(v.results))
	v.root = container.NewPadded(container.NewBorder(nil, nil, leftBox, nil, right))
	return v
}

func cameraNames() []string {
	out := make([]string, len(alpr.Cameras))
	for i, c := range alpr.Cameras {
		out[i] = string(c)
	}
	return out
}

// errSearchForm is a search the form refuses before it reaches the store.
var errSearchForm = errors.New("search form")

// query reads the form; the error says what to fix.
func (v *searchView) query() (store.Query, store.Purpose, error) {
	u := v.u
	q := store.Query{Plate: strings.ToUpper(strings.TrimSpace(v.plate.Text)), Limit: searchLimit}
	p := store.Purpose{OperatorID: u.session.op.ID, Purpose: v.purpose.Selected, CaseNumber: strings.TrimSpace(v.caseNo.Text)}
	fail := func(msg string) (store.Query, store.Purpose, error) {
		return q, p, fmt.Errorf("%w: %s", errSearchForm, msg)
	}
	if p.Purpose == "" {
		return fail("choose the purpose of the search (I.C)")
	}
	if p.CaseNumber == "" {
		return fail("enter the case or DR number the search is for")
	}
	var err error
	if q.From, err = parseTime(v.from.Text, u.now()); err != nil {
		return fail("From: " + err.Error())
	}
	if q.To, err = parseTime(v.to.Text, u.now()); err != nil {
		return fail("To: " + err.Error())
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.To.Before(q.From) {
		return fail("To is before From")
	}
	if q.State = strings.ToUpper(strings.TrimSpace(v.state.Text)); q.State != "" && !alpr.IsStateCode(q.State) {
		return fail("State: two letters, such as CA, or blank for any state")
	}
	if c := v.camera.Selected; c != anyCamera {
		q.Camera = alpr.CameraID(c)
	}
	near, err := parseArea(v.lat.Text, v.lon.Text, v.radius.Text)
	if err != nil {
		return fail("Near: " + err.Error())
	}
	q.Near = near
	return q, p, nil
}

func parseTime(s string, now time.Time) (time.Time, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(timeLayout, s, now.Location())
	if err != nil {
		return t, fmt.Errorf("write the time as %s", timeLayout)
	}
	return t, nil
}

// parseArea reads an optional circle; all three fields or none.
func parseArea(lat, lon, radius string) (*store.Area, error) {
	lat, lon, radius = strings.TrimSpace(lat), strings.TrimSpace(lon), strings.TrimSpace(radius)
	if lat == "" && lon == "" && radius == "" {
		return nil, nil
	}
	var a store.Area
	var err error
	if a.Lat, err = strconv.ParseFloat(lat, 64); err != nil || a.Lat < -90 || a.Lat > 90 {
		return nil, errors.New("latitude must be a number from -90 to 90")
	}
	if a.Lon, err = strconv.ParseFloat(lon, 64); err != nil || a.Lon < -180 || a.Lon > 180 {
		return nil, errors.New("longitude must be a number from -180 to 180")
	}
	if a.RadiusM, err = strconv.ParseFloat(radius, 64); err != nil || a.RadiusM <= 0 {
		return nil, errors.New("radius must be a positive number of metres")
	}
	return &a, nil
}

func (v *searchView) submit() {
	u := v.u
	u.touch()
	q, p, err := v.query()
	if err != nil {
		v.message.SetText(strings.TrimPrefix(err.Error(), errSearchForm.Error()+": "))
		return
	}
	v.message.SetText("")
	v.run.Disable()
	v.count.SetText("Searching…")
	u.goWork(func(ctx context.Context) {
		ds, err := u.deps.Search.SearchDetections(ctx, q, p)
		pics := make([][2]image.Image, len(ds)) // fetched and decoded here, off the Fyne thread
		for i := range ds {
			ds[i].SeenAt = ds[i].SeenAt.In(u.loc)
		}
		for i, d := range ds {
			if i >= searchPictures || ctx.Err() != nil {
				break
			}
			if full, err := u.deps.Search.Detection(ctx, d.ID); err == nil {
				pics[i] = [2]image.Image{decodeJPEG(full.PlateJPEG), decodeJPEG(full.SceneJPEG)}
			}
		}
		var hits map[int64][]alpr.Hit
		if err == nil {
			ids := make([]int64, len(ds))
			for i, d := range ds {
				ids[i] = d.ID
			}
			// A failure here costs only the hit lines: the detections are still shown.
			hits, _ = u.deps.Search.HitsOfDetections(ctx, ids)
		}
		u.do(func() {
			v.run.Enable()
			if err != nil {
				v.count.SetText("")
				v.message.SetText(searchError(err))
				return
			}
			rows := make([]fyne.CanvasObject, len(ds))
			for i, d := range ds {
				rows[i] = resultRow(u, d, pics[i][0], pics[i][1], hits[d.ID])
			}
			v.results.Objects = rows
			v.results.Refresh()
			v.count.SetText(resultCount(len(ds)))
		})
	})
}

func searchError(err error) string {
	if errors.Is(err, store.ErrPurposeRequired) {
		return "The search needs a purpose and a case number (I.C)."
	}
	return "Search failed: " + err.Error()
}

func resultCount(n int) string {
	switch {
	case n == 0:
		return "No detections match."
	case n >= searchLimit:
		return fmt.Sprintf("The first %d detections (narrow the search for more).", n)
	case n == 1:
		return "1 detection."
	}
	return fmt.Sprintf("%d detections.", n)
}

// resultRow shows one found detection: its plate crop and scene, plate, camera, time
// and where the car was, whether the read is doubtful, and any hit it raised with what
// became of it.
func resultRow(u *UI, d alpr.Detection, crop, scene image.Image, hits []alpr.Hit) fyne.CanvasObject {
	cropPic := picture(crop, fyne.NewSize(120, 40))
	scenePic := picture(scene, fyne.NewSize(130, 80))
	plate := bold(fmt.Sprintf("%s  %s", d.Plate, d.State))
	seen := widget.NewLabel(string(d.Camera) + "  ·  " + clock(d.SeenAt))
	where := widget.NewLabel(position(d.Fix))
	text := container.New(layout.NewCustomPaddedVBoxLayout(0), plate, seen, where)
	if d.Doubtful() { // a search by plate finds misreads too: say which reads are in doubt
		l := widget.NewLabel(doubtLabel(d))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.WarningImportance
		text.Add(l)
	}
	for _, h := range hits {
		l := widget.NewLabel("HIT " + hitLine(h, u))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		if h.Disposition != nil {
			l.Importance = widget.WarningImportance
		}
		text.Add(l)
	}
	return container.NewBorder(nil, nil, container.NewHBox(cropPic, scenePic), nil, text)
}

// position is where the car was, or says plainly that the GPS had no fix.
func position(f alpr.Fix) string {
	if !f.Valid() {
		return "no GPS fix"
	}
	return fmt.Sprintf("%.5f, %.5f", f.Lat, f.Lon)
}

// runSelfCheck is the once-a-shift search of the officer's own detections that shows
// the system is reading and storing plates (III.C.7).
func (u *UI) runSelfCheck() {
	u.touch()
	s := u.session
	if s == nil || u.deps.Search == nil {
		return
	}
	q := store.Query{From: s.shift.StartedAt, To: u.now(), Limit: searchLimit}
	p := store.Purpose{OperatorID: s.op.ID, Purpose: selfCheckWhy, CaseNumber: fmt.Sprintf("SHIFT-%d", s.shift.ID)}
	u.goWork(func(ctx context.Context) {
		ds, err := u.deps.Search.SearchDetections(ctx, q, p)
		for i := range ds {
			ds[i].SeenAt = ds[i].SeenAt.In(u.loc)
		}
		server := ""
		if u.deps.ServerCheck != nil {
			if got, serr := u.deps.ServerCheck.ShiftCheck(ctx); serr != nil {
				server = "\nAgency server: not reached (" + serr.Error() + "); try again when the LEARN light is green."
			} else {
				server = "\nAgency server: " + got + "."
			}
		}
		u.do(func() {
			if u.session != s {
				return
			}
			msg := selfCheckResult(ds, err, s.shift.StartedAt) + server
			if err == nil {
				s.selfChecked = u.now()
			}
			if u.main != nil {
				u.main.refreshSelfCheck()
			}
			u.showNotice("Shift check (III.C.7)", msg)
		})
	})
}

func selfCheckResult(ds []alpr.Detection, err error, since time.Time) string {
	switch {
	case err != nil:
		return "The search failed: " + err.Error() + "\nThe system is not working properly: tell the ALPR Administrator (III.C.4)."
	case len(ds) == 0:
		return "No plates stored since the shift started at " + since.Format("15:04") + ".\nCheck the status lights; if a camera is damaged or inoperable, report it (III.C.4)."
	}
	last := ds[0]
	for _, d := range ds {
		if d.SeenAt.After(last.SeenAt) {
			last = d
		}
	}
	n := fmt.Sprint(len(ds))
	if len(ds) >= searchLimit {
		n = "At least " + n
	}
	return fmt.Sprintf("The system is working: %s plates stored since %s.\nLatest: %s on %s at %s.",
		n, since.Format("15:04"), last.Plate, last.Camera, last.SeenAt.Format("15:04:05"))
}

func (m *mainScreen) refreshSelfCheck() {
	s := m.u.session
	if s == nil || m.selfCheck == nil {
		return
	}
	if s.selfChecked.IsZero() {
		m.selfCheck.SetText("Shift check not done yet (III.C.7)")
		m.selfCheck.Importance = widget.WarningImportance
	} else {
		m.selfCheck.SetText("Shift check done at " + s.selfChecked.Format("15:04"))
		m.selfCheck.Importance = widget.SuccessImportance
	}
	m.selfCheck.Refresh()
}
