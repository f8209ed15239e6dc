// Package synth renders synthetic US licence plates and road scenes with their
// ground truth. One generator feeds the reader's training data, the tests and
// classroom mode, so a plate the trainer injects looks like the plates the
// reader learned from.
//
// Everything is drawn in pure Go on *image.RGBA and is deterministic for a
// given random source: the same seed gives the same pixels, so a dataset can
// be rebuilt exactly from its recipe.
package synth
