package wire

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"
	"time"
)

func validBatch() Batch {
	return Batch{Vehicle: "2317", Items: []Item{{
		Key: "0b7f3c1e-1f0e-4c1a-9b3e-6f1d2a3b4c5d", Seq: 1, Kind: KindDetection,
		CreatedAt: time.Date(2026, 12, 4, 10, 0, 0, 0, time.UTC), Operator: "4711",
		Payload: json.RawMessage(`{"plate":"7ABC123"}`),
		Images:  []Image{NewImage(ImagePlate, []byte("plate jpeg")), NewImage(ImageScene, []byte("scene jpeg"))},
	}}}
}

func TestDecodeBatch(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Batch)
		raw    string // used instead of the batch when set
		want   string // "" = accepted; else a part of the error
	}{
		{name: "valid", change: func(*Batch) {}},
		{name: "no vehicle", change: func(b *Batch) { b.Vehicle = "" }, want: "no vehicle"},
		{name: "no items", change: func(b *Batch) { b.Items = nil }, want: "no items"},
		{name: "key not a UUID", change: func(b *Batch) { b.Items[0].Key = "42" }, want: "not a UUID"},
		{name: "unknown kind", change: func(b *Batch) { b.Items[0].Kind = "gossip" }, want: "unknown kind"},
		{name: "payload not an object", change: func(b *Batch) { b.Items[0].Payload = json.RawMessage(`[1]`) }, want: "not a JSON object"},
		{name: "no creation time", change: func(b *Batch) { b.Items[0].CreatedAt = time.Time{} }, want: "no creation time"},
		{name: "image hash wrong", change: func(b *Batch) { b.Items[0].Images[0].Data = []byte("other") }, want: "does not match"},
		{name: "image role unknown", change: func(b *Batch) { b.Items[0].Images[0].Role = "driver" }, want: "unknown image role"},
		{name: "two plate images", change: func(b *Batch) { b.Items[0].Images[1] = b.Items[0].Images[0] }, want: "two plate images"},
		{name: "images on a hit", change: func(b *Batch) { b.Items[0].Kind = KindHit }, want: "only detections"},
		{name: "key twice", change: func(b *Batch) {
			it := b.Items[0]
			it.Seq = 2
			b.Items = append(b.Items, it)
		}, want: "twice"},
		{name: "too many items", change: func(b *Batch) {
			for len(b.Items) <= MaxItems {
				b.Items = append(b.Items, b.Items[0])
			}
		}, want: "at most"},
		{name: "malformed JSON", raw: `{"vehicle":"2317","items":[`, want: "invalid batch"},
		{name: "unknown field", raw: `{"vehicle":"2317","items":[],"admin":true}`, want: "unknown field"},
		{name: "two values", raw: `{"vehicle":"2317"} {}`, want: "more than one"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			body := []byte(tc.raw)
			if tc.raw == "" {
				b := validBatch()
				tc.change(&b)
				var err error
				if body, err = json.Marshal(b); err != nil {
					t.Fatal(err)
				}
			}
			got, err := DecodeBatch(bytes.NewReader(body))
			if tc.want == "" {
				if err != nil {
					t.Fatalf("DecodeBatch: %v", err)
				}
				if len(got.Items) != 1 || len(got.Items[0].Images) != 2 || string(got.Items[0].Images[1].Data) != "scene jpeg" {
					t.Fatalf("decoded %+v", got)
				}
				return
			}
			if !errors.Is(err, ErrInvalid) || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("DecodeBatch error = %v, want ErrInvalid containing %q", err, tc.want)
			}
		})
	}
}

func TestChainHashCoversEveryField(t *testing.T) {
	at := time.Date(2026, 12, 4, 10, 0, 0, 5, time.UTC)
	base := ChainHash(Genesis, 1, at, "4711", "search", "x")
	others := [][]byte{
		ChainHash([]byte("other prev"), 1, at, "4711", "search", "x"),
		ChainHash(Genesis, 2, at, "4711", "search", "x"),
		ChainHash(Genesis, 1, at.Add(1), "4711", "search", "x"),
		ChainHash(Genesis, 1, at, "471", "1search", "x"),
		ChainHash(Genesis, 1, at, "4711", "search", "y"),
	}
	for i, o := range others {
		if bytes.Equal(o, base) {
			t.Errorf("change %d left the hash as it was", i)
		}
	}
}

// FuzzDecodeBatch: whatever arrives, the decoder returns a batch that passes Check or an
// ErrInvalid, and never panics.
func FuzzDecodeBatch(f *testing.F) {
	good, _ := json.Marshal(validBatch())
	f.Add(good)
	f.Add([]byte(`{"vehicle":"1","items":[{"key":"0b7f3c1e-1f0e-4c1a-9b3e-6f1d2a3b4c5d","kind":"audit","payload":{},"created_at":"2026-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{}`))
	f.Add([]byte(`null`))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkDecoded(t, DecodeBatch, body)
	})
}

// checkDecoded: a decoder returns a batch that passes Check, or an ErrInvalid.
func checkDecoded(t *testing.T, decode func(io.Reader) (Batch, error), body []byte) {
	t.Helper()
	b, err := decode(bytes.NewReader(body))
	if err != nil {
		if !errors.Is(err, ErrInvalid) {
			t.Fatalf("error %v is not ErrInvalid", err)
		}
		return
	}
	if err := b.Check(); err != nil {
		t.Fatalf("accepted a batch that fails Check: %v", err)
	}
}
