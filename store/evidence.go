package store

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"patrol-alpr/alpr"
)

// ManifestName is the file in an export that lists every other file's SHA-256, in
// the format `sha256sum -c` checks.
const ManifestName = "MANIFEST.sha256"

// Manifest describes a finished evidence export.
type Manifest struct {
	Dir        string
	Detections int
	Hits       int
	Files      []ManifestFile // every file but the manifest, by name
}

// ManifestFile is one exported file and its digest.
type ManifestFile struct {
	Name   string // relative to Dir
	SHA256 string // hex
	Size   int64
}

// EvidenceRecord is the JSON written for each exported detection.
type EvidenceRecord struct {
	Detection  alpr.Detection `json:"detection"`
	Hits       []alpr.Hit     `json:"hits,omitempty"`
	PlateImage string         `json:"plate_image,omitempty"` // file name beside the record
	SceneImage string         `json:"scene_image,omitempty"`
	ExportedAt time.Time      `json:"exported_at"`
	ExportedBy Purpose        `json:"exported_by"`
}

// ExportEvidence writes detections, their hits and images to dir (portable media,
// IV.A.1): detection-<id>.json, detection-<id>-plate.jpg, detection-<id>-scene.jpg
// and MANIFEST.sha256. dir must be new or empty so an export is never mixed with
// other files. Every file is synced before the manifest is written, and the export
// is audited.
func (db *DB) ExportEvidence(ctx context.Context, dir string, ids []int64, p Purpose) (Manifest, error) {
	fail := func(err error) (Manifest, error) {
		return Manifest{}, fmt.Errorf("export evidence to %s: %w", dir, err)
	}
	if err := p.check(); err != nil {
		return fail(err)
	}
	if len(ids) == 0 {
		return fail(fmt.Errorf("%w: no detections chosen", ErrInvalid))
	}
	ids = slices.Compact(slices.Sorted(slices.Values(ids)))
	for _, id := range ids { // all or nothing: check before writing a byte
		var one int
		err := db.sql.QueryRowContext(ctx, `SELECT 1 FROM detections WHERE id = ?`, id).Scan(&one)
		if errors.Is(err, sql.ErrNoRows) {
			return fail(fmt.Errorf("detection %d: %w", id, ErrNotFound))
		}
		if err != nil {
			return fail(err)
		}
	}
	if err := emptyDir(dir); err != nil {
		return fail(err)
	}
	m := Manifest{Dir: dir}
	now := db.now().UTC()
	for _, id := range ids {
		d, err := db.Detection(ctx, id)
		if err != nil {
			return fail(err)
		}
		hits, err := db.hits(ctx, `h.detection_id = ?`, id)
		if err != nil {
			return fail(fmt.Errorf("hits of detection %d: %w", id, err))
		}
		rec := EvidenceRecord{Detection: d, Hits: hits, ExportedAt: now, ExportedBy: p}
		base := fmt.Sprintf("detection-%d", id)
		for _, img := range []struct {
			name string
			data []byte
			ref  *string
		}{{base + "-plate.jpg", d.PlateJPEG, &rec.PlateImage}, {base + "-scene.jpg", d.SceneJPEG, &rec.SceneImage}} {
			if len(img.data) == 0 {
				continue
			}
			f, err := writeFile(dir, img.name, img.data)
			if err != nil {
				return fail(err)
			}
			*img.ref = img.name
			m.Files = append(m.Files, f)
		}
		js, err := json.MarshalIndent(rec, "", "  ")
		if err != nil {
			return fail(err)
		}
		f, err := writeFile(dir, base+".json", append(js, '\n'))
		if err != nil {
			return fail(err)
		}
		m.Files = append(m.Files, f)
		m.Detections++
		m.Hits += len(hits)
	}
	slices.SortFunc(m.Files, func(a, b ManifestFile) int { return strings.Compare(a.Name, b.Name) })
	var sums strings.Builder
	for _, f := range m.Files {
		fmt.Fprintf(&sums, "%s  %s\n", f.SHA256, f.Name)
	}
	if _, err := writeFile(dir, ManifestName, []byte(sums.String())); err != nil {
		return fail(err)
	}
	if err := syncDir(dir); err != nil {
		return fail(err)
	}
	detail, _ := json.Marshal(map[string]any{"dir": dir, "detections": ids, "hits": m.Hits,
		"purpose": p.Purpose, "case_number": p.CaseNumber})
	if err := db.Audit(ctx, p.OperatorID, ActionExport, string(detail)); err != nil {
		return fail(err)
	}
	return m, nil
}

// emptyDir creates dir, or accepts it when it exists and is empty.
func emptyDir(dir string) error {
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	f, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer f.Close()
	if _, err := f.Readdirnames(1); !errors.Is(err, io.EOF) {
		if err == nil {
			return fmt.Errorf("%w: folder %s is not empty", ErrInvalid, dir)
		}
		return err
	}
	return nil
}

// writeFile writes and fsyncs one file, returning its manifest line.
func writeFile(dir, name string, data []byte) (ManifestFile, error) {
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o640)
	if err != nil {
		return ManifestFile{}, err
	}
	if _, err := f.Write(data); err != nil {
		f.Close()
		return ManifestFile{}, fmt.Errorf("write %s: %w", path, err)
	}
	if err := f.Sync(); err != nil {
		f.Close()
		return ManifestFile{}, fmt.Errorf("sync %s: %w", path, err)
	}
	if err := f.Close(); err != nil {
		return ManifestFile{}, fmt.Errorf("close %s: %w", path, err)
	}
	sum := sha256.Sum256(data)
	return ManifestFile{Name: name, SHA256: hex.EncodeToString(sum[:]), Size: int64(len(data))}, nil
}

func syncDir(dir string) error {
	d, err := os.Open(dir)
	if err != nil {
		return err
	}
	defer d.Close()
	if err := d.Sync(); err != nil {
		return fmt.Errorf("sync %s: %w", dir, err)
	}
	return nil
}
