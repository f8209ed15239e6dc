package main

import (
	"bytes"
	"context"
	"encoding/json"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"patrol-alpr/ocr"
	"patrol-alpr/synth"
)

// TestReadJSONNamesTheState reads a synthetic California plate with `read --json` through
// copies of the built-in model folder that differ only in the state classifier's threshold:
// one so low the reader always names a state, one it can never reach. The line carries the
// state and its confidence when the reader names one, and an empty state and a null
// confidence when it abstains.
func TestReadJSONNamesTheState(t *testing.T) {
	photo := californiaPhoto(t)
	for _, tc := range []struct {
		name      string
		threshold string
		wantState bool
	}{
		{"names", "0.0001", true},
		{"abstains", "1", false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := modelCopy(t, tc.threshold)
			var out bytes.Buffer
			if err := run(context.Background(), []string{"read", "--json", "--model", dir, photo}, nil, &out); err != nil {
				t.Fatal(err)
			}
			lines := bytes.Split(bytes.TrimSpace(out.Bytes()), []byte("\n"))
			if len(lines) == 0 || len(lines[0]) == 0 {
				t.Fatal("no plate read")
			}
			for _, line := range lines {
				var raw map[string]any
				if err := json.Unmarshal(line, &raw); err != nil {
					t.Fatalf("not JSON: %q", line)
				}
				st, ok := raw["state"].(string)
				if !ok {
					t.Fatalf("no state string in %s", line)
				}
				conf, present := raw["state_confidence"]
				if !present {
					t.Fatalf("no state_confidence in %s", line)
				}
				if !tc.wantState {
					if st != "" || conf != nil {
						t.Errorf("abstaining: state %q confidence %v, want \"\" and null: %s", st, conf, line)
					}
					continue
				}
				p, ok := conf.(float64)
				if len(st) != 2 || st != strings.ToUpper(st) || !ok || p <= 0 || p > 1 {
					t.Errorf("naming: state %q confidence %v, want a state code and a confidence in (0,1]: %s", st, conf, line)
				}
			}
		})
	}
}

// californiaPhoto writes a clean synthetic California plate 200 px wide in a grey photo.
func californiaPhoto(t *testing.T) string {
	t.Helper()
	rng := rand.New(rand.NewPCG(3, 21))
	st := synth.RandomStyle(rng)
	st.Scheme, st.State, st.StateName, st.Frame = synth.California, "CA", "California", nil
	cond := synth.Clean()
	cond.PlateWidth = 200
	s, err := synth.RenderSample(rng, "7ABC123", st, cond)
	if err != nil {
		t.Fatal(err)
	}
	b := s.Image.Bounds()
	img := image.NewRGBA(image.Rect(0, 0, 3*b.Dx(), 3*b.Dy()))
	draw.Draw(img, img.Bounds(), image.NewUniform(color.Gray{128}), image.Point{}, draw.Src)
	draw.Draw(img, b.Add(image.Pt(b.Dx(), b.Dy())), s.Image, b.Min, draw.Src)
	path := filepath.Join(t.TempDir(), "california.png")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := png.Encode(f, img); err != nil {
		t.Fatal(err)
	}
	return path
}

// modelCopy copies assets/models to a temporary folder with every state threshold set to th.
func modelCopy(t *testing.T, th string) string {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("assets", "models")
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		b, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if e.Name() == ocr.StateClassesFile {
			var lines []string
			for _, l := range strings.Split(string(b), "\n") {
				if f := strings.Fields(l); len(f) >= 2 && f[0] == "threshold" {
					f[len(f)-1] = th
					l = strings.Join(f, " ")
				}
				lines = append(lines, l)
			}
			b = []byte(strings.Join(lines, "\n"))
		}
		if err := os.WriteFile(filepath.Join(dir, e.Name()), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}
