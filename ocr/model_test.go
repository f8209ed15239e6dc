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
	goodLayouts, err := os.ReadFile(filepath.Join(modelDir, LayoutFile))
	if err != nil {
		t.Fatal(err)
	}
	// The committed classes may weigh by layout: the broken-state cases below copy the
	// committed layout counts so that each breaks one thing only.
	goodStateLayouts, err := os.ReadFile(filepath.Join(modelDir, StateLayoutsFile))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	copyStateLayouts := func(d string) error {
		if goodStateLayouts == nil {
			return nil
		}
		return os.WriteFile(filepath.Join(d, StateLayoutsFile), goodStateLayouts, 0o644)
	}
	// states writes a good recognizer and layouts beside a state model and classes (none for nil).
	states := func(model, classes []byte) func(string) error {
		return func(d string) error {
			if err := layouts(goodLayouts)(d); err != nil {
				return err
			}
			if err := copyStateLayouts(d); err != nil {
				return err
			}
			if model != nil {
				if err := os.WriteFile(filepath.Join(d, StateModelFile), model, 0o644); err != nil {
					return err
				}
			}
			if classes != nil {
				return os.WriteFile(filepath.Join(d, StateClassesFile), classes, 0o644)
			}
			return nil
		}
	}
	goodState, err := os.ReadFile(filepath.Join(modelDir, StateModelFile))
	if err != nil {
		t.Fatal(err)
	}
	goodClasses, err := os.ReadFile(filepath.Join(modelDir, StateClassesFile))
	if err != nil {
		t.Fatal(err)
	}
	// stateLayouts writes a good state model beside classes asking for the layout prior and
	// a layout file (none for nil).
	stateLayouts := func(b []byte) func(string) error {
		return func(d string) error {
			if err := states(goodState, []byte("threshold 0.5\nlayout-prior 8\nCA\nNV\n"))(d); err != nil {
				return err
			}
			if b == nil {
				if err := os.Remove(filepath.Join(d, StateLayoutsFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
					return err
				}
				return nil
			}
			return os.WriteFile(filepath.Join(d, StateLayoutsFile), b, 0o644)
		}
	}
	// verifier writes a good recognizer and layouts beside a plate verifier and its threshold
	// file (none for nil).
	verifier := func(model, threshold []byte) func(string) error {
		return func(d string) error {
			if err := layouts(goodLayouts)(d); err != nil {
				return err
			}
			if model != nil {
				if err := os.WriteFile(filepath.Join(d, VerifyModelFile), model, 0o644); err != nil {
					return err
				}
			}
			if threshold != nil {
				return os.WriteFile(filepath.Join(d, VerifyThresholdFile), threshold, 0o644)
			}
			return nil
		}
	}
	goodVerify, err := os.ReadFile(filepath.Join(modelDir, VerifyModelFile))
	if err != nil {
		t.Fatal(err)
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
		{"state model without classes", states(goodState, nil), StateClassesFile},
		{"state classes without model", states(nil, goodClasses), StateModelFile},
		{"state model truncated", states(goodState[:len(goodState)/2], goodClasses), StateModelFile},
		{"state classes without threshold", states(goodState, []byte("CA\nNV\n")), StateClassesFile},
		{"state classes with a bad code", states(goodState, []byte("threshold 0.5\nCA\nNevada\n")), StateClassesFile},
		{"state threshold for a state not listed", states(goodState, []byte("threshold 0.5\nthreshold TX 0.3\nCA\nNV\n")), StateClassesFile},
		{"state classes not the model's", states(goodState, []byte("threshold 0.5\nCA\nNV\n")), StateModelFile},
		{"state layout prior of no weight", states(goodState, []byte("threshold 0.5\nlayout-prior 0\nCA\nNV\n")), StateClassesFile},
		{"state layouts missing", stateLayouts(nil), StateLayoutsFile},
		{"state layouts not layouts", stateLayouts([]byte("state,layout,plates\nCA,1ABC234,3\n")), StateLayoutsFile},
		{"state layouts empty", stateLayouts([]byte("state,layout,plates\n")), StateLayoutsFile},
		{"verifier without threshold", verifier(goodVerify, nil), VerifyThresholdFile},
		{"verifier threshold without model", verifier(nil, []byte("reject 0.1\n")), VerifyModelFile},
		{"verifier truncated", verifier(goodVerify[:len(goodVerify)/2], []byte("reject 0.1\n")), VerifyModelFile},
		{"verifier not onnx", verifier(junk, []byte("reject 0.1\n")), VerifyModelFile},
		{"verifier is the state model", verifier(goodState, []byte("reject 0.1\n")), VerifyModelFile},
		{"verifier threshold not a score", verifier(goodVerify, []byte("reject 1.5\n")), VerifyThresholdFile},
		{"verifier threshold missing its line", verifier(goodVerify, []byte("# nothing\n")), VerifyThresholdFile},
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

func TestLoadStateClasses(t *testing.T) {
	path := filepath.Join(t.TempDir(), StateClassesFile)
	if err := os.WriteFile(path, []byte("# comment\nthreshold 0.6\nthreshold CA 0.3\nlayout-prior 8\nAZ\nCA\nNV\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	sc, err := loadStateClasses(path)
	if err != nil {
		t.Fatal(err)
	}
	codes, th, prior := sc.codes, sc.threshold, sc.layoutPrior
	if strings.Join(codes, ",") != "AZ,CA,NV" || len(th) != 3 || th[0] != 0.6 || th[1] != 0.3 || th[2] != 0.6 || prior != 8 {
		t.Errorf("codes %v thresholds %v prior %v, want AZ,CA,NV at 0.6, 0.3, 0.6, prior 8", codes, th, prior)
	}
}

// TestOpenWithoutStates: a model folder made before the reader named states still opens,
// and names none.
func TestOpenWithoutStates(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{ModelFile, LayoutFile} {
		b, err := os.ReadFile(filepath.Join(modelDir, name))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, name), b, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	r, err := Open(Options{ModelDir: dir})
	if err != nil {
		t.Fatalf("open a folder without a state classifier: %v", err)
	}
	defer r.Close()
	if r.states != nil {
		t.Error("a state classifier was opened from a folder without one")
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
