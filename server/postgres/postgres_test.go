package postgres_test

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/server/pgcluster/pgtest"
	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

var dsn string

func TestMain(m *testing.M) { pgtest.Main(m, &dsn) }

// env is one test's agency on the package's database, with a car and an operator.
type env struct {
	db     *postgres.DB
	agency string
	car    string
	op     string
	now    time.Time
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn, 8)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	e := &env{db: db, agency: "T" + strings.ToUpper(wire.NewUUID()[:8]), car: "2317", op: "4711",
		now: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)}
	db.Now = func() time.Time { return e.now }
	must(t, db.PutAgency(ctx, postgres.Agency{ID: e.agency, Name: "Test agency " + t.Name()}))
	must(t, db.PutVehicle(ctx, postgres.Vehicle{Agency: e.agency, Number: e.car}))
	must(t, db.PutOperator(ctx, postgres.Operator{Agency: e.agency, ID: e.op, Name: "Officer Test", Active: true}, "test"))
	return e
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// detectionItem makes a detection item with its two images, as a car sends it.
func (e *env) detectionItem(t *testing.T, plate string, seen time.Time) wire.Item {
	t.Helper()
	d := alpr.Detection{UUID: wire.NewUUID(), Camera: alpr.Cam1, SeenAt: seen, Plate: plate, Confidence: 0.93,
		Fix: alpr.Fix{Lat: 37.95, Lon: -121.29, Time: seen, Quality: alpr.Fix3D}}
	p, err := json.Marshal(d)
	must(t, err)
	return wire.Item{Key: d.UUID, Kind: wire.KindDetection, CreatedAt: seen, Operator: e.op, Payload: p,
		Images: []wire.Image{wire.NewImage(wire.ImagePlate, []byte("plate of "+d.UUID)),
			wire.NewImage(wire.ImageScene, []byte("scene of "+d.UUID))}}
}

func (e *env) batch(items ...wire.Item) wire.Batch {
	for i := range items {
		items[i].Seq = int64(i + 1)
	}
	return wire.Batch{Vehicle: e.car, Items: items}
}

func (e *env) counts(t *testing.T) postgres.Counts {
	t.Helper()
	c, err := e.db.Count(context.Background(), e.agency)
	must(t, err)
	return c
}

func TestIngestStoresEachKeyOnce(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	b := e.batch(e.detectionItem(t, "7ABC123", e.now.Add(-time.Minute)), e.detectionItem(t, "8XYZ999", e.now.Add(-time.Hour*24*40)))
	r, seen, err := e.db.Ingest(ctx, e.agency, b)
	must(t, err)
	if len(r.Stored) != 2 || r.Duplicates != 0 || len(seen) != 2 || string(seen[0].Detection.PlateJPEG) == "" {
		t.Fatalf("first send: %+v, %d sightings", r, len(seen))
	}
	// The reply was lost: the car sends the same batch again, and once more at the same time.
	var wg sync.WaitGroup
	replies := make([]wire.Reply, 4)
	errs := make([]error, 4)
	for i := range replies {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var seen []postgres.Sighting
			replies[i], seen, errs[i] = e.db.Ingest(ctx, e.agency, b)
			if len(seen) != 0 {
				errs[i] = fmt.Errorf("a resent batch gave %d new sightings", len(seen))
			}
		}()
	}
	wg.Wait()
	for i := range replies {
		if errs[i] != nil || len(replies[i].Stored) != 2 || replies[i].Duplicates != 2 {
			t.Fatalf("resend %d: %+v, %v", i, replies[i], errs[i])
		}
	}
	c := e.counts(t)
	if c.Detections != 2 || c.Images != 4 || c.DuplicateUUIDs != 0 || c.IncompleteImages != 0 || c.Keys != 2 {
		t.Fatalf("counts after resends: %+v", c)
	}
	vs, err := e.db.Vehicles(ctx, e.agency)
	must(t, err)
	if len(vs) != 1 || !vs[0].LastSync.Equal(e.now) {
		t.Fatalf("vehicles: %+v", vs)
	}
}

func TestIngestRefusesWholeBatch(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	good := e.detectionItem(t, "7ABC123", e.now)
	tests := []struct {
		name string
		bad  func() wire.Item
		want error
	}{
		{"operator not on roster", func() wire.Item {
			it := e.detectionItem(t, "5DEF456", e.now)
			it.Operator = "9999"
			return it
		}, postgres.ErrUnknownOperator},
		{"no operator", func() wire.Item {
			it := e.detectionItem(t, "5DEF456", e.now)
			it.Operator = ""
			return it
		}, postgres.ErrUnknownOperator},
		{"detection without uuid", func() wire.Item {
			it := e.detectionItem(t, "5DEF456", e.now)
			it.Payload = []byte(strings.Replace(string(it.Payload), `"uuid":"`, `"uuid":"x`, 1))
			return it
		}, postgres.ErrInvalid},
		{"seen in the future", func() wire.Item { return e.detectionItem(t, "5DEF456", e.now.Add(48*time.Hour)) }, postgres.ErrInvalid},
		{"hit without detection", func() wire.Item {
			return wire.Item{Key: wire.NewUUID(), Kind: wire.KindHit, CreatedAt: e.now, Operator: e.op, Payload: []byte(`{"match":{}}`)}
		}, postgres.ErrInvalid},
		{"payload of the wrong shape", func() wire.Item {
			return wire.Item{Key: wire.NewUUID(), Kind: wire.KindDisposition, CreatedAt: e.now, Operator: e.op, Payload: []byte(`{"hit_uuid":5}`)}
		}, postgres.ErrInvalid},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := e.db.Ingest(ctx, e.agency, e.batch(good, tc.bad()))
			if !errors.Is(err, tc.want) {
				t.Fatalf("Ingest = %v, want %v", err, tc.want)
			}
			if c := e.counts(t); c.Detections != 0 || c.Keys != 0 || c.Images != 0 {
				t.Fatalf("a refused batch left %+v", c)
			}
		})
	}
}

// auditItems makes n chained audit entries starting after (seq, prev).
func auditItems(t *testing.T, from int64, prev []byte, n int, at time.Time) ([]wire.Item, []byte) {
	var out []wire.Item
	for i := 0; i < n; i++ {
		seq := from + int64(i)
		r := wire.AuditRecord{Seq: seq, At: at.Add(time.Duration(i) * time.Second), Actor: "4711", Action: "search",
			Detail: fmt.Sprintf(`{"operator_id":"4711","purpose":"investigation","case_number":"C-%d","results":%d}`, seq, i)}
		h := wire.ChainHash(prev, r.Seq, r.At, r.Actor, r.Action, r.Detail)
		r.PrevHash, r.Hash = hex.EncodeToString(prev), hex.EncodeToString(h)
		p, err := json.Marshal(r)
		must(t, err)
		out = append(out, wire.Item{Key: wire.NewUUID(), Kind: wire.KindAudit, CreatedAt: r.At, Operator: r.Actor, Payload: p})
		prev = h
	}
	return out, prev
}

func TestAuditChainContinuedAndFlagged(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	first, prev := auditItems(t, 1, wire.Genesis, 3, e.now)
	_, _, err := e.db.Ingest(ctx, e.agency, e.batch(first...))
	must(t, err)
	if fl, _ := e.db.AuditFlags(ctx, e.agency); len(fl) != 0 {
		t.Fatalf("an intact chain was flagged: %+v", fl)
	}
	// Entries 4 and 5 never arrive; 6 and 7 do, chained to 5.
	_, prev5 := auditItems(t, 4, prev, 2, e.now)
	later, _ := auditItems(t, 6, prev5, 2, e.now)
	// Entry 7 was changed after it was hashed.
	var r wire.AuditRecord
	must(t, json.Unmarshal(later[1].Payload, &r))
	r.Detail = strings.Replace(r.Detail, "investigation", "curiosity", 1)
	later[1].Payload, _ = json.Marshal(r)
	_, _, err = e.db.Ingest(ctx, e.agency, e.batch(later...))
	must(t, err)
	flags, err := e.db.AuditFlags(ctx, e.agency)
	must(t, err)
	got := map[string]bool{}
	for _, f := range flags {
		got[fmt.Sprintf("%d %s", f.Seq, f.Problem)] = true
	}
	want := []string{"6 gap", "7 changed"}
	if len(got) != len(want) {
		t.Fatalf("flags %v, want %v", got, want)
	}
	for _, w := range want {
		if !got[w] {
			t.Fatalf("flags %v, want %v", got, want)
		}
	}
	if c := e.counts(t); c.AuditEntries != 5 {
		t.Fatalf("%d audit entries stored, want 5 (flagged ones kept)", c.AuditEntries)
	}
}

func TestPurgeDropsOldMonthsKeepsEvidence(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	old := e.now.AddDate(-2, -3, 0)    // a whole month past retention
	edge := e.now.AddDate(-2, 0, -3)   // in the month the cutoff falls in, before it
	young := e.now.AddDate(-1, -11, 0) // inside retention
	var items []wire.Item
	for _, at := range []time.Time{old, old.Add(time.Hour), edge, young} {
		items = append(items, e.detectionItem(t, "7ABC123", at))
	}
	// Ingest them as they arrived, each while it was still inside retention.
	for _, it := range items {
		var d alpr.Detection
		must(t, json.Unmarshal(it.Payload, &d))
		e.now = d.SeenAt.Add(time.Hour)
		_, _, err := e.db.Ingest(ctx, e.agency, e.batch(it))
		must(t, err)
	}
	e.now = time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC)
	var held alpr.Detection
	must(t, json.Unmarshal(items[1].Payload, &held))
	hold, err := e.db.PlaceHold(ctx, e.agency, held.UUID, "24-001234", "hit-and-run investigation", "lt.smith")
	must(t, err)

	dry, err := e.db.Purge(ctx, true)
	must(t, err)
	if dry.DetectionsRemoved < 3 || dry.EvidenceMoved < 1 || e.counts(t).Detections != 4 {
		t.Fatalf("dry run: %+v, counts %+v", dry, e.counts(t))
	}
	rep, err := e.db.Purge(ctx, false)
	must(t, err)
	if len(rep.Partitions) == 0 || rep.ImagesRemoved < 4 {
		t.Fatalf("purge: %+v", rep)
	}
	if c := e.counts(t); c.Detections != 1 || c.Images != 4 { // the young one's 2 + the held one's 2
		t.Fatalf("after purge: %+v", c)
	}
	// The held detection is in evidence storage: a second hold on it is still possible,
	// and releasing the first is audited.
	if _, err := e.db.PlaceHold(ctx, e.agency, held.UUID, "24-001234", "appeal", "lt.smith"); err != nil {
		t.Fatalf("hold on evidence: %v", err)
	}
	must(t, e.db.ReleaseHold(ctx, e.agency, hold.ID, "case closed", "lt.smith"))
	if err := e.db.ReleaseHold(ctx, e.agency, hold.ID, "again", "lt.smith"); !errors.Is(err, postgres.ErrNotFound) {
		t.Fatalf("second release: %v", err)
	}
	hist, err := e.db.PurgeHistory(ctx, 10)
	must(t, err)
	if len(hist) < 2 || hist[0].DryRun || !hist[1].DryRun {
		t.Fatalf("purge history: %+v", hist)
	}
}

func TestCertificates(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	must(t, e.db.AddCertificate(ctx, postgres.Certificate{Agency: e.agency, Serial: "ab12", Vehicle: e.car,
		IssuedAt: e.now, NotAfter: e.now.AddDate(1, 0, 0)}, "admin"))
	must(t, e.db.CheckCertificate(ctx, e.agency, "ab12", e.car))
	if err := e.db.CheckCertificate(ctx, e.agency, "ab12", "9999"); !errors.Is(err, postgres.ErrUnknownVehicle) {
		t.Errorf("other vehicle: %v", err)
	}
	if err := e.db.CheckCertificate(ctx, e.agency, "ffff", e.car); !errors.Is(err, postgres.ErrUnknownVehicle) {
		t.Errorf("unknown serial: %v", err)
	}
	n, err := e.db.RevokeVehicle(ctx, e.agency, e.car, "admin")
	must(t, err)
	if n != 1 {
		t.Errorf("revoked %d", n)
	}
	if err := e.db.CheckCertificate(ctx, e.agency, "ab12", e.car); !errors.Is(err, postgres.ErrRevoked) {
		t.Errorf("revoked: %v", err)
	}
}

func TestListVersions(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	put := func(body string) wire.ListInfo {
		info, err := e.db.PutList(ctx, postgres.List{Agency: e.agency, ListInfo: wire.ListInfo{Name: "NCIC",
			Format: "plate-state", Kind: "general", Entries: strings.Count(body, "\n")}, Body: []byte(body), ImportedBy: "admin"})
		must(t, err)
		return info
	}
	v1 := put("7ABC123;CA\n")
	same := put("7ABC123;CA\n")
	v2 := put("7ABC123;CA\n8XYZ999;NV\n")
	if v1.Version != 1 || same.Version != 1 || same.SHA256 != v1.SHA256 || v2.Version != 2 || v2.SHA256 == v1.SHA256 {
		t.Fatalf("versions: %+v %+v %+v", v1, same, v2)
	}
	lists, err := e.db.Lists(ctx, e.agency)
	must(t, err)
	if len(lists) != 1 || lists[0].Version != 2 || lists[0].Size != int64(len("7ABC123;CA\n8XYZ999;NV\n")) {
		t.Fatalf("index: %+v", lists)
	}
	_, body, err := e.db.ListFile(ctx, e.agency, "NCIC")
	must(t, err)
	if string(body) != "7ABC123;CA\n8XYZ999;NV\n" {
		t.Fatalf("file: %q", body)
	}
	if _, _, err := e.db.ListFile(ctx, e.agency, "SVS"); !errors.Is(err, postgres.ErrNotFound) {
		t.Fatalf("missing list: %v", err)
	}
}

// TestTwoPlatesOfOneScene: two detections of one frame share the scene; it is stored once
// and both detections are complete.
func TestTwoPlatesOfOneScene(t *testing.T) {
	ctx := context.Background()
	e := newEnv(t)
	a, b := e.detectionItem(t, "7ABC123", e.now), e.detectionItem(t, "8XYZ999", e.now)
	b.Images[1] = a.Images[1] // the same scene
	_, seen, err := e.db.Ingest(ctx, e.agency, e.batch(a, b))
	must(t, err)
	if c := e.counts(t); len(seen) != 2 || c.Detections != 2 || c.Images != 3 || c.IncompleteImages != 0 {
		t.Fatalf("counts %+v, %d sightings", c, len(seen))
	}
}
