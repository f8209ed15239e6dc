package desk_test

import (
	"archive/zip"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"net/url"
	"strings"
	"testing"

	"patrol-alpr/server/desk"
)

// TestEvidenceZip downloads a case's evidence and checks every file against the manifest.
func TestEvidenceZip(t *testing.T) {
	e := newEnv(t, desk.Options{})
	c := e.client(adminName, adminPassword)
	res, body := e.get(c, "/evidence?case=C-1")
	if res.StatusCode != 200 || res.Header.Get("Content-Type") != "application/zip" {
		t.Fatalf("evidence: %s %s", res.Status, res.Header.Get("Content-Type"))
	}
	zr, err := zip.NewReader(bytes.NewReader([]byte(body)), int64(len(body)))
	must(t, err)
	files := map[string][]byte{}
	for _, f := range zr.File {
		r, err := f.Open()
		must(t, err)
		b, err := io.ReadAll(r)
		must(t, err)
		files[f.Name] = b
	}
	det := e.dets["oct3a"]
	want := map[string]string{
		det + "/plate.jpg": "plate jpeg of " + det,
		det + "/scene.jpg": "scene jpeg of " + det,
	}
	for name, content := range want {
		if string(files[name]) != content {
			t.Errorf("%s = %q, want %q", name, files[name], content)
		}
	}
	if !strings.Contains(string(files["detections.csv"]), det+",2026-10-03T09:00:00Z,7ABC023,CA,2317,4711,Cam-1,") {
		t.Errorf("detections.csv:\n%s", files["detections.csv"])
	}
	manifest := strings.Split(strings.TrimSpace(string(files["MANIFEST.sha256"])), "\n")
	if len(manifest) != 3 {
		t.Fatalf("manifest names %d files, want 3:\n%s", len(manifest), files["MANIFEST.sha256"])
	}
	for _, line := range manifest {
		sum, name, ok := strings.Cut(line, "  ")
		got := sha256.Sum256(files[name])
		if !ok || sum != hex.EncodeToString(got[:]) {
			t.Errorf("manifest line %q does not match %s", line, name)
		}
	}

	// Releasing the hold ends the evidence: nothing is held for the case any more.
	st, err := e.db.Retention(t.Context(), e.agency)
	must(t, err)
	if len(st.Holds) != 1 {
		t.Fatalf("holds = %+v", st.Holds)
	}
	if res := e.post(c, "/retention/release", url.Values{"hold": {st.Holds[0].ID}, "reason": {"case closed"}}); res.StatusCode != 303 {
		t.Fatalf("release: %s", res.Status)
	}
	if res, _ := e.get(c, "/evidence?case=C-1"); res.StatusCode != 404 {
		t.Errorf("evidence after release: %s, want 404", res.Status)
	}
}
