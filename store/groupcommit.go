package store

import (
	"context"
	"database/sql"
	"sync"

	"patrol-alpr/alpr"
)

// committer batches concurrent SaveDetection calls into one transaction. With
// synchronous=FULL every commit waits for the disk to confirm (about 2 ms here), so
// three cameras saving at once share one wait instead of queueing for three, and
// each caller still returns only once its detection is on disk.
//
// It owns no goroutine: the first caller that finds no commit in progress leads,
// commits everything queued, then hands the lead to the first caller that queued
// meanwhile.
type committer struct {
	mu      sync.Mutex
	queue   []*pendingSave
	leading bool
}

// pendingSave is one caller waiting in the committer.
type pendingSave struct {
	d    *alpr.Detection
	err  error
	turn chan bool // true: lead the next batch; false: the save is finished, see err
}

// save runs write over d together with whatever other saves are queued. A waiting
// caller does not give up when its context ends: its detection may already be in a
// commit, and the lead may be handed to it.
func (c *committer) save(ctx context.Context, d *alpr.Detection, write func(context.Context, []*pendingSave)) error {
	p := &pendingSave{d: d, turn: make(chan bool, 1)}
	c.mu.Lock()
	c.queue = append(c.queue, p)
	if c.leading {
		c.mu.Unlock()
		if lead := <-p.turn; !lead {
			return p.err
		}
	} else {
		c.leading = true
		c.mu.Unlock()
	}
	c.mu.Lock()
	batch := c.queue
	c.queue = nil
	c.mu.Unlock()

	// The batch carries other callers' detections: the leader's cancellation must not fail them.
	write(context.WithoutCancel(ctx), batch)
	for _, q := range batch {
		if q != p {
			q.turn <- false
		}
	}
	c.mu.Lock()
	if len(c.queue) > 0 {
		next := c.queue[0]
		c.mu.Unlock()
		next.turn <- true
	} else {
		c.leading = false
		c.mu.Unlock()
	}
	return p.err
}

// writeDetections stores a batch in one transaction. Each detection is inserted
// under its own savepoint so that one failing record fails only its own caller.
func (db *DB) writeDetections(ctx context.Context, batch []*pendingSave) {
	tx, err := db.sql.BeginTx(ctx, nil)
	if err != nil {
		for _, p := range batch {
			p.err = classify(err)
		}
		return
	}
	ok := 0
	for _, p := range batch {
		if len(batch) == 1 {
			p.err = db.insertDetection(ctx, tx, p.d)
		} else {
			p.err = savepoint(ctx, tx, func() error { return db.insertDetection(ctx, tx, p.d) })
		}
		if p.err == nil {
			ok++
		} else {
			p.d.ID = 0
		}
	}
	if ok == 0 {
		tx.Rollback()
		return
	}
	if err := tx.Commit(); err != nil {
		for _, p := range batch {
			if p.err == nil {
				p.err, p.d.ID = classify(err), 0
			}
		}
	}
}

// savepoint runs fn so that its failure undoes only its own writes.
func savepoint(ctx context.Context, tx *sql.Tx, fn func() error) error {
	if _, err := tx.ExecContext(ctx, `SAVEPOINT detection`); err != nil {
		return err
	}
	if err := fn(); err != nil {
		if _, rerr := tx.ExecContext(ctx, `ROLLBACK TO detection`); rerr != nil {
			return rerr
		}
		tx.ExecContext(ctx, `RELEASE detection`)
		return err
	}
	_, err := tx.ExecContext(ctx, `RELEASE detection`)
	return err
}
