package alpr

import "strings"

// NormalizePlate returns the plate as the system stores and compares it: upper case,
// letters and digits only (spaces, dashes and other marks removed).
func NormalizePlate(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		switch {
		case r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
			b.WriteRune(r)
		case r >= 'a' && r <= 'z':
			b.WriteRune(r - 'a' + 'A')
		}
	}
	return b.String()
}
