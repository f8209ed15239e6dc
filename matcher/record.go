package matcher

import (
	"encoding/binary"
	"time"

	"patrol-alpr/alpr"
)

// Entries are packed into one byte arena, because alpr.HotEntry is about 300 bytes of
// headers before its text, which for a million NCIC entries would exceed the memory
// budget on its own. A record is:
//
//	plate length (1 byte), plate
//	field mask (uvarint): which of the fields below are present
//	each present field in mask order: strings as uvarint length + bytes, the reason as an
//	index into the list's reason dictionary, integers as varints, times as varint Unix
//	seconds + uvarint nanoseconds (the location is not kept: times come back in UTC).
//
// Decoding allocates; it happens only for entries that matched.

// Field bits of the mask.
const (
	fID uint64 = 1 << iota
	fState
	fCode
	fReason
	fNCIC
	fYear
	fMake
	fModel
	fColor
	fEnteredBy
	fPhone
	fDR
	fSynopsis
	fEnteredAt
	fExpiresAt
	fPriority
	fInformational
	fCovert
)

// maxPlateLen bounds a listed plate; longer "plates" are not plates and are not indexed.
const maxPlateLen = 16

// recordWriter appends records to an arena.
type recordWriter struct {
	arena   []byte
	offs    []uint32
	reasons []string
	reason  map[string]uint32
}

// sampleRecords is how many records are written before the arena is sized for the
// whole list from their average length: one allocation instead of a pass over every
// entry to measure it, or of append's repeated doubling and copying.
const sampleRecords = 1024

func newRecordWriter(n int) *recordWriter {
	return &recordWriter{
		arena:  make([]byte, 0, min(n, sampleRecords)*64),
		offs:   make([]uint32, 0, n+1),
		reason: map[string]uint32{},
	}
}

// entryMeta is what a list decides for an entry instead of the entry itself: its
// normalised plate and its priority and flags after the list's defaults.
type entryMeta struct {
	plate         string
	priority      int
	informational bool
	covert        bool
}

// add appends e, with the list's decisions m (plate no longer than maxPlateLen), as the
// next record. It takes e by pointer: copying a million 300-byte entries showed in
// the load profile.
func (w *recordWriter) add(e *alpr.HotEntry, m entryMeta) {
	w.offs = append(w.offs, uint32(len(w.arena)))
	b := append(w.arena, byte(len(m.plate)))
	b = append(b, m.plate...)
	var mask uint64
	strs := [...]struct {
		bit uint64
		s   string
	}{
		{fState, e.State}, {fCode, e.Code}, {fNCIC, e.NCICNumber}, {fYear, e.VehicleYear},
		{fMake, e.VehicleMake}, {fModel, e.VehicleModel}, {fColor, e.VehicleColor},
		{fEnteredBy, e.EnteredBy}, {fPhone, e.Phone}, {fDR, e.DRNumber}, {fSynopsis, e.Synopsis},
	}
	for _, f := range strs {
		if f.s != "" {
			mask |= f.bit
		}
	}
	set := func(bit uint64, on bool) {
		if on {
			mask |= bit
		}
	}
	set(fID, e.ID != 0)
	set(fReason, e.Reason != "")
	set(fEnteredAt, !e.EnteredAt.IsZero())
	set(fExpiresAt, !e.ExpiresAt.IsZero())
	set(fPriority, m.priority != 0)
	set(fInformational, m.informational)
	set(fCovert, m.covert)
	b = binary.AppendUvarint(b, mask)
	if mask&fID != 0 {
		b = binary.AppendVarint(b, e.ID)
	}
	// The order here is the order decode reads; keep the two in step.
	for _, f := range strs[:2] { // State, Code
		if mask&f.bit != 0 {
			b = appendString(b, f.s)
		}
	}
	if mask&fReason != 0 {
		b = binary.AppendUvarint(b, uint64(w.intern(e.Reason)))
	}
	for _, f := range strs[2:] {
		if mask&f.bit != 0 {
			b = appendString(b, f.s)
		}
	}
	if mask&fEnteredAt != 0 {
		b = appendTime(b, e.EnteredAt)
	}
	if mask&fExpiresAt != 0 {
		b = appendTime(b, e.ExpiresAt)
	}
	if mask&fPriority != 0 {
		b = binary.AppendVarint(b, int64(m.priority))
	}
	w.arena = b
}

// reserve sizes the arena for n records like the ones written so far, with a sixteenth
// to spare.
func (w *recordWriter) reserve(n int) {
	if len(w.offs) == 0 {
		return
	}
	want := len(w.arena) / len(w.offs) * n
	want += want / 16
	if cap(w.arena) < want {
		grown := make([]byte, len(w.arena), want)
		copy(grown, w.arena)
		w.arena = grown
	}
}

func (w *recordWriter) intern(s string) uint32 {
	if n := len(w.reasons); n > 0 && w.reasons[n-1] == s {
		return uint32(n - 1) // lists are usually sorted by code, so the last reason repeats
	}
	i, ok := w.reason[s]
	if !ok {
		i = uint32(len(w.reasons))
		w.reasons = append(w.reasons, s)
		w.reason[s] = i
	}
	return i
}

func appendString(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

func appendTime(b []byte, t time.Time) []byte {
	b = binary.AppendVarint(b, t.Unix())
	return binary.AppendUvarint(b, uint64(t.Nanosecond()))
}

// records is the packed, read-only form of one list's entries.
type records struct {
	arena   []byte
	offs    []uint32 // offs[i] is where record i starts; len(offs) == count+1
	reasons []string
}

func (w *recordWriter) finish() records {
	w.offs = append(w.offs, uint32(len(w.arena)))
	// Trim the arena when much of it is unused, so the index holds what it uses.
	arena := w.arena
	if cap(arena)-len(arena) > len(arena)/8 {
		arena = make([]byte, len(w.arena))
		copy(arena, w.arena)
	}
	return records{arena: arena, offs: w.offs, reasons: w.reasons}
}

func (r *records) len() int { return len(r.offs) - 1 }

// plate returns the listed plate of record i without allocating.
func (r *records) plate(i uint32) []byte {
	o := r.offs[i]
	n := uint32(r.arena[o])
	return r.arena[o+1 : o+1+n]
}

// entry decodes record i. list fills HotEntry.List, which every record of a list shares.
// The record is copied into one string and every text field is a slice of it: one
// allocation a match instead of one a field.
func (r *records) entry(i uint32, list string) alpr.HotEntry {
	rec := string(r.arena[r.offs[i]:r.offs[i+1]])
	n := int(rec[0])
	e := alpr.HotEntry{List: list, Plate: rec[1 : 1+n]}
	at := 1 + n
	uvarint := func() uint64 {
		v, k := uvarintString(rec[at:])
		at += k
		return v
	}
	varint := func() int64 {
		u := uvarint()
		return int64(u>>1) ^ -int64(u&1) // zig-zag, as binary.AppendVarint writes it
	}
	mask := uvarint()
	str := func(bit uint64, dst *string) {
		if mask&bit == 0 {
			return
		}
		l := int(uvarint())
		*dst = rec[at : at+l]
		at += l
	}
	tm := func(bit uint64, dst *time.Time) {
		if mask&bit == 0 {
			return
		}
		sec := varint()
		*dst = time.Unix(sec, int64(uvarint())).UTC()
	}
	if mask&fID != 0 {
		e.ID = varint()
	}
	str(fState, &e.State)
	str(fCode, &e.Code)
	if mask&fReason != 0 {
		e.Reason = r.reasons[uvarint()]
	}
	str(fNCIC, &e.NCICNumber)
	str(fYear, &e.VehicleYear)
	str(fMake, &e.VehicleMake)
	str(fModel, &e.VehicleModel)
	str(fColor, &e.VehicleColor)
	str(fEnteredBy, &e.EnteredBy)
	str(fPhone, &e.Phone)
	str(fDR, &e.DRNumber)
	str(fSynopsis, &e.Synopsis)
	tm(fEnteredAt, &e.EnteredAt)
	tm(fExpiresAt, &e.ExpiresAt)
	if mask&fPriority != 0 {
		e.Priority = int(varint())
	}
	e.Informational = mask&fInformational != 0
	e.Covert = mask&fCovert != 0
	return e
}

// uvarintString is binary.Uvarint over a string (records are decoded from one string).
func uvarintString(s string) (uint64, int) {
	var v uint64
	for i := 0; i < len(s) && i < binary.MaxVarintLen64; i++ {
		c := s[i]
		v |= uint64(c&0x7f) << (7 * i)
		if c < 0x80 {
			return v, i + 1
		}
	}
	return 0, len(s) // cannot happen for records written by add
}
