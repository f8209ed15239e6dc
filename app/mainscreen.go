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
// navigation buttons along the bottom.
type mainScreen struct {
	u      *UI
	root   fyne.CanvasObject
	center *fyne.Container
	views  map[string]fyne.CanvasObject
	nav    map[string]*widget.Button

	hitsButton *widget.Button // reopens the alert while hits wait
	selfCheck  *widget.Label
	search     *searchView
	hotPlate   *hotPlateForm
	equipment  *equipmentForm
	trainer    *trainerPanel
}

// View names, also the labels of the navigation buttons.
const (
	viewPatrol    = "Patrol"
	viewSearch    = "Search"
	viewHotPlate  = "Hot plate"
	viewEquipment = "Equipment"
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
	m := &mainScreen{u: u, views: map[string]fyne.CanvasObject{}, nav: map[string]*widget.Button{}}
	s := u.session

	m.views[viewPatrol] = m.patrolView()
	navItems := []fyne.CanvasObject{m.navButton(viewPatrol, theme.VisibilityIcon())}
	if u.deps.Search != nil && s.op.MaySearch() {
		m.search = newSearchView(u)
		m.views[viewSearch] = m.search.root
		navItems = append(navItems, m.navButton(viewSearch, theme.SearchIcon()))
	}
	if u.deps.HotPlates != nil && s.op.MayOperateCameras() {
		m.hotPlate = newHotPlateForm(u)
		m.views[viewHotPlate] = m.hotPlate.root
		navItems = append(navItems, m.navButton(viewHotPlate, theme.ContentAddIcon()))
	}
	if u.deps.Equipment != nil {
		m.equipment = newEquipmentForm(u)
		m.views[viewEquipment] = m.equipment.root
		navItems = append(navItems, m.navButton(viewEquipment, theme.WarningIcon()))
	}
	if u.deps.Training && u.deps.Trainer != nil {
		m.trainer = newTrainerPanel(u)
		m.views[viewTrainer] = m.trainer.root
		navItems = append(navItems, m.navButton(viewTrainer, theme.AccountIcon()))
	}
	dayNight := widget.NewButtonWithIcon("Day", theme.ColorPaletteIcon(), nil)
	dayNight.OnTapped = func() {
		u.touch()
		u.setNight(!u.night)
		if u.night {
			dayNight.SetText("Day")
		} else {
			dayNight.SetText("Night")
		}
	}
	lock := widget.NewButtonWithIcon("Lock", theme.VisibilityOffIcon(), u.lock)
	out := widget.NewButtonWithIcon("Sign out", theme.LogoutIcon(), func() { u.touch(); u.signOut() })
	navItems = append(navItems, layout.NewSpacer(), dayNight, lock, out)

	m.center = container.NewStack(m.views[viewPatrol])
	bar := container.NewStack(newThemedRect(theme.ColorNameHeaderBackground, 0),
		container.NewPadded(container.NewHBox(navItems...)))
	m.root = container.NewBorder(m.topBar(), bar, nil, nil, m.center)
	m.show(viewPatrol)
	return m
}

func (m *mainScreen) navButton(view string, icon fyne.Resource) *widget.Button {
	b := widget.NewButtonWithIcon(view, icon, func() { m.u.touch(); m.show(view) })
	m.nav[view] = b
	return b
}

// show brings a view to the middle of the screen and marks its button.
func (m *mainScreen) show(view string) {
	v, ok := m.views[view]
	if !ok {
		return
	}
	m.center.Objects = []fyne.CanvasObject{v}
	m.center.Refresh()
	for name, b := range m.nav {
		if name == view {
			b.Importance = widget.HighImportance
		} else {
			b.Importance = widget.MediumImportance
		}
		b.Refresh()
	}
}

func (m *mainScreen) topBar() fyne.CanvasObject {
	s := m.u.session
	name := newThemedText("PATROL ALPR", theme.ColorNameForeground, 24, fyne.TextStyle{Bold: true})
	who := widget.NewLabel(fmt.Sprintf("%s (%s)  ·  Unit %s  ·  since %s", s.op.Name, s.op.ID, s.shift.VehicleNumber, s.shift.StartedAt.Format("15:04")))
	who.Truncation = fyne.TextTruncateEllipsis // gives way to the hit count, never widens the window
	m.hitsButton = widget.NewButtonWithIcon("", theme.WarningIcon(), func() { m.u.touch(); m.u.alerts.refresh() })
	m.hitsButton.Importance = widget.DangerImportance
	m.hitsButton.Hide()
	right := container.NewHBox(container.NewCenter(m.hitsButton), m.u.lights.box)
	return container.NewStack(newThemedRect(theme.ColorNameHeaderBackground, 0),
		container.NewPadded(container.NewBorder(nil, nil, container.NewCenter(name), right, who)))
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
