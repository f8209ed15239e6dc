package hotlist

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/matcher"
	"patrol-alpr/store"
)

// clock is a settable clock for the manager and the store.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time  { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Set(t time.Time) { c.mu.Lock(); defer c.mu.Unlock(); c.t = t }

var shiftStart = time.Date(2026, 11, 27, 6, 0, 0, 0, time.UTC)

// listServer serves list files over real HTTP on loopback; a test changes what it
// serves between refreshes.
type listServer struct {
	*httptest.Server
	mu       sync.Mutex
	files    map[string]string
	status   map[string]int
	cutShort map[string]bool // promise more bytes than sent, then hang up
	requests map[string]int
}

func newListServer(t *testing.T) *listServer {
	s := &listServer{files: map[string]string{}, status: map[string]int{}, cutShort: map[string]bool{}, requests: map[string]int{}}
	s.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		body, code, cut := s.files[r.URL.Path], s.status[r.URL.Path], s.cutShort[r.URL.Path]
		s.requests[r.URL.Path]++
		s.mu.Unlock()
		if code != 0 {
			http.Error(w, "maintenance", code)
			return
		}
		if cut {
			w.Header().Set("Content-Length", strconv.Itoa(len(body)*2))
		}
		w.Write([]byte(body))
	}))
	t.Cleanup(s.Close)
	return s
}

func (s *listServer) serve(path, body string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.files[path], s.status[path], s.cutShort[path] = body, 0, false
}

func (s *listServer) count(path string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests[path]
}

// rig is a manager with a real store and a real server.
type rig struct {
	m     *Manager
	db    *store.DB
	srv   *listServer
	clock *clock
	dir   string
}

func newRig(t *testing.T, opt Options) *rig {
	t.Helper()
	c := &clock{t: shiftStart}
	db, err := store.Open(context.Background(), filepath.Join(t.TempDir(), "alpr.db"), store.Options{Now: c.Now})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	srv := newListServer(t)
	dir := filepath.Join(t.TempDir(), "lists")
	if opt.Sources == nil {
		opt.Sources = []Source{
			{List: alpr.HotList{Name: "NCIC", Kind: alpr.General, Priority: 9, Tolerance: alpr.LookAlike}, URL: srv.URL + "/ncic.txt", Format: FormatNCIC},
			{List: alpr.HotList{Name: "SVS", Kind: alpr.General, Priority: 7, Tolerance: alpr.Exact}, URL: srv.URL + "/svs.txt", Format: FormatCADOJ},
		}
	}
	opt.Dir, opt.Now, opt.Lists, opt.HotPlates, opt.Detections = dir, c.Now, db, db, db
	m, err := NewManager(opt)
	if err != nil {
		t.Fatal(err)
	}
	srv.serve("/ncic.txt", lines(ncicHeader, ncicV, ncicP))
	srv.serve("/svs.txt", lines(dojHeader, "7SVS001 CA3920261101", "TOTAL RECORD 0000001"))
	return &rig{m: m, db: db, srv: srv, clock: c, dir: dir}
}

func hits(ix *matcher.Index, plate string) []alpr.Match {
	return ix.Match(matcher.Query{Plate: plate, At: shiftStart})
}

func TestRefreshAppliesLists(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	if _, err := r.m.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if m := hits(r.m.Index(), "TST123"); len(m) != 1 || m[0].Entry.Reason != "stolen vehicle" || m[0].Entry.Priority != 9 {
		t.Errorf("NCIC plate: %+v", m)
	}
	if m := hits(r.m.Index(), "7SVS001"); len(m) != 1 || m[0].Entry.Reason != "stolen vehicle" || m[0].Entry.List != "SVS" {
		t.Errorf("SVS plate: %+v", m)
	}
	if ok, why := r.m.Status(r.clock.Now()); !ok {
		t.Errorf("Status not ok after a good refresh: %s", why)
	}
	stored, err := r.db.HotLists(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(stored) != 2 || stored[0].Name != "NCIC" || stored[0].Entries != 2 || stored[0].Version == "" {
		t.Errorf("store holds %+v", stored)
	}
	for _, name := range []string{"NCIC", "SVS"} {
		if _, err := os.Stat(r.m.lastGoodPath(name)); err != nil {
			t.Errorf("no last good file for %s: %v", name, err)
		}
	}
}

func TestBadDownloadKeepsPreviousList(t *testing.T) {
	good := lines(dojHeader, "7SVS001 CA3920261101", "TOTAL RECORD 0000001")
	cases := []struct {
		name    string
		corrupt func(s *listServer)
		line    int    // of the ParseError; -1: not a parse error
		want    string // in the error
	}{
		{"server error", func(s *listServer) { s.mu.Lock(); s.status["/svs.txt"] = 503; s.mu.Unlock() }, -1, "503"},
		{"connection cut short", func(s *listServer) {
			s.serve("/svs.txt", lines(dojHeader, "7SVS002 CA3920261101", "TOTAL RECORD 0000001"))
			s.mu.Lock()
			s.cutShort["/svs.txt"] = true
			s.mu.Unlock()
		}, -1, "unexpected EOF"},
		{"truncated file", func(s *listServer) { s.serve("/svs.txt", lines(dojHeader, "7SVS002 CA3920261101", "7SVS003 CA39")) }, 3, "no TOTAL RECORD footer"},
		{"footer count mismatch", func(s *listServer) {
			s.serve("/svs.txt", lines(dojHeader, "7SVS002 CA3920261101", "TOTAL RECORD 0000009"))
		}, 3, "footer counts 9"},
		{"bad character", func(s *listServer) {
			s.serve("/svs.txt", lines(dojHeader, "7SVS002 CA3920261101", "7SV$003 CA3920261101", "TOTAL RECORD 0000002"))
		}, 3, "bad character '$'"},
		{"wrong format", func(s *listServer) { s.serve("/svs.txt", lines(ncicHeader, ncicV)) }, 1, "NCIC LPR extract"},
		{"login page", func(s *listServer) { s.serve("/svs.txt", "<!DOCTYPE html><title>Sign in</title>\n") }, 1, "web page"},
		{"duplicate rows", func(s *listServer) {
			s.serve("/svs.txt", lines(dojHeader, "7SVS002 CA3920261101", "7SVS002 CA3920261101", "TOTAL RECORD 0000002"))
		}, 3, "duplicate of line 2"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			r := newRig(t, Options{})
			r.srv.serve("/svs.txt", good)
			if _, err := r.m.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			before, _ := os.ReadFile(r.m.lastGoodPath("SVS"))
			tc.corrupt(r.srv)
			r.clock.Set(shiftStart.Add(time.Hour))
			_, err := r.m.Refresh(ctx)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "hot list SVS") {
				t.Fatalf("Refresh error = %v, want one naming SVS and containing %q", err, tc.want)
			}
			var pe *ParseError
			if tc.line >= 0 {
				if !errors.As(err, &pe) || pe.Line != tc.line || !strings.HasSuffix(pe.File, "/svs.txt") {
					t.Fatalf("error %v: want a ParseError for svs.txt line %d", err, tc.line)
				}
			}
			if m := hits(r.m.Index(), "7SVS001"); len(m) != 1 {
				t.Error("previous SVS list no longer in force")
			}
			if m := hits(r.m.Index(), "7SVS002"); len(m) != 0 {
				t.Error("part of the bad file was applied")
			}
			if m := hits(r.m.Index(), "TST123"); len(m) != 1 {
				t.Error("the good NCIC list was not applied beside the bad SVS")
			}
			ok, why := r.m.Status(r.clock.Now())
			if ok || !strings.Contains(why, "SVS: last update failed") || !strings.Contains(why, tc.want) {
				t.Errorf("Status = %v %q, want not ok naming SVS and %q", ok, why, tc.want)
			}
			after, _ := os.ReadFile(r.m.lastGoodPath("SVS"))
			if string(after) != string(before) {
				t.Error("last good file replaced by a bad one")
			}
			entries, err := r.db.HotEntries(ctx, "SVS")
			if err != nil || len(entries) != 1 || entries[0].Plate != "7SVS001" {
				t.Errorf("store's SVS list = %+v, %v; want the previous one", entries, err)
			}
			// The next good download clears the failure.
			r.srv.serve("/svs.txt", lines(dojHeader, "7SVS004 CA3920261101", "TOTAL RECORD 0000001"))
			if _, err := r.m.Refresh(ctx); err != nil {
				t.Fatal(err)
			}
			if ok, why := r.m.Status(r.clock.Now()); !ok || len(hits(r.m.Index(), "7SVS004")) != 1 || len(hits(r.m.Index(), "7SVS001")) != 0 {
				t.Errorf("after a good download: Status %v %q", ok, why)
			}
		})
	}
}

func TestStatusStaleness(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	cases := []struct {
		name   string
		at     time.Time
		ok     bool
		reason string
	}{
		{"never loaded", shiftStart, false, "NCIC list never loaded; SVS list never loaded"},
	}
	for _, tc := range cases {
		if ok, why := r.m.Status(tc.at); ok != tc.ok || why != tc.reason {
			t.Errorf("%s: Status = %v %q, want %v %q", tc.name, ok, why, tc.ok, tc.reason)
		}
	}
	if _, err := r.m.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	cases = []struct {
		name   string
		at     time.Time
		ok     bool
		reason string
	}{
		{"just loaded", shiftStart, true, ""},
		{"24 h old", shiftStart.Add(24 * time.Hour), true, ""},
		{"a minute past 24 h", shiftStart.Add(24*time.Hour + time.Minute), false, "NCIC list is 24h1m0s old; SVS list is 24h1m0s old"},
	}
	for _, tc := range cases {
		if ok, why := r.m.Status(tc.at); ok != tc.ok || why != tc.reason {
			t.Errorf("%s: Status = %v %q, want %v %q", tc.name, ok, why, tc.ok, tc.reason)
		}
	}
	// Downloading the same files again makes them current without rebuilding the index.
	ix := r.m.Index()
	r.clock.Set(shiftStart.Add(23 * time.Hour))
	if _, err := r.m.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	if r.m.Index() != ix {
		t.Error("unchanged files rebuilt the index")
	}
	if ok, why := r.m.Status(shiftStart.Add(25 * time.Hour)); !ok {
		t.Errorf("after an unchanged download 2 h earlier: %q", why)
	}
}

func TestRestartWithoutNetwork(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	if _, err := r.m.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	r.srv.Close() // the network is gone
	later := &clock{t: shiftStart.Add(10 * time.Hour)}
	m2, err := NewManager(Options{Sources: r.m.opt.Sources, Dir: r.dir, Now: later.Now})
	if err != nil {
		t.Fatal(err)
	}
	if err := m2.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if len(hits(m2.Index(), "TST123")) != 1 || len(hits(m2.Index(), "7SVS001")) != 1 {
		t.Fatal("lists not restored from the last good files")
	}
	if _, err := m2.Refresh(ctx); err == nil {
		t.Fatal("Refresh without network reported no error")
	}
	if len(hits(m2.Index(), "TST123")) != 1 {
		t.Error("failed refresh dropped the restored list")
	}
	st := m2.StatusOf("NCIC")
	if !st.List.LoadedAt.Equal(shiftStart) {
		t.Errorf("restored list LoadedAt = %v, want the download time %v", st.List.LoadedAt, shiftStart)
	}
	if ok, why := m2.Status(shiftStart.Add(25 * time.Hour)); ok || !strings.Contains(why, "NCIC list is 25h0m0s old") {
		t.Errorf("Status 25 h after the last download = %v %q", ok, why)
	}
}

func TestRefreshRaisesLateHits(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{RematchWindow: 2 * time.Hour})
	if _, err := r.m.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	save := func(plate string, ago time.Duration) alpr.Detection {
		d := alpr.Detection{Camera: alpr.Cam1, SeenAt: shiftStart.Add(-ago), Plate: plate, State: "CA", Confidence: 0.9}
		if err := r.db.SaveDetection(ctx, &d); err != nil {
			t.Fatal(err)
		}
		return d
	}
	save("TST123", time.Hour) // hit the list in force when it passed: not raised again
	late := save("NEW777", 30*time.Minute)
	save("OLD888", 3*time.Hour) // outside the window
	r.srv.serve("/ncic.txt", lines(ncicHeader, ncicV, ncicP,
		"WCA0390000NIC00000920261126NEW777    CA",
		"VCA0390000NIC00001020261126OLD888    CA"))
	got, err := r.m.Refresh(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 {
		t.Fatalf("late hits = %+v, want one for NEW777", got)
	}
	h := got[0]
	if !h.Late || h.DetectionID != late.ID || h.DetectionUUID != late.UUID || h.Match.Entry.Plate != "NEW777" ||
		h.Match.Entry.Reason != "wanted person" || !h.RaisedAt.Equal(shiftStart) {
		t.Errorf("late hit = %+v", h)
	}
	// The same lists again: nothing changed, nothing raised twice.
	if got, err := r.m.Refresh(ctx); err != nil || len(got) != 0 {
		t.Errorf("second refresh: hits %+v, err %v", got, err)
	}
}

func TestRunRefreshesUntilCancelled(t *testing.T) {
	r := newRig(t, Options{Interval: 20 * time.Millisecond})
	r.m.now = time.Now // Run waits on real timers; its clock must move with them
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() { done <- r.m.Run(ctx) }()
	deadline := time.Now().Add(5 * time.Second)
	for r.srv.count("/svs.txt") < 3 && time.Now().Before(deadline) {
		time.Sleep(5 * time.Millisecond)
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("Run returned %v, want context.Canceled", err)
	}
	if n := r.srv.count("/svs.txt"); n < 3 {
		t.Errorf("Run downloaded SVS %d times in 5 s at a 20 ms interval", n)
	}
	if len(hits(r.m.Index(), "7SVS001")) != 1 {
		t.Error("Run did not apply the list")
	}
}

func TestNewManagerRejects(t *testing.T) {
	src := Source{List: alpr.HotList{Name: "SVS", Kind: alpr.General}, URL: "http://x/svs", Format: FormatCADOJ}
	cases := []struct {
		name string
		opt  Options
		want string
	}{
		{"interval over a day", Options{Sources: []Source{src}, Interval: 25 * time.Hour}, "at least once a day"},
		{"unnamed list", Options{Sources: []Source{{URL: "x", Format: FormatCSV, List: alpr.HotList{Kind: alpr.General}}}}, "no name"},
		{"twice named", Options{Sources: []Source{src, src}}, "named twice"},
		{"unknown format", Options{Sources: []Source{{List: src.List, URL: "x", Format: "xml"}}}, `unknown format "xml"`},
		{"officer list name", Options{Sources: []Source{{List: alpr.HotList{Name: "OFFICER", Kind: alpr.General}, URL: "x", Format: FormatCSV}}}, "reserved"},
		{"no url", Options{Sources: []Source{{List: src.List, Format: FormatCSV}}}, "no URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := NewManager(tc.opt); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("NewManager error = %v, want %q", err, tc.want)
			}
		})
	}
}

func matcherQuery(plate string, at time.Time) matcher.Query {
	return matcher.Query{Plate: plate, At: at}
}

func writeFile(path, body string) error { return os.WriteFile(path, []byte(body), 0o600) }

// TestConcurrentUse matches and adds a hot plate while lists are refreshed; run with
// -race it checks that the index is swapped, never changed under a reader.
func TestConcurrentUse(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(2)
	go func() {
		defer wg.Done()
		for {
			select {
			case <-stop:
				return
			default:
				r.m.Index().Match(matcherQuery("TST123", shiftStart))
			}
		}
	}()
	go func() {
		defer wg.Done()
		e := alpr.HotEntry{Plate: "8ABC123", EnteredBy: "Ofc. Ortiz", ExpiresAt: shiftStart.Add(time.Hour)}
		if _, err := r.m.AddHotPlate(ctx, e, false); err != nil {
			t.Error(err)
		}
	}()
	for i := range 3 {
		r.srv.serve("/svs.txt", lines(dojHeader, "7SVS00"+strconv.Itoa(i)+" CA3920261101", "TOTAL RECORD 0000001"))
		if _, err := r.m.Refresh(ctx); err != nil {
			t.Error(err)
		}
	}
	close(stop)
	wg.Wait()
	if len(hits(r.m.Index(), "8ABC123")) != 1 || len(hits(r.m.Index(), "7SVS002")) != 1 || len(hits(r.m.Index(), "TST123")) != 1 {
		t.Error("a concurrent change was lost")
	}
}

func TestListAppliedWhenNotKept(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	// The last-good directory cannot be created: a file is in its way.
	if err := writeFile(r.dir, "not a directory"); err != nil {
		t.Fatal(err)
	}
	d := alpr.Detection{Camera: alpr.Cam1, SeenAt: shiftStart.Add(-time.Minute), Plate: "TST123", Confidence: 0.9}
	if err := r.db.SaveDetection(ctx, &d); err != nil {
		t.Fatal(err)
	}
	late, err := r.m.Refresh(ctx)
	if err == nil || !strings.Contains(err.Error(), "not kept for a restart") {
		t.Fatalf("Refresh error = %v, want one saying the list was not kept", err)
	}
	if len(hits(r.m.Index(), "TST123")) != 1 {
		t.Error("the downloaded list was not applied")
	}
	if len(late) != 1 || late[0].DetectionID != d.ID {
		t.Errorf("late hits = %+v, want the read of a minute ago", late)
	}
	if ok, why := r.m.Status(shiftStart); ok || !strings.Contains(why, "not kept for a restart") {
		t.Errorf("Status = %v %q, want the failure shown", ok, why)
	}
}

// TestAFewBadLinesLeaveTheRestOfTheList: a downloaded list with a few unreadable records is
// applied without them and says which lines were left out; one mostly unreadable is refused
// and the list before it stays in force. The last good copy on disk reloads the same way.
func TestAFewBadLinesLeaveTheRestOfTheList(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, Options{})
	if _, err := r.m.Refresh(ctx); err != nil {
		t.Fatal(err)
	}
	recs := []string{dojHeader}
	for i := range 8 {
		recs = append(recs, fmt.Sprintf("7GD%04d CA3920261101", i))
	}
	recs[3] = "7G$0002 CA3920261101" // line 4: bad character
	recs[7] = "7GD0006 CA3920261341" // line 8: bad date
	few := lines(append(recs, "TOTAL RECORD 0000008")...)
	r.srv.serve("/svs.txt", few)
	r.clock.Set(shiftStart.Add(time.Hour))
	if _, err := r.m.Refresh(ctx); err != nil {
		t.Fatalf("Refresh of a list with 2 bad lines of 8: %v", err)
	}
	for plate, want := range map[string]int{"7GD0000": 1, "7GD0007": 1, "7GD0006": 0, "7SVS001": 0} {
		if got := len(hits(r.m.Index(), plate)); got != want {
			t.Errorf("%s: %d hits, want %d", plate, got, want)
		}
	}
	st := r.m.StatusOf("SVS")
	if st.Skipped == nil || len(st.Skipped.Lines) != 2 || st.Skipped.Lines[0].Line != 4 || st.Skipped.Lines[1].Line != 8 || st.List.Entries != 6 {
		t.Fatalf("status %+v, want 6 entries and lines 4 and 8 skipped", st)
	}
	w := r.m.Warnings()
	for _, want := range []string{"SVS list: 2 of 8 lines skipped", "line 4: bad character", "line 8: date of loss"} {
		if !strings.Contains(w, want) {
			t.Errorf("warnings %q do not say %q", w, want)
		}
	}
	if ok, why := r.m.Status(r.clock.Now()); !ok {
		t.Errorf("a list in force with a few lines left out is not a failure: %s", why)
	}

	// Mostly unreadable: refused, the 6 good entries stay.
	recs = []string{dojHeader}
	for i := range 4 {
		recs = append(recs, fmt.Sprintf("7BD%04d CA39BADDATE", i))
	}
	recs = append(recs, "7OK0001 CA3920261101", "TOTAL RECORD 0000005")
	r.srv.serve("/svs.txt", lines(recs...))
	r.clock.Set(shiftStart.Add(2 * time.Hour))
	_, err := r.m.Refresh(ctx)
	var pe *ParseError
	if !errors.As(err, &pe) || pe.Line != 2 || !strings.Contains(pe.Reason, "4 of 5 records unreadable") {
		t.Fatalf("Refresh of a mostly unreadable list: %v, want the first bad line and the count", err)
	}
	if len(hits(r.m.Index(), "7GD0000")) != 1 || len(hits(r.m.Index(), "7OK0001")) != 0 {
		t.Error("the previous list is not the one in force")
	}

	// A restart reloads the last good copy, still without its bad lines, and says so.
	again, err := NewManager(r.m.opt)
	if err != nil {
		t.Fatal(err)
	}
	if err := again.Load(ctx); err != nil {
		t.Fatal(err)
	}
	if len(hits(again.Index(), "7GD0007")) != 1 || !strings.Contains(again.Warnings(), "line 4") {
		t.Errorf("after a restart: warnings %q", again.Warnings())
	}
}
