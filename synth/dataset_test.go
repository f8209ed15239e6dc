package synth

import (
	"bytes"
	"context"
	"encoding/csv"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"patrol-alpr/alpr"
)

func TestPlateDataset(t *testing.T) {
	const n = 4 // each crop costs ~1 s under -race
	dirA, dirB := t.TempDir(), t.TempDir()
	ctx := context.Background()
	if err := PlateDataset(ctx, dirA, n, 42, DatasetOptions{Workers: 2}); err != nil {
		t.Fatal(err)
	}
	if err := PlateDataset(ctx, dirB, n, 42, DatasetOptions{Workers: 1}); err != nil {
		t.Fatal(err)
	}
	rows := readLabels(t, filepath.Join(dirA, LabelsFile))
	if len(rows) != n+1 {
		t.Fatalf("labels.csv has %d rows, want header + %d", len(rows), n)
	}
	for i, h := range LabelsHeader {
		if rows[0][i] != h {
			t.Fatalf("header %v, want %v", rows[0], LabelsHeader)
		}
	}
	for _, row := range rows[1:] {
		file, plate, printed := row[0], row[1], row[2]
		if plate != alpr.NormalizePlate(printed) || len(plate) < 5 {
			t.Errorf("%s: plate %q does not label printed %q", file, plate, printed)
		}
		a, err := os.ReadFile(filepath.Join(dirA, file))
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(dirB, file))
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs between 1 and 2 workers: the dataset is not deterministic", file)
		}
		img, err := png.Decode(bytes.NewReader(a))
		if err != nil {
			t.Fatalf("%s: %v", file, err)
		}
		for k := 0; k < 4; k++ {
			x, _ := strconv.Atoi(row[7+2*k])
			y, _ := strconv.Atoi(row[8+2*k])
			if !image.Pt(x, y).In(img.Bounds()) {
				t.Errorf("%s: corner %d (%d,%d) outside the %v crop", file, k, x, y, img.Bounds())
			}
		}
	}
}

func TestPlateDatasetErrors(t *testing.T) {
	blocker := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(blocker, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	cases := []struct {
		name string
		ctx  context.Context
		dir  string
		n    int
	}{
		{"negative count", context.Background(), t.TempDir(), -1},
		{"dir is a file", context.Background(), filepath.Join(blocker, "sub"), 3},
		{"cancelled", cancelled, t.TempDir(), 50},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if err := PlateDataset(tc.ctx, tc.dir, tc.n, 1, DatasetOptions{}); err == nil {
				t.Error("no error")
			}
		})
	}
}

func readLabels(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return rows
}

func TestFeaturesDrawnApart(t *testing.T) {
	features := []struct {
		name string
		has  func(i int, share float64) bool
		same func(i int) bool // the same sample gets the same feature
	}{
		{"frames", func(i int, share float64) bool { return frameFor(5, i, share) != nil },
			func(i int) bool { return *frameFor(5, i, 1) == *frameFor(5, i, 1) }},
		{"marks", func(i int, share float64) bool { return marksFor(5, i, share) != nil },
			func(i int) bool { return *marksFor(5, i, 1) == *marksFor(5, i, 1) }},
	}
	for _, f := range features {
		for _, tc := range []struct {
			share    float64
			min, max int // samples of 400 with the feature
		}{
			{0, 0, 0},
			{0.3, 90, 150},
			{0.5, 160, 240},
			{1, 400, 400},
		} {
			n := 0
			for i := range 400 {
				if f.has(i, tc.share) {
					n++
				}
			}
			if n < tc.min || n > tc.max {
				t.Errorf("%s at share %.1f: %d of 400, want %d to %d", f.name, tc.share, n, tc.min, tc.max)
			}
		}
		if !f.same(7) {
			t.Errorf("%s: sample 7 drew two different ones", f.name)
		}
	}
	// Frames and marks come from generators of their own: which samples get
	// one says nothing of which get the other.
	both := 0
	for i := range 400 {
		if frameFor(5, i, 0.5) != nil && marksFor(5, i, 0.5) != nil {
			both++
		}
	}
	if both < 60 || both > 140 {
		t.Errorf("%d of 400 samples have both at share 0.5 each, want about 100", both)
	}
}
