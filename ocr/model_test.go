package ocr

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenRejectsBadModels proves a broken model file is an error, not the
// process abort gocv's ReadNetFromONNX gives it, and that the reader does not
// start without the plate layouts it weighs its reads by. The error names the
// file that is wrong.
func TestOpenRejectsBadModels(t *testing.T) {
	good, err := os.ReadFile(filepath.Join(modelDir, ModelFile))
	if err != nil {
		t.Fatalf("committed model: %v", err)
	}
	model := func(b []byte) func(string) error {
		return func(d string) error { return os.WriteFile(filepath.Join(d, ModelFile), b, 0o644) }
	}
	// layouts writes the good model beside a layout file (none for nil).
	layouts := func(b []byte) func(string) error {
		return func(d string) error {
			if err := model(good)(d); err != nil || b == nil {
				return err
			}
			return os.WriteFile(filepath.Join(d, LayoutFile), b, 0o644)
		}
	}
	junk := make([]byte, len(good))
	for i := range junk {
		junk[i] = byte(i * 31)
	}
	tests := []struct {
		name  string
		write func(dir string) error
		names string // in the error
	}{
		{"missing", func(string) error { return nil }, ModelFile},
		{"empty", model(nil), ModelFile},
		{"truncated", model(good[:len(good)*2/3]), ModelFile},
		{"not onnx", model(junk), ModelFile},
		{"directory", func(d string) error { return os.Mkdir(filepath.Join(d, ModelFile), 0o755) }, ModelFile},
		{"layouts missing", layouts(nil), LayoutFile},
		{"layouts empty", layouts([]byte{}), LayoutFile},
		{"layouts not layouts", layouts([]byte("layout,plates\nABC123,7\n")), LayoutFile},
		{"layouts row cut short", layouts([]byte("layout,plates\nLLLDDD\n")), LayoutFile},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := tc.write(dir); err != nil {
				t.Fatal(err)
			}
			r, err := Open(Options{ModelDir: dir})
			if err == nil {
				r.Close()
				t.Fatal("Open accepted a bad model")
			}
			if !errors.Is(err, ErrBadModel) || !strings.Contains(err.Error(), tc.names) {
				t.Errorf("error %v is not ErrBadModel naming %s", err, tc.names)
			}
		})
	}
}

func TestOpenCommittedModel(t *testing.T) {
	r := openTestReader(t)
	if err := r.Close(); err != nil {
		t.Fatalf("close: %v", err)
	}
	if err := r.Close(); err != nil {
		t.Fatalf("second close: %v", err)
	}
}
