package wire

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
)

// Content types of a sync request body. The car sends the framed form; the server reads both,
// so that a car not yet updated still syncs.
const (
	// BatchContentType is a batch framed so that its images travel as raw bytes: the magic
	// "PAB1", the length of a JSON header (big-endian uint32), the header (the batch with
	// each image's role, SHA-256 and size but not its bytes), then every image's bytes in the
	// order the header names them, and nothing after.
	BatchContentType = "application/vnd.patrol-alpr.batch"
	JSONContentType  = "application/json"
)

// frameMagic opens a framed batch; its last byte is the version of the framing.
var frameMagic = [4]byte{'P', 'A', 'B', '1'}

// MaxHeaderBytes bounds a framed batch's JSON header: MaxItems items' payloads and keys.
const MaxHeaderBytes = 8 << 20

// EncodeBatch writes b in the framed form (BatchContentType). In JSON, an image's bytes
// would travel as base64 inside a string, which the server must scan, unquote and decode:
// at 500 cars that was over a third of the server's CPU. Framed, they are copied as they are.
func EncodeBatch(w io.Writer, b Batch) error {
	head := b
	head.Items = make([]Item, len(b.Items))
	for i, it := range b.Items {
		head.Items[i] = it
		if len(it.Images) == 0 {
			continue
		}
		head.Items[i].Images = make([]Image, len(it.Images))
		for j, im := range it.Images {
			head.Items[i].Images[j] = Image{Role: im.Role, SHA256: im.SHA256, Size: len(im.Data)}
		}
	}
	header, err := json.Marshal(head)
	if err != nil {
		return fmt.Errorf("encode batch header: %w", err)
	}
	if len(header) > MaxHeaderBytes {
		return fmt.Errorf("encode batch: header of %d bytes, at most %d", len(header), MaxHeaderBytes)
	}
	buf := bytes.NewBuffer(make([]byte, 0, 8+len(header)))
	buf.Write(frameMagic[:])
	_ = binary.Write(buf, binary.BigEndian, uint32(len(header)))
	buf.Write(header)
	if _, err := w.Write(buf.Bytes()); err != nil {
		return fmt.Errorf("write batch header: %w", err)
	}
	for _, it := range b.Items {
		for _, im := range it.Images {
			if _, err := w.Write(im.Data); err != nil {
				return fmt.Errorf("write %s image of %s: %w", im.Role, it.Key, err)
			}
		}
	}
	return nil
}

// MarshalBatch is EncodeBatch into one byte slice, for a request body that can be sent again.
func MarshalBatch(b Batch) ([]byte, error) {
	size := 0
	for _, it := range b.Items {
		for _, im := range it.Images {
			size += len(im.Data)
		}
	}
	var buf bytes.Buffer
	buf.Grow(size + 4096)
	if err := EncodeBatch(&buf, b); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// DecodeFramedBatch reads one framed batch from r and checks it as DecodeBatch does. It
// reads at most MaxBodyBytes+1 bytes and never allocates more than the header's sizes,
// each within MaxImageSize and all within MaxBodyBytes, ask for.
func DecodeFramedBatch(r io.Reader) (Batch, error) {
	r = io.LimitReader(r, MaxBodyBytes+1)
	var pre [8]byte
	if _, err := io.ReadFull(r, pre[:]); err != nil {
		return Batch{}, fmt.Errorf("%w: framed batch shorter than its preamble: %w", ErrInvalid, err)
	}
	if !bytes.Equal(pre[:4], frameMagic[:]) {
		return Batch{}, fmt.Errorf("%w: not a framed batch (begins %q)", ErrInvalid, pre[:4])
	}
	n := binary.BigEndian.Uint32(pre[4:])
	if n == 0 || n > MaxHeaderBytes {
		return Batch{}, fmt.Errorf("%w: header of %d bytes; 1 to %d", ErrInvalid, n, MaxHeaderBytes)
	}
	header := make([]byte, n)
	if _, err := io.ReadFull(r, header); err != nil {
		return Batch{}, fmt.Errorf("%w: header cut short: %w", ErrInvalid, err)
	}
	var b Batch
	dec := json.NewDecoder(bytes.NewReader(header))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Batch{}, fmt.Errorf("%w: header: %v", ErrInvalid, err)
	}
	if dec.More() {
		return Batch{}, fmt.Errorf("%w: header holds more than one JSON value", ErrInvalid)
	}
	if len(b.Items) > MaxItems {
		return Batch{}, fmt.Errorf("%w: %d items, at most %d", ErrInvalid, len(b.Items), MaxItems)
	}
	total := int64(8) + int64(n)
	for i := range b.Items {
		it := &b.Items[i]
		for j := range it.Images {
			im := &it.Images[j]
			if len(im.Data) != 0 {
				return Batch{}, fmt.Errorf("%w: item %d: image bytes inside a framed header", ErrInvalid, i)
			}
			if im.Size <= 0 || im.Size > MaxImageSize {
				return Batch{}, fmt.Errorf("%w: item %d: %s image of %d bytes", ErrInvalid, i, im.Role, im.Size)
			}
			if total += int64(im.Size); total > MaxBodyBytes {
				return Batch{}, fmt.Errorf("%w: item %d: its images end past that", ErrTooLarge, i)
			}
		}
	}
	for i := range b.Items {
		it := &b.Items[i]
		for j := range it.Images {
			im := &it.Images[j]
			im.Data = make([]byte, im.Size)
			if _, err := io.ReadFull(r, im.Data); err != nil {
				return Batch{}, fmt.Errorf("%w: item %d: %s image cut short: %w", ErrInvalid, i, im.Role, err)
			}
		}
	}
	var extra [1]byte
	switch _, err := io.ReadFull(r, extra[:]); {
	case err == nil:
		return Batch{}, fmt.Errorf("%w: bytes after the last image", ErrInvalid)
	case !errors.Is(err, io.EOF):
		return Batch{}, fmt.Errorf("%w: after the last image: %w", ErrInvalid, err)
	}
	if err := b.Check(); err != nil {
		return Batch{}, err
	}
	return b, nil
}
