package keeperutil

import (
	"context"

	"cosmossdk.io/collections"
)

// CountKeys is the number of keys in a key set: invariants compare an
// index's size with its map's (O(keys): tests and simulation only).
func CountKeys[K any](ctx context.Context, ks collections.KeySet[K]) (uint64, error) {
	it, err := ks.Iterate(ctx, nil)
	if err != nil {
		return 0, err
	}
	defer it.Close()
	var n uint64
	for ; it.Valid(); it.Next() {
		n++
	}
	return n, nil
}
