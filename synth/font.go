package synth

import (
	"fmt"
	"image"
	"image/color"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/gobolditalic"
	"golang.org/x/image/font/gofont/gomedium"
	"golang.org/x/image/font/gofont/gomono"
	"golang.org/x/image/font/gofont/gomonobold"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
)

// Font is a parsed TrueType font the plate renderer can draw with.
// A Font is safe for concurrent use.
type Font struct {
	Name string
	sf   *sfnt.Font
}

// ParseFont parses TrueType or OpenType data into a Font.
func ParseFont(name string, data []byte) (*Font, error) {
	sf, err := opentype.Parse(data)
	if err != nil {
		return nil, fmt.Errorf("parse font %s: %w", name, err)
	}
	return &Font{Name: name, sf: sf}, nil
}

// LoadFont reads a TrueType file such as Debian's
// /usr/share/fonts/truetype/dejavu/DejaVuSansCondensed-Bold.ttf.
func LoadFont(path string) (*Font, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("load font: %w", err)
	}
	// Name the font by its file, as datasets record it: DejaVuSans-Bold.
	return ParseFont(strings.TrimSuffix(filepath.Base(path), filepath.Ext(path)), data)
}

// builtinFonts parses the Go fonts compiled into x/image once. They are
// immutable data, not a handle: sharing them only saves re-parsing per plate.
var builtinFonts = sync.OnceValue(func() []*Font {
	srcs := []struct {
		name string
		data []byte
	}{
		{"Go Bold", gobold.TTF},
		{"Go Medium", gomedium.TTF},
		{"Go Regular", goregular.TTF},
		{"Go Mono Bold", gomonobold.TTF},
		{"Go Mono", gomono.TTF},
	}
	fonts := make([]*Font, 0, len(srcs))
	for _, s := range srcs {
		f, err := ParseFont(s.name, s.data)
		if err != nil {
			panic(err) // compiled-in data: cannot fail unless x/image is broken
		}
		fonts = append(fonts, f)
	}
	return fonts
})

// scriptFont is the slanted face used for state names written in script,
// the way California prints "California" in red.
var scriptFont = sync.OnceValue(func() *Font {
	f, err := ParseFont("Go Bold Italic", gobolditalic.TTF)
	if err != nil {
		panic(err)
	}
	return f
})

// BuiltinFonts returns the fonts compiled into the binary (the Go fonts), the
// ones RandomStyle chooses from.
func BuiltinFonts() []*Font {
	return append([]*Font(nil), builtinFonts()...)
}

// textMask draws s in f at a fixed large size and returns its ink cropped
// tight, so callers can scale it into any box (plates use condensed lettering,
// which a horizontal squeeze of a normal font imitates well).
func textMask(f *Font, s string, px float64) *image.Alpha {
	face, err := opentype.NewFace(f.sf, &opentype.FaceOptions{Size: px, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		// Only a non-positive size fails, and callers pass constants.
		panic(fmt.Sprintf("synth: font face %s: %v", f.Name, err))
	}
	defer face.Close()
	d := &font.Drawer{Face: face}
	b, _ := d.BoundString(s)
	r := image.Rect(b.Min.X.Floor(), b.Min.Y.Floor(), b.Max.X.Ceil(), b.Max.Y.Ceil())
	if r.Empty() {
		return image.NewAlpha(image.Rect(0, 0, 1, 1))
	}
	dst := image.NewAlpha(image.Rect(0, 0, r.Dx(), r.Dy()))
	d.Dst = dst
	d.Src = image.NewUniform(color.Alpha{A: 255})
	d.Dot = fixed.P(-r.Min.X, -r.Min.Y)
	d.DrawString(s)
	return dst
}
