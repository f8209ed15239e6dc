package ocr

import (
	"errors"
	"fmt"
)

// onnxInputShape reads the dimensions of an ONNX graph's first input from the model's bytes
// (ModelProto.graph.input[0].type.tensor_type.shape), so the reader can feed a network the
// size it was exported at: OpenCV aborts the process on an input of another size.
func onnxInputShape(b []byte) ([]int64, error) {
	shape := b
	for _, step := range []struct {
		num  uint64
		name string
	}{
		{7, "graph"},        // ModelProto.graph
		{11, "graph input"}, // GraphProto.input (the first)
		{2, "input type"},   // ValueInfoProto.type
		{1, "input tensor"}, // TypeProto.tensor_type
		{2, "input shape"},  // TypeProto.Tensor.shape
	} {
		var err error
		if shape, err = protoField(shape, step.num); err != nil {
			return nil, fmt.Errorf("%s: %w", step.name, err)
		}
	}
	var dims []int64
	err := protoEach(shape, func(num uint64, v []byte) error {
		if num != 1 { // TensorShapeProto.dim
			return nil
		}
		d := int64(-1)                      // a named dimension (dim_param) has no value
		if x, ok := protoVarint(v, 1); ok { // Dimension.dim_value
			d = int64(x)
		}
		dims = append(dims, d)
		return nil
	})
	return dims, err
}

// protoField returns the first length-delimited field num of a protobuf message.
func protoField(b []byte, num uint64) ([]byte, error) {
	var out []byte
	found := false
	err := protoEach(b, func(n uint64, v []byte) error {
		if n == num && !found {
			out, found = v, true
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if !found {
		return nil, fmt.Errorf("no field %d", num)
	}
	return out, nil
}

// protoEach calls f with the number and bytes of every length-delimited field of a message.
func protoEach(b []byte, f func(num uint64, v []byte) error) error {
	return protoWalk(b, func(num, _ uint64, v []byte, delimited bool) error {
		if !delimited {
			return nil
		}
		return f(num, v)
	})
}

// protoVarint returns the varint field num of a message.
func protoVarint(b []byte, num uint64) (uint64, bool) {
	var out uint64
	found := errors.New("found")
	err := protoWalk(b, func(n, x uint64, _ []byte, delimited bool) error {
		if !delimited && n == num {
			out = x
			return found
		}
		return nil
	})
	return out, err == found
}

// protoWalk calls f with every varint (x) and length-delimited (v) field of a message, in
// order, and skips fixed-size ones; it stops at the first error f returns.
func protoWalk(b []byte, f func(num, x uint64, v []byte, delimited bool) error) error {
	for i := 0; i < len(b); {
		key, n := uvarint(b[i:])
		if n <= 0 {
			return errors.New("truncated field key")
		}
		i += n
		switch key & 7 {
		case 0:
			x, n := uvarint(b[i:])
			if n <= 0 {
				return errors.New("truncated varint")
			}
			if err := f(key>>3, x, nil, false); err != nil {
				return err
			}
			i += n
		case 2:
			l, n := uvarint(b[i:])
			if n <= 0 || uint64(len(b)-i-n) < l {
				return errors.New("truncated field")
			}
			if err := f(key>>3, 0, b[i+n:i+n+int(l)], true); err != nil {
				return err
			}
			i += n + int(l)
		case 1:
			i += 8
		case 5:
			i += 4
		default:
			return fmt.Errorf("wire type %d at byte %d", key&7, i)
		}
		if i > len(b) {
			return errors.New("truncated fixed field")
		}
	}
	return nil
}
