package desk

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"patrol-alpr/server/postgres"
)

// retentionView is the retention page (IV.A): what is due for purge, the holds and the purges.
type retentionView struct {
	Status  postgres.RetentionStatus
	Purges  []postgres.PurgeReport
	Active  int
	Release bool
}

func (d *Desk) retentionPage(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	st, err := d.db.Retention(r.Context(), s.Agency)
	if err != nil {
		return err
	}
	purges, err := d.db.PurgeHistory(r.Context(), 20)
	if err != nil {
		return err
	}
	v := retentionView{Status: st, Purges: purges}
	for _, h := range st.Holds {
		if h.ReleasedAt.IsZero() {
			v.Active++
		}
	}
	return d.render(w, r, "retention", "Retention and evidence", s, v)
}

func (d *Desk) retentionRelease(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	if err := d.db.ReleaseHold(r.Context(), s.Agency, trimmed(r, "hold"), trimmed(r, "reason"), s.User); err != nil {
		return err
	}
	redirect(w, r, "/retention", "released")
	return nil
}

var caseFile = regexp.MustCompile(`[^A-Za-z0-9._-]+`)

// evidenceZip downloads a case's held detections as a zip: each detection's record and
// images, a CSV of them all, and MANIFEST.sha256 in sha256sum's format so that whoever books
// the media into evidence can check it with `sha256sum -c MANIFEST.sha256` (IV.A.1).
func (d *Desk) evidenceZip(w http.ResponseWriter, r *http.Request, s postgres.DeskSession) error {
	caseNo := strings.TrimSpace(r.URL.Query().Get("case"))
	if caseNo == "" {
		return userError{"Name the case whose evidence to download."}
	}
	items, err := d.db.Evidence(r.Context(), s.Agency, caseNo)
	if err != nil {
		return err
	}
	if len(items) == 0 {
		return fmt.Errorf("case %s: %w: nothing is held for it", caseNo, postgres.ErrNotFound)
	}
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	var manifest strings.Builder
	add := func(name string, data []byte) error {
		f, err := zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: d.opt.Now().UTC()})
		if err != nil {
			return err
		}
		if _, err := f.Write(data); err != nil {
			return err
		}
		sum := sha256.Sum256(data)
		fmt.Fprintf(&manifest, "%s  %s\n", hex.EncodeToString(sum[:]), name)
		return nil
	}
	var table bytes.Buffer
	cw := csv.NewWriter(&table)
	_ = cw.Write([]string{"uuid", "seen_at", "plate", "state", "vehicle", "operator", "camera", "confidence", "lat", "lon", "plate_image", "scene_image"})
	for _, it := range items {
		dir := it.UUID + "/"
		var plate, scene string
		if len(it.PlateJPEG) > 0 {
			plate = dir + "plate.jpg"
			if err := add(plate, it.PlateJPEG); err != nil {
				return err
			}
		}
		if len(it.SceneJPEG) > 0 {
			scene = dir + "scene.jpg"
			if err := add(scene, it.SceneJPEG); err != nil {
				return err
			}
		}
		f := func(v float64) string { return strconv.FormatFloat(v, 'f', -1, 64) }
		_ = cw.Write([]string{it.UUID, it.SeenAt.UTC().Format(time.RFC3339Nano), it.Plate, it.State, it.Vehicle, it.Operator,
			it.Camera, f(it.Confidence), f(it.Lat), f(it.Lon), plate, scene})
	}
	cw.Flush()
	if err := add("detections.csv", table.Bytes()); err != nil {
		return err
	}
	m, err := zw.Create("MANIFEST.sha256")
	if err == nil {
		_, err = m.Write([]byte(manifest.String()))
	}
	if err == nil {
		err = zw.Close()
	}
	if err != nil {
		return fmt.Errorf("write evidence zip: %w", err)
	}
	if err := d.db.ServerAudit(r.Context(), s.Agency, s.User, "evidence.download",
		fmt.Sprintf("case %s: %d detections", caseNo, len(items))); err != nil {
		return err
	}
	w.Header().Set("Content-Type", "application/zip")
	w.Header().Set("Content-Disposition", fmt.Sprintf(`attachment; filename="evidence-%s.zip"`, caseFile.ReplaceAllString(caseNo, "_")))
	_, err = w.Write(buf.Bytes())
	return err
}
