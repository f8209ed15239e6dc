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

func newRecordWriter(n, plateBytes int) *recordWriter {
	return &recordWriter{
		// About 40 bytes of detail per NCIC record besides the plate.
		arena:  make([]byte, 0, plateBytes+n*48),
		offs:   make([]uint32, 0, n+1),
		reason: map[string]uint32{},
	}
}

// add appends e (already normalised, plate no longer than maxPlateLen) as the next record.
func (w *recordWriter) add(e *alpr.HotEntry) {
	w.offs = append(w.offs, uint32(len(w.arena)))
	b := append(w.arena, byte(len(e.Plate)))
	b = append(b, e.Plate...)
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
	set(fPriority, e.Priority != 0)
	set(fInformational, e.Informational)
	set(fCovert, e.Covert)
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
		b = binary.AppendVarint(b, int64(e.Priority))
	}
	w.arena = b
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
	// Trim the arena so the index holds what it uses, not append's growth slack.
	arena := make([]byte, len(w.arena))
	copy(arena, w.arena)
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
func (r *records) entry(i uint32, list string) alpr.HotEntry {
	b := r.arena[r.offs[i]:r.offs[i+1]]
	n := int(b[0])
	e := alpr.HotEntry{List: list, Plate: string(b[1 : 1+n])}
	b = b[1+n:]
	mask, k := binary.Uvarint(b)
	b = b[k:]
	str := func(bit uint64, dst *string) {
		if mask&bit == 0 {
			return
		}
		l, k := binary.Uvarint(b)
		*dst = string(b[k : k+int(l)])
		b = b[k+int(l):]
	}
	if mask&fID != 0 {
		e.ID, k = binary.Varint(b)
		b = b[k:]
	}
	str(fState, &e.State)
	str(fCode, &e.Code)
	if mask&fReason != 0 {
		ri, k := binary.Uvarint(b)
		e.Reason = r.reasons[ri]
		b = b[k:]
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
	tm := func(bit uint64, dst *time.Time) {
		if mask&bit == 0 {
			return
		}
		sec, k := binary.Varint(b)
		b = b[k:]
		ns, k := binary.Uvarint(b)
		b = b[k:]
		*dst = time.Unix(sec, int64(ns)).UTC()
	}
	tm(fEnteredAt, &e.EnteredAt)
	tm(fExpiresAt, &e.ExpiresAt)
	if mask&fPriority != 0 {
		p, _ := binary.Varint(b)
		e.Priority = int(p)
	}
	e.Informational = mask&fInformational != 0
	e.Covert = mask&fCovert != 0
	return e
}

func (r *records) bytes() int {
	n := cap(r.arena) + 4*cap(r.offs)
	for _, s := range r.reasons {
		n += 16 + len(s)
	}
	return n
}
