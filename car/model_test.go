package car

import (
	"context"
	"io"
	"io/fs"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"patrol-alpr/alpr"
	"patrol-alpr/assets"
	"patrol-alpr/config"
	"patrol-alpr/ocr"
)

// TestModelDirWritesTheBuiltInModel: with no folder configured, the built-in recognizer's files
// are written to the cache, once, a damaged copy is written again, and the reader opens them.
func TestModelDirWritesTheBuiltInModel(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir, err := ModelDir("")
	if err != nil {
		t.Fatalf("model dir: %v", err)
	}
	for _, name := range modelFiles {
		want, err := fs.ReadFile(assets.Models, "models/"+name)
		if err != nil {
			t.Fatal(err)
		}
		if got, err := os.ReadFile(filepath.Join(dir, name)); err != nil || string(got) != string(want) {
			t.Errorf("%s: %d bytes (%v), want the built-in %d", name, len(got), err, len(want))
		}
	}
	// A damaged layout file is replaced on the next start.
	if err := os.WriteFile(filepath.Join(dir, modelFiles[1]), []byte("layout,plates\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := ModelDir("")
	if err != nil || again != dir {
		t.Fatalf("second model dir %q (%v), want %q", again, err, dir)
	}
	r, err := OpenReader("")
	if err != nil {
		t.Fatalf("open reader from the cache: %v", err)
	}
	r.Close()
	if got, err := ModelDir("/somewhere/else"); err != nil || got != "/somewhere/else" {
		t.Errorf("configured folder: %q (%v)", got, err)
	}
}

// TestActivateStopsOnABrokenModel: a model folder the reader cannot use (a recognizer from
// before the plate layouts, say) leaves the shift's cameras off and says why, instead of
// cameras filming for a pipeline that never reads.
func TestActivateStopsOnABrokenModel(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	onnx, err := fs.ReadFile(assets.Models, "models/"+ocr.ModelFile)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, ocr.ModelFile), onnx, 0o644); err != nil {
		t.Fatal(err)
	}
	cfg := config.Classroom(t.TempDir())
	cfg.ModelDir = dir
	sys, err := newSystem(ctx, cfg, slog.New(slog.NewTextHandler(io.Discard, nil)))
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Close()
	now := time.Now()
	op := alpr.Operator{ID: "TRAINEE", TrainedAt: now, CertifiedAt: now}
	err = sys.Activate(ctx, op, alpr.Shift{OperatorID: op.ID, VehicleNumber: "TRAINING-1", StartedAt: now})
	if err == nil || !strings.Contains(err.Error(), ocr.LayoutFile) {
		t.Fatalf("Activate: %v, want an error naming %s", err, ocr.LayoutFile)
	}
	sys.mu.Lock()
	feeds := sys.feeds
	sys.mu.Unlock()
	if len(feeds) != 0 {
		t.Errorf("%d cameras left running", len(feeds))
	}
}

func TestReadersFor(t *testing.T) {
	for _, tc := range []struct {
		name                 string
		cameras, cores, want int
	}{
		{"two-core MDC: one reader for three cameras", 3, 2, 1},
		{"one core", 3, 1, 1},
		{"four cores: two", 3, 4, 2},
		{"eight cores: one a camera", 3, 8, 3},
		{"one camera", 1, 8, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if got := readersFor(tc.cameras, tc.cores); got != tc.want {
				t.Errorf("readersFor(%d cameras, %d cores) = %d, want %d", tc.cameras, tc.cores, got, tc.want)
			}
		})
	}
}
