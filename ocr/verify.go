package ocr

import (
	"bufio"
	"errors"
	"fmt"
	"image"
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
	net    gocv.Net
	reject float64
	size   image.Point // the network's input, width × height
	small  gocv.Mat
	colour gocv.Mat
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
	b, err := os.ReadFile(model)
	if err != nil {
		return nil, fmt.Errorf("%w: plate verifier: %v", ErrBadModel, err)
	}
	// gocv aborts the process on a corrupt ONNX file: check it first.
	if len(b) < 1<<10 || b[0] != 0x08 {
		return nil, fmt.Errorf("%w: %s is not an ONNX graph", ErrBadModel, model)
	}
	if err := checkProtobuf(b); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", ErrBadModel, model, err)
	}
	dims, err := onnxInputShape(b)
	if err != nil || len(dims) != 4 || dims[0] != 1 || dims[1] != 3 || dims[2] < 8 || dims[3] < 8 || dims[2] > 512 || dims[3] > 512 {
		return nil, fmt.Errorf("%w: %s: input %v (%v), want 1×3×H×W", ErrBadModel, model, dims, err)
	}
	net := gocv.ReadNetFromONNX(model)
	if net.Empty() {
		return nil, fmt.Errorf("%w: OpenCV could not load %s", ErrBadModel, model)
	}
	v := &verifier{net: net, reject: reject, size: image.Pt(int(dims[3]), int(dims[2])), small: gocv.NewMat(), colour: gocv.NewMat()}
	probe := gocv.NewMatWithSize(v.size.Y, v.size.X, gocv.MatTypeCV8UC3)
	defer probe.Close()
	if _, err := v.score(probe); err != nil {
		v.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrBadModel, model, err)
	}
	return v, nil
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
	src := crop
	if crop.Channels() == 1 {
		gocv.CvtColor(crop, &v.colour, gocv.ColorGrayToBGR)
		src = v.colour
	}
	gocv.Resize(src, &v.small, v.size, 0, 0, gocv.InterpolationArea)
	blob := gocv.BlobFromImage(v.small, 1.0/255, v.size, gocv.NewScalar(0, 0, 0, 0), false, false)
	defer blob.Close()
	v.net.SetInput(blob, "")
	out := v.net.Forward("")
	defer out.Close()
	if out.Total() != 1 {
		return 0, fmt.Errorf("plate verifier has %d outputs, want 1", out.Total())
	}
	data, err := out.DataPtrFloat32()
	if err != nil {
		return 0, fmt.Errorf("read plate verifier output: %w", err)
	}
	return float64(data[0]), nil
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

func (v *verifier) Close() error {
	v.small.Close()
	v.colour.Close()
	return v.net.Close()
}
