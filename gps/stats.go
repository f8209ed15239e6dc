package gps

// Stats counts what the receiver has read since it was made. Every sentence or run of
// garbage the scanner finds lands in exactly one of Sentences, Unsupported, BadChecksum
// and Garbage, so a rising Garbage with no Sentences points at a wrong baud rate and a
// rising BadChecksum at a noisy cable.
type Stats struct {
	Bytes       uint64 // bytes read from the source
	Sentences   uint64 // RMC, GGA, GSA and VTG sentences used for the fix
	Unsupported uint64 // well-formed sentences of other types (GSV, TXT, proprietary...)
	BadChecksum uint64 // sentences whose checksum does not match their contents
	Garbage     uint64 // runs of bytes that are not a sentence: noise, cut or over-long lines, no checksum, impossible values
	Reopens     uint64 // attempts to open the source again after it failed, could not be opened, or ended
}

// Records is how many sentences and runs of garbage were found in all.
func (s Stats) Records() uint64 { return s.Sentences + s.Unsupported + s.BadChecksum + s.Garbage }
