package keeperutil

import (
	"context"
	"fmt"
	"strings"

	"cosmossdk.io/collections"
)

// CountKeys is the number of keys in a key set: invariants compare an
// index's size with its map's (O(keys): tests and simulation only).
func CountKeys[K any](ctx context.Context, ks collections.KeySet[K]) (uint64, error) {
	return CountRange(ctx, ks, nil)
}

// CountRange is the number of keys of a key set in a range (nil: all), for
// invariants like CountKeys.
func CountRange[K any](ctx context.Context, ks collections.KeySet[K], r collections.Ranger[K]) (uint64, error) {
	it, err := ks.Iterate(ctx, r)
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

// The index invariants of x/caliber, x/lending and x/yield check the keys
// their keepers write without IndexedMap.Set in two steps: every record has
// its own key in every index (MissingKeys), and every index holds as many
// keys as there are records (SizeMismatches), so none holds a stale key.

// IndexKey is whether one of a record's keys is in its index.
type IndexKey struct {
	index   string
	present bool
}

// KeyIn looks key up in the index named index (a read error counts as absent).
func KeyIn[K any](ctx context.Context, index string, ks collections.KeySet[K], key K) IndexKey {
	ok, err := ks.Has(ctx, key)
	return IndexKey{index: index, present: err == nil && ok}
}

// MissingKeys describes each absent key of record, one line each
// ("<record> has no <index> index key"); "" when none is absent.
func MissingKeys(record string, keys ...IndexKey) string {
	var sb strings.Builder
	for _, k := range keys {
		if !k.present {
			fmt.Fprintf(&sb, "%s has no %s index key\n", record, k.index)
		}
	}
	return sb.String()
}

// IndexSize is one index's key count.
type IndexSize struct {
	index string
	keys  uint64
	err   error
}

// SizeOf counts the keys of the index named index.
func SizeOf[K any](ctx context.Context, index string, ks collections.KeySet[K]) IndexSize {
	n, err := CountKeys(ctx, ks)
	return IndexSize{index: index, keys: n, err: err}
}

// SizeMismatches describes each index whose key count is not records, one
// line each ("<index> index holds <n> keys for <records> <noun>"), or
// returns the first count's read error.
func SizeMismatches(records uint64, noun string, sizes ...IndexSize) (string, error) {
	var sb strings.Builder
	for _, s := range sizes {
		if s.err != nil {
			return "", s.err
		}
		if s.keys != records {
			fmt.Fprintf(&sb, "%s index holds %d keys for %d %s\n", s.index, s.keys, records, noun)
		}
	}
	return sb.String(), nil
}
