package types_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/oracle/types"
)

var (
	addr1 = sdk.AccAddress([]byte("addr1_______________")).String()
	addr2 = sdk.AccAddress([]byte("addr2_______________")).String()
	t0    = time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
)

func TestValidateFeedID(t *testing.T) {
	valid := []string{
		"gpu/nvidia-h100-sxm5-80gb",
		"rate/tbill",
		"fx/uusdc",
		"a",
		"0",
		"gpu/a.b_c-d/e",
		strings.Repeat("a", types.MaxFeedIDLength),
	}
	for _, id := range valid {
		require.NoError(t, types.ValidateFeedID(id), id)
	}
	invalid := []string{
		"",
		strings.Repeat("a", types.MaxFeedIDLength+1),
		"/gpu",
		"-gpu",
		".gpu",
		"_gpu",
		"GPU/h100",
		"gpu/H100",
		"gpu//h100",
		"gpu/",
		"gpu h100",
		"gpu/h100?x",
		"gpu\x00",
		"gpü",
		"gpu:h100",
	}
	for _, id := range invalid {
		require.ErrorIs(t, types.ValidateFeedID(id), types.ErrInvalidFeedID, "%q", id)
	}
}

func TestFeedValidate(t *testing.T) {
	ok := types.Feed{Id: "rate/tbill", Description: "T-bill", Unit: "apr", MinFeeders: 1, MaxAge: time.Hour}
	require.NoError(t, ok.Validate())

	tests := map[string]func(f *types.Feed){
		"zero min_feeders":   func(f *types.Feed) { f.MinFeeders = 0 },
		"zero max_age":       func(f *types.Feed) { f.MaxAge = 0 },
		"negative max_age":   func(f *types.Feed) { f.MaxAge = -time.Minute },
		"long description":   func(f *types.Feed) { f.Description = strings.Repeat("x", types.MaxDescriptionLength+1) },
		"long unit":          func(f *types.Feed) { f.Unit = strings.Repeat("x", types.MaxUnitLength+1) },
		"invalid utf8 unit":  func(f *types.Feed) { f.Unit = "\xff" },
		"invalid utf8 descr": func(f *types.Feed) { f.Description = "\xc3" },
	}
	for name, mutate := range tests {
		feed := ok
		mutate(&feed)
		require.ErrorIs(t, feed.Validate(), types.ErrInvalidFeed, name)
	}
	bad := ok
	bad.Id = "Rate"
	require.ErrorIs(t, bad.Validate(), types.ErrInvalidFeedID)
}

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	require.Equal(t, time.Hour, types.DefaultParams().DefaultPostTtl)
	require.Equal(t, 24*time.Hour, types.DefaultParams().MaxPostTtl)
	require.Equal(t, uint32(32), types.DefaultParams().MaxFeedersPerFeed)
	require.Equal(t, "1000000000000000000.000000000000000000", types.DefaultParams().MaxValue.String())
	require.Equal(t, "0.666666666666666666", types.DefaultParams().MinPower.String())
	one := types.DefaultParams()
	one.MinPower = dec("1")
	require.NoError(t, one.Validate())

	tests := map[string]func(p *types.Params){
		"zero default ttl":      func(p *types.Params) { p.DefaultPostTtl = 0 },
		"negative default ttl":  func(p *types.Params) { p.DefaultPostTtl = -time.Second },
		"zero max ttl":          func(p *types.Params) { p.MaxPostTtl = 0 },
		"default above max ttl": func(p *types.Params) { p.DefaultPostTtl = p.MaxPostTtl + time.Second },
		"zero max feeders":      func(p *types.Params) { p.MaxFeedersPerFeed = 0 },
		"max feeders too high":  func(p *types.Params) { p.MaxFeedersPerFeed = types.MaxFeedersPerFeedLimit + 1 },
		"nil max value":         func(p *types.Params) { p.MaxValue = types.Params{}.MaxValue },
		"zero max value":        func(p *types.Params) { p.MaxValue = dec("0") },
		"negative max value":    func(p *types.Params) { p.MaxValue = dec("-1") },
		"max value too high":    func(p *types.Params) { p.MaxValue = types.MaxValueLimit.Add(dec("1")) },
		"nil min power":         func(p *types.Params) { p.MinPower = types.Params{}.MinPower },
		"zero min power":        func(p *types.Params) { p.MinPower = dec("0") },
		"negative min power":    func(p *types.Params) { p.MinPower = dec("-0.5") },
		"min power above one":   func(p *types.Params) { p.MinPower = dec("1.000000000000000001") },
	}
	for name, mutate := range tests {
		p := types.DefaultParams()
		mutate(&p)
		require.ErrorIs(t, p.Validate(), types.ErrInvalidParams, name)
	}
}

func TestMsgValidateBasic(t *testing.T) {
	feed := types.Feed{Id: "fx/uusdc", Unit: "usd", MinFeeders: 1, MaxAge: time.Hour}
	zero := time.Time{}
	tests := []struct {
		name string
		msg  sdk.HasValidateBasic
		err  error
	}{
		{"post ok", &types.MsgPostPrice{Feeder: addr1, FeedId: "fx/uusdc", Value: dec("1")}, nil},
		{"post with expiry ok", &types.MsgPostPrice{Feeder: addr1, FeedId: "fx/uusdc", Value: dec("1"), ExpiresAt: &t0}, nil},
		{"post bad feeder", &types.MsgPostPrice{Feeder: "cosmos1xyz", FeedId: "fx/uusdc", Value: dec("1")}, sdkerrors.ErrInvalidAddress},
		{"post bad feed", &types.MsgPostPrice{Feeder: addr1, FeedId: "fx//uusdc", Value: dec("1")}, types.ErrInvalidFeedID},
		{"post zero value", &types.MsgPostPrice{Feeder: addr1, FeedId: "fx/uusdc", Value: dec("0")}, types.ErrInvalidValue},
		{"post negative value", &types.MsgPostPrice{Feeder: addr1, FeedId: "fx/uusdc", Value: dec("-1")}, types.ErrInvalidValue},
		{"post nil value", &types.MsgPostPrice{Feeder: addr1, FeedId: "fx/uusdc"}, types.ErrInvalidValue},
		{"post zero expiry", &types.MsgPostPrice{Feeder: addr1, FeedId: "fx/uusdc", Value: dec("1"), ExpiresAt: &zero}, types.ErrInvalidExpiry},
		{"add feed ok", &types.MsgAddFeed{Authority: addr1, Feed: feed}, nil},
		{"add feed bad authority", &types.MsgAddFeed{Authority: "", Feed: feed}, sdkerrors.ErrInvalidAddress},
		{"add feed bad feed", &types.MsgAddFeed{Authority: addr1, Feed: types.Feed{Id: "fx/uusdc"}}, types.ErrInvalidFeed},
		{"update feed bad feed", &types.MsgUpdateFeed{Authority: addr1, Feed: types.Feed{Id: "fx/"}}, types.ErrInvalidFeedID},
		{"remove feed ok", &types.MsgRemoveFeed{Authority: addr1, FeedId: "fx/uusdc"}, nil},
		{"remove feed empty id", &types.MsgRemoveFeed{Authority: addr1}, types.ErrInvalidFeedID},
		{"add feeder ok", &types.MsgAddFeeder{Authority: addr1, FeedId: "fx/uusdc", Feeder: addr2}, nil},
		{"add feeder bad feeder", &types.MsgAddFeeder{Authority: addr1, FeedId: "fx/uusdc", Feeder: "x"}, sdkerrors.ErrInvalidAddress},
		{"remove feeder bad id", &types.MsgRemoveFeeder{Authority: addr1, FeedId: "FX", Feeder: addr2}, types.ErrInvalidFeedID},
		{"update params ok", &types.MsgUpdateParams{Authority: addr1, Params: types.DefaultParams()}, nil},
		{"update params invalid", &types.MsgUpdateParams{Authority: addr1}, types.ErrInvalidParams},
	}
	for _, tc := range tests {
		err := tc.msg.ValidateBasic()
		if tc.err == nil {
			require.NoError(t, err, tc.name)
		} else {
			require.ErrorIs(t, err, tc.err, tc.name)
		}
	}
}
