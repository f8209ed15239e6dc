package app

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"patrol-alpr/alpr"
)

// mainScreen is the patrol screen: who and which car on the left of the top bar, the
// status lights on the right (III.C.6), the selected view in the middle and large
// navigation tiles along the bottom. It fits a 1024×768 MDC even when the display
// makes Fyne scale everything up by a fifth (see TestScreensFitTheMDC).
type mainScreen struct {
	u      *UI
	root   fyne.CanvasObject
	center *fyne.Container
	views  map[string]fyne.CanvasObject
	nav    map[string]*navTile

	hitsButton *widget.Button // reopens the alert while hits wait
	selfCheck  *widget.Label
	search     *searchView
	hotPlate   *hotPlateForm
	equipment  *equipmentForm
	operators  *operatorsForm
	hits       *shiftHits
	trainer    *trainerPanel
}

// View names, also the labels of the navigation buttons.
const (
	viewPatrol    = "Patrol"
	viewSearch    = "Search"
	viewHotPlate  = "Hot plate"
	viewEquipment = "Equipment"
	viewOperators = "Operators"
	viewHits      = "Hits"
	viewTrainer   = "Trainer"
)

func (u *UI) showMain() {
	if u.main == nil {
		u.main = newMainScreen(u)
	}
	u.setContent(u.main.root)
	u.main.setHitCount(u.alerts.waiting())
}

func newMainScreen(u *UI) *mainScreen {
	m := &mainScreen{u: u, views: map[string]fyne.CanvasObject{}, nav: map[string]*navTile{}}
	s := u.session

	m.views[viewPatrol] = m.patrolView()
	navItems := []fyne.CanvasObject{m.navButton(viewPatrol, theme.VisibilityIcon())}
	if u.deps.HitLog != nil {
		m.hits = newShiftHits(u)
		m.views[viewHits] = scrolled(m.hits.root)
		navItems = append(navItems, m.navButton(viewHits, theme.ListIcon()))
	}
	if u.deps.Search != nil && s.op.MaySearch() {
		m.search = newSearchView(u)
		m.views[viewSearch] = scrolled(m.search.root)
		navItems = append(navItems, m.navButton(viewSearch, theme.SearchIcon()))
	}
	if u.deps.HotPlates != nil && s.op.MayOperateCameras() {
		m.hotPlate = newHotPlateForm(u)
		m.views[viewHotPlate] = scrolled(m.hotPlate.root)
		navItems = append(navItems, m.navButton(viewHotPlate, theme.ContentAddIcon()))
	}
	if u.deps.Equipment != nil {
		m.equipment = newEquipmentForm(u)
		m.views[viewEquipment] = scrolled(m.equipment.root)
		navItems = append(navItems, m.navButton(viewEquipment, theme.WarningIcon()))
	}
	if u.deps.Operators != nil && s.op.Role == alpr.RoleAdministrator {
		m.operators = newOperatorsForm(u)
		m.views[viewOperators] = scrolled(m.operators.root)
		navItems = append(navItems, m.navButton(viewOperators, theme.AccountIcon()))
	}
	if u.deps.Training && u.deps.Trainer != nil {
		m.trainer = newTrainerPanel(u)
		m.views[viewTrainer] = m.trainer.root // scrolls itself
		navItems = append(navItems, m.navButton(viewTrainer, theme.AccountIcon()))
	}
	// The switch names the palette it turns on.
	dayNight := newNavTile("Day", theme.ColorPaletteIcon(), nil)
	dayNight.onTapped = func() {
		u.touch()
		u.setNight(!u.night)
		if u.night {
			dayNight.setLabel("Day")
		} else {
			dayNight.setLabel("Night")
		}
	}
	lock := newNavTile("Lock", theme.VisibilityOffIcon(), u.lock)
	out := newNavTile("Sign out", theme.LogoutIcon(), func() { u.touch(); u.askSignOut() })
	navItems = append(navItems, layout.NewSpacer(), dayNight, lock, out)

	m.center = container.NewStack(m.views[viewPatrol])
	bar := container.NewStack(newThemedRect(theme.ColorNameHeaderBackground, 0),
		container.NewPadded(container.NewHBox(navItems...)))
	m.root = container.NewBorder(m.topBar(), bar, nil, nil, m.center)
	m.show(viewPatrol)
	return m
}

func (m *mainScreen) navButton(view string, icon fyne.Resource) *navTile {
	b := newNavTile(view, icon, func() { m.u.touch(); m.show(view) })
	m.nav[view] = b
	return b
}

// scrolled lets a form taller than the screen scroll instead of growing the window
// past the MDC's edge.
func scrolled(o fyne.CanvasObject) fyne.CanvasObject { return container.NewVScroll(o) }

// show brings a view to the middle of the screen and marks its button.
func (m *mainScreen) show(view string) {
	v, ok := m.views[view]
	if !ok {
		return
	}
	m.center.Objects = []fyne.CanvasObject{v}
	m.center.Refresh()
	if view == viewHits {
		m.hits.reload()
	}
	for name, b := range m.nav {
		b.setSelected(name == view)
	}
}

// topBar says who drives which car at the left, in a line that gives way to the hit
// count and never widens the window, and shows the six lights at the right.
func (m *mainScreen) topBar() fyne.CanvasObject {
	s := m.u.session
	who := widget.NewLabelWithStyle(fmt.Sprintf("%s  ·  Unit %s  ·  since %s", s.op.Name, s.shift.VehicleNumber, s.shift.StartedAt.Format("15:04")),
		fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	who.Truncation = fyne.TextTruncateEllipsis
	m.hitsButton = widget.NewButtonWithIcon("", theme.WarningIcon(), func() { m.u.touch(); m.u.alerts.refresh() })
	m.hitsButton.Importance = widget.DangerImportance
	m.hitsButton.Hide()
	right := container.NewHBox(container.NewCenter(m.hitsButton), m.u.lights.box)
	return container.NewStack(newThemedRect(theme.ColorNameHeaderBackground, 0),
		container.NewPadded(container.NewBorder(nil, nil, nil, right, container.NewVBox(layout.NewSpacer(), who, layout.NewSpacer()))))
}

// patrolView is the three live panes over the strip of recent detections.
func (m *mainScreen) patrolView() fyne.CanvasObject {
	u := m.u
	panes := container.NewGridWithColumns(len(alpr.Cameras))
	for _, c := range alpr.Cameras {
		panes.Add(u.panes[c])
	}
	caption := newThemedText("RECENT DETECTIONS", theme.ColorNamePlaceHolder, theme.CaptionTextSize(), fyne.TextStyle{Bold: true})
	m.selfCheck = widget.NewLabel("")
	m.refreshSelfCheck()
	head := container.NewHBox(container.NewCenter(caption), layout.NewSpacer(), m.selfCheck)
	if u.deps.Search != nil && u.session.op.MaySearch() {
		head.Add(widget.NewButtonWithIcon("Shift check", theme.SearchReplaceIcon(), u.runSelfCheck))
	}
	strip := container.NewHScroll(u.strip.row)
	strip.SetMinSize(fyne.NewSize(0, 128))
	return container.NewPadded(container.NewBorder(nil, container.NewVBox(head, strip), nil, nil, panes))
}

// setHitCount shows how many hits wait for a disposition on the top bar.
func (m *mainScreen) setHitCount(n int) {
	if n == 0 {
		m.hitsButton.Hide()
		return
	}
	m.hitsButton.SetText(fmt.Sprintf("%d HIT%s WAITING", n, plural(n)))
	m.hitsButton.Show()
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "S"
}
