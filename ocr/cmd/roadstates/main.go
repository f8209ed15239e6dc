// Command roadstates runs the reader over synthetic roads (package synth's scenes, as the
// classroom shows them) and counts, for each plate read over a vehicle's plate, the state
// it names against the state the plate prints. The synthetic plates' designs are drawings,
// not the states' real designs: the figures say what a trainee sees, not how the reader
// does on real plates (`patrol-alpr eval` says that).
//
//	go run ./ocr/cmd/roadstates [-model assets/models] [-seeds 6] [-home 0.8]
package main

import (
	"flag"
	"fmt"
	"image"
	"os"
	"sort"
	"time"

	"gocv.io/x/gocv"

	"patrol-alpr/ocr"
	"patrol-alpr/synth"
)

func main() {
	model := flag.String("model", "assets/models", "directory of the reader's models")
	seeds := flag.Int("seeds", 6, "roads to run, seeds 100, 101, …")
	home := flag.Float64("home", 0.8, "share of the roads' vehicles on California plates (the classroom's)")
	secs := flag.Int("seconds", 40, "seconds of each road, read every 0.7 s")
	flag.Parse()
	if err := run(*model, *seeds, *home, *secs); err != nil {
		fmt.Fprintln(os.Stderr, "roadstates:", err)
		os.Exit(1)
	}
}

// tally counts reads by the state printed and the state named ("" for none).
type tally map[[2]string]int

func run(model string, seeds int, home float64, secs int) error {
	r, err := ocr.Open(ocr.Options{ModelDir: model})
	if err != nil {
		return fmt.Errorf("open reader: %w", err)
	}
	t := tally{}
	for seed := int64(100); seed < 100+int64(seeds); seed++ {
		if err := readRoad(r, synth.SceneOptions{Seed: seed, HomeShare: home, StateSerials: true}, secs, t); err != nil {
			return err
		}
	}
	report(t)
	return nil
}

func readRoad(r *ocr.Reader, opt synth.SceneOptions, secs int, t tally) error {
	sc, err := synth.NewScene(opt)
	if err != nil {
		return fmt.Errorf("road %d: %w", opt.Seed, err)
	}
	img := image.NewRGBA(sc.Bounds())
	for ms := 0; ms < secs*1000; ms += 700 {
		truths, err := sc.Render(time.Duration(ms)*time.Millisecond, img)
		if err != nil {
			return fmt.Errorf("road %d at %d ms: %w", opt.Seed, ms, err)
		}
		m, err := gocv.ImageToMatRGB(img)
		if err != nil {
			return fmt.Errorf("road %d at %d ms: %w", opt.Seed, ms, err)
		}
		reads, err := r.Read(m)
		m.Close()
		if err != nil {
			return fmt.Errorf("road %d at %d ms: read: %w", opt.Seed, ms, err)
		}
		for _, rd := range reads {
			for _, tr := range truths {
				if rd.Box().Overlaps(bounds(tr.Quad)) {
					t[[2]string{tr.State, rd.State}]++
				}
			}
			rd.Crop.Close()
		}
	}
	return nil
}

func report(t tally) {
	type line struct{ reads, named, right int }
	var ca, other line
	keys := make([][2]string, 0, len(t))
	for k, n := range t {
		l := &other
		if k[0] == "CA" {
			l = &ca
		}
		l.reads += n
		if k[1] != "" {
			l.named += n
			keys = append(keys, k)
		}
		if k[1] == k[0] {
			l.right += n
		}
	}
	fmt.Printf("California plates: %d reads, state named on %d, right %d\n", ca.reads, ca.named, ca.right)
	fmt.Printf("other states' plates: %d reads, state named on %d, right %d\n", other.reads, other.named, other.right)
	sort.Slice(keys, func(i, j int) bool { return t[keys[i]] > t[keys[j]] })
	for _, k := range keys {
		if k[0] != k[1] {
			fmt.Printf("  printed %-3s named %-3s %d\n", k[0], k[1], t[k])
		}
	}
}

func bounds(q [4]image.Point) image.Rectangle {
	r := image.Rectangle{Min: q[0], Max: q[0].Add(image.Pt(1, 1))}
	for _, p := range q[1:] {
		r = r.Union(image.Rectangle{Min: p, Max: p.Add(image.Pt(1, 1))})
	}
	return r
}
