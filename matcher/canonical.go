package matcher

// canonical maps a plate character to the representative of its OCR look-alike class:
// 0/O/D/Q -> 0, 1/I/L/T -> 1, 2/Z -> 2, 5/S -> 5, 8/B -> 8, 6/G -> 6. Other characters
// stand for themselves. Two plates of the same length are look-alikes of each other
// exactly when their characters map to the same representatives position by position.
func canonical(c byte) byte {
	switch c {
	case 'O', 'D', 'Q':
		return '0'
	case 'I', 'L', 'T':
		return '1'
	case 'Z':
		return '2'
	case 'S':
		return '5'
	case 'B':
		return '8'
	case 'G':
		return '6'
	}
	return c
}

// appendCanonical appends the canonical key of plate to dst.
func appendCanonical(dst []byte, plate []byte) []byte {
	for _, c := range plate {
		dst = append(dst, canonical(c))
	}
	return dst
}

// fingerprint hashes a canonical key skipping the byte at position skip (skip < 0 or
// >= len(key): skip nothing). Skipping in place lets the deletion neighbourhood be
// hashed without building each variant.
func fingerprint(key []byte, skip int) uint32 {
	// FNV-1a, then a murmur3 finaliser so the high bits (which pick the bucket) are mixed.
	h := uint64(14695981039346656037)
	for i, c := range key {
		if i == skip {
			continue
		}
		h ^= uint64(c)
		h *= 1099511628211
	}
	h ^= h >> 33
	h *= 0xff51afd7ed558ccd
	h ^= h >> 33
	h *= 0xc4ceb9fe1a85ec53
	h ^= h >> 33
	return uint32(h)
}

// equalCanonicalSkip reports whether listed (raw characters), with the byte at position
// skip removed (skip < 0: nothing removed), has the canonical key key.
func equalCanonicalSkip(listed []byte, skip int, key []byte) bool {
	n := len(listed)
	if skip >= 0 {
		n--
	}
	if n != len(key) {
		return false
	}
	k := 0
	for i, c := range listed {
		if i == skip {
			continue
		}
		if canonical(c) != key[k] {
			return false
		}
		k++
	}
	return true
}

// firstOfRun reports whether deleting position i of key gives a variant not already
// given by deleting an earlier position: deleting any character of a run of equal
// characters gives the same string, so only the first of each run is used.
func firstOfRun(key []byte, i int) bool { return i == 0 || key[i] != key[i-1] }
