// Package ocr reads US licence plates in camera frames: it finds the plates
// (localisation), reads their characters with a small CNN run by OpenCV's dnn
// module (recognition), and turns the reads of consecutive frames into one
// detection per vehicle pass (tracking).
//
// Localisation looks for what a plate is made of, two ways, because each
// finds plates the other misses. Proposals: a band of dense vertical edges
// (found at half resolution because that is cheap), inside which a row of 4
// or more character-sized blobs of similar height lines up (found at a
// normalised scale with several thresholds because small, dirty plates break
// any single threshold); where only a weak row lines up there (faint or
// glared characters) and the band is shaped like a plate, the band itself is
// read as a plate too; so is a plate-shaped band with no row at all, last
// (motion blur and distance run a plate's characters together, and the
// recognizer reads such plates where no blobs line up). A small band with no
// row is looked at once more magnified (its rows ranked below every usual
// row) and read without its surround as well (chars.go, innerBand in quad.go):
// small, soft plates lose their row at the usual scale. Glyph rows: the
// same rows sought over the whole frame at three scales (glyphs.go), with
// long straight runs removed first so characters pressed against a dark
// frame come apart from it; they find
// plates set in a dark surround or bumper recess, and close plates whose
// characters are far apart. Rows are ranked by length, by how alike their
// characters' heights are and by their blobs' shape (a median blob much
// narrower or wider than a character is a grille or a grid, not a plate).
// Lines through a row's centres and heights give
// the plate's slant and perspective, so the crop handed to the recognizer is
// upright; the same outline gives the colour crop the officer compares with
// the hot list before acting (policy III.D.1–2).
//
// The recognizer reads the whole crop column by column (CTC), which is what
// gives per-character confidences and scored alternates (ctc.go, beam.go):
// the look-alikes (0/O, 8/B, ...) the matcher tolerates, and from a prefix
// beam search a character the best path dropped or doubled. A shrunk frame's
// plates are read from the frame's own pixels. The candidates of a frame go
// through the network a few at a time, in rounds (reader.go): a read that ran
// on past the plate into other lettering is cut at its widest gap and the
// plate's part read again; a read that may be cut short gets a second look
// through a wider crop (widening the outline by what it adds); and a read the
// network is unsure of is read again through slightly moved crops, whose
// votes are pooled. Last, the read and its alternates of the same length are
// weighed by how often real plates are laid out as they are (letters and
// digits, layout.go): a letter the network took for the digit it resembles
// where the network hesitated gives way to the text laid out as plates are.
//
// Then lettering that reads cleanly but is no plate is dropped, first by how it looks: a
// small CNN scores each read's colour crop as a registration plate or not (verify.go), so a
// shop sign, a dealer frame's lettering or a plate's state name (GARAGE, MAZDA, CAROLINA,
// read at 0.99) goes before the reads are weighed against each other and cannot outrank the
// plate beside it; the text plays no part, so a vanity plate that spells a word stays. Then
// by where and how it is written (phantom.go): a camera's burned-in clock along the frame's edge, dates of eight
// digits, a line of text cut into plate-sized pieces, grilles read as one character repeated,
// and a plate's legend read apart from it. Last, a small CNN names each read's issuing state
// from its colour crop (state.go), or none when it is not sure enough to be right about 19
// times in 20 (a threshold set by cross-validation, ocr/train/README.md); before the state
// is named, the read's texts are weighed again by the layouts of the states the crop may
// show (statemix.go: a California-looking plate read ZEAV033 becomes 7EAV033).
//
// A Tracker per camera turns the reads of consecutive frames into one Pass
// per vehicle, voting for the plate over the frames; Evaluate measures a
// Reader on labelled photos (issue 3's figures).
package ocr
