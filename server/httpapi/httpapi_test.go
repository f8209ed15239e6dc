package httpapi_test

import (
	"bytes"
	"cmp"
	"context"
	"crypto/tls"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/learn"
	"patrol-alpr/server/httpapi"
	"patrol-alpr/server/pgcluster/pgtest"
	"patrol-alpr/server/pki"
	"patrol-alpr/server/postgres"
	"patrol-alpr/store"
	"patrol-alpr/wire"
)

var dsn string

func TestMain(m *testing.M) { pgtest.Main(m, &dsn) }

// rig is one test's agency: its database records, its CA, and the API on a real TLS server
// on loopback.
type rig struct {
	db     *postgres.DB
	ca     *pki.CA
	srv    *httptest.Server
	agency string
	op     string
}

func newRig(t *testing.T, opt httpapi.Options) *rig {
	t.Helper()
	ctx := context.Background()
	db, err := postgres.Open(ctx, dsn, 16)
	must(t, err)
	t.Cleanup(db.Close)
	r := &rig{db: db, agency: "A" + strings.ToUpper(wire.NewUUID()[:8]), op: "4711"}
	must(t, db.PutAgency(ctx, postgres.Agency{ID: r.agency, Name: "Agency of " + t.Name()}))
	must(t, db.PutOperator(ctx, postgres.Operator{Agency: r.agency, ID: r.op, Name: "Officer", Active: true}, "test"))
	dir := t.TempDir()
	r.ca, err = pki.LoadOrCreateCA(dir, r.agency, time.Now)
	must(t, err)
	cert, err := r.ca.ServerCertificate(dir, nil)
	must(t, err)
	api := httpapi.New(db, slog.New(slog.NewTextHandler(io.Discard, nil)), httpapi.NewMetrics(), opt)
	r.srv = httptest.NewUnstartedServer(api.Handler())
	r.srv.TLS = pki.ServerTLS(r.ca, cert)
	r.srv.StartTLS()
	t.Cleanup(r.srv.Close)
	return r
}

// car registers a car and returns the bundle folder it was given.
func (r *rig) car(t *testing.T, number string) string {
	t.Helper()
	ctx := context.Background()
	must(t, r.db.PutVehicle(ctx, postgres.Vehicle{Agency: r.agency, Number: number}))
	b, err := r.ca.IssueVehicle(r.agency, number, pki.KindCar, 24*time.Hour)
	must(t, err)
	dir := filepath.Join(t.TempDir(), number)
	must(t, b.WriteDir(dir, pki.CreateOnly))
	must(t, r.db.AddCertificate(ctx, postgres.Certificate{Agency: r.agency, Serial: b.Serial, Vehicle: number,
		IssuedAt: time.Now(), NotAfter: b.NotAfter}, "test"))
	return dir
}

func client(t *testing.T, cfg *tls.Config) *http.Client {
	tr := &http.Transport{TLSClientConfig: cfg}
	t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr, Timeout: 30 * time.Second}
}

func (r *rig) carClient(t *testing.T, bundle string) *http.Client {
	cfg, err := learn.LoadBundle(bundle)
	must(t, err)
	return client(t, cfg)
}

func (r *rig) counts(t *testing.T) postgres.Counts {
	c, err := r.db.Count(context.Background(), r.agency)
	must(t, err)
	return c
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func detectionBatch(t *testing.T, vehicle, operator string) []byte {
	b, err := json.Marshal(oneDetection(t, vehicle, operator))
	must(t, err)
	return b
}

// framedBatch is detectionBatch in the framed form the car sends.
func framedBatch(t *testing.T, vehicle, operator string) []byte {
	b, err := wire.MarshalBatch(oneDetection(t, vehicle, operator))
	must(t, err)
	return b
}

func oneDetection(t *testing.T, vehicle, operator string) wire.Batch {
	d := alpr.Detection{UUID: wire.NewUUID(), Camera: alpr.Cam2, SeenAt: time.Now().Add(-time.Minute), Plate: "7ABC123", Confidence: 0.9}
	p, err := json.Marshal(d)
	must(t, err)
	return wire.Batch{Vehicle: vehicle, Items: []wire.Item{{Key: d.UUID, Seq: 1, Kind: wire.KindDetection,
		CreatedAt: d.SeenAt, Operator: operator, Payload: p,
		Images: []wire.Image{wire.NewImage(wire.ImagePlate, []byte("plate")), wire.NewImage(wire.ImageScene, []byte("scene"))}}}}
}

// TestRefusals: each way a request can be wrong is refused with its status, and nothing of
// it is stored.
func TestRefusals(t *testing.T) {
	r := newRig(t, httpapi.Options{})
	good := r.car(t, "2317")
	revoked := r.car(t, "2318")
	if _, err := r.db.RevokeVehicle(context.Background(), r.agency, "2318", "test"); err != nil {
		t.Fatal(err)
	}
	// A car of another agency's CA.
	otherCA, err := pki.LoadOrCreateCA(t.TempDir(), "OTHER", time.Now)
	must(t, err)
	ob, err := otherCA.IssueVehicle("OTHER", "2317", pki.KindCar, time.Hour)
	must(t, err)
	otherDir := filepath.Join(t.TempDir(), "other")
	must(t, ob.WriteDir(otherDir, pki.CreateOnly))
	otherCfg, err := learn.LoadBundle(otherDir)
	must(t, err)
	otherCfg.RootCAs = r.ca.Pool() // it trusts our server; our server must not trust it
	// Offer the foreign certificate even though the server names another CA (Go's client would
	// otherwise send none), so the server's own verification is what refuses it.
	foreign := otherCfg.Certificates[0]
	otherCfg.GetClientCertificate = func(*tls.CertificateRequestInfo) (*tls.Certificate, error) { return &foreign, nil }
	noCert := &tls.Config{RootCAs: r.ca.Pool(), MinVersion: tls.VersionTLS13}

	framed := framedBatch(t, "2317", r.op)
	// A framed header that declares a scene of the largest size an image may have, repeated:
	// past the body's limit before a byte of it is read.
	var huge bytes.Buffer
	big := oneDetection(t, "2317", r.op)
	for len(big.Items) < 2*wire.MaxBodyBytes/wire.MaxImageSize {
		it := big.Items[0]
		it.Key, it.Seq = wire.NewUUID(), int64(len(big.Items)+1)
		big.Items = append(big.Items, it)
	}
	for i := range big.Items {
		big.Items[i].Images = []wire.Image{{Role: wire.ImageScene, SHA256: big.Items[i].Images[1].SHA256, Size: wire.MaxImageSize}}
	}
	header, err := json.Marshal(big)
	must(t, err)
	huge.WriteString("PAB1")
	must(t, binary.Write(&huge, binary.BigEndian, uint32(len(header))))
	huge.Write(header)

	tests := []struct {
		name   string
		client *http.Client
		body   []byte
		status int    // 0: the TLS handshake itself must fail
		ctype  string // "": application/json
	}{
		{"no certificate", client(t, noCert), detectionBatch(t, "2317", r.op), http.StatusUnauthorized, ""},
		{"certificate of another CA", client(t, otherCfg), detectionBatch(t, "2317", r.op), 0, ""},
		{"revoked car", r.carClient(t, revoked), detectionBatch(t, "2318", r.op), http.StatusForbidden, ""},
		{"another car's vehicle number", r.carClient(t, good), detectionBatch(t, "2318", r.op), http.StatusForbidden, ""},
		{"unknown operator", r.carClient(t, good), detectionBatch(t, "2317", "0666"), http.StatusForbidden, ""},
		{"malformed JSON", r.carClient(t, good), []byte(`{"vehicle":"2317","items":[{`), http.StatusBadRequest, ""},
		{"image not matching its hash", r.carClient(t, good), bytes.Replace(detectionBatch(t, "2317", r.op),
			[]byte(`"data":"cGxhdGU="`), []byte(`"data":"cGxhdGY="`), 1), http.StatusBadRequest, ""},
		{"oversized body", r.carClient(t, good), bytes.Repeat([]byte(" "), wire.MaxBodyBytes+1), http.StatusRequestEntityTooLarge, ""},
		{"framed: unknown operator", r.carClient(t, good), framedBatch(t, "2317", "0666"), http.StatusForbidden, wire.BatchContentType},
		{"framed: cut short", r.carClient(t, good), framed[:len(framed)-2], http.StatusBadRequest, wire.BatchContentType},
		{"framed: image not matching its hash", r.carClient(t, good), append(framed[:len(framed)-1:len(framed)-1], 'X'),
			http.StatusBadRequest, wire.BatchContentType},
		{"framed: JSON sent as framed", r.carClient(t, good), detectionBatch(t, "2317", r.op), http.StatusBadRequest, wire.BatchContentType},
		{"framed: images declared past the limit", r.carClient(t, good), huge.Bytes(), http.StatusRequestEntityTooLarge, wire.BatchContentType},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			ctype := cmp.Or(tc.ctype, wire.JSONContentType)
			resp, err := tc.client.Post(r.srv.URL+wire.SyncPath, ctype, bytes.NewReader(tc.body))
			if tc.status == 0 {
				if err == nil {
					resp.Body.Close()
					t.Fatalf("request with a foreign certificate got %s", resp.Status)
				}
			} else {
				if err != nil {
					t.Fatal(err)
				}
				var p wire.Problem
				_ = json.NewDecoder(resp.Body).Decode(&p)
				resp.Body.Close()
				if resp.StatusCode != tc.status || p.Error == "" {
					t.Fatalf("status %s (%q), want %d with a reason", resp.Status, p.Error, tc.status)
				}
			}
			if c := r.counts(t); c.Detections != 0 || c.Images != 0 || c.Keys != 0 {
				t.Fatalf("a refused request stored %+v", c)
			}
		})
	}
}

// TestCarSyncsToServer: a real car store, its outbox drained by learn.Syncer with the car's
// bundle over TLS 1.3: every detection arrives once with both images, the audit chain
// arrives intact, and the LEARN light goes green.
func TestCarSyncsToServer(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, httpapi.Options{})
	bundle := r.car(t, "2317")
	car, err := store.Open(ctx, filepath.Join(t.TempDir(), "car.db"), store.Options{PINIterations: 1000})
	must(t, err)
	defer car.Close()
	must(t, car.PutOperator(ctx, alpr.Operator{ID: r.op, Name: "Officer", Role: alpr.RoleOperator,
		TrainedAt: time.Now(), CertifiedAt: time.Now()}, "482916"))
	shift, err := car.StartShift(ctx, r.op, "2317")
	must(t, err)
	const n = 25
	for i := range n {
		d := alpr.Detection{ShiftID: shift.ID, Camera: alpr.Cam1, SeenAt: time.Now(),
			Plate: fmt.Sprintf("7ABC%03d", i), Confidence: 0.9, PlateJPEG: []byte(fmt.Sprintf("plate %d", i)),
			SceneJPEG: []byte(fmt.Sprintf("scene %d", i))}
		must(t, car.SaveDetection(ctx, &d))
	}
	tlsCfg, err := learn.LoadBundle(bundle)
	must(t, err)
	s := &learn.Syncer{Outbox: car, Sender: learn.NewClient(r.srv.URL, tlsCfg), Vehicle: func() string { return "2317" }, Batch: 10}
	must(t, s.SyncOnce(ctx))
	if h := s.Health(); h.State != learn.Synced || h.Backlog != 0 {
		t.Fatalf("health after sync: %+v", h)
	}
	c := r.counts(t)
	if c.Detections != n || c.Images != 2*n || c.IncompleteImages != 0 || c.DuplicateUUIDs != 0 {
		t.Fatalf("server holds %+v, want %d detections with %d images", c, n, 2*n)
	}
	if c.AuditEntries == 0 || c.AuditFlags != 0 {
		t.Fatalf("audit chain: %d entries, %d flags", c.AuditEntries, c.AuditFlags)
	}
	if left, _ := car.OutboxLen(ctx); left != 0 {
		t.Fatalf("%d items left in the car's outbox", left)
	}

	// The operator's shift check (III.C.7): all on the server; then two more detections not
	// yet sent are counted as missing and still queued.
	client := learn.NewClient(r.srv.URL, tlsCfg)
	check := func() string {
		local, err := car.ShiftDetectionUUIDs(ctx, shift.ID)
		must(t, err)
		remote, err := client.ShiftCheck(ctx, r.op, shift.StartedAt)
		must(t, err)
		queued, err := car.QueuedDetectionUUIDs(ctx)
		must(t, err)
		return learn.Compare(local, remote.Detections, queued).String()
	}
	if got := check(); got != fmt.Sprintf("all %d detections of this shift are on the server", n) {
		t.Fatalf("shift check: %q", got)
	}
	for i := range 2 {
		d := alpr.Detection{ShiftID: shift.ID, Camera: alpr.Cam2, SeenAt: time.Now(), Plate: fmt.Sprintf("8XYZ%03d", i), Confidence: 0.9}
		must(t, car.SaveDetection(ctx, &d))
	}
	if got := check(); got != fmt.Sprintf("2 of %d detections missing from the server (2 still queued to send)", n+2) {
		t.Fatalf("shift check with two unsent: %q", got)
	}
}

func TestListsDownloadOnlyWhatChanged(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, httpapi.Options{})
	c := r.carClient(t, r.car(t, "2317"))
	body := []byte("7ABC123;CA\n8XYZ999;NV\n")
	info, err := r.db.PutList(ctx, postgres.List{Agency: r.agency, ListInfo: wire.ListInfo{Name: "NCIC", Format: "plate-state",
		Kind: "general", Entries: 2}, Body: body, ImportedBy: "test"})
	must(t, err)

	resp, err := c.Get(r.srv.URL + wire.ListsPath)
	must(t, err)
	var idx wire.ListIndex
	must(t, json.NewDecoder(resp.Body).Decode(&idx))
	resp.Body.Close()
	if len(idx.Lists) != 1 || idx.Lists[0].SHA256 != info.SHA256 || idx.Lists[0].Path != wire.ListsPath+"/NCIC" {
		t.Fatalf("index %+v", idx)
	}
	tests := []struct {
		name   string
		header map[string]string
		status int
		body   string
	}{
		{"whole file", nil, http.StatusOK, string(body)},
		{"held already", map[string]string{"If-None-Match": `"` + info.SHA256 + `"`}, http.StatusNotModified, ""},
		{"an older copy", map[string]string{"If-None-Match": `"0123"`}, http.StatusOK, string(body)},
		{"resume after 11 bytes", map[string]string{"Range": "bytes=11-"}, http.StatusPartialContent, string(body[11:])},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			req, _ := http.NewRequest(http.MethodGet, r.srv.URL+idx.Lists[0].Path, nil)
			for k, v := range tc.header {
				req.Header.Set(k, v)
			}
			resp, err := c.Do(req)
			must(t, err)
			got, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != tc.status || string(got) != tc.body {
				t.Fatalf("%s %q, want %d %q", resp.Status, got, tc.status, tc.body)
			}
			if resp.StatusCode == http.StatusOK && resp.Header.Get("ETag") != `"`+info.SHA256+`"` {
				t.Fatalf("ETag %q", resp.Header.Get("ETag"))
			}
		})
	}
}

// TestCarFetchesLists: the car's list fetcher against the real server: a first fetch
// downloads the list, a second downloads nothing, a new version is fetched again.
func TestCarFetchesLists(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, httpapi.Options{})
	cfg, err := learn.LoadBundle(r.car(t, "2317"))
	must(t, err)
	f := learn.ListFetcher{Client: learn.NewClient(r.srv.URL, cfg), Dir: t.TempDir()}
	put := func(body string) {
		_, err := r.db.PutList(ctx, postgres.List{Agency: r.agency, ListInfo: wire.ListInfo{Name: "SVS", Format: "plate-state",
			Kind: "general", Entries: 1}, Body: []byte(body), ImportedBy: "test"})
		must(t, err)
	}
	put("7ABC123;CA\n")
	steps := []struct {
		body    string // the list's new version; "" keeps it
		changed int
	}{{"", 1}, {"", 0}, {"7ABC123;CA\n8XYZ999;NV\n", 1}}
	for i, st := range steps {
		if st.body != "" {
			put(st.body)
		}
		_, changed, err := f.Fetch(ctx)
		if err != nil || len(changed) != st.changed {
			t.Fatalf("fetch %d: changed %v, %v; want %d", i, changed, err, st.changed)
		}
	}
	if b, _ := os.ReadFile(f.Path("SVS")); string(b) != "7ABC123;CA\n8XYZ999;NV\n" {
		t.Fatalf("local copy %q", b)
	}
}

// TestBusyServerSaysSo: with every filing slot taken the server answers 503 with Retry-After
// at once instead of queueing, and stores nothing of the refused batch.
func TestBusyServerSaysSo(t *testing.T) {
	r := newRig(t, httpapi.Options{MaxInFlight: 1, QueueWait: 10 * time.Millisecond, RetryAfter: 3 * time.Second})
	c := r.carClient(t, r.car(t, "2317"))
	// Hold the only slot: a batch whose body never finishes arriving.
	pr, pw := io.Pipe()
	defer pw.Close()
	go func() {
		resp, err := c.Post(r.srv.URL+wire.SyncPath, "application/json", pr)
		if err == nil {
			resp.Body.Close()
		}
	}()
	_, _ = pw.Write([]byte(`{"vehicle":"2317",`))
	deadline := time.Now().Add(10 * time.Second)
	for {
		resp, err := c.Post(r.srv.URL+wire.SyncPath, "application/json", bytes.NewReader(detectionBatch(t, "2317", r.op)))
		must(t, err)
		resp.Body.Close()
		if resp.StatusCode == http.StatusServiceUnavailable {
			if resp.Header.Get("Retry-After") != "3" {
				t.Fatalf("Retry-After %q", resp.Header.Get("Retry-After"))
			}
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("never busy: last %s", resp.Status)
		}
		time.Sleep(10 * time.Millisecond)
	}
	if c := r.counts(t); c.Detections > 1 {
		t.Fatalf("stored %+v", c)
	}
}

func TestHealthAndMetrics(t *testing.T) {
	r := newRig(t, httpapi.Options{})
	c := client(t, &tls.Config{RootCAs: r.ca.Pool(), MinVersion: tls.VersionTLS13})
	for path, want := range map[string]string{wire.HealthPath: "ok", wire.MetricsPath: "alpr_sync_batch_seconds"} {
		resp, err := c.Get(r.srv.URL + path)
		must(t, err)
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK || !strings.Contains(string(b), want) {
			t.Errorf("%s: %s %.200s", path, resp.Status, b)
		}
	}
}

// TestRosterReachesTheCar: the car takes the roster from the server and refuses the cameras
// to an operator whose certification lapsed, and to one not on it.
func TestRosterReachesTheCar(t *testing.T) {
	ctx := context.Background()
	r := newRig(t, httpapi.Options{})
	now := time.Now()
	must(t, r.db.PutOperator(ctx, postgres.Operator{Agency: r.agency, ID: "2001", Name: "Lapsed", Active: true,
		CertifiedUntil: now.AddDate(0, -1, 0)}, "test"))
	cfg, err := learn.LoadBundle(r.car(t, "2317"))
	must(t, err)
	roster, err := learn.NewClient(r.srv.URL, cfg).Roster(ctx)
	must(t, err)
	tests := []struct{ id, want string }{{r.op, ""}, {"2001", "lapsed"}, {"3001", "not on the agency's roster"}}
	for _, tc := range tests {
		err := learn.MayOperate(roster, tc.id, now)
		if (tc.want == "") != (err == nil) || (err != nil && !strings.Contains(err.Error(), tc.want)) {
			t.Errorf("%s: %v, want %q", tc.id, err, tc.want)
		}
	}
}
