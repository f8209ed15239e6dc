package ocr

import (
	"fmt"
	"image"
	"os"

	"gocv.io/x/gocv"
)

// colourNet is a small network over a plate's colour crop, BGR scaled to [0,1] at the size it
// was exported at (read from the ONNX graph): the state classifier and the plate verifier.
// It is not safe for concurrent use: OpenCV's Net keeps per-call state.
type colourNet struct {
	net    gocv.Net
	size   image.Point // the network's input, width × height
	small  gocv.Mat
	colour gocv.Mat
}

// openColourNet loads the network at model, checking the file first (gocv aborts the process
// on a corrupt ONNX file), and runs it once on a blank crop, where want says how many outputs
// it must give. Every fault is ErrBadModel, naming the file.
func openColourNet(model string, want int) (*colourNet, error) {
	b, err := os.ReadFile(model)
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrBadModel, err)
	}
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
	n := &colourNet{net: net, size: image.Pt(int(dims[3]), int(dims[2])), small: gocv.NewMat(), colour: gocv.NewMat()}
	probe := gocv.NewMatWithSize(n.size.Y, n.size.X, gocv.MatTypeCV8UC3)
	defer probe.Close()
	out, err := n.forward(probe)
	if err == nil && len(out) != want {
		err = fmt.Errorf("%d outputs, want %d", len(out), want)
	}
	if err != nil {
		n.Close()
		return nil, fmt.Errorf("%w: %s: %v", ErrBadModel, model, err)
	}
	return n, nil
}

// forward runs the network on one BGR (or grey) crop and returns its outputs.
func (n *colourNet) forward(crop gocv.Mat) ([]float32, error) {
	src := crop
	if crop.Channels() == 1 {
		gocv.CvtColor(crop, &n.colour, gocv.ColorGrayToBGR)
		src = n.colour
	}
	gocv.Resize(src, &n.small, n.size, 0, 0, gocv.InterpolationArea)
	blob := gocv.BlobFromImage(n.small, 1.0/255, n.size, gocv.NewScalar(0, 0, 0, 0), false, false)
	defer blob.Close()
	n.net.SetInput(blob, "")
	out := n.net.Forward("")
	defer out.Close()
	data, err := out.DataPtrFloat32()
	if err != nil {
		return nil, fmt.Errorf("read the network's output: %w", err)
	}
	return append([]float32(nil), data...), nil
}

func (n *colourNet) Close() error {
	n.small.Close()
	n.colour.Close()
	return n.net.Close()
}
