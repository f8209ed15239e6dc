package synth

import (
	"math/rand/v2"
	"strings"
)

// plateFormat is one serial layout seen on US plates: 'L' is a letter, 'D' a
// digit, ' ' a possible gap (drawn as a space or a dash, or closed up).
type plateFormat struct {
	layout string
	weight int
	// serialLetters excludes I, O and Q as most states do for issued serials;
	// vanity formats use the whole alphabet.
	serialLetters bool
}

// formats is a fixed table of layouts, weighted towards the common ones.
var formats = [...]plateFormat{
	{"DLLLDDD", 22, true},  // California: 1ABC234
	{"LLL DDDD", 22, true}, // New York, Texas, Pennsylvania: ABC 1234
	{"DDD LLL", 8, true},   // 123 ABC
	{"LLL DDD", 10, true},  // ABC 123
	{"LL DDDDD", 5, true},  // AB 12345
	{"DLL DDD", 5, true},   // 1AB 234
	{"DDD DDDD", 3, true},  // 123 4567 (numeric, e.g. trailers)
	{"LLDDD", 3, true},     // AB123
	{"DDDDD", 2, true},     // 12345
	{"LLLL DDDD", 4, true}, // ABCD 1234 (eight characters)
	{"", 8, false},         // vanity: 5–8 mixed characters
}

const (
	allLetters    = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
	serialLetters = "ABCDEFGHJKLMNPRSTUVWXYZ"
	digits        = "0123456789"
)

// RandomPlateText returns a plate as it is printed: 5–8 letters and digits in a
// realistic US layout, sometimes with a gap (space or dash) between groups.
// alpr.NormalizePlate of the result is the label a reader should produce.
func RandomPlateText(rng *rand.Rand) string {
	total := 0
	for _, f := range formats {
		total += f.weight
	}
	pick := rng.IntN(total)
	var f plateFormat
	for _, f = range formats {
		if pick < f.weight {
			break
		}
		pick -= f.weight
	}
	if f.layout == "" {
		return vanityText(rng)
	}
	letters := allLetters
	if f.serialLetters {
		letters = serialLetters
	}
	return printLayout(rng, f.layout, letters)
}

// RandomPlateTextIn is RandomPlateText for a plate of the state code: a serial
// in one of the state's own layouts, or now and then a vanity plate. A state
// whose layouts the table does not know (or "", no state printed) takes any
// common US layout. The classroom's roads draw their plates this way, so an
// Illinois plate reads as Illinois plates do (AB 12345), not as California's.
func RandomPlateTextIn(rng *rand.Rand, code string) string {
	st, ok := stateByCode(code)
	if !ok || len(st.Serials) == 0 {
		return RandomPlateText(rng)
	}
	if rng.IntN(12) == 0 {
		return vanityText(rng)
	}
	return printLayout(rng, st.Serials[rng.IntN(len(st.Serials))], serialLetters)
}

// printLayout prints a layout (L a letter drawn from letters, D a digit, ' '
// the gap), the gap as a space, a dash, or closed up: all three happen.
func printLayout(rng *rand.Rand, layout, letters string) string {
	gap := [...]string{" ", " ", "-", ""}[rng.IntN(4)]
	var b strings.Builder
	for _, c := range layout {
		switch c {
		case 'L':
			b.WriteByte(letters[rng.IntN(len(letters))])
		case 'D':
			b.WriteByte(digits[rng.IntN(len(digits))])
		case ' ':
			b.WriteString(gap)
		}
	}
	return b.String()
}

// vanityText is a personalised plate: any letters and digits, mostly letters.
func vanityText(rng *rand.Rand) string {
	n := 5 + rng.IntN(4)
	b := make([]byte, n)
	for i := range b {
		if rng.IntN(4) == 0 {
			b[i] = digits[rng.IntN(len(digits))]
		} else {
			b[i] = allLetters[rng.IntN(len(allLetters))]
		}
	}
	return string(b)
}
