// Package classroom runs training mode: the trainer's scenarios (a stolen-vehicle hit, a
// state mismatch, a look-alike near match, an expired hot plate, a camera failure, a GPS that
// loses its fix, the server going offline), the training accounts, and the review and
// certificate of what the trainee did (policy III.B.1.b, III.C.1–2).
//
// A scenario never fakes what the officer sees: it drives a chosen plate past a synthetic
// camera, breaks a simulated part, or enters a hot plate, and the real pipeline does the rest,
// so the trainee meets exactly what the real system shows.
package classroom
