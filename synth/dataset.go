package synth

import (
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"sync"
)

// DatasetOptions tunes PlateDataset. The zero value uses the built-in fonts,
// RandomConditions and one worker per CPU.
type DatasetOptions struct {
	Fonts      []*Font                     // characters are drawn from these; nil means BuiltinFonts
	Conditions func(*rand.Rand) Conditions // nil means RandomConditions
	Workers    int                         // parallel renderers; 0 means GOMAXPROCS
	// Frames is the share of plates drawn in a dealer's frame (RandomFrame).
	// Whether a plate has one is drawn apart from everything else, so the
	// other samples of a seed do not change with it.
	Frames float64
	// Marks is the share of plates printing marks among their characters
	// (RandomMarks: a symbol between the groups, a disabled-person badge),
	// drawn apart in the same way.
	Marks float64
}

// LabelsFile is the name of the CSV index PlateDataset writes beside the crops.
const LabelsFile = "labels.csv"

// LabelsHeader is the first row of labels.csv. file and plate come first; the
// quadrilateral (x0,y0 top-left … x3,y3 bottom-left) is the plate in the crop.
var LabelsHeader = []string{"file", "plate", "printed", "state", "scheme", "font", "light",
	"x0", "y0", "x1", "y1", "x2", "y2", "x3", "y3"}

// PlateDataset writes n plate crops as PNG files (000000.png, …) into dir and
// an index labels.csv (see LabelsHeader). Sample i is drawn from a generator
// seeded by (seed, i), so the dataset is identical for the same seed whatever
// the number of workers, and any one sample can be regenerated alone.
func PlateDataset(ctx context.Context, dir string, n int, seed int64, opt DatasetOptions) error {
	if n < 0 {
		return fmt.Errorf("plate dataset: negative count %d", n)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("plate dataset: %w", err)
	}
	fonts := opt.Fonts
	if len(fonts) == 0 {
		fonts = builtinFonts()
	}
	conds := opt.Conditions
	if conds == nil {
		conds = RandomConditions
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}

	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	rows := make([][]string, n)
	next := make(chan int)
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range next {
				row, err := writeSample(dir, i, DatasetRand(seed, i), fonts, conds, frameFor(seed, i, opt.Frames), marksFor(seed, i, opt.Marks))
				if err != nil {
					cancel(err)
					return
				}
				rows[i] = row
			}
		}()
	}
feed:
	for i := 0; i < n; i++ {
		select {
		case next <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if err := context.Cause(ctx); err != nil {
		return fmt.Errorf("plate dataset %s: %w", dir, err)
	}
	return writeLabels(filepath.Join(dir, LabelsFile), rows)
}

// DatasetRand is the generator PlateDataset uses for sample i of seed.
func DatasetRand(seed int64, i int) *rand.Rand {
	return rand.New(rand.NewPCG(uint64(seed), uint64(i)))
}

// frameFor is sample i's dealer frame, for a share of the samples; nil for
// the rest (see DatasetOptions.Frames).
func frameFor(seed int64, i int, share float64) *Frame {
	if rng := drawnApart(seed, 0xf4a3e, i, share); rng != nil {
		return RandomFrame(rng)
	}
	return nil
}

// marksFor is sample i's marks, for a share of the samples; nil for the
// rest (see DatasetOptions.Marks).
func marksFor(seed int64, i int, share float64) *Marks {
	if rng := drawnApart(seed, 0x3a4c5, i, share); rng != nil {
		return RandomMarks(rng)
	}
	return nil
}

// drawnApart is the generator sample i draws a feature only a share of the
// samples have from (each feature its own salt), or nil when sample i is not
// one of them. Drawing apart from the sample's own generator leaves the
// seed's other samples as they were whatever the share.
func drawnApart(seed int64, salt uint64, i int, share float64) *rand.Rand {
	if share <= 0 {
		return nil
	}
	rng := rand.New(rand.NewPCG(uint64(seed)^salt, uint64(i)))
	if rng.Float64() >= share {
		return nil
	}
	return rng
}

// writeSample renders sample i and writes its PNG, returning its labels row.
func writeSample(dir string, i int, rng *rand.Rand, fonts []*Font, conds func(*rand.Rand) Conditions, frame *Frame, marks *Marks) ([]string, error) {
	text := RandomPlateText(rng)
	st := RandomStyleFrom(rng, fonts)
	st.Frame, st.Marks = frame, marks
	s, err := RenderSample(rng, text, st, conds(rng))
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("%06d.png", i)
	if err := writePNG(filepath.Join(dir, name), s); err != nil {
		return nil, err
	}
	row := []string{name, s.Plate, s.Printed, s.State, st.Scheme.Name, st.Font.Name, s.Conditions.Light.String()}
	for _, p := range s.Quad {
		row = append(row, strconv.Itoa(p.X), strconv.Itoa(p.Y))
	}
	return row, nil
}

func writePNG(path string, s Sample) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write sample: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	if err := png.Encode(f, s.Image); err != nil {
		return fmt.Errorf("write sample %s: %w", path, err)
	}
	return nil
}

func writeLabels(path string, rows [][]string) (err error) {
	f, err := os.Create(path)
	if err != nil {
		return fmt.Errorf("write labels: %w", err)
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	if err := w.Write(LabelsHeader); err != nil {
		return fmt.Errorf("write labels %s: %w", path, err)
	}
	if err := w.WriteAll(rows); err != nil {
		return fmt.Errorf("write labels %s: %w", path, err)
	}
	return nil
}
