package httpapi_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/learn"
	"patrol-alpr/server/httpapi"
	"patrol-alpr/server/network"
	"patrol-alpr/server/pki"
	"patrol-alpr/server/postgres"
	"patrol-alpr/wire"
)

// net is a network of agencies on one server: one CA for all, the network matcher and the
// events broker running.
type netRig struct {
	db  *postgres.DB
	ca  *pki.CA
	srv *httptest.Server
	tag string // makes this test's agency names its own
}

func newNetRig(t *testing.T, agencies ...string) *netRig {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	t.Cleanup(cancel)
	db, err := postgres.Open(ctx, dsn, 16)
	must(t, err)
	t.Cleanup(db.Close)
	n := &netRig{db: db, tag: strings.ToUpper(wire.NewUUID()[:6])}
	for _, a := range agencies {
		must(t, db.PutAgency(ctx, postgres.Agency{ID: n.id(a), Name: "Agency " + a}))
		must(t, db.PutOperator(ctx, postgres.Operator{Agency: n.id(a), ID: "4711", Name: "Officer", Active: true}, "test"))
	}
	dir := t.TempDir()
	n.ca, err = pki.LoadOrCreateCA(dir, n.id(agencies[0]), time.Now)
	must(t, err)
	cert, err := n.ca.ServerCertificate(dir, nil)
	must(t, err)
	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	broker := network.NewBroker()
	hits := network.New(db, broker, log, network.Options{ListCheck: time.Millisecond})
	go func() { _ = hits.Run(ctx) }()
	api := httpapi.New(db, log, httpapi.NewMetrics(), httpapi.Options{Sightings: hits, Events: broker, KeepAlive: time.Second})
	n.srv = httptest.NewUnstartedServer(api.Handler())
	n.srv.TLS = pki.ServerTLS(n.ca, cert)
	n.srv.StartTLS()
	t.Cleanup(n.srv.Close)
	return n
}

func (n *netRig) id(a string) string { return a + n.tag }

// car registers a car of agency a at a position and returns its client.
func (n *netRig) car(t *testing.T, a, number string, lat, lon float64) learn.Client {
	t.Helper()
	ctx := context.Background()
	must(t, n.db.PutVehicle(ctx, postgres.Vehicle{Agency: n.id(a), Number: number}))
	b, err := n.ca.IssueVehicle(n.id(a), number, pki.KindCar, time.Hour)
	must(t, err)
	dir := filepath.Join(t.TempDir(), number)
	must(t, b.WriteDir(dir, pki.CreateOnly))
	must(t, n.db.AddCertificate(ctx, postgres.Certificate{Agency: n.id(a), Serial: b.Serial, Vehicle: number,
		IssuedAt: time.Now(), NotAfter: b.NotAfter}, "test"))
	cfg, err := learn.LoadBundle(dir)
	must(t, err)
	c := learn.NewClient(n.srv.URL, cfg)
	n.post(t, c, wire.PositionPath, wire.Position{Lat: lat, Lon: lon, At: time.Now()}, http.StatusNoContent, nil)
	return c
}

func (n *netRig) list(t *testing.T, a, name, plates string, departmental bool) {
	_, err := n.db.PutList(context.Background(), postgres.List{Agency: n.id(a), ListInfo: wire.ListInfo{Name: name,
		Format: "plate-state", Kind: "general", Departmental: departmental, Entries: strings.Count(plates, "\n")},
		Body: []byte(plates), ImportedBy: "test"})
	must(t, err)
}

func (n *netRig) post(t *testing.T, c learn.Client, path string, body any, status int, out any) {
	t.Helper()
	b, err := json.Marshal(body)
	must(t, err)
	resp, err := c.HTTP.Post(n.srv.URL+path, "application/json", bytes.NewReader(b))
	must(t, err)
	defer resp.Body.Close()
	if resp.StatusCode != status {
		msg, _ := io.ReadAll(resp.Body)
		t.Fatalf("POST %s: %s %s, want %d", path, resp.Status, msg, status)
	}
	if out != nil {
		must(t, json.NewDecoder(resp.Body).Decode(out))
	}
}

// sight sends one detection of plate at (lat, lon) from car c of vehicle number.
func (n *netRig) sight(t *testing.T, c learn.Client, vehicle, plate string, lat, lon float64) {
	t.Helper()
	now := time.Now()
	d := alpr.Detection{UUID: wire.NewUUID(), Camera: alpr.Cam1, SeenAt: now, Plate: plate, State: "CA", Confidence: 0.95,
		Fix: alpr.Fix{Lat: lat, Lon: lon, Time: now, Quality: alpr.Fix3D}}
	p, err := json.Marshal(d)
	must(t, err)
	b := wire.Batch{Vehicle: vehicle, Items: []wire.Item{{Key: wire.NewUUID(), Seq: 1, Kind: wire.KindDetection, CreatedAt: now,
		Operator: "4711", Payload: p, Images: []wire.Image{wire.NewImage(wire.ImagePlate, []byte("crop of "+plate))}}}}
	if _, err := c.Send(context.Background(), b); err != nil {
		t.Fatal(err)
	}
}

// inbox collects the network hits one car's event stream delivers.
type inbox struct {
	mu   sync.Mutex
	hits []wire.NetworkHit
	ids  []int64
}

func (b *inbox) add(id int64, h wire.NetworkHit) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.hits, b.ids = append(b.hits, h), append(b.ids, id)
}

func (b *inbox) plates() []string {
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []string
	for _, h := range b.hits {
		out = append(out, h.Detection.Plate)
	}
	return out
}

// listen runs a car's event stream until the returned stop is called.
func listen(t *testing.T, c learn.Client, box *inbox, from int64) (stream *learn.EventStream, stop func()) {
	ctx, cancel := context.WithCancel(context.Background())
	s := &learn.EventStream{Client: c, OnNetworkHit: box.add, MinBackoff: 50 * time.Millisecond}
	s.SetLastID(from)
	done := make(chan struct{})
	go func() { defer close(done); _ = s.Run(ctx) }()
	deadline := time.Now().Add(10 * time.Second)
	for ok, _ := s.Connected(); !ok; ok, _ = s.Connected() {
		if time.Now().After(deadline) {
			t.Fatal("event stream never connected")
		}
		time.Sleep(10 * time.Millisecond)
	}
	return s, func() { cancel(); <-done }
}

// settle waits until the hits in flight have been delivered (or a second has passed).
func settle() {
	time.Sleep(300 * time.Millisecond)
}

func TestNetworkHits(t *testing.T) {
	const lat, lon = 37.9577, -121.2908
	n := newNetRig(t, "A", "B", "C")
	ctx := context.Background()
	must(t, n.db.PutAgreement(ctx, postgres.Agreement{Agency: n.id("A"), Partner: n.id("B"), MaySearch: true, ReceivesHits: true}, "test"))
	n.list(t, "B", "STOLEN", "7ABC123;CA\n", false)
	n.list(t, "B", "GANG", "5GNG555;CA\n", true) // departmental, not approved
	n.list(t, "C", "STOLEN", "7ABC123;CA\n", false)

	a1 := n.car(t, "A", "A1", lat, lon)
	b1 := n.car(t, "B", "B1", lat+0.05, lon) // about 5.6 km north
	b2 := n.car(t, "B", "B2", lat+0.45, lon) // about 50 km north
	b3 := n.car(t, "B", "B3", lat+0.02, lon) // about 2.2 km north: nearer than B1
	c1 := n.car(t, "C", "C1", lat+0.01, lon) // near, but C receives nothing from A
	boxes := map[string]*inbox{"B1": {}, "B2": {}, "B3": {}, "C1": {}}
	var stops []func()
	for name, c := range map[string]learn.Client{"B1": b1, "B2": b2, "B3": b3, "C1": c1} {
		_, stop := listen(t, c, boxes[name], 0)
		stops = append(stops, stop)
	}
	defer func() {
		for _, s := range stops {
			s()
		}
	}()

	n.sight(t, a1, "A1", "7ABC123", lat, lon)
	n.sight(t, a1, "A1", "5GNG555", lat, lon) // on B's unapproved departmental list
	waitFor(t, func() bool { return len(boxes["B1"].plates()) >= 1 && len(boxes["B3"].plates()) >= 1 })
	settle()
	tests := []struct {
		car  string
		want []string
	}{
		{"B1", []string{"7ABC123"}}, // inside the radius
		{"B3", []string{"7ABC123"}}, // inside, nearer
		{"B2", nil},                 // 50 km away
		{"C1", nil},                 // its agency does not receive A's hits
	}
	for _, tc := range tests {
		if got := boxes[tc.car].plates(); strings.Join(got, ",") != strings.Join(tc.want, ",") {
			t.Errorf("%s got %v, want %v", tc.car, got, tc.want)
		}
	}
	h := boxes["B1"].hits[0]
	if h.DetectingAgency != n.id("A") || h.DetectingVehicle != "A1" || h.Match.Entry.List != "STOLEN" ||
		string(h.PlateJPEG) != "crop of 7ABC123" || h.DistanceKm < 5 || h.DistanceKm > 6.5 {
		t.Errorf("B1's hit: %+v", h)
	}
	if boxes["B3"].hits[0].ID != h.ID || boxes["B3"].hits[0].DistanceKm >= h.DistanceKm {
		t.Errorf("B3's copy of the hit: %+v", boxes["B3"].hits[0])
	}

	// B1's officer confirms the hit; the outcome reaches A, whose car saw the plate.
	hitPayload, _ := json.Marshal(alpr.Hit{UUID: h.ID, DetectionUUID: h.Detection.UUID, Match: h.Match, RaisedAt: time.Now(),
		VehicleNumber: "B1"})
	dispPayload, _ := json.Marshal(map[string]any{"hit_uuid": h.ID, "outcome": "confirmed", "confirmed_by": "radio",
		"operator_id": "4711", "vehicle_number": "B1", "at": time.Now()})
	if _, err := b1.Send(ctx, wire.Batch{Vehicle: "B1", Items: []wire.Item{
		{Key: wire.NewUUID(), Seq: 1, Kind: wire.KindHit, CreatedAt: time.Now(), Operator: "4711", Payload: hitPayload},
		{Key: wire.NewUUID(), Seq: 2, Kind: wire.KindDisposition, CreatedAt: time.Now(), Operator: "4711", Payload: dispPayload},
	}}); err != nil {
		t.Fatal(err)
	}
	seenByA, err := n.db.NetworkHitOutcomes(ctx, n.id("A"), 10)
	must(t, err)
	if len(seenByA) != 1 || seenByA[0].Receiver != n.id("B") || seenByA[0].Outcome != "confirmed" || seenByA[0].Plate != "7ABC123" {
		t.Errorf("A's view of the network hits on its detections: %+v", seenByA)
	}

	// Once B's administrator approves the departmental list, A's sightings match it.
	must(t, n.db.ApproveListSharing(ctx, n.id("B"), "GANG", "lt.b"))
	n.sight(t, a1, "A1", "5GNG555", lat, lon)
	waitFor(t, func() bool { return len(boxes["B1"].plates()) >= 2 })
	if got := boxes["B1"].plates(); got[1] != "5GNG555" {
		t.Errorf("after approval B1 got %v", got)
	}
}

func TestEventsReplayedOnceAfterReconnect(t *testing.T) {
	const lat, lon = 37.9577, -121.2908
	n := newNetRig(t, "A", "B")
	ctx := context.Background()
	must(t, n.db.PutAgreement(ctx, postgres.Agreement{Agency: n.id("A"), Partner: n.id("B"), ReceivesHits: true}, "test"))
	n.list(t, "B", "STOLEN", "7ABC123;CA\n8DEF456;CA\n9GHI789;CA\n", false)
	a1 := n.car(t, "A", "A1", lat, lon)
	b1 := n.car(t, "B", "B1", lat, lon)

	box := &inbox{}
	stream, stop := listen(t, b1, box, 0)
	n.sight(t, a1, "A1", "7ABC123", lat, lon)
	waitFor(t, func() bool { return len(box.plates()) == 1 })
	stop() // into a dead zone
	last := stream.LastID()
	n.sight(t, a1, "A1", "8DEF456", lat, lon)
	n.sight(t, a1, "A1", "9GHI789", lat, lon)
	time.Sleep(300 * time.Millisecond) // the hits are stored while the car is away

	_, stop = listen(t, b1, box, last)
	defer stop()
	waitFor(t, func() bool { return len(box.plates()) >= 3 })
	settle()
	if got := box.plates(); strings.Join(got, ",") != "7ABC123,8DEF456,9GHI789" {
		t.Fatalf("after reconnecting: %v, want each hit once in order", got)
	}
}

func TestNetworkSearch(t *testing.T) {
	const lat, lon = 37.9577, -121.2908
	n := newNetRig(t, "A", "B", "C")
	ctx := context.Background()
	must(t, n.db.PutAgreement(ctx, postgres.Agreement{Agency: n.id("A"), Partner: n.id("B"), MaySearch: true}, "test"))
	a1 := n.car(t, "A", "A1", lat, lon)
	c1 := n.car(t, "C", "C1", lat, lon)
	b1 := n.car(t, "B", "B1", lat, lon)
	n.sight(t, a1, "A1", "7ABC123", lat, lon)
	n.sight(t, c1, "C1", "7ABC124", lat, lon)

	var reply wire.SearchReply
	n.post(t, b1, wire.SearchPath, wire.SearchRequest{Operator: "4711", Purpose: "stolen vehicle follow-up",
		CaseNumber: "24-0042", Plate: "7ABC12?"}, http.StatusOK, &reply)
	if len(reply.Results) != 1 || reply.Results[0].Agency != n.id("A") || reply.Results[0].Plate != "7ABC123" {
		t.Fatalf("search from B: %+v (C's detection must not show: C does not share)", reply)
	}
	// By the state the reader named: A's sighting was read as California's.
	for _, tc := range []struct {
		state string
		want  int
	}{{"ca", 1}, {"NV", 0}} {
		var r wire.SearchReply
		n.post(t, b1, wire.SearchPath, wire.SearchRequest{Operator: "4711", Purpose: "stolen vehicle follow-up",
			CaseNumber: "24-0042", Plate: "7ABC12?", State: tc.state}, http.StatusOK, &r)
		if len(r.Results) != tc.want {
			t.Errorf("search in state %q: %d results, want %d", tc.state, len(r.Results), tc.want)
		}
	}
	tests := []struct {
		name string
		req  wire.SearchRequest
		want int
	}{
		{"no case number", wire.SearchRequest{Operator: "4711", Purpose: "x", Plate: "7ABC123"}, http.StatusBadRequest},
		{"no purpose", wire.SearchRequest{Operator: "4711", CaseNumber: "1", Plate: "7ABC123"}, http.StatusBadRequest},
		{"a state that is not two letters", wire.SearchRequest{Operator: "4711", Purpose: "x", CaseNumber: "1", Plate: "7ABC123", State: "C4"},
			http.StatusBadRequest},
		{"an agency without agreement", wire.SearchRequest{Operator: "4711", Purpose: "x", CaseNumber: "1", Plate: "7ABC124",
			Agencies: []string{n.id("C")}}, http.StatusForbidden},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) { n.post(t, b1, wire.SearchPath, tc.req, tc.want, nil) })
	}
	// Audited at the searcher's agency, and at A for the searches that showed A's detection
	// (the first and the one in California; the Nevada one returned nothing).
	for a, want := range map[string]int{"A": 2, "B": 3} {
		var k int
		if err := n.db.Pool().QueryRow(ctx, `SELECT count(*) FROM searches WHERE agency_id = $1 AND case_number = '24-0042'`,
			n.id(a)).Scan(&k); err != nil || k != want {
			t.Errorf("agency %s's query audit has %d records of the searches (%v), want %d", a, k, err, want)
		}
	}
}

func waitFor(t *testing.T, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatal(errors.New("timed out waiting"))
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// TestSharedLists: an agency's lists reach a partner's cars only under an agreement to share
// lists, a departmental list only once approved for sharing (IV.C.6), a special list only once
// approved (IV.C.2); a list not shared is not served even when asked for by name.
func TestSharedLists(t *testing.T) {
	n := newNetRig(t, "A", "B", "C")
	ctx := context.Background()
	must(t, n.db.PutAgreement(ctx, postgres.Agreement{Agency: n.id("A"), Partner: n.id("B"), SharesLists: true}, "test"))
	n.list(t, "A", "NCIC", "7ABC123;CA\n", false)
	n.list(t, "A", "GANG", "5GNG555;CA\n", true)
	_, err := n.db.PutList(ctx, postgres.List{Agency: n.id("A"), ListInfo: wire.ListInfo{Name: "SPECIAL", Format: "plate-state",
		Kind: "special", Entries: 1}, Body: []byte("6SPC666;CA\n"), ImportedBy: "test"})
	must(t, err)
	b1 := n.car(t, "B", "B1", 0, 0)
	c1 := n.car(t, "C", "C1", 0, 0)
	a1 := n.car(t, "A", "A1", 0, 0)
	index := func(c learn.Client) []string {
		resp, err := c.HTTP.Get(n.srv.URL + wire.ListsPath)
		must(t, err)
		defer resp.Body.Close()
		var idx wire.ListIndex
		must(t, json.NewDecoder(resp.Body).Decode(&idx))
		var names []string
		for _, l := range idx.Lists {
			names = append(names, l.Name)
		}
		return names
	}
	status := func(c learn.Client, name string) int {
		resp, err := c.HTTP.Get(n.srv.URL + wire.ListsPath + "/" + name)
		must(t, err)
		resp.Body.Close()
		return resp.StatusCode
	}
	a := n.id("A")
	tests := []struct {
		name string
		got  any
		want any
	}{
		{"A's own cars: no unapproved special list", strings.Join(index(a1), ","), "GANG,NCIC"},
		{"B's cars: only A's shareable list", strings.Join(index(b1), ","), a + ":NCIC"},
		{"C's cars: nothing of A's", strings.Join(index(c1), ","), ""},
		{"B fetches A's shared list", status(b1, a+":NCIC"), http.StatusOK},
		{"B asks for A's departmental list", status(b1, a+":GANG"), http.StatusNotFound},
		{"B asks for A's special list", status(b1, a+":SPECIAL"), http.StatusNotFound},
		{"C asks for A's list", status(c1, a+":NCIC"), http.StatusNotFound},
	}
	for _, tc := range tests {
		if tc.got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, tc.got, tc.want)
		}
	}
	must(t, n.db.ApproveListSharing(ctx, a, "GANG", "lt.a"))
	if got := strings.Join(index(b1), ","); got != a+":GANG,"+a+":NCIC" || status(b1, a+":GANG") != http.StatusOK {
		t.Errorf("after approval B's index is %q", got)
	}
}

// TestFixedCameraHits: a fixed camera posts like a car; its detections, which carry no GPS
// fix, are placed at its site, and a hit it sees reaches the cars near the site.
func TestFixedCameraHits(t *testing.T) {
	const lat, lon = 37.9577, -121.2908
	n := newNetRig(t, "A")
	ctx := context.Background()
	n.list(t, "A", "STOLEN", "7ABC123;CA\n", false)
	must(t, n.db.PutVehicle(ctx, postgres.Vehicle{Agency: n.id("A"), Number: "HWY99", Kind: pki.KindFixed, FixedLat: lat, FixedLon: lon}))
	b, err := n.ca.IssueVehicle(n.id("A"), "HWY99", pki.KindFixed, time.Hour)
	must(t, err)
	dir := filepath.Join(t.TempDir(), "site")
	must(t, b.WriteDir(dir, pki.CreateOnly))
	must(t, n.db.AddCertificate(ctx, postgres.Certificate{Agency: n.id("A"), Serial: b.Serial, Vehicle: "HWY99",
		IssuedAt: time.Now(), NotAfter: b.NotAfter}, "test"))
	cfg, err := learn.LoadBundle(dir)
	must(t, err)
	site := learn.NewClient(n.srv.URL, cfg)
	car := n.car(t, "A", "A7", lat+0.03, lon)
	box := &inbox{}
	_, stop := listen(t, car, box, 0)
	defer stop()

	now := time.Now()
	d := alpr.Detection{UUID: wire.NewUUID(), Camera: alpr.Cam1, SeenAt: now, Plate: "7ABC123", Confidence: 0.95}
	p, err := json.Marshal(d)
	must(t, err)
	if _, err := site.Send(ctx, wire.Batch{Vehicle: "HWY99", Items: []wire.Item{{Key: wire.NewUUID(), Seq: 1, Kind: wire.KindDetection,
		CreatedAt: now, Operator: "4711", Payload: p}}}); err != nil {
		t.Fatal(err)
	}
	waitFor(t, func() bool { return len(box.plates()) == 1 })
	h := box.hits[0]
	if !h.Fixed || h.DetectingVehicle != "HWY99" || h.Detection.Fix.Lat != lat || h.DistanceKm < 3 || h.DistanceKm > 4 {
		t.Fatalf("hit from the fixed camera: %+v", h)
	}
}
