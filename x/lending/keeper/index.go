package keeper

import (
	"context"
	"errors"

	"cosmossdk.io/collections"
	collcodec "cosmossdk.io/collections/codec"
)

// multiIndex is a secondary index like indexes.Multi (reference key -> primary
// keys), but it exposes its key set, whose IterateRaw lets
// query.CollectionPaginate page through one reference key's entries;
// indexes.Multi keeps that key set private.
type multiIndex[R, P, V any] struct {
	collections.KeySet[collections.Pair[R, P]]
	getRef func(pk P, value V) (R, error)
}

var _ collections.Index[uint64, struct{}] = (*multiIndex[string, uint64, struct{}])(nil)

func newMultiIndex[R, P, V any](
	sb *collections.SchemaBuilder, prefix collections.Prefix, name string,
	refCodec collcodec.KeyCodec[R], pkCodec collcodec.KeyCodec[P], getRef func(pk P, value V) (R, error),
) *multiIndex[R, P, V] {
	return &multiIndex[R, P, V]{
		KeySet: collections.NewKeySet(sb, prefix, name, collections.PairKeyCodec(refCodec, pkCodec),
			collections.WithKeySetSecondaryIndex()),
		getRef: getRef,
	}
}

// Reference implements collections.Index: it moves pk from its old reference key to the new one.
func (m *multiIndex[R, P, V]) Reference(ctx context.Context, pk P, newValue V, lazyOldValue func() (V, error)) error {
	old, err := lazyOldValue()
	switch {
	case err == nil:
		if err := m.unreference(ctx, pk, old); err != nil {
			return err
		}
	case !errors.Is(err, collections.ErrNotFound):
		return err
	}
	ref, err := m.getRef(pk, newValue)
	if err != nil {
		return err
	}
	return m.Set(ctx, collections.Join(ref, pk))
}

// Unreference implements collections.Index.
func (m *multiIndex[R, P, V]) Unreference(ctx context.Context, pk P, getValue func() (V, error)) error {
	value, err := getValue()
	if err != nil {
		return err
	}
	return m.unreference(ctx, pk, value)
}

func (m *multiIndex[R, P, V]) unreference(ctx context.Context, pk P, value V) error {
	ref, err := m.getRef(pk, value)
	if err != nil {
		return err
	}
	return m.Remove(ctx, collections.Join(ref, pk))
}
