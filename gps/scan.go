package gps

// maxSentence bounds one sentence. NMEA 0183 allows 82 characters; twice that lets
// off-spec receivers through while a stream with no newlines cannot grow memory.
const maxSentence = 164

type scanState int

const (
	scanIdle     scanState = iota // between sentences
	scanSentence                  // inside a sentence that began with '$'
	scanJunk                      // inside bytes that belong to no sentence
	scanOverlong                  // inside a sentence that outgrew maxSentence
)

// scanner cuts a byte stream into candidate sentences. A sentence runs from '$' to the end
// of its line; a '$' in the middle of a line starts a new one, because a serial link that
// drops bytes glues the head of one sentence to the tail of the next and the second one is
// still good. Everything else is garbage, counted once per contiguous run.
//
// The scanner keeps its state between feeds, so the same bytes cut into any chunks give
// the same sentences.
type scanner struct {
	state scanState
	buf   []byte
}

// scanSink receives what the scanner finds: a sentence (without its line ending; the
// slice is only valid during the call) or one run of garbage.
type scanSink interface {
	sentence(b []byte)
	garbage()
}

func (s *scanner) feed(p []byte, out scanSink) {
	for _, c := range p {
		switch s.state {
		case scanIdle:
			switch c {
			case '$':
				s.start()
			case '\r', '\n':
			default:
				s.state = scanJunk
			}
		case scanSentence:
			switch c {
			case '\r', '\n':
				s.state = scanIdle
				out.sentence(s.buf)
			case '$':
				out.sentence(s.buf)
				s.start()
			default:
				if len(s.buf) >= maxSentence {
					s.state = scanOverlong
					continue
				}
				s.buf = append(s.buf, c)
			}
		case scanJunk, scanOverlong:
			switch c {
			case '\r', '\n':
				s.state = scanIdle
				out.garbage()
			case '$':
				out.garbage()
				s.start()
			}
		}
	}
}

// flush ends the stream: a sentence cut short by the end of a file still counts (the
// parser decides whether it is whole), a run of junk is counted.
func (s *scanner) flush(out scanSink) {
	switch s.state {
	case scanSentence:
		out.sentence(s.buf)
	case scanJunk, scanOverlong:
		out.garbage()
	}
	s.state = scanIdle
}

func (s *scanner) start() {
	if s.buf == nil {
		s.buf = make([]byte, 0, maxSentence)
	}
	s.buf = append(s.buf[:0], '$')
	s.state = scanSentence
}
