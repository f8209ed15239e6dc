package main

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"patrol-alpr/assets"
)

// TestModelDirWritesTheBuiltInModel: with no folder configured, the built-in recognizer's files
// are written to the cache, once, a damaged copy is written again, and the reader opens them.
func TestModelDirWritesTheBuiltInModel(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	dir, err := modelDir("")
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
	again, err := modelDir("")
	if err != nil || again != dir {
		t.Fatalf("second model dir %q (%v), want %q", again, err, dir)
	}
	r, err := openReader("")
	if err != nil {
		t.Fatalf("open reader from the cache: %v", err)
	}
	r.Close()
	if got, err := modelDir("/somewhere/else"); err != nil || got != "/somewhere/else" {
		t.Errorf("configured folder: %q (%v)", got, err)
	}
}
