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

// IsStateCode reports whether s has the form of an issuing state's code: two capital
// letters A-Z ("CA"). It does not check the code names a real state or province.
func IsStateCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}
