package store_test

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/store"
)

func TestExportEvidence(t *testing.T) {
	ctx := context.Background()
	db, _ := openTest(t)
	a, b := detection("7ABC123", t0), detection("4XYZ789", t0.Add(time.Minute))
	for _, d := range []*alpr.Detection{a, b} {
		if err := db.SaveDetection(ctx, d); err != nil {
			t.Fatal(err)
		}
	}
	h := &alpr.Hit{DetectionID: a.ID, Match: alpr.Match{Entry: alpr.HotEntry{List: "SVS", Plate: a.Plate}, ReadPlate: a.Plate}}
	if err := db.SaveHit(ctx, h); err != nil {
		t.Fatal(err)
	}

	dir := filepath.Join(t.TempDir(), "usb", "case-25-004411")
	m, err := db.ExportEvidence(ctx, dir, []int64{b.ID, a.ID, a.ID}, investigation)
	if err != nil {
		t.Fatal(err)
	}
	if m.Detections != 2 || m.Hits != 1 || len(m.Files) != 6 {
		t.Fatalf("manifest %+v, want 2 detections, 1 hit, 6 files", m)
	}
	// Every listed file exists with the listed digest, and sha256sum agrees.
	for _, f := range m.Files {
		data, err := os.ReadFile(filepath.Join(dir, f.Name))
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(data)
		if hex.EncodeToString(sum[:]) != f.SHA256 {
			t.Fatalf("%s: digest differs from manifest", f.Name)
		}
	}
	check := exec.Command("sha256sum", "--check", "--strict", store.ManifestName)
	check.Dir = dir
	if out, err := check.CombinedOutput(); err != nil {
		t.Fatalf("sha256sum --check: %v\n%s", err, out)
	}
	var rec store.EvidenceRecord
	js, err := os.ReadFile(filepath.Join(dir, "detection-"+strconv.FormatInt(a.ID, 10)+".json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(js, &rec); err != nil {
		t.Fatal(err)
	}
	if rec.Detection.UUID != a.UUID || len(rec.Hits) != 1 || rec.Hits[0].UUID != h.UUID || rec.ExportedBy != investigation {
		t.Fatalf("record %+v", rec)
	}
	scene, _ := os.ReadFile(filepath.Join(dir, rec.SceneImage))
	if !bytes.Equal(scene, a.SceneJPEG) {
		t.Fatal("exported scene image differs from the stored one")
	}
	es, _ := db.AuditLog(ctx, time.Time{})
	if last := es[len(es)-1]; last.Action != store.ActionExport || !strings.Contains(last.Detail, investigation.CaseNumber) {
		t.Fatalf("last audit entry %+v, want the export", last)
	}

	refused := []struct {
		name string
		dir  string
		ids  []int64
		p    store.Purpose
		want error
	}{
		{"folder not empty", dir, []int64{a.ID}, investigation, store.ErrInvalid},
		{"unknown detection", filepath.Join(t.TempDir(), "x"), []int64{a.ID, 999}, investigation, store.ErrNotFound},
		{"no purpose", filepath.Join(t.TempDir(), "y"), []int64{a.ID}, store.Purpose{OperatorID: "P1"}, store.ErrPurposeRequired},
		{"nothing chosen", filepath.Join(t.TempDir(), "z"), nil, investigation, store.ErrInvalid},
	}
	for _, r := range refused {
		t.Run(r.name, func(t *testing.T) {
			if _, err := db.ExportEvidence(ctx, r.dir, r.ids, r.p); !errors.Is(err, r.want) {
				t.Fatalf("err = %v, want %v", err, r.want)
			}
			if r.dir != dir {
				if ents, _ := os.ReadDir(r.dir); len(ents) != 0 {
					t.Fatalf("a refused export wrote %d files", len(ents))
				}
			}
		})
	}
}
