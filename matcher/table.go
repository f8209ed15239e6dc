package matcher

import "math/bits"

// table maps 32-bit fingerprints to entry numbers. It is a bucketed array (the layout
// of a compressed sparse row): items holds fingerprint<<32|entry for every posting,
// grouped by bucket, and starts[b]:starts[b+1] is bucket b. The top bits of a
// fingerprint pick its bucket. Compared with a Go map this costs 8 bytes a posting
// plus 4 a bucket, with no load-factor slack and no per-key allocation. Fingerprints
// may collide: callers check each candidate's plate.
type table struct {
	shift  uint
	starts []uint32
	items  []uint64
	// filter has one bit set per fingerprint (its low bits), about 16 bits a posting:
	// 2 MB for a million plates, small enough to stay in cache, so a lookup of a key
	// that is not listed (most of them: every deletion of a read's key is looked up)
	// is usually answered without touching items. Nil for tables that skip it.
	filter []uint64
	mask   uint32
}

// addFilter builds the table's filter.
func (t *table) addFilter() {
	n := 64
	for n < 16*len(t.items) && n < 1<<32 {
		n <<= 1
	}
	t.filter = make([]uint64, n/64)
	t.mask = uint32(n - 1)
	for _, p := range t.items {
		b := uint32(p>>32) & t.mask
		t.filter[b/64] |= 1 << (b % 64)
	}
}

// mayHave reports whether fp may be in the table (false: certainly not).
func (t *table) mayHave(fp uint32) bool {
	if t.filter == nil {
		return len(t.items) > 0
	}
	b := fp & t.mask
	return t.filter[b/64]&(1<<(b%64)) != 0
}

// partBits is how many top bits of a fingerprint pick the partition the build sorts
// postings into first, so that the second pass writes within one partition at a time
// and stays in cache; scattering seven million postings straight into their buckets
// costs a cache miss each and took seconds.
const partBits = 8

// buildTable builds a table of postings (fingerprint<<32|entry) with about perBucket
// postings a bucket; it reorders postings. Fewer a bucket means fewer cache lines to
// scan a lookup and a larger starts array: four suits the table every lookup uses (its
// starts stays in cache), sixteen the much larger deletion table.
func buildTable(postings []uint64, perBucket int) table {
	nb := 1
	if n := len(postings); n > perBucket {
		nb = 1 << bits.Len(uint(n/perBucket-1))
	}
	t := table{shift: uint(32 - bits.TrailingZeros(uint(nb))), starts: make([]uint32, nb+1)}
	t.items = make([]uint64, len(postings))
	if len(postings) == 0 {
		return t
	}
	// Pass 1: scatter by partition (the top partBits of the fingerprint).
	var parts [1<<partBits + 1]int
	for _, p := range postings {
		parts[p>>(64-partBits)+1]++
	}
	for i := 1; i < len(parts); i++ {
		parts[i] += parts[i-1]
	}
	next := parts
	for _, p := range postings {
		k := p >> (64 - partBits)
		t.items[next[k]] = p
		next[k]++
	}
	// Pass 2: counting sort by bucket into postings (now scratch). Items are grouped by
	// partition, and a partition's buckets are a contiguous run of starts (buckets are a
	// finer cut of the same top bits), so the counters touched at any moment are few and
	// stay in cache.
	for _, p := range t.items {
		t.starts[t.bucket(uint32(p>>32))+1]++
	}
	for b := 1; b < len(t.starts); b++ {
		t.starts[b] += t.starts[b-1]
	}
	fill := make([]uint32, nb)
	copy(fill, t.starts[:nb])
	for _, p := range t.items {
		b := t.bucket(uint32(p >> 32))
		postings[fill[b]] = p
		fill[b]++
	}
	copy(t.items, postings)
	return t
}

func (t *table) bucket(fp uint32) uint32 {
	if t.shift >= 32 {
		return 0
	}
	return fp >> t.shift
}

// candidates returns the postings of fp's bucket; the caller keeps those whose upper 32
// bits equal fp.
func (t *table) candidates(fp uint32) []uint64 {
	if len(t.starts) == 0 {
		return nil
	}
	b := t.bucket(fp)
	return t.items[t.starts[b]:t.starts[b+1]]
}
