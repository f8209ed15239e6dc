package desk_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/server/desk"
	"patrol-alpr/server/pgcluster/pgtest"
	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

var dsn string

func TestMain(m *testing.M) { pgtest.Main(m, &dsn) }

// clock is a test's settable time, read by the database and the desk from many goroutines.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// env is one test's agency, filled with the known data below, and its desk on a TLS server.
type env struct {
	t      *testing.T
	db     *postgres.DB
	agency string
	clock  *clock
	desk   *desk.Desk
	srv    *httptest.Server
	// What the fixture made, by name.
	hits map[string]string // h1..h6 -> hit uuid
	dets map[string]string // detection uuids by label
}

// Passwords of the fixture's accounts.
const (
	adminName, adminPassword         = "lt.admin", "correct horse battery"
	investigatorName, investigatorPW = "det.inv", "investigator password"
	auditorName, auditorPassword     = "sgt.aud", "auditor password 1"
)

// fixtureNow is the tests' "now": in 2026-Q4.
var fixtureNow = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)

func newEnv(t *testing.T, opt desk.Options) *env {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn, 8)
	must(t, err)
	t.Cleanup(db.Close)
	c := &clock{now: fixtureNow}
	db.Now = c.Now
	e := &env{t: t, db: db, agency: "D" + strings.ToUpper(wire.NewUUID()[:8]), clock: c, hits: map[string]string{}, dets: map[string]string{}}
	must(t, db.PutAgency(ctx, postgres.Agency{ID: e.agency, Name: "Desk test " + t.Name()}))
	opt.Agency, opt.Now = e.agency, c.Now
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	if testing.Verbose() {
		log = slog.New(slog.NewTextHandler(testWriter{t}, nil))
	}
	e.desk, err = desk.New(db, log, opt)
	must(t, err)
	e.srv = httptest.NewTLSServer(e.desk.Handler())
	t.Cleanup(e.srv.Close)
	for _, u := range []struct{ name, role, pw string }{
		{adminName, postgres.RoleAdministrator, adminPassword},
		{investigatorName, postgres.RoleInvestigator, investigatorPW},
		{auditorName, postgres.RoleAuditor, auditorPassword},
	} {
		h, err := desk.HashPassword(u.pw)
		must(t, err)
		must(t, db.PutDeskUser(ctx, postgres.DeskUser{Agency: e.agency, Name: u.name, Role: u.role, Password: h}, "test"))
	}
	e.fill()
	return e
}

type testWriter struct{ t *testing.T }

func (w testWriter) Write(p []byte) (int, error) {
	w.t.Log(strings.TrimSpace(string(p)))
	return len(p), nil
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func day(m time.Month, d, h int) time.Time { return time.Date(2026, m, d, h, 0, 0, 0, time.UTC) }

// fill files the known data through Ingest, as the cars send it. In 2026-Q4:
//
//	detections  2317 Cam-1: Oct 3 ×2, Nov 5, Dec 1   2317 Cam-2: Nov 6 ×2   2318 Cam-1: Oct 10, Dec 2 ×2
//	            (and 2318 Cam-3 on Sep 30, in Q3)
//	hits        h1 Oct 3 2317 Cam-1 NCIC confirmed     h2 Nov 5 2317 Cam-1 NCIC rejected misread
//	            h3 Nov 6 2317 Cam-2 SVS rejected "wrong state", then confirmed (the latest counts)
//	            h4 Dec 2 2318 Cam-1 SVS rejected misread   h5 Dec 2 2318 Cam-1 LOCAL no disposition
//	            (h6 Sep 30 NCIC confirmed, in Q3)
//	searches    2317 by 4711: Oct 3 09:00 in shift, case C-1, 2 results; Oct 3 20:00 after the shift, no case
//	            2318 by 4712: Nov 10, case C-2 (4712 has no shift entries: not judged)
//	chains      2317 intact (4 entries); 2318 entry 2 changed after it was hashed
func (e *env) fill() {
	t, ctx := e.t, context.Background()
	for _, v := range []string{"2317", "2318"} {
		must(t, e.db.PutVehicle(ctx, postgres.Vehicle{Agency: e.agency, Number: v}))
	}
	must(t, e.db.PutTrainees(ctx, e.agency, []postgres.Trainee{
		{ID: "4711", Name: "Officer Able", Active: true, TrainedOn: time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC),
			Certification: "Vendor ALPR course", CertifiedUntil: time.Date(2027, 6, 30, 0, 0, 0, 0, time.UTC)},
		{ID: "4712", Name: "Officer Baker", Active: true, TrainedOn: time.Date(2024, 11, 1, 0, 0, 0, 0, time.UTC),
			Certification: "Department trainer", CertifiedUntil: time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)},
	}, "test"))

	type det struct {
		label, vehicle, op string
		cam                alpr.CameraID
		at                 time.Time
	}
	dets := []det{
		{"oct3a", "2317", "4711", alpr.Cam1, day(10, 3, 9)}, {"oct3b", "2317", "4711", alpr.Cam1, day(10, 3, 10)},
		{"nov5", "2317", "4711", alpr.Cam1, day(11, 5, 9)}, {"dec1", "2317", "4711", alpr.Cam1, day(12, 1, 9)},
		{"nov6a", "2317", "4711", alpr.Cam2, day(11, 6, 9)}, {"nov6b", "2317", "4711", alpr.Cam2, day(11, 6, 10)},
		{"oct10", "2318", "4712", alpr.Cam1, day(10, 10, 9)}, {"dec2a", "2318", "4712", alpr.Cam1, day(12, 2, 9)},
		{"dec2b", "2318", "4712", alpr.Cam1, day(12, 2, 10)},
		{"sep30", "2318", "4712", alpr.Cam3, time.Date(2026, 9, 30, 23, 59, 0, 0, time.UTC)},
	}
	items := map[string][]wire.Item{}
	add := func(vehicle, op, kind string, at time.Time, payload any, images ...wire.Image) {
		p, err := json.Marshal(payload)
		must(t, err)
		items[vehicle] = append(items[vehicle], wire.Item{Key: wire.NewUUID(), Kind: kind, CreatedAt: at, Operator: op,
			Payload: p, Images: images})
	}
	byLabel := map[string]det{}
	for i, d := range dets {
		id := wire.NewUUID()
		e.dets[d.label] = id
		byLabel[d.label] = d
		plate := "7ABC" + string(rune('0'+i)) + "23"
		conf := 0.9
		if i == 1 { // one read the reader was unsure of
			conf = 0.62
		}
		add(d.vehicle, d.op, wire.KindDetection, d.at, alpr.Detection{UUID: id, Camera: d.cam, SeenAt: d.at, Plate: plate,
			State: "CA", Confidence: conf, Fix: alpr.Fix{Lat: 37.95, Lon: -121.29, Time: d.at, Quality: alpr.Fix3D}},
			wire.NewImage(wire.ImagePlate, []byte("plate jpeg of "+id)), wire.NewImage(wire.ImageScene, []byte("scene jpeg of "+id)))
	}
	type disp struct {
		outcome alpr.Outcome
		reason  string
		after   time.Duration
	}
	hits := []struct {
		name, det, list string
		disps           []disp
	}{
		{"h1", "oct3a", "NCIC", []disp{{alpr.Confirmed, "", time.Minute}}},
		{"h2", "nov5", "NCIC", []disp{{alpr.Rejected, alpr.RejectMisread, time.Minute}}},
		{"h3", "nov6a", "SVS", []disp{{alpr.Rejected, alpr.RejectWrongState, time.Minute}, {alpr.Confirmed, "", 5 * time.Minute}}},
		{"h4", "dec2a", "SVS", []disp{{alpr.Rejected, alpr.RejectMisread, time.Minute}}},
		{"h5", "dec2b", "LOCAL", nil},
		{"h6", "sep30", "NCIC", []disp{{alpr.Confirmed, "", time.Minute}}},
	}
	for _, h := range hits {
		d := byLabel[h.det]
		id := wire.NewUUID()
		e.hits[h.name] = id
		at := d.at.Add(time.Second)
		add(d.vehicle, d.op, wire.KindHit, at, alpr.Hit{UUID: id, DetectionUUID: e.dets[h.det], RaisedAt: at,
			Match: alpr.Match{Entry: alpr.HotEntry{List: h.list, Plate: "7ABC123"}, Kind: alpr.MatchExact, ReadPlate: "7ABC123",
				State: alpr.StateMatch}})
		for _, p := range h.disps {
			add(d.vehicle, d.op, wire.KindDisposition, at.Add(p.after), struct {
				HitUUID string `json:"hit_uuid"`
				alpr.Disposition
			}{id, alpr.Disposition{Outcome: p.outcome, Reason: p.reason, OperatorID: d.op, VehicleNumber: d.vehicle,
				At: at.Add(p.after)}})
		}
	}
	add("2317", "4711", wire.KindEquipment, day(11, 20, 8), map[string]any{"uuid": wire.NewUUID(), "camera": "Cam-2",
		"problem": "camera loose on its mount", "note": "rattles above 40 mph", "operator_id": "4711", "at": day(11, 20, 8)})

	// The cars' audit logs, hash-chained as the car chains them.
	chain := func(vehicle string, recs []wire.AuditRecord, tamper int64) {
		prev := wire.Genesis
		for i := range recs {
			r := &recs[i]
			r.Seq = int64(i + 1)
			h := wire.ChainHash(prev, r.Seq, r.At, r.Actor, r.Action, r.Detail)
			r.PrevHash, r.Hash = hex.EncodeToString(prev), hex.EncodeToString(h)
			prev = h
			if r.Seq == tamper {
				r.Detail += " (edited)"
			}
			add(vehicle, r.Actor, wire.KindAudit, r.At, *r)
		}
	}
	search := func(op, purpose, caseNo string, results int) string {
		b, _ := json.Marshal(map[string]any{"operator_id": op, "purpose": purpose, "case_number": caseNo, "plate": "7ABC*", "results": results})
		return string(b)
	}
	chain("2317", []wire.AuditRecord{
		{At: day(10, 3, 8), Actor: "4711", Action: "shift.start", Detail: "shift 1 in vehicle 2317"},
		{At: day(10, 3, 9), Actor: "4711", Action: "search", Detail: search("4711", "stolen vehicle follow-up", "C-1", 2)},
		{At: day(10, 3, 16), Actor: "4711", Action: "shift.end", Detail: "shift 1"},
		{At: day(10, 3, 20), Actor: "4711", Action: "search", Detail: search("4711", "curiosity", "", 0)},
	}, 0)
	chain("2318", []wire.AuditRecord{
		{At: day(11, 10, 9), Actor: "4712", Action: "search", Detail: search("4712", "missing person", "C-2", 1)},
		{At: day(11, 10, 10), Actor: "4712", Action: "sign-out", Detail: "signed out"},
		{At: day(11, 10, 11), Actor: "4712", Action: "sign-in", Detail: "signed in"},
	}, 2)

	for vehicle, its := range items {
		for i := range its {
			its[i].Seq = int64(i + 1)
		}
		_, _, err := e.db.Ingest(ctx, e.agency, wire.Batch{Vehicle: vehicle, Items: its})
		must(t, err)
	}
	for _, l := range []postgres.List{
		{Agency: e.agency, ListInfo: wire.ListInfo{Name: "NCIC", Format: "csv", Kind: "general", Entries: 2}, Body: []byte("plate\n7ABC123\n8XYZ999\n"), ImportedBy: "test"},
		{Agency: e.agency, ListInfo: wire.ListInfo{Name: "GANG", Format: "csv", Kind: "special", Departmental: true, Entries: 1}, Body: []byte("plate\n5GNG001\n"), ImportedBy: "test"},
	} {
		_, err := e.db.PutList(ctx, l)
		must(t, err)
	}
	_, err := e.db.PlaceHold(ctx, e.agency, e.dets["oct3a"], "C-1", "stolen vehicle recovered", "test")
	must(t, err)
	must(t, e.db.FlagAided(ctx, e.agency, e.hits["h1"], "", "C-1", "vehicle recovered", "4711"))
	_, err = e.db.RecordOutsideRequest(ctx, postgres.OutsideRequest{Agency: e.agency, Requester: "Lodi PD (not on the network)",
		Purpose: "stolen vehicle", CaseNumber: "LPD-77", Query: []byte(`{"plate":"7ABC123"}`), ReceivedBy: "dispatch"})
	must(t, err)
}

// client is a signed-in HTTP client of the desk (no browser), for status checks.
func (e *env) client(name, password string) *http.Client {
	e.t.Helper()
	c := e.srv.Client()
	jar, _ := cookiejar.New(nil)
	c.Jar = jar
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	res := e.post(c, "/signin", url.Values{"agency": {e.agency}, "name": {name}, "password": {password}})
	if res.StatusCode != http.StatusSeeOther {
		e.t.Fatalf("sign in as %s: %s", name, res.Status)
	}
	return c
}

// post posts a form as a browser on the desk's own page would (same origin).
func (e *env) post(c *http.Client, path string, form url.Values) *http.Response {
	e.t.Helper()
	req, err := http.NewRequest(http.MethodPost, e.srv.URL+path, strings.NewReader(form.Encode()))
	must(e.t, err)
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", e.srv.URL)
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Do(req)
	must(e.t, err)
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return res
}

func (e *env) get(c *http.Client, path string) (*http.Response, string) {
	e.t.Helper()
	res, err := c.Get(e.srv.URL + path)
	must(e.t, err)
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	must(e.t, err)
	return res, string(b)
}
