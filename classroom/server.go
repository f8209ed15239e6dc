package classroom

import (
	"context"

	"patrol-alpr/learn"
)

// SimulatedServer stands in for the LEARN server in the classroom: it takes every batch and
// keeps nothing, so training data never leaves the car and the LEARN light behaves as on patrol.
type SimulatedServer struct{}

// Send accepts the batch and names every key as stored.
func (SimulatedServer) Send(ctx context.Context, b learn.Batch) ([]string, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	keys := make([]string, len(b.Items))
	for i, it := range b.Items {
		keys[i] = it.Key
	}
	return keys, nil
}
