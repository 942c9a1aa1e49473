package keeperutil_test

import (
	"testing"

	"cosmossdk.io/collections"
	"cosmossdk.io/core/store"
	storetypes "cosmossdk.io/store/types"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/runtime"
	"github.com/cosmos/cosmos-sdk/testutil"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
)

// A record indexed by owner (every record) and by curator (sparse: only the
// records that have one).
type rec struct{ owner, curator string }

type recIndexes struct {
	Owner, Curator *keeperutil.MultiIndex[string, uint64, rec]
}

func (i recIndexes) IndexesList() []collections.Index[uint64, rec] {
	return []collections.Index[uint64, rec]{i.Owner, i.Curator}
}

type recValue struct{}

func (recValue) Encode(r rec) ([]byte, error) { return []byte(r.owner + "/" + r.curator), nil }
func (recValue) Decode(b []byte) (rec, error) {
	for i := range b {
		if b[i] == '/' {
			return rec{owner: string(b[:i]), curator: string(b[i+1:])}, nil
		}
	}
	return rec{owner: string(b)}, nil
}
func (v recValue) EncodeJSON(r rec) ([]byte, error) { return v.Encode(r) }
func (v recValue) DecodeJSON(b []byte) (rec, error) { return v.Decode(b) }
func (recValue) Stringify(r rec) string             { return r.owner + "/" + r.curator }
func (recValue) ValueType() string                  { return "rec" }

func newRecs(ss store.KVStoreService) *collections.IndexedMap[uint64, rec, recIndexes] {
	sb := collections.NewSchemaBuilder(ss)
	return collections.NewIndexedMap(sb, collections.NewPrefix(0), "recs", collections.Uint64Key, recValue{}, recIndexes{
		Owner: keeperutil.NewMultiIndex(sb, collections.NewPrefix(1), "by_owner", collections.StringKey, collections.Uint64Key,
			func(_ uint64, r rec) (string, error) { return r.owner, nil }),
		Curator: keeperutil.NewMultiIndex(sb, collections.NewPrefix(2), "by_curator", collections.StringKey, collections.Uint64Key,
			func(_ uint64, r rec) (string, error) { return r.curator, nil }).
			Sparse(func(r rec) bool { return r.curator != "" }),
	})
}

// TestMultiIndex: the index keys follow a record through IndexedMap's Set
// and Remove; a sparse index holds a key only while its predicate accepts
// the record, and a full index always does.
func TestMultiIndex(t *testing.T) {
	key := storetypes.NewKVStoreKey("index_test")
	ctx := testutil.DefaultContextWithDB(t, key, storetypes.NewTransientStoreKey("transient_test")).Ctx
	recs := newRecs(runtime.NewKVStoreService(key))
	keys := func(ix *keeperutil.MultiIndex[string, uint64, rec]) []collections.Pair[string, uint64] {
		var out []collections.Pair[string, uint64]
		require.NoError(t, ix.Walk(ctx, nil, func(k collections.Pair[string, uint64]) (bool, error) {
			out = append(out, k)
			return false, nil
		}))
		return out
	}
	type pairs = []collections.Pair[string, uint64]

	require.False(t, recs.Indexes.Curator.Indexed(rec{owner: "a"}))
	require.True(t, recs.Indexes.Curator.Indexed(rec{owner: "a", curator: "c"}))
	require.True(t, recs.Indexes.Owner.Indexed(rec{owner: "a"}))

	require.NoError(t, recs.Set(ctx, 1, rec{owner: "a"}))
	require.NoError(t, recs.Set(ctx, 2, rec{owner: "b", curator: "c"}))
	require.Equal(t, pairs{collections.Join("a", uint64(1)), collections.Join("b", uint64(2))}, keys(recs.Indexes.Owner))
	require.Equal(t, pairs{collections.Join("c", uint64(2))}, keys(recs.Indexes.Curator), "record 1 has no curator key")

	// Record 1 gains a curator, record 2 changes owner and loses its curator.
	require.NoError(t, recs.Set(ctx, 1, rec{owner: "a", curator: "d"}))
	require.NoError(t, recs.Set(ctx, 2, rec{owner: "e"}))
	require.Equal(t, pairs{collections.Join("a", uint64(1)), collections.Join("e", uint64(2))}, keys(recs.Indexes.Owner))
	require.Equal(t, pairs{collections.Join("d", uint64(1))}, keys(recs.Indexes.Curator))

	require.NoError(t, recs.Remove(ctx, 1))
	require.NoError(t, recs.Remove(ctx, 2))
	require.Empty(t, keys(recs.Indexes.Owner))
	require.Empty(t, keys(recs.Indexes.Curator))
}
