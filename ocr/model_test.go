package ocr

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestOpenRejectsBadModels proves a broken model file is an error, not the
// process abort gocv's ReadNetFromONNX gives it.
func TestOpenRejectsBadModels(t *testing.T) {
	good, err := os.ReadFile(filepath.Join(modelDir, ModelFile))
	if err != nil {
		t.Fatalf("committed model: %v", err)
	}
	tests := []struct {
		name  string
		write func(dir string) error
	}{
		{"missing", func(string) error { return nil }},
		{"empty", func(d string) error { return os.WriteFile(filepath.Join(d, ModelFile), nil, 0o644) }},
		{"truncated", func(d string) error { return os.WriteFile(filepath.Join(d, ModelFile), good[:len(good)*2/3], 0o644) }},
		{"not onnx", func(d string) error {
			junk := make([]byte, len(good))
			for i := range junk {
				junk[i] = byte(i * 31)
			}
			return os.WriteFile(filepath.Join(d, ModelFile), junk, 0o644)
		}},
		{"directory", func(d string) error { return os.Mkdir(filepath.Join(d, ModelFile), 0o755) }},
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
			if !errors.Is(err, ErrBadModel) {
				t.Errorf("error %v is not ErrBadModel", err)
			}
		})
	}
}

// TestOpenRejectsBadLayouts proves the reader does not start without the
// plate layouts it weighs its reads by, and says which file is wrong.
func TestOpenRejectsBadLayouts(t *testing.T) {
	model, err := os.ReadFile(filepath.Join(modelDir, ModelFile))
	if err != nil {
		t.Fatalf("committed model: %v", err)
	}
	tests := []struct {
		name    string
		layouts []byte // nil: no file
	}{
		{"missing", nil},
		{"empty", []byte{}},
		{"not layouts", []byte("layout,plates\nABC123,7\n")},
		{"truncated row", []byte("layout,plates\nLLLDDD\n")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			if err := os.WriteFile(filepath.Join(dir, ModelFile), model, 0o644); err != nil {
				t.Fatal(err)
			}
			if tc.layouts != nil {
				if err := os.WriteFile(filepath.Join(dir, LayoutFile), tc.layouts, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			r, err := Open(Options{ModelDir: dir})
			if err == nil {
				r.Close()
				t.Fatal("Open accepted bad layouts")
			}
			if !errors.Is(err, ErrBadModel) || !strings.Contains(err.Error(), "layouts") {
				t.Errorf("error %v is not ErrBadModel naming the layouts", err)
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
