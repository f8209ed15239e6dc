// Command synthplates writes a synthetic plate dataset (PNG crops and
// labels.csv) for training and evaluating the reader:
//
//	go run ./synth/cmd/synthplates -dir /tmp/plates -n 20000 -seed 1 [-dejavu DIR] [-frames 0.3] [-marks 0.3]
//
// The same flags always give the same files.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"os/signal"
	"path/filepath"

	"patrol-alpr/synth"
)

func main() {
	dir := flag.String("dir", "", "output directory (created)")
	n := flag.Int("n", 1000, "number of plate crops")
	seed := flag.Int64("seed", 1, "random seed")
	frames := flag.Float64("frames", 0, "share of plates drawn in a dealer's frame, 0 to 1")
	marks := flag.Float64("marks", 0, "share of plates printing a symbol between the groups or a disabled-person badge, 0 to 1")
	dejavu := flag.String("dejavu", "", "also draw characters in the DejaVu TTFs of this folder (e.g. /usr/share/fonts/truetype/dejavu)")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "synthplates: -dir is required")
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, *dir, *n, *seed, *dejavu, *frames, *marks); err != nil {
		fmt.Fprintln(os.Stderr, "synthplates:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, dir string, n int, seed int64, dejavu string, frames, marks float64) error {
	if frames < 0 || frames > 1 {
		return fmt.Errorf("-frames %g: want the share of framed plates, from 0 to 1", frames)
	}
	if marks < 0 || marks > 1 {
		return fmt.Errorf("-marks %g: want the share of marked plates, from 0 to 1", marks)
	}
	opt := synth.DatasetOptions{Frames: frames, Marks: marks}
	if dejavu != "" {
		opt.Fonts = synth.BuiltinFonts()
		for _, name := range []string{"DejaVuSansCondensed-Bold.ttf", "DejaVuSansMono-Bold.ttf", "DejaVuSans-Bold.ttf", "DejaVuSerifCondensed-Bold.ttf"} {
			f, err := synth.LoadFont(filepath.Join(dejavu, name))
			if err != nil {
				return err
			}
			opt.Fonts = append(opt.Fonts, f)
		}
	}
	return synth.PlateDataset(ctx, dir, n, seed, opt)
}
