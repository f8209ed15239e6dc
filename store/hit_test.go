package store_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

func TestHitsAndDispositions(t *testing.T) {
	ctx := context.Background()
	db, c := openTest(t)
	d := detection("7ABC123", t0)
	if err := db.SaveDetection(ctx, d); err != nil {
		t.Fatal(err)
	}
	h := &alpr.Hit{DetectionID: d.ID, VehicleNumber: "4512", Match: alpr.Match{
		Entry: alpr.HotEntry{List: "SVS", Plate: "7ABC123", State: "CA", Reason: "stolen"},
		Kind:  alpr.MatchExact, ReadPlate: "7ABC123", State: alpr.StateMatch}}
	if err := db.SaveHit(ctx, h); err != nil {
		t.Fatal(err)
	}
	if h.ID == 0 || h.UUID == "" || h.DetectionUUID != d.UUID || !h.RaisedAt.Equal(t0) {
		t.Fatalf("SaveHit left %+v", h)
	}

	bad := []struct {
		name string
		d    alpr.Disposition
	}{
		{"no outcome", alpr.Disposition{OperatorID: "P1"}},
		{"rejected without reason", alpr.Disposition{Outcome: alpr.Rejected, OperatorID: "P1"}},
		{"no operator", alpr.Disposition{Outcome: alpr.Confirmed}},
	}
	for _, b := range bad {
		t.Run(b.name, func(t *testing.T) {
			if err := db.SetDisposition(ctx, h.ID, b.d); !errors.Is(err, store.ErrInvalid) {
				t.Fatalf("err = %v, want ErrInvalid", err)
			}
		})
	}
	if err := db.SetDisposition(ctx, 999, alpr.Disposition{Outcome: alpr.Confirmed, OperatorID: "P1"}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("disposition of unknown hit: %v, want ErrNotFound", err)
	}

	c.Advance(time.Minute)
	first := alpr.Disposition{Outcome: alpr.Confirmed, ConfirmedBy: alpr.ConfirmedByRadio, OperatorID: "P1", VehicleNumber: "4512"}
	if err := db.SetDisposition(ctx, h.ID, first); err != nil {
		t.Fatal(err)
	}
	c.Advance(time.Minute)
	second := first
	second.ReportNumber, second.Evidence, second.At = "25-778899", true, c.Now()
	if err := db.SetDisposition(ctx, h.ID, second); err != nil {
		t.Fatal(err)
	}
	hs, err := db.Hits(ctx, t0)
	if err != nil {
		t.Fatal(err)
	}
	if len(hs) != 1 || hs[0].Disposition == nil || *hs[0].Disposition != second || hs[0].Match.Entry.Reason != "stolen" {
		t.Fatalf("Hits = %+v, want the hit with the latest disposition %+v", hs, second)
	}
}

func TestSaveHitFromServerIsIdempotent(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	// A hit pushed by the agency server about another car's detection.
	pushed := alpr.Hit{UUID: "0b9f6a1e-4c8e-4a57-9f7e-3f2d2b6d9a10", DetectionUUID: "5d7c1f0a-8b1e-4f7b-9a2c-1c2d3e4f5a6b",
		RaisedAt: t0, Match: alpr.Match{Entry: alpr.HotEntry{List: "NCIC", Plate: "4XYZ789"}, ReadPlate: "4XYZ789"}}
	first, again := pushed, pushed
	if err := db.SaveHit(ctx, &first); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveHit(ctx, &again); err != nil {
		t.Fatal(err)
	}
	hs, _ := db.Hits(ctx, time.Time{})
	if len(hs) != 1 || again.ID != first.ID || hs[0].DetectionID != 0 {
		t.Fatalf("pushing a hit twice stored %d hits (ids %d, %d)", len(hs), first.ID, again.ID)
	}
	if err := db.SaveHit(ctx, &alpr.Hit{DetectionID: 42}); !errors.Is(err, store.ErrNotFound) {
		t.Fatalf("hit on unknown detection id: %v, want ErrNotFound", err)
	}
}

func TestHotLists(t *testing.T) {
	ctx := context.Background()
	db, c := openTest(t)
	svs := alpr.HotList{Name: "SVS", Kind: alpr.General, Priority: 5, Tolerance: alpr.LookAlike, Version: "v1"}
	entries := []alpr.HotEntry{{Plate: "7ABC123", State: "CA", Code: "V"}, {Plate: "4XYZ789", State: "NV"}}
	if err := db.ReplaceHotList(ctx, svs, entries); err != nil {
		t.Fatal(err)
	}
	// The next download replaces the list whole (IV.C.1).
	svs.Version = "v2"
	if err := db.ReplaceHotList(ctx, svs, entries[1:]); err != nil {
		t.Fatal(err)
	}
	es, err := db.HotEntries(ctx, "SVS")
	if err != nil || len(es) != 1 || es[0].Plate != "4XYZ789" || es[0].List != "SVS" {
		t.Fatalf("HotEntries after replace = %+v, %v", es, err)
	}
	if err := db.ReplaceHotList(ctx, svs, []alpr.HotEntry{{Plate: "bad plate"}}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("list with a bad plate: %v, want ErrInvalid", err)
	}
	if es, _ := db.HotEntries(ctx, "SVS"); len(es) != 1 {
		t.Fatalf("a refused replace changed the list: %+v", es)
	}

	plate := &alpr.HotEntry{Plate: "6DEF456", State: "CA", EnteredBy: "P1234", Phone: "209-555-0100", DRNumber: "25-1",
		Synopsis: "armed robbery suspect vehicle", ExpiresAt: t0.Add(7 * 24 * time.Hour)}
	if err := db.AddHotPlate(ctx, plate); err != nil {
		t.Fatal(err)
	}
	tooLong := *plate
	tooLong.ExpiresAt = t0.Add(31 * 24 * time.Hour)
	if err := db.AddHotPlate(ctx, &tooLong); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("hot plate for 31 days: %v, want ErrInvalid (IV.D.1)", err)
	}
	lists, err := db.HotLists(ctx)
	if err != nil || len(lists) != 2 || lists[0].Name != store.OfficerList || lists[0].Entries != 1 ||
		lists[1].Version != "v2" || lists[1].Entries != 1 {
		t.Fatalf("HotLists = %+v, %v", lists, err)
	}
	if hp, _ := db.HotPlates(ctx, c.Now()); len(hp) != 1 || hp[0].ID != plate.ID {
		t.Fatalf("HotPlates now = %+v", hp)
	}
	if hp, _ := db.HotPlates(ctx, plate.ExpiresAt); len(hp) != 0 {
		t.Fatalf("HotPlates at expiry = %+v, want none", hp)
	}
}

func TestOutbox(t *testing.T) {
	ctx := context.Background()
	db, c := openTest(t)
	d := detection("7ABC123", t0)
	if err := db.SaveDetection(ctx, d); err != nil {
		t.Fatal(err)
	}
	if err := db.ReportEquipment(ctx, store.EquipmentReport{Camera: alpr.Cam2, Problem: "lens cracked", OperatorID: "P1", VehicleNumber: "4512"}); err != nil {
		t.Fatal(err)
	}
	if err := db.ReportEquipment(ctx, store.EquipmentReport{}); !errors.Is(err, store.ErrInvalid) {
		t.Fatalf("empty equipment report: %v, want ErrInvalid", err)
	}
	items, err := db.PendingOutbox(ctx, 10)
	if err != nil {
		t.Fatal(err)
	}
	// The report's audit entry travels too, so the server can continue the car's chain.
	if len(items) != 3 || items[0].Kind != store.KindDetection || items[1].Kind != store.KindEquipment ||
		items[2].Kind != store.KindAudit || items[0].Seq >= items[1].Seq || items[0].Key == items[1].Key ||
		items[0].Attempts != 1 || items[1].Operator != "P1" || items[2].Operator != "P1" {
		t.Fatalf("PendingOutbox = %+v", items)
	}
	var sent alpr.Detection
	if err := json.Unmarshal(items[0].Payload, &sent); err != nil || sent.UUID != d.UUID || sent.Plate != d.Plate {
		t.Fatalf("detection payload %s: %v", items[0].Payload, err)
	}
	if err := db.AckOutbox(ctx, items[0].Seq); err != nil {
		t.Fatal(err)
	}
	items, _ = db.PendingOutbox(ctx, 10)
	if len(items) != 2 || items[0].Kind != store.KindEquipment || items[0].Attempts != 2 {
		t.Fatalf("after ack: %+v", items)
	}
	if reps, _ := db.EquipmentReports(ctx, time.Time{}); len(reps) != 1 || reps[0].Problem != "lens cracked" {
		t.Fatalf("EquipmentReports = %+v", reps)
	}
	// Sync items are ALPR data too: they do not outlive retention.
	c.Advance(store.DefaultRetention + time.Hour)
	r, err := db.Purge(ctx)
	if err != nil || r.OutboxRows != 3 {
		t.Fatalf("purge = %+v, %v; want all three sync items removed", r, err)
	}
}
