// Command synthphotos writes a set of synthetic street photos under hard conditions (night,
// infrared, motion blur, oblique, small plates, dirt, frames over the state name), some with a
// burned-in clock or a shop sign, and labels.csv (file,plate,x,y,w,h,state) that
// `patrol-alpr eval` reads:
//
//	go run ./synth/cmd/synthphotos -dir /tmp/hard -n 140 -seed 2101
//
// The same flags always give the same files.
package main

import (
	"encoding/csv"
	"flag"
	"fmt"
	"image"
	"image/png"
	"os"
	"path/filepath"
	"strconv"

	"patrol-alpr/synth"
)

func main() {
	dir := flag.String("dir", "", "output directory (created)")
	n := flag.Int("n", 140, "number of photos")
	seed := flag.Int64("seed", 2101, "random seed")
	flag.Parse()
	if *dir == "" {
		fmt.Fprintln(os.Stderr, "synthphotos: -dir is required")
		os.Exit(2)
	}
	if err := run(*dir, *n, *seed); err != nil {
		fmt.Fprintln(os.Stderr, "synthphotos:", err)
		os.Exit(1)
	}
}

func run(dir string, n int, seed int64) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	rows := [][]string{{"file", "plate", "x", "y", "w", "h", "state", "case"}}
	for i := 0; i < n; i++ {
		ph, err := synth.HardPhoto(seed, i, image.Point{}, nil)
		if err != nil {
			return err
		}
		name := fmt.Sprintf("%s-%04d.png", ph.Case, i)
		if err := writePNG(filepath.Join(dir, name), ph.Image); err != nil {
			return err
		}
		b := image.Rectangle{Min: ph.Truth.Quad[0], Max: ph.Truth.Quad[0]}
		for _, p := range ph.Truth.Quad {
			b = b.Union(image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))})
		}
		rows = append(rows, []string{name, ph.Truth.Plate, strconv.Itoa(b.Min.X), strconv.Itoa(b.Min.Y),
			strconv.Itoa(b.Dx()), strconv.Itoa(b.Dy()), ph.Truth.State, ph.Case})
	}
	f, err := os.Create(filepath.Join(dir, "labels.csv"))
	if err != nil {
		return err
	}
	w := csv.NewWriter(f)
	if err := w.WriteAll(rows); err != nil {
		f.Close()
		return fmt.Errorf("write labels: %w", err)
	}
	return f.Close()
}

func writePNG(path string, img image.Image) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := png.Encode(f, img); err != nil {
		f.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	return f.Close()
}
