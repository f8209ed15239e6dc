package desk_test

import (
	"context"
	"flag"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"

	"patrol-alpr/server/desk"
	"patrol-alpr/server/postgres"
)

// chromiumPath is Debian's chromium, which `make setup` installs.
const chromiumPath = "/usr/bin/chromium"

var screenshotDir = flag.String("desk.screenshots", "", "write a screenshot of each page into this folder (the README's are ../../docs)")

// tab is one headless Chromium with a fresh profile, and where its downloads land.
type tab struct {
	t         *testing.T
	ctx       context.Context
	base      string
	downloads string
	done      chan string // GUIDs of finished downloads
}

func newTab(t *testing.T, base string) *tab {
	t.Helper()
	if _, err := os.Stat(chromiumPath); err != nil {
		t.Skipf("%s not installed (make setup installs it)", chromiumPath)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chromiumPath),
		chromedp.Headless, chromedp.NoSandbox, chromedp.DisableGPU, chromedp.NoFirstRun, chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-dev-shm-usage", true),
		chromedp.UserDataDir(t.TempDir()),
		// The test server's certificate is its own; the desk's cookie still needs HTTPS.
		chromedp.IgnoreCertErrors,
		chromedp.WindowSize(1280, 900),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 3*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	tb := &tab{t: t, ctx: ctx, base: base, downloads: t.TempDir(), done: make(chan string, 4)}
	listen := func(ev any) {
		var p *browser.EventDownloadProgress
		switch v := ev.(type) {
		case *browser.EventDownloadProgress:
			p = v
		case browser.EventDownloadProgress:
			p = &v
		}
		if p != nil && p.State == browser.DownloadProgressStateCompleted {
			select {
			case tb.done <- p.GUID:
			default:
			}
		}
	}
	tb.run(chromedp.Navigate("about:blank"))
	must(t, chromedp.ListenBrowser(ctx, listen))
	events := true
	_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: tb.downloads, EventsEnabled: &events})
	must(t, err)
	return tb
}

func (tb *tab) run(actions ...chromedp.Action[chromedp.Void]) {
	tb.t.Helper()
	if err := chromedp.Do(tb.ctx, actions...); err != nil {
		tb.t.Fatal(err)
	}
}

// open navigates to path and returns the HTTP status of the page.
func (tb *tab) open(path string) int {
	tb.t.Helper()
	res, err := chromedp.RunResponse(tb.ctx, chromedp.Navigate(tb.base+path))
	if err != nil {
		tb.t.Fatalf("open %s: %v", path, err)
	}
	return int(res.Status)
}

func (tb *tab) text(sel string) string {
	tb.t.Helper()
	s, err := chromedp.Run(tb.ctx, chromedp.Text(chromedp.CSS(sel)))
	must(tb.t, err)
	return s
}

// screenshot saves the whole page as docs/desk-NAME.png when -desk.screenshots is given.
func (tb *tab) screenshot(name string) {
	tb.t.Helper()
	if *screenshotDir == "" {
		return
	}
	// The charts are images: wait until they are drawn.
	tb.run(chromedp.Poll[chromedp.Void](`Array.from(document.images).every(i => i.complete && i.naturalWidth > 0)`,
		chromedp.WithPollingTimeout(20*time.Second)))
	png, err := chromedp.Run(tb.ctx, chromedp.FullScreenshot(100))
	must(tb.t, err)
	must(tb.t, os.WriteFile(filepath.Join(*screenshotDir, "desk-"+name+".png"), png, 0o644))
}

func (tb *tab) signIn(name, password string) {
	tb.t.Helper()
	tb.open("/signin")
	tb.fillSignIn(name, password)
}

// fillSignIn signs in on the sign-in page the tab shows.
func (tb *tab) fillSignIn(name, password string) {
	tb.t.Helper()
	tb.run(
		chromedp.SendKeys(chromedp.CSS(`input[name=name]`), name),
		chromedp.SendKeys(chromedp.CSS(`input[name=password]`), password),
		chromedp.Click(chromedp.CSS(`form[action="/signin"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`header .who`)),
	)
}

func (tb *tab) signOut() {
	tb.t.Helper()
	tb.run(chromedp.Click(chromedp.CSS(`form[action="/signout"] button`)), chromedp.WaitVisible(chromedp.CSS(`input[name=password]`)))
}

// download clicks a link and returns the file the browser saved.
func (tb *tab) download(link string) []byte {
	tb.t.Helper()
	tb.run(chromedp.Click(chromedp.CSS(link)))
	select {
	case guid := <-tb.done:
		b, err := os.ReadFile(filepath.Join(tb.downloads, guid))
		must(tb.t, err)
		return b
	case <-time.After(30 * time.Second):
		tb.t.Fatalf("clicking %s downloaded nothing", link)
		return nil
	}
}

// TestDeskInChromium drives the pages as the administrator, the investigator and the
// auditor would, in a real headless Chromium.
func TestDeskInChromium(t *testing.T) {
	e := newEnv(t, desk.Options{})
	tb := newTab(t, e.srv.URL)
	ctx := context.Background()

	if got := tb.open("/report"); got != http.StatusOK || !strings.Contains(tb.text("h1"), "Sign in") {
		t.Fatalf("signed out, /report: %d, %q; want the sign-in page", got, tb.text("h1"))
	}
	tb.screenshot("signin")
	tb.fillSignIn(adminName, adminPassword)
	if who := tb.text("header .who"); !strings.Contains(who, adminName) || !strings.Contains(who, "administrator") {
		t.Errorf("signed in as %q", who)
	}
	if h1 := tb.text("h1"); !strings.Contains(h1, "Quarterly Report") {
		t.Errorf("after sign-in the desk did not return to the report: %q", h1)
	}

	tb.open("/")
	if s := tb.text("main"); !strings.Contains(s, "1\nspecial lists awaiting approval") || !strings.Contains(s, "6\ncamera inspections overdue") {
		t.Errorf("home page: %q", s)
	}
	tb.screenshot("home")

	// Approve the special list for the cars.
	tb.open("/lists")
	tb.run(chromedp.Click(chromedp.CSS(`tr[data-list="GANG"] form[action="/lists/approve"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.done`)))
	if s := tb.text(`tr[data-list="GANG"]`); !strings.Contains(s, "approved by "+adminName) {
		t.Errorf("GANG after approval: %q", s)
	}
	lists, err := e.db.DeskLists(ctx, e.agency)
	must(t, err)
	for _, l := range lists {
		if l.Name == "GANG" && l.ApprovedBy != adminName {
			t.Errorf("GANG approved by %q in the database", l.ApprovedBy)
		}
	}
	tb.screenshot("lists")

	// Record the outcome of auditing the search made after the shift without a case number.
	tb.open("/audit")
	row := `tr[data-search="2317:4"]`
	if s := tb.text(row); !strings.Contains(s, postgres.FlagNoCase) || !strings.Contains(s, postgres.FlagOutsideShift) {
		t.Errorf("flags of 2317:4: %q", s)
	}
	tb.run(
		chromedp.SetValue(chromedp.CSS(row+` select[name=outcome]`), postgres.AuditNotCompliant),
		chromedp.SendKeys(chromedp.CSS(row+` input[name=note]`), "no case number; counselled"),
		chromedp.Click(chromedp.CSS(row+` button`)),
		chromedp.WaitVisible(chromedp.CSS(`.done`)),
	)
	if s := tb.text(row); !strings.Contains(s, "not compliant by "+adminName) || !strings.Contains(s, "counselled") {
		t.Errorf("2317:4 after review: %q", s)
	}
	tb.screenshot("audit")

	// The report, its charts, and its exports as the browser downloads them.
	tb.open("/report?q=2026-Q4")
	if s := tb.text("#totals"); !strings.Contains(s, "Total detections\t9") || !strings.Contains(s, "Hits generated\t5") {
		t.Errorf("totals: %q", s)
	}
	tb.screenshot("report")
	checkReportCSV(t, string(tb.download(`a[href^="/report/csv"]`)))
	checkReportPDF(t, string(tb.download(`a[href^="/report/pdf"]`)))

	// Refuse the request from outside the network, with the reason.
	tb.open("/requests")
	tb.run(
		chromedp.SetValue(chromedp.CSS(`#requests select[name=decision]`), "refuse"),
		chromedp.SendKeys(chromedp.CSS(`#requests input[name=reason]`), "no court order"),
		chromedp.Click(chromedp.CSS(`#requests button`)),
		chromedp.WaitVisible(chromedp.CSS(`.done`)),
	)
	if s := tb.text("#requests"); !strings.Contains(s, "refused by "+adminName) || !strings.Contains(s, "no court order") {
		t.Errorf("request after refusal: %q", s)
	}
	tb.screenshot("requests")

	tb.open("/network")
	if s := tb.text("#network"); !strings.Contains(s, "No network hit") {
		t.Errorf("network hits of an agency without any: %q", s)
	}
	tb.screenshot("network")

	tb.open("/retention")
	tb.screenshot("retention")

	// Record an inspection, and close the damage report with what was done.
	tb.open("/equipment")
	tb.run(
		chromedp.SendKeys(chromedp.CSS(`#inspections input[name=note]`), "mounts tight, lenses clean"),
		chromedp.Click(chromedp.CSS(`#inspections button`)),
		chromedp.WaitVisible(chromedp.CSS(`.done`)),
	)
	if s := tb.text("#inspections"); !strings.Contains(s, "by "+adminName) || !strings.Contains(s, "2027-03-04") {
		t.Errorf("inspections after recording one: %q", s)
	}
	tb.open("/equipment")
	tb.run(
		chromedp.SendKeys(chromedp.CSS(`#reports input[name=action]`), "mount tightened, camera re-aimed"),
		chromedp.Click(chromedp.CSS(`#reports button`)),
		chromedp.WaitVisible(chromedp.CSS(`.done`)),
	)
	if s := tb.text("#reports"); !strings.Contains(s, "closed by "+adminName) {
		t.Errorf("damage report after closing: %q", s)
	}
	tb.screenshot("equipment")

	// Import a roster from CSV.
	csvPath := filepath.Join(t.TempDir(), "roster.csv")
	must(t, os.WriteFile(csvPath, []byte("operator_id,name,trained_on,certification,certified_until\n"+
		"4713,Officer Carter,2026-11-15,Vendor ALPR course,2027-11-15\n"), 0o644))
	tb.open("/training")
	tb.run(
		chromedp.SetUploadFiles(chromedp.CSS(`input[name=roster]`), []string{csvPath}),
		chromedp.Click(chromedp.CSS(`form[action="/training/import"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`.done`)),
	)
	if s := tb.text("#roster"); !strings.Contains(s, "Officer Carter") || !strings.Contains(s, "lapsed") {
		t.Errorf("roster after import: %q", s)
	}
	tb.screenshot("training")
	tb.signOut()

	// The investigator searches with a purpose and a case number; the auditor's pages are closed to them.
	tb.signIn(investigatorName, investigatorPW)
	tb.open("/search")
	tb.run(
		chromedp.SendKeys(chromedp.CSS(`input[name=plate]`), "7ABC*"),
		chromedp.SendKeys(chromedp.CSS(`input[name=state]`), "ca"), // every detection here was read as California's
		chromedp.SetValue(chromedp.CSS(`input[name=from]`), "2026-10-01"),
		chromedp.SetValue(chromedp.CSS(`input[name=to]`), "2026-12-31"),
		chromedp.SendKeys(chromedp.CSS(`input[name=purpose]`), "stolen vehicle follow-up"),
		chromedp.SendKeys(chromedp.CSS(`input[name=case]`), "C-9"),
		chromedp.Click(chromedp.CSS(`form[action="/search"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`#results`)),
	)
	if h := tb.text("h2"); h != "9 detections" {
		t.Errorf("search results: %q, want 9 detections", h)
	}
	doubts, err := chromedp.Run(tb.ctx, chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#results .doubt"), e => e.closest("tr").cells[6].innerText)`))
	must(t, err)
	if len(doubts) != 1 || !strings.HasPrefix(doubts[0], "0.62") {
		t.Errorf("reads marked doubtful: %q, want the one at 0.62", doubts)
	}
	tb.screenshot("search")
	if got := tb.open("/report"); got != http.StatusForbidden {
		t.Errorf("investigator opens /report: %d, want 403", got)
	}
	tb.screenshot("forbidden")
	tb.signOut()

	searches, err := e.db.Searches(ctx, e.agency, postgres.SearchFilter{CaseNumber: "C-9"})
	must(t, err)
	if len(searches) != 1 || searches[0].Operator != e.agency+"/"+investigatorName || searches[0].Results != 9 || searches[0].Vehicle != "" {
		t.Errorf("the investigator's search in the query audit: %+v", searches)
	}

	// The auditor reads but changes nothing: no approval buttons, 403 on a search.
	tb.signIn(auditorName, auditorPassword)
	tb.open("/lists")
	forms, err := chromedp.Run(tb.ctx, chromedp.Evaluate[int](`document.querySelectorAll("main form").length`))
	must(t, err)
	if forms != 0 {
		t.Errorf("the auditor is shown %d forms on /lists", forms)
	}
	if got := tb.open("/search"); got != http.StatusForbidden {
		t.Errorf("auditor opens /search: %d, want 403", got)
	}
}
