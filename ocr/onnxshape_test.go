package ocr

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
)

// TestONNXInputShape reads the input dimensions of the committed networks from their bytes,
// and refuses a model cut short.
func TestONNXInputShape(t *testing.T) {
	for _, tc := range []struct {
		file string
		want []int64
	}{
		{ModelFile, []int64{1, 1, cropH, cropW}},
		{StateModelFile, nil}, // checked against what OpenCV accepts below
	} {
		t.Run(tc.file, func(t *testing.T) {
			b, err := os.ReadFile(filepath.Join(modelDir, tc.file))
			if err != nil {
				t.Fatal(err)
			}
			dims, err := onnxInputShape(b)
			if err != nil {
				t.Fatal(err)
			}
			if tc.want != nil && !slices.Equal(dims, tc.want) {
				t.Errorf("input %v, want %v", dims, tc.want)
			}
			if len(dims) != 4 || dims[0] != 1 || dims[2]*2 != dims[3] {
				t.Errorf("input %v, want 1×C×H×2H", dims)
			}
			if _, err := onnxInputShape(b[:len(b)/3]); err == nil {
				t.Error("a model cut short gave an input shape")
			}
		})
	}
	r := openTestReader(t)
	if r.states.net.size.X < 64 || r.states.net.size.Y*2 != r.states.net.size.X {
		t.Errorf("state classifier input %v, want W = 2H >= 64", r.states.net.size)
	}
}
