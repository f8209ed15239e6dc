package wire

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"strings"
	"testing"
)

func TestFramedBatchRoundTrip(t *testing.T) {
	b := validBatch()
	b.Items = append(b.Items, Item{Key: "1c2d3e4f-1f0e-4c1a-9b3e-6f1d2a3b4c5d", Seq: 2, Kind: KindAudit,
		CreatedAt: b.Items[0].CreatedAt, Payload: json.RawMessage(`{"action":"sign_in"}`)})
	body, err := MarshalBatch(b)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(body, []byte("PAB1")) {
		t.Fatalf("framed body begins %q", body[:4])
	}
	// The images travel raw, once: the body is the header plus their bytes, not base64.
	if !bytes.HasSuffix(body, []byte("plate jpegscene jpeg")) {
		t.Errorf("body does not end with the two images' raw bytes: %q", body[len(body)-20:])
	}
	got, err := DecodeFramedBatch(bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	for i := range b.Items {
		for j := range b.Items[i].Images {
			b.Items[i].Images[j].Size = len(b.Items[i].Images[j].Data)
		}
	}
	want, _ := json.Marshal(b)
	have, _ := json.Marshal(got)
	if !bytes.Equal(want, have) {
		t.Errorf("round trip changed the batch:\n got %s\nwant %s", have, want)
	}
}

// frame builds a framed body by hand: header as given, then tail.
func frame(header string, tail string) []byte {
	var buf bytes.Buffer
	buf.WriteString("PAB1")
	_ = binary.Write(&buf, binary.BigEndian, uint32(len(header)))
	buf.WriteString(header)
	buf.WriteString(tail)
	return buf.Bytes()
}

func TestDecodeFramedBatchRefuses(t *testing.T) {
	good, err := MarshalBatch(validBatch())
	if err != nil {
		t.Fatal(err)
	}
	headerLen := binary.BigEndian.Uint32(good[4:8])
	header := string(good[8 : 8+headerLen])
	images := string(good[8+headerLen:])
	tests := []struct {
		name string
		body []byte
		want string
	}{
		{"empty", nil, "shorter than its preamble"},
		{"JSON instead", []byte(`{"vehicle":"2317","items":[]}`), "not a framed batch"},
		{"zero header", frame("", images), "header of 0 bytes"},
		{"header past its limit", append([]byte("PAB1"), 0xff, 0xff, 0xff, 0xff), "header of"},
		{"header cut short", good[:8+headerLen/2], "header cut short"},
		{"header not JSON", frame("{nope", images), "header"},
		{"unknown field", frame(strings.Replace(header, `"vehicle"`, `"admin":true,"vehicle"`, 1), images), "unknown field"},
		{"image bytes in the header", frame(strings.Replace(header, `"size":10`, `"data":"cGxhdGUganBlZw==","size":10`, 1), images), "inside a framed header"},
		{"image of no size", frame(strings.Replace(header, `"size":10`, `"size":0`, 1), images), "image of 0 bytes"},
		{"image past its limit", frame(strings.Replace(header, `"size":10`, `"size":99999999`, 1), images), "image of 99999999 bytes"},
		{"image cut short", good[:len(good)-3], "cut short"},
		{"bytes after the images", append(append([]byte{}, good...), 'x'), "after the last image"},
		{"image not its hash", frame(header, strings.Replace(images, "plate", "PLATE", 1)), "does not match"},
		{"protocol broken in the header", frame(strings.Replace(header, `"vehicle":"2317"`, `"vehicle":""`, 1), images), "no vehicle"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := DecodeFramedBatch(bytes.NewReader(tc.body))
			if err == nil {
				t.Fatal("accepted")
			}
			if !errors.Is(err, ErrInvalid) {
				t.Errorf("error %v is not ErrInvalid", err)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error %q does not say %q", err, tc.want)
			}
		})
	}
}

// FuzzDecodeFramedBatch: whatever arrives framed, the decoder returns a batch that passes
// Check or an ErrInvalid, and never panics or allocates past the limits.
func FuzzDecodeFramedBatch(f *testing.F) {
	good, _ := MarshalBatch(validBatch())
	f.Add(good)
	f.Add(frame(`{"vehicle":"1","items":[{"key":"0b7f3c1e-1f0e-4c1a-9b3e-6f1d2a3b4c5d","kind":"audit","payload":{},"created_at":"2026-01-01T00:00:00Z"}]}`, ""))
	f.Add(frame(`{}`, ""))
	f.Add([]byte("PAB1"))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecoded(t, DecodeFramedBatch, body)
	})
}
