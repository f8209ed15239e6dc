package ocr

import (
	"bufio"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"gocv.io/x/gocv"
)

// VerifyModelFile is the plate verifier's file beside ModelFile: a small CNN that looks at a
// read's colour crop and gives the chance it is a registration plate and not other lettering
// the recognizer reads as cleanly (a shop sign, a dealer frame's lettering, the state name
// printed on a plate: GARAGE, MAZDA, CAROLINA at 0.99). It judges the picture, never the text,
// so a vanity plate that spells a word is read as any plate (ocr/train/verify.py).
const VerifyModelFile = "plate-verify.onnx"

// VerifyThresholdFile holds the score under which the reader drops a read as no plate: a line
// "reject P", chosen on the tune halves as the highest that drops no plate's read there, with
// a margin (ocr/train/README.md, "The plate verifier").
const VerifyThresholdFile = "plate-verify.txt"

// verifier scores how much a read's crop looks like a registration plate.
// It is not safe for concurrent use: OpenCV's Net keeps per-call state.
type verifier struct {
	net    *colourNet
	reject float64
}

// openVerifier opens the plate verifier of a model folder, or none when the folder has neither
// of its files (a folder made before the reader had one); one file without the other is a
// broken folder.
func openVerifier(dir string) (*verifier, error) {
	model, th := filepath.Join(dir, VerifyModelFile), filepath.Join(dir, VerifyThresholdFile)
	_, errM := os.Stat(model)
	_, errT := os.Stat(th)
	if errors.Is(errM, fs.ErrNotExist) && errors.Is(errT, fs.ErrNotExist) {
		return nil, nil
	}
	reject, err := loadVerifyThreshold(th)
	if err != nil {
		return nil, err
	}
	net, err := openColourNet(model, 1)
	if err != nil {
		return nil, fmt.Errorf("plate verifier: %w", err)
	}
	return &verifier{net: net, reject: reject}, nil
}

// loadVerifyThreshold reads VerifyThresholdFile.
func loadVerifyThreshold(path string) (float64, error) {
	f, err := os.Open(path)
	if err != nil {
		return 0, fmt.Errorf("%w: plate verifier threshold: %v", ErrBadModel, err)
	}
	defer f.Close()
	reject := -1.0
	sc := bufio.NewScanner(f)
	for line := 1; sc.Scan(); line++ {
		t := strings.TrimSpace(sc.Text())
		fields := strings.Fields(t)
		switch {
		case t == "" || strings.HasPrefix(t, "#"):
		case len(fields) == 2 && fields[0] == "reject":
			p, err := strconv.ParseFloat(fields[1], 64)
			if err != nil || p < 0 || p >= 1 {
				return 0, fmt.Errorf("%w: %s line %d: %q: want a score in [0,1)", ErrBadModel, path, line, t)
			}
			reject = p
		default:
			return 0, fmt.Errorf("%w: %s line %d: %q: want \"reject P\"", ErrBadModel, path, line, t)
		}
	}
	if err := sc.Err(); err != nil {
		return 0, fmt.Errorf("%w: plate verifier threshold: %v", ErrBadModel, err)
	}
	if reject < 0 {
		return 0, fmt.Errorf("%w: %s: no reject line", ErrBadModel, path)
	}
	return reject, nil
}

// score is the chance that a BGR (or grey) crop shows a registration plate.
func (v *verifier) score(crop gocv.Mat) (float64, error) {
	out, err := v.net.forward(crop)
	if err != nil {
		return 0, fmt.Errorf("plate verifier: %w", err)
	}
	if len(out) != 1 {
		return 0, fmt.Errorf("plate verifier has %d outputs, want 1", len(out))
	}
	return float64(out[0]), nil
}

// keepPlates drops the reads whose crops the verifier does not take for a plate, closing
// their crops. It runs before the reads are weighed against each other: a sign or a frame's
// lettering read more surely than the plate beside it would otherwise outrank it
// (suppressOverlaps) or drop it as a piece of the same lettering (dropPhantoms).
func (v *verifier) keepPlates(reads []PlateRead) ([]PlateRead, error) {
	kept := reads[:0]
	for i, rd := range reads {
		p, err := v.score(rd.Crop)
		if err != nil {
			closeReads(kept)
			closeReads(reads[i:])
			return nil, fmt.Errorf("verify a plate's crop: %w", err)
		}
		if p < v.reject {
			rd.Crop.Close()
			continue
		}
		kept = append(kept, rd)
	}
	return kept, nil
}

func (v *verifier) Close() error { return v.net.Close() }
