package keeperutil_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	"github.com/cosmos/cosmos-sdk/types/query"

	"github.com/infrafi/infrafi/x/internal/keeperutil"
)

func TestPaginateSlice(t *testing.T) {
	items := []byte{2, 4, 6, 8, 10}
	key := func(b byte) []byte { return []byte{b} }
	cases := []struct {
		name  string
		page  *query.PageRequest
		want  []byte
		next  []byte
		total uint64
	}{
		{"nil request: all, total counted", nil, []byte{2, 4, 6, 8, 10}, nil, 5},
		{"limit", &query.PageRequest{Limit: 2}, []byte{2, 4}, []byte{6}, 0},
		{"limit counts on request", &query.PageRequest{Limit: 2, CountTotal: true}, []byte{2, 4}, []byte{6}, 5},
		{"offset", &query.PageRequest{Offset: 3, Limit: 1}, []byte{8}, []byte{10}, 0},
		{"offset past the end", &query.PageRequest{Offset: 9, Limit: 1, CountTotal: true}, []byte{}, nil, 5},
		{"key is inclusive", &query.PageRequest{Key: []byte{6}, Limit: 2}, []byte{6, 8}, []byte{10}, 0},
		{"key between items", &query.PageRequest{Key: []byte{5}, Limit: 9, CountTotal: true}, []byte{6, 8, 10}, nil, 0},
		{"key past the end", &query.PageRequest{Key: []byte{11}}, []byte{}, nil, 0},
		{"reverse", &query.PageRequest{Limit: 2, Reverse: true}, []byte{10, 8}, []byte{6}, 0},
		{"reverse from a key", &query.PageRequest{Key: []byte{7}, Limit: 2, Reverse: true}, []byte{6, 4}, []byte{2}, 0},
		{"huge limit", &query.PageRequest{Offset: 1, Limit: ^uint64(0)}, []byte{4, 6, 8, 10}, nil, 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, res, err := keeperutil.PaginateSlice(items, key, tc.page)
			require.NoError(t, err)
			require.Equal(t, tc.want, append([]byte{}, got...))
			require.Equal(t, tc.next, res.NextKey)
			require.Equal(t, tc.total, res.Total)
		})
	}
	require.Equal(t, []byte{2, 4, 6, 8, 10}, items, "reverse pages a copy")

	_, _, err := keeperutil.PaginateSlice(items, key, &query.PageRequest{Key: []byte{2}, Offset: 1})
	require.ErrorIs(t, err, sdkerrors.ErrInvalidRequest)
}
