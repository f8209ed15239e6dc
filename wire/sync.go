package wire

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"
)

// Paths the server answers.
const (
	SyncPath      = "/api/v1/sync"
	ListsPath     = "/api/v1/lists" // the index; ListsPath + "/" + name is one list's file
	RosterPath    = "/api/v1/roster"
	HealthPath    = "/healthz"
	MetricsPath   = "/metrics"
	RetryAfterMax = 60 * time.Second // the car never waits longer than this for a busy server
)

// Limits of one sync request. A car splits its outbox to stay under them; the server refuses
// a batch over them (413) without storing any of it.
const (
	MaxItems     = 500
	MaxBodyBytes = 32 << 20
	MaxImageSize = 4 << 20
)

// Kinds of item: what the payload holds. The car's store writes them, the server files them.
const (
	KindDetection    = "detection"
	KindHit          = "hit"
	KindDisposition  = "disposition"
	KindHotPlate     = "hot_plate"
	KindEvidenceHold = "evidence_hold"
	KindEquipment    = "equipment_report"
	KindAudit        = "audit"
)

var kinds = map[string]bool{KindDetection: true, KindHit: true, KindDisposition: true, KindHotPlate: true,
	KindEvidenceHold: true, KindEquipment: true, KindAudit: true}

// Image roles a detection carries.
const (
	ImagePlate = "plate"
	ImageScene = "scene"
)

// Batch is the body of one sync request: the car's outbox items in the car's order.
type Batch struct {
	Vehicle string `json:"vehicle"`
	// OldestUnsent is how long the oldest item still in the car's outbox has waited, in
	// seconds, so the server can show which cars are falling behind.
	OldestUnsent float64 `json:"oldest_unsent_s,omitempty"`
	Backlog      int64   `json:"backlog,omitempty"` // items in the car's outbox, this batch included
	Items        []Item  `json:"items"`
}

// Item is one outbox record: a change the car made, applied once by its Key.
type Item struct {
	Key       string          `json:"key"` // idempotency key: the record's UUID
	Seq       int64           `json:"seq"` // the car's outbox order
	Kind      string          `json:"kind"`
	CreatedAt time.Time       `json:"created_at"`
	Operator  string          `json:"operator"` // the signed-in operator who made the record
	Payload   json.RawMessage `json:"payload"`
	Images    []Image         `json:"images,omitempty"` // a detection's plate crop and scene
}

// Image is a JPEG travelling with its detection, addressed by its SHA-256.
type Image struct {
	Role   string `json:"role"`           // ImagePlate or ImageScene
	SHA256 string `json:"sha256"`         // hex of the bytes' SHA-256, checked on arrival
	Data   []byte `json:"data,omitempty"` // base64 in JSON; after the header when framed
	Size   int    `json:"size,omitempty"` // len(Data): in a framed header, where the bytes are not
}

// NewImage addresses data by its hash.
func NewImage(role string, data []byte) Image {
	sum := sha256.Sum256(data)
	return Image{Role: role, SHA256: hex.EncodeToString(sum[:]), Data: data}
}

// Reply is the server's answer to a batch it committed: the keys it now holds, new or seen
// before. Only a named key may leave the car's outbox.
type Reply struct {
	Stored []string `json:"stored"`
	// Duplicates counts the keys of this batch the server had stored before.
	Duplicates int `json:"duplicates"`
}

// Problem is the body of every refusal: a short sentence for the log and the LEARN light.
type Problem struct {
	Error string `json:"error"`
}

// ErrInvalid marks a batch that breaks the protocol; the server answers 400.
var ErrInvalid = errors.New("invalid batch")

// ErrTooLarge marks a framed batch whose header declares more bytes than a batch may hold;
// the server answers 413, as for a body over MaxBodyBytes. It is also an ErrInvalid.
var ErrTooLarge = fmt.Errorf("%w: over %d bytes", ErrInvalid, MaxBodyBytes)

// DecodeBatch reads one batch from r and checks it against the protocol: every item keyed
// once, of a known kind, carrying a payload, within the limits, each image matching its hash.
// It reads at most MaxBodyBytes+1 bytes; the caller limits the body (and answers 413) first.
func DecodeBatch(r io.Reader) (Batch, error) {
	var b Batch
	dec := json.NewDecoder(io.LimitReader(r, MaxBodyBytes+1))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&b); err != nil {
		return Batch{}, fmt.Errorf("%w: %v", ErrInvalid, err)
	}
	if dec.More() {
		return Batch{}, fmt.Errorf("%w: more than one JSON value", ErrInvalid)
	}
	if err := b.Check(); err != nil {
		return Batch{}, err
	}
	return b, nil
}

// Check applies the protocol's rules to a decoded batch.
func (b Batch) Check() error {
	if b.Vehicle == "" {
		return fmt.Errorf("%w: no vehicle", ErrInvalid)
	}
	if len(b.Items) == 0 {
		return fmt.Errorf("%w: no items", ErrInvalid)
	}
	if len(b.Items) > MaxItems {
		return fmt.Errorf("%w: %d items, at most %d", ErrInvalid, len(b.Items), MaxItems)
	}
	seen := make(map[string]bool, len(b.Items))
	for i, it := range b.Items {
		if err := it.check(); err != nil {
			return fmt.Errorf("%w: item %d: %v", ErrInvalid, i, err)
		}
		if seen[it.Key] {
			return fmt.Errorf("%w: item %d: key %s twice in one batch", ErrInvalid, i, it.Key)
		}
		seen[it.Key] = true
	}
	return nil
}

func (it Item) check() error {
	if !ValidUUID(it.Key) {
		return fmt.Errorf("key %q is not a UUID", it.Key)
	}
	if !kinds[it.Kind] {
		return fmt.Errorf("unknown kind %q", it.Kind)
	}
	if len(it.Payload) == 0 || !json.Valid(it.Payload) || it.Payload[0] != '{' {
		return fmt.Errorf("%s %s: payload is not a JSON object", it.Kind, it.Key)
	}
	if it.CreatedAt.IsZero() {
		return fmt.Errorf("%s %s: no creation time", it.Kind, it.Key)
	}
	if len(it.Operator) > 64 {
		return fmt.Errorf("%s %s: operator id too long", it.Kind, it.Key)
	}
	if len(it.Images) > 0 && it.Kind != KindDetection {
		return fmt.Errorf("%s %s: only detections carry images", it.Kind, it.Key)
	}
	roles := map[string]bool{}
	for _, im := range it.Images {
		if im.Role != ImagePlate && im.Role != ImageScene {
			return fmt.Errorf("%s %s: unknown image role %q", it.Kind, it.Key, im.Role)
		}
		if roles[im.Role] {
			return fmt.Errorf("%s %s: two %s images", it.Kind, it.Key, im.Role)
		}
		roles[im.Role] = true
		if im.Size != 0 && im.Size != len(im.Data) {
			return fmt.Errorf("%s %s: %s image of %d bytes said to be %d", it.Kind, it.Key, im.Role, len(im.Data), im.Size)
		}
		if len(im.Data) == 0 || len(im.Data) > MaxImageSize {
			return fmt.Errorf("%s %s: %s image of %d bytes", it.Kind, it.Key, im.Role, len(im.Data))
		}
		sum := sha256.Sum256(im.Data)
		if hex.EncodeToString(sum[:]) != im.SHA256 {
			return fmt.Errorf("%s %s: %s image does not match its SHA-256", it.Kind, it.Key, im.Role)
		}
	}
	return nil
}

// ValidUUID accepts the canonical 8-4-4-4-12 hex form of a UUID (either case), the form of
// every key and record id on the wire.
func ValidUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range []byte(s) {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
				return false
			}
		}
	}
	return true
}

// NewUUID makes a random (version 4) UUID, the form of every key and record id on the wire.
func NewUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:]) // crypto/rand never fails on Linux
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}
