package keeperutil

import (
	"bytes"
	"slices"

	errorsmod "cosmossdk.io/errors"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/query"
)

// PaginateSlice pages items, ordered by key ascending, the way query.Paginate
// pages a store: a key starts the page at that item (inclusive), an offset
// skips items, not both; limit 0 means query.DefaultLimit and counts the
// total; next_key is the key of the first item after the page; reverse pages
// from the last item down. It serves records that state keeps as one value
// (a title's appraisals) with the same request shape as a store prefix.
func PaginateSlice[T any](items []T, key func(T) []byte, page *query.PageRequest) ([]T, *query.PageResponse, error) {
	if page == nil {
		page = &query.PageRequest{}
	}
	if page.Offset > 0 && page.Key != nil {
		return nil, nil, errorsmod.Wrap(sdkerrors.ErrInvalidRequest, "pagination: either offset or key is expected, got both")
	}
	limit, countTotal := page.Limit, page.CountTotal
	if limit == 0 {
		limit, countTotal = query.DefaultLimit, true
	}
	ordered := items
	if page.Reverse {
		ordered = slices.Clone(items)
		slices.Reverse(ordered)
	}
	n := uint64(len(ordered))
	start := min(page.Offset, n)
	if page.Key != nil {
		start = n
		for i, it := range ordered {
			c := bytes.Compare(key(it), page.Key)
			if (!page.Reverse && c >= 0) || (page.Reverse && c <= 0) {
				start = uint64(i)
				break
			}
		}
	}
	end := start + min(limit, n-start)
	res := &query.PageResponse{}
	if end < n {
		res.NextKey = key(ordered[end])
	}
	if countTotal && page.Key == nil {
		res.Total = n
	}
	return ordered[start:end], res, nil
}
