package matcher

import (
	"cmp"
	"slices"

	"patrol-alpr/alpr"
)

// MinIndelLen is the shortest reading (and listed plate with a character removed) that
// a missing or extra character may match: below it, one-character slack would tie a
// short read to many unrelated plates.
const MinIndelLen = 4

// MaxIndelEntries is the largest list matched with one missing or extra character.
// A larger list configured LookAlikeOrIndel is matched with look-alikes only, and
// Lists reports the tolerance in effect. The reason is false alarms, not speed: one
// character of slack lets a read hit any listed plate that is the read with a character
// added or taken away, and against a million NCIC-like plates 6.7% of reads of unlisted
// plates hit that way, against 0.15% for look-alikes (measured with the benchmark's
// made-up plates). At a hundred thousand entries it is a tenth of that. Other readers
// drop to exact matching for such lists; look-alikes are kept here because OCR confuses
// them far more often than it drops a character.
const MaxIndelEntries = 100_000

// Index is an immutable set of hot lists ready for matching. It is safe for concurrent
// use. The zero value and nil hold no lists.
type Index struct {
	lists []*listIndex // sorted by name
}

// listIndex is one list's part of an Index. Indexes built from one another share the
// parts of the lists they did not change.
type listIndex struct {
	list alpr.HotList
	recs records
	keys table // canonical key of each plate -> entry
	dels table // canonical key with one character deleted -> entry (LookAlikeOrIndel only)
}

// NewIndex builds an index of lists and their entries. Each entry belongs to the list
// its List field names; an entry naming a list not in lists is indexed under a list of
// that name with default settings (Exact tolerance, priority 0), the safe choice for an
// unknown list. Plates are normalised with alpr.NormalizePlate; entries whose plate is
// empty or longer than 16 characters are not indexed. An entry with no priority of its
// own takes its list's; Informational and Covert are set when the entry or its list says so.
func NewIndex(lists []alpr.HotList, entries []alpr.HotEntry) *Index {
	byName := map[string]int{}
	metas := make([]alpr.HotList, 0, len(lists))
	for _, l := range lists {
		if i, ok := byName[l.Name]; ok {
			metas[i] = l // the last description of a list wins
			continue
		}
		byName[l.Name] = len(metas)
		metas = append(metas, l)
	}
	// Group entry positions by list without copying entries.
	groups := make([][]int32, len(metas))
	last, lastName := -1, ""
	for i := range entries {
		name := entries[i].List
		if last < 0 || name != lastName {
			g, ok := byName[name]
			if !ok {
				g = len(metas)
				byName[name] = g
				metas = append(metas, alpr.HotList{Name: name})
				groups = append(groups, nil)
			}
			last, lastName = g, name
		}
		groups[last] = append(groups[last], int32(i))
	}
	ix := &Index{}
	for g, meta := range metas {
		pos := groups[g]
		ix.lists = append(ix.lists, buildList(meta, len(pos), func(yield func(*alpr.HotEntry)) {
			for _, p := range pos {
				yield(&entries[p])
			}
		}))
	}
	slices.SortFunc(ix.lists, func(a, b *listIndex) int { return cmp.Compare(a.list.Name, b.list.Name) })
	return ix
}

// With returns a new index in which list holds entries, replacing any list of the same
// name; the other lists are shared with ix, which is left unchanged. Every entry is
// indexed under list, whatever its List field says.
func (ix *Index) With(list alpr.HotList, entries []alpr.HotEntry) *Index {
	li := buildList(list, len(entries), func(yield func(*alpr.HotEntry)) {
		for i := range entries {
			yield(&entries[i])
		}
	})
	out := &Index{}
	if ix != nil {
		for _, l := range ix.lists {
			if l.list.Name != list.Name {
				out.lists = append(out.lists, l)
			}
		}
	}
	out.lists = append(out.lists, li)
	slices.SortFunc(out.lists, func(a, b *listIndex) int { return cmp.Compare(a.list.Name, b.list.Name) })
	return out
}

// Without returns a new index without the named lists.
func (ix *Index) Without(names ...string) *Index {
	out := &Index{}
	if ix == nil {
		return out
	}
	for _, l := range ix.lists {
		if !slices.Contains(names, l.list.Name) {
			out.lists = append(out.lists, l)
		}
	}
	return out
}

// Only returns a new index holding only the named lists of ix (used to match recent
// reads against the lists that just changed).
func (ix *Index) Only(names ...string) *Index {
	out := &Index{}
	if ix == nil {
		return out
	}
	for _, l := range ix.lists {
		if slices.Contains(names, l.list.Name) {
			out.lists = append(out.lists, l)
		}
	}
	return out
}

// Len returns the number of entries indexed, over all lists.
func (ix *Index) Len() int {
	if ix == nil {
		return 0
	}
	n := 0
	for _, l := range ix.lists {
		n += l.recs.len()
	}
	return n
}

// Lists describes the lists in the index, by name, with Entries set to the number of
// entries indexed and Tolerance to the tolerance in effect (see MaxIndelEntries).
func (ix *Index) Lists() []alpr.HotList {
	if ix == nil {
		return nil
	}
	out := make([]alpr.HotList, len(ix.lists))
	for i, l := range ix.lists {
		out[i] = l.list
		out[i].Entries = l.recs.len()
	}
	return out
}

// buildList packs one list's n entries and builds its tables. each calls yield with
// every entry of the list.
func buildList(meta alpr.HotList, n int, each func(yield func(*alpr.HotEntry))) *listIndex {
	w := newRecordWriter(n)
	plateBytes := 0
	each(func(e *alpr.HotEntry) {
		m := entryMeta{plate: normalize(e.Plate), priority: e.Priority,
			informational: e.Informational || meta.Informational, covert: e.Covert || meta.Covert}
		if m.plate == "" || len(m.plate) > maxPlateLen {
			return
		}
		if m.priority == 0 {
			m.priority = meta.Priority
		}
		w.add(e, m)
		plateBytes += len(m.plate)
		if len(w.offs) == sampleRecords {
			w.reserve(n)
		}
	})
	li := &listIndex{list: meta, recs: w.finish()}
	li.list.Entries = li.recs.len()
	count := li.recs.len()
	if li.list.Tolerance > alpr.LookAlike && count > MaxIndelEntries {
		li.list.Tolerance = alpr.LookAlike
	}
	var key [maxPlateLen]byte
	postings := make([]uint64, 0, count)
	for i := range uint32(count) {
		k := appendCanonical(key[:0], li.recs.plate(i))
		postings = append(postings, uint64(fingerprint(k, -1))<<32|uint64(i))
	}
	li.keys = buildTable(postings, 4)
	li.keys.addFilter()
	if li.list.Tolerance >= alpr.LookAlikeOrIndel {
		postings = make([]uint64, 0, plateBytes)
		for i := range uint32(count) {
			k := appendCanonical(key[:0], li.recs.plate(i))
			if len(k)-1 < MinIndelLen {
				continue
			}
			for d := range k {
				if firstOfRun(k, d) {
					postings = append(postings, uint64(fingerprint(k, d))<<32|uint64(i))
				}
			}
		}
		li.dels = buildTable(postings, 16)
	}
	return li
}

// normalize is alpr.NormalizePlate without the allocation when p is already normal,
// which it is for every entry the hotlist parsers produce.
func normalize(p string) string {
	for i := 0; i < len(p); i++ {
		c := p[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9') {
			return alpr.NormalizePlate(p)
		}
	}
	return p
}
