// Package postgres is the agency server's store on PostgreSQL, and the only package of the
// module that imports pgx. It files the cars' sync batches exactly once (a key seen before is
// named as stored and not inserted again), keeps detections in monthly partitions and drops
// whole months past retention after moving what is held into evidence storage, continues
// each car's audit hash chain and flags its gaps, and keeps the vehicles, certificates,
// operators and hot lists of every agency. Migrations are embedded and applied at Open.
package postgres
