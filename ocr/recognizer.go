package ocr

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"os"

	"gocv.io/x/gocv"
)

// The recognizer's input: a grey, whole-plate crop of this size, standardised
// (zero mean, unit variance) exactly as ocr/train/train.py does it.
const (
	cropW    = 96
	cropH    = 48
	classes  = len(alphabet) + 1
	columns  = cropW / 4
	minModel = 64 << 10 // smaller than any network worth loading
	maxModel = 64 << 20
)

// ErrBadModel reports a recognizer model file that is missing, truncated or
// not an ONNX graph of the expected shape, or a plate layout file
// (LayoutFile) that is missing or malformed.
var ErrBadModel = errors.New("bad recognizer model")

// recognizer runs the CTC plate reader network. It is not safe for
// concurrent use: OpenCV's Net keeps per-call state.
type recognizer struct {
	net gocv.Net
}

// checkModel vets a model file before OpenCV sees it, because gocv v0.32's
// ReadNetFromONNX aborts the whole process on a missing or corrupt file: an
// unreadable model must be an error the operator can act on, not a crash.
func checkModel(path string) error {
	st, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	if !st.Mode().IsRegular() || st.Size() < minModel || st.Size() > maxModel {
		return fmt.Errorf("%w: %s is %d bytes, want a file of %d KiB to %d MiB",
			ErrBadModel, path, st.Size(), minModel>>10, maxModel>>20)
	}
	b, err := os.ReadFile(path)
	if err != nil {
		return fmt.Errorf("%w: %v", ErrBadModel, err)
	}
	// An ONNX ModelProto starts with field 1 (ir_version, varint); the graph
	// names its input and output, which the reader relies on.
	if b[0] != 0x08 || !bytes.Contains(b, []byte("plate")) || !bytes.Contains(b, []byte("logits")) {
		return fmt.Errorf("%w: %s is not the plate recognizer ONNX graph", ErrBadModel, path)
	}
	if err := checkProtobuf(b); err != nil {
		return fmt.Errorf("%w: %s: %v", ErrBadModel, path, err)
	}
	return nil
}

// checkProtobuf walks the top-level protobuf fields of the file so that a
// truncated download (the usual corruption) is caught before OpenCV parses it.
func checkProtobuf(b []byte) error {
	return protoEach(b, func(uint64, []byte) error { return nil })
}

func uvarint(b []byte) (uint64, int) {
	var x uint64
	for i, c := range b {
		if i == 10 {
			return 0, -1
		}
		x |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return x, i + 1
		}
	}
	return 0, 0
}

func openRecognizer(path string) (*recognizer, error) {
	if err := checkModel(path); err != nil {
		return nil, err
	}
	net := gocv.ReadNetFromONNX(path)
	if net.Empty() {
		return nil, fmt.Errorf("%w: OpenCV could not load %s", ErrBadModel, path)
	}
	r := &recognizer{net: net}
	// One dry run proves the graph has the shape the decoder expects.
	probe := gocv.NewMatWithSize(cropH, cropW, gocv.MatTypeCV8U)
	defer probe.Close()
	if _, err := r.logits([]gocv.Mat{probe}); err != nil {
		r.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrBadModel, path, err)
	}
	return r, nil
}

// logits runs the network once over grey cropH x cropW crops, each
// standardised as in training, and returns each crop's output.
func (r *recognizer) logits(crops []gocv.Mat) ([][]float32, error) {
	if len(crops) == 0 {
		return nil, nil
	}
	norms := make([]gocv.Mat, len(crops))
	defer func() {
		for _, m := range norms {
			m.Close()
		}
	}()
	f, mean, std := gocv.NewMat(), gocv.NewMat(), gocv.NewMat()
	defer f.Close()
	defer mean.Close()
	defer std.Close()
	for i, c := range crops {
		c.ConvertTo(&f, gocv.MatTypeCV32F)
		gocv.MeanStdDev(f, &mean, &std)
		m, s := mean.GetDoubleAt(0, 0), std.GetDoubleAt(0, 0)+1
		norms[i] = gocv.NewMat()
		f.ConvertToWithParams(&norms[i], gocv.MatTypeCV32F, float32(1/s), float32(-m/s))
	}
	blob := gocv.NewMat()
	defer blob.Close()
	gocv.BlobFromImages(norms, &blob, 1, image.Pt(cropW, cropH), gocv.NewScalar(0, 0, 0, 0), false, false, gocv.MatTypeCV32F)
	r.net.SetInput(blob, "")
	out := r.net.Forward("")
	defer out.Close()
	per := classes * columns
	if out.Total() != len(crops)*per {
		return nil, fmt.Errorf("network output has %d values, want %d crops x %d classes x %d columns", out.Total(), len(crops), classes, columns)
	}
	data, err := out.DataPtrFloat32()
	if err != nil {
		return nil, fmt.Errorf("read network output: %w", err)
	}
	ls := make([][]float32, len(crops))
	for i := range ls {
		ls[i] = append([]float32(nil), data[i*per:(i+1)*per]...)
	}
	return ls, nil
}

// read recognises the plate in each crop, netBatch crops a pass.
func (r *recognizer) read(alternates int, crops []gocv.Mat) ([]reading, error) {
	rds := make([]reading, 0, len(crops))
	for len(crops) > 0 {
		n := min(len(crops), netBatch)
		ls, err := r.logits(crops[:n])
		if err != nil {
			return nil, err
		}
		for _, l := range ls {
			rds = append(rds, decode(columnProbs(l, classes, columns), alternates))
		}
		crops = crops[n:]
	}
	return rds, nil
}

// netBatch is the most crops one pass of the network takes. OpenCV sizes the
// network's buffers for the largest batch it has seen and keeps them, once per
// camera: a frame's dozens of crops in one pass would cost tens of megabytes
// each, for no gain in speed over a few at a time.
const netBatch = 4

func (r *recognizer) Close() error { return r.net.Close() }
