package matcher

import (
	"cmp"
	"slices"
	"strconv"
	"strings"
	"time"

	"patrol-alpr/alpr"
)

// Query is one plate read to match against the lists.
type Query struct {
	Plate      string           // the reader's best read; normalised here
	State      string           // the state the reader saw, "" if none
	Alternates []alpr.Alternate // the reader's other readings, best first
	// At is the instant the plate was read: entries expired at At do not match. The zero
	// time expires nothing.
	At time.Time
}

// how says how a reading lines up with a listed plate.
type how uint8

const (
	sameChars   how = iota // identical
	lookAlike              // same length, look-alike characters differ
	extraChar              // the reading has one character more (pos: in the reading)
	missingChar            // the reading lacks one character (pos: in the listed plate)
)

// reading is one normalised reading of the plate.
type reading struct {
	plate string
	alt   bool
	key   int // index into the distinct canonical keys
}

// canonKey is a canonical key shared by one or more readings: an alternate that differs
// from the best read only in look-alikes has the same key, and its lookups are the same.
type canonKey struct {
	buf [maxPlateLen]byte
	n   int
	fp  uint32
}

func (k *canonKey) key() []byte { return k.buf[:k.n] }

// probe is one table lookup: a canonical key (less the character at pos, for an extra
// character) looked up in one list's table.
type probe struct {
	li     *listIndex
	tab    *table
	fp     uint32
	key    int
	how    how // sameChars: same length; extraChar: key less pos; missingChar: dels table
	pos    int
	lo, hi uint32
}

// candidate is one entry a reading lines up with.
type candidate struct {
	list  *listIndex
	entry uint32
	read  int // index into the readings
	how   how
	pos   int
}

// rank orders the explanations of one entry: the plainest kind first, then the best
// read before its alternates.
func (c candidate) rank() int {
	class := 0
	switch c.how {
	case lookAlike:
		class = 1
	case extraChar, missingChar:
		class = 2
	}
	return class<<16 | c.read
}

// Match returns every unexpired entry the read hits, each once with its plainest
// explanation, highest priority first (then exact before near, then by list and plate).
//
// The lookups for all readings and lists are gathered first and their buckets located
// in one pass, then scanned in a second: the loads of one pass do not depend on each
// other, so the processor overlaps their cache misses instead of waiting for each.
func (ix *Index) Match(q Query) []alpr.Match {
	if ix == nil || len(ix.lists) == 0 {
		return nil
	}
	var rbuf [8]reading
	var kbuf [8]canonKey
	reads, keys := q.readings(rbuf[:0], kbuf[:0])
	if len(reads) == 0 {
		return nil
	}
	var buf [32]probe
	probes := buf[:0]
	for _, li := range ix.lists {
		tol := li.list.Tolerance
		for ki := range keys {
			if tol == alpr.Exact && reads[0].key != ki {
				continue // exact lists try the best read only
			}
			k := keys[ki].key()
			probes = append(probes, probe{li: li, tab: &li.keys, fp: keys[ki].fp, key: ki, how: sameChars})
			if tol < alpr.LookAlikeOrIndel || len(k) < MinIndelLen {
				continue
			}
			if len(k)-1 >= MinIndelLen {
				for d := range k {
					if firstOfRun(k, d) {
						probes = append(probes, probe{li: li, tab: &li.keys, fp: fingerprint(k, d), key: ki, how: extraChar, pos: d})
					}
				}
			}
			probes = append(probes, probe{li: li, tab: &li.dels, fp: keys[ki].fp, key: ki, how: missingChar})
		}
	}
	for i := range probes {
		p := &probes[i]
		if !p.tab.mayHave(p.fp) {
			continue
		}
		b := p.tab.bucket(p.fp)
		p.lo, p.hi = p.tab.starts[b], p.tab.starts[b+1]
	}
	var cands []candidate
	for i := range probes {
		p := &probes[i]
		for _, it := range p.tab.items[p.lo:p.hi] {
			if uint32(it>>32) != p.fp {
				continue
			}
			cands = p.verify(uint32(it), reads, keys, cands)
		}
	}
	return decode(cands, reads, q)
}

// verify checks that entry really lines up with the probe's key (fingerprints collide)
// and adds a candidate for each reading of that key the list's tolerance accepts.
func (p *probe) verify(entry uint32, reads []reading, keys []canonKey, cands []candidate) []candidate {
	listed := p.li.recs.plate(entry)
	key := keys[p.key].key()
	pos := p.pos
	switch p.how {
	case sameChars:
		if !aligned(listed, -1, key, -1) {
			return cands
		}
	case extraChar:
		if !aligned(listed, -1, key, pos) {
			return cands
		}
	case missingChar:
		pos = -1
		for j := range listed {
			if aligned(listed, j, key, -1) {
				pos = j
				break
			}
		}
		if pos < 0 {
			return cands
		}
	}
	tol := p.li.list.Tolerance
	for ri, r := range reads {
		if r.key != p.key || r.alt && tol == alpr.Exact {
			continue
		}
		c := candidate{list: p.li, entry: entry, read: ri, how: p.how, pos: pos}
		if p.how == sameChars && string(listed) != string(r.plate) {
			if tol < alpr.LookAlike {
				continue
			}
			c.how = lookAlike
		}
		cands = addCandidate(cands, c)
	}
	return cands
}

// addCandidate adds c, keeping one candidate an entry: the best ranked.
func addCandidate(cands []candidate, c candidate) []candidate {
	for i := range cands {
		if cands[i].list == c.list && cands[i].entry == c.entry {
			if c.rank() < cands[i].rank() {
				cands[i] = c
			}
			return cands
		}
	}
	return append(cands, c)
}

// decode turns candidates into matches, dropping entries expired at q.At, and orders them.
func decode(cands []candidate, reads []reading, q Query) []alpr.Match {
	if len(cands) == 0 {
		return nil
	}
	out := make([]alpr.Match, 0, len(cands))
	for _, c := range cands {
		e := c.list.recs.entry(c.entry, c.list.list.Name)
		if e.Expired(q.At) {
			continue
		}
		r := reads[c.read]
		m := alpr.Match{
			Entry:     e,
			Kind:      alpr.MatchNear,
			ReadPlate: r.plate,
			Alternate: r.alt,
			State:     stateCheck(q.State, e.State),
		}
		if c.how == sameChars {
			m.Kind = alpr.MatchExact
		}
		m.Differs, m.Edit = explain(r.plate, e.Plate, c.how, c.pos)
		out = append(out, m)
	}
	slices.SortStableFunc(out, func(a, b alpr.Match) int {
		if c := cmp.Compare(b.Entry.Priority, a.Entry.Priority); c != 0 {
			return c
		}
		if a.Kind != b.Kind {
			if a.Kind == alpr.MatchExact {
				return -1
			}
			return 1
		}
		if c := cmp.Compare(a.Entry.List, b.Entry.List); c != 0 {
			return c
		}
		return cmp.Compare(a.Entry.Plate, b.Entry.Plate)
	})
	if len(out) == 0 {
		return nil
	}
	return out
}

// readings normalises the best read and the alternates, dropping empty, over-long and
// repeated ones, and computes their distinct canonical keys. It appends to the slices
// it is given, so that Match can keep them on its stack.
func (q Query) readings(reads []reading, keys []canonKey) ([]reading, []canonKey) {
	for i := -1; i < len(q.Alternates); i++ {
		p, alt := q.Plate, i >= 0
		if alt {
			p = q.Alternates[i].Plate
		}
		reads, keys = addReading(reads, keys, p, alt)
	}
	return reads, keys
}

func addReading(reads []reading, keys []canonKey, p string, alt bool) ([]reading, []canonKey) {
	p = normalize(p)
	if p == "" || len(p) > maxPlateLen {
		return reads, keys
	}
	for _, r := range reads {
		if r.plate == p {
			return reads, keys
		}
	}
	var k canonKey
	for i := 0; i < len(p); i++ {
		k.buf[i] = canonical(p[i])
	}
	k.n = len(p)
	ki := -1
	for i := range keys {
		if keys[i].n == k.n && keys[i].buf == k.buf {
			ki = i
			break
		}
	}
	if ki < 0 {
		k.fp = fingerprint(k.key(), -1)
		ki = len(keys)
		keys = append(keys, k)
	}
	return append(reads, reading{plate: p, alt: alt, key: ki}), keys
}

// aligned reports whether listed (raw characters) without the character at listedSkip
// has the canonical key key without the character at keySkip (-1: skip none).
func aligned(listed []byte, listedSkip int, key []byte, keySkip int) bool {
	n, m := len(listed), len(key)
	if listedSkip >= 0 {
		n--
	}
	if keySkip >= 0 {
		m--
	}
	if n != m {
		return false
	}
	i, k := 0, 0
	for i < len(listed) && k < len(key) {
		if i == listedSkip {
			i++
			continue
		}
		if k == keySkip {
			k++
			continue
		}
		if canonical(listed[i]) != key[k] {
			return false
		}
		i++
		k++
	}
	return true
}

// explain lists the positions of read that differ from listed and says how in words,
// positions counted from 1 for people: "B read for 8 at position 4".
func explain(read, listed string, h how, pos int) ([]int, string) {
	var differs []int
	var words []byte
	say := func(parts ...string) {
		if len(words) > 0 {
			words = append(words, ", "...)
		}
		for _, p := range parts {
			words = append(words, p...)
		}
	}
	i, j := 0, 0 // i in read, j in listed
	for i < len(read) || j < len(listed) {
		switch {
		case h == extraChar && i == pos:
			differs = append(differs, i)
			say("extra ", read[i:i+1], " read at position ", strconv.Itoa(i+1))
			i++
		case h == missingChar && j == pos:
			// No character of the read is wrong: the listed one is simply absent.
			say(listed[j:j+1], " missing at position ", strconv.Itoa(j+1))
			j++
		case i < len(read) && j < len(listed):
			if read[i] != listed[j] {
				differs = append(differs, i)
				say(read[i:i+1], " read for ", listed[j:j+1], " at position ", strconv.Itoa(i+1))
			}
			i++
			j++
		default:
			// Lengths disagree beyond the one edit: cannot happen for a candidate, but
			// never loop forever on it.
			return differs, string(words)
		}
	}
	return differs, string(words)
}

// stateCheck compares the state read with the listed state (III.D.2).
func stateCheck(read, listed string) alpr.StateCheck {
	read, listed = strings.ToUpper(strings.TrimSpace(read)), strings.ToUpper(strings.TrimSpace(listed))
	switch {
	case read == "" || listed == "":
		return alpr.StateUnknown
	case read == listed:
		return alpr.StateMatch
	}
	return alpr.StateMismatch
}
