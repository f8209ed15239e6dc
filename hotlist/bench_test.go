package hotlist

import (
	"bytes"
	"fmt"
	"testing"
)

// BenchmarkParseNCIC1M parses a made-up NCIC extract of a million records, the first
// half of applying an NCIC-scale list (the matcher's BenchmarkLoad1M is the second).
func BenchmarkParseNCIC1M(b *testing.B) {
	var buf bytes.Buffer
	buf.WriteString(ncicHeader + "\n")
	for i := range 1_000_000 {
		fmt.Fprintf(&buf, "VCA0390000N%08d20261114%-10s%s2027PC2019TOYTCAM4DBLK\n", i, fmt.Sprintf("%dAB%03d", i%10, i/10%1000)+string(rune('A'+i/10000%26))+string(rune('A'+i/260000)), "CA")
	}
	data := buf.Bytes()
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		entries, err := ParseNCIC(bytes.NewReader(data), "ncic.txt", ParseOptions{List: "NCIC", Lines: bytes.Count(data, []byte{'\n'})})
		if err != nil {
			b.Fatal(err)
		}
		if len(entries) != 1_000_000 {
			b.Fatalf("%d entries", len(entries))
		}
	}
}
