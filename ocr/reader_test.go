package ocr

import (
	"path/filepath"
	"testing"
)

// modelDir is the committed model folder.
var modelDir = filepath.Join("..", "assets", "models")

func openTestReader(t testing.TB) *Reader {
	t.Helper()
	r, err := Open(Options{ModelDir: modelDir})
	if err != nil {
		t.Fatalf("open reader: %v", err)
	}
	t.Cleanup(func() { r.Close() })
	return r
}
