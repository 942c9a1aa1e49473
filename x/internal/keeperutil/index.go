package keeperutil

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
)

// MultiIndex is a secondary index like indexes.Multi (reference key ->
// primary keys) whose key set is exposed, so that query.CollectionPaginate
// can page through one reference key and block hooks can walk it from a
// cursor; indexes.Multi keeps that key set private.
//
// A sparse index (Sparse) holds only the values its predicate accepts:
// a value it rejects has no key, so writing one costs no index key.
type MultiIndex[R, P, V any] struct {
	collections.KeySet[collections.Pair[R, P]]
	getRef func(pk P, value V) (R, error)
	// indexed, when set, says which values have a key; nil means all.
	indexed func(value V) bool
}

var _ collections.Index[uint64, struct{}] = (*MultiIndex[string, uint64, struct{}])(nil)

// NewMultiIndex returns an index of every value under getRef's reference key.
func NewMultiIndex[R, P, V any](
	sb *collections.SchemaBuilder, prefix collections.Prefix, name string,
	refCodec collcodec.KeyCodec[R], pkCodec collcodec.KeyCodec[P], getRef func(pk P, value V) (R, error),
) *MultiIndex[R, P, V] {
	return &MultiIndex[R, P, V]{
		KeySet: collections.NewKeySet(sb, prefix, name, collections.PairKeyCodec(refCodec, pkCodec),
			collections.WithKeySetSecondaryIndex()),
		getRef: getRef,
	}
}

// Sparse makes m index only the values for which indexed is true, and
// returns m.
func (m *MultiIndex[R, P, V]) Sparse(indexed func(value V) bool) *MultiIndex[R, P, V] {
	m.indexed = indexed
	return m
}

// Indexed reports whether value has a key in m.
func (m *MultiIndex[R, P, V]) Indexed(value V) bool {
	return m.indexed == nil || m.indexed(value)
}

// Reference implements collections.Index: it moves pk from its old reference
// key to the new one.
func (m *MultiIndex[R, P, V]) Reference(ctx context.Context, pk P, newValue V, lazyOldValue func() (V, error)) error {
	old, err := lazyOldValue()
	switch {
	case err == nil:
		if err := m.unreference(ctx, pk, old); err != nil {
			return err
		}
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	if !m.Indexed(newValue) {
		return nil
	}
	ref, err := m.getRef(pk, newValue)
	if err != nil {
		return err
	}
	return m.Set(ctx, collections.Join(ref, pk))
}

// Unreference implements collections.Index.
func (m *MultiIndex[R, P, V]) Unreference(ctx context.Context, pk P, getValue func() (V, error)) error {
	value, err := getValue()
	if err != nil {
		return err
	}
	return m.unreference(ctx, pk, value)
}

func (m *MultiIndex[R, P, V]) unreference(ctx context.Context, pk P, value V) error {
	if !m.Indexed(value) {
		return nil
	}
	ref, err := m.getRef(pk, value)
	if err != nil {
		return err
	}
	return m.Remove(ctx, collections.Join(ref, pk))
}
