package synth

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"
)

func TestLoadFont(t *testing.T) {
	garbage := filepath.Join(t.TempDir(), "bad.ttf")
	if err := os.WriteFile(garbage, []byte("not a font"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{garbage, filepath.Join(t.TempDir(), "missing.ttf")} {
		if _, err := LoadFont(path); err == nil {
			t.Errorf("LoadFont(%s): no error", path)
		}
	}
}

// Debian's DejaVu faces widen the fonts the reader trains on when present.
func TestDejaVuPlate(t *testing.T) {
	const path = "/usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf"
	f, err := LoadFont(path)
	if os.IsNotExist(err) || (err != nil && !fileExists(path)) {
		t.Skip("fonts-dejavu-core not installed")
	}
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(1, 1))
	st := RandomStyleFrom(rng, []*Font{f})
	if st.Font != f {
		t.Fatalf("style font %s, want the DejaVu font", st.Font.Name)
	}
	st.Scheme = WhiteBlack
	img := RenderPlate(rng, "DEJ4VU", st)
	band := img.Bounds()
	if n := countNear(img, band, st.Scheme.Text, 40); n < 500 {
		t.Errorf("only %d ink pixels drawn with DejaVu", n)
	}
}

func fileExists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}
