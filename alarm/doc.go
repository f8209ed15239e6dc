// Package alarm sounds the hit alarm (policy III.D.1): a distinct tone for each
// priority band so the officer can tell an urgent hit from an advisory one without
// looking, silence for covert lists, and repetition until the officer acknowledges
// or mutes the hit. The tones are generated with beep; they reach a Sink, which is
// the speaker in the car and a Recorder in tests (there is no sound card here).
package alarm
