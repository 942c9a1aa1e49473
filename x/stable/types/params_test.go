package types_test

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/stable/types"
)

func usdcReserve() types.ReserveAsset {
	return types.ReserveAsset{
		Denom: "uusdc", Enabled: true, MintFeeBps: 10, RedeemFeeBps: 10, Cap: math.NewInt(1_000),
		DepegFeed: "fx/uusdc", DepegThreshold: math.LegacyMustNewDecFromStr("0.98"),
	}
}

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	valid := func() types.Params {
		return types.NewParams([]types.ReserveAsset{usdcReserve()}, math.NewInt(5_000), false, false)
	}
	require.NoError(t, valid().Validate())

	ok := []struct {
		name   string
		mutate func(p *types.Params)
	}{
		{"no depeg guard, nil threshold", func(p *types.Params) { p.Reserves[0].DepegFeed = ""; p.Reserves[0].DepegThreshold = math.LegacyDec{} }},
		{"no depeg guard, zero threshold", func(p *types.Params) {
			p.Reserves[0].DepegFeed = ""
			p.Reserves[0].DepegThreshold = math.LegacyZeroDec()
		}},
		{"threshold exactly 1", func(p *types.Params) { p.Reserves[0].DepegThreshold = math.LegacyOneDec() }},
		{"fees 100%", func(p *types.Params) { p.Reserves[0].MintFeeBps, p.Reserves[0].RedeemFeeBps = 10_000, 10_000 }},
		{"zero caps", func(p *types.Params) { p.Reserves[0].Cap, p.SupplyCap = math.ZeroInt(), math.ZeroInt() }},
		{"ibc denom", func(p *types.Params) {
			p.Reserves[0].Denom = "ibc/27394FB092D2ECCD56123C74F36E4C1F926001CEADA9CA97EA622B25F41E5EB2"
		}},
		{"16 reserves", func(p *types.Params) {
			p.Reserves = nil
			for i := 0; i < types.MaxReserves; i++ {
				r := usdcReserve()
				r.Denom = fmt.Sprintf("ures%d", i)
				p.Reserves = append(p.Reserves, r)
			}
		}},
	}
	for _, tc := range ok {
		p := valid()
		tc.mutate(&p)
		require.NoError(t, p.Validate(), tc.name)
	}

	bad := []struct {
		name   string
		mutate func(p *types.Params)
	}{
		{"USDai as reserve", func(p *types.Params) { p.Reserves[0].Denom = types.USDaiDenom }},
		{"sUSDai as reserve", func(p *types.Params) { p.Reserves[0].Denom = types.SUSDaiDenom }},
		{"invalid denom", func(p *types.Params) { p.Reserves[0].Denom = "1x" }},
		{"empty denom", func(p *types.Params) { p.Reserves[0].Denom = "" }},
		{"duplicate denom", func(p *types.Params) { p.Reserves = append(p.Reserves, usdcReserve()) }},
		{"mint fee over 100%", func(p *types.Params) { p.Reserves[0].MintFeeBps = 10_001 }},
		{"redeem fee over 100%", func(p *types.Params) { p.Reserves[0].RedeemFeeBps = 10_001 }},
		{"nil cap", func(p *types.Params) { p.Reserves[0].Cap = math.Int{} }},
		{"negative cap", func(p *types.Params) { p.Reserves[0].Cap = math.NewInt(-1) }},
		{"nil supply cap", func(p *types.Params) { p.SupplyCap = math.Int{} }},
		{"negative supply cap", func(p *types.Params) { p.SupplyCap = math.NewInt(-1) }},
		{"bad feed id", func(p *types.Params) { p.Reserves[0].DepegFeed = "FX//usdc" }},
		{"feed without threshold", func(p *types.Params) { p.Reserves[0].DepegThreshold = math.LegacyDec{} }},
		{"zero threshold", func(p *types.Params) { p.Reserves[0].DepegThreshold = math.LegacyZeroDec() }},
		{"threshold above 1", func(p *types.Params) {
			p.Reserves[0].DepegThreshold = math.LegacyMustNewDecFromStr("1.000000000000000001")
		}},
		{"negative threshold", func(p *types.Params) { p.Reserves[0].DepegThreshold = math.LegacyMustNewDecFromStr("-0.5") }},
		{"threshold without feed", func(p *types.Params) { p.Reserves[0].DepegFeed = "" }},
		{"17 reserves", func(p *types.Params) {
			p.Reserves = nil
			for i := 0; i <= types.MaxReserves; i++ {
				r := usdcReserve()
				r.Denom = fmt.Sprintf("ures%d", i)
				p.Reserves = append(p.Reserves, r)
			}
		}},
	}
	for _, tc := range bad {
		p := valid()
		tc.mutate(&p)
		require.ErrorIs(t, p.Validate(), types.ErrInvalidParams, tc.name)
	}
}

func TestMsgValidateBasic(t *testing.T) {
	addr := sdk.AccAddress([]byte("sender______________")).String()
	tests := []struct {
		name string
		msg  sdk.HasValidateBasic
		want error
	}{
		{"mint ok", &types.MsgMint{Sender: addr, Amount: sdk.NewInt64Coin("uusdc", 1)}, nil},
		{"mint bad sender", &types.MsgMint{Sender: "x", Amount: sdk.NewInt64Coin("uusdc", 1)}, sdkerrors.ErrInvalidAddress},
		{"mint zero", &types.MsgMint{Sender: addr, Amount: sdk.NewInt64Coin("uusdc", 0)}, types.ErrInvalidAmount},
		{"mint negative", &types.MsgMint{Sender: addr, Amount: sdk.Coin{Denom: "uusdc", Amount: math.NewInt(-1)}}, types.ErrInvalidAmount},
		{"mint nil amount", &types.MsgMint{Sender: addr, Amount: sdk.Coin{Denom: "uusdc"}}, types.ErrInvalidAmount},
		{"mint USDai", &types.MsgMint{Sender: addr, Amount: sdk.NewInt64Coin("uusdai", 1)}, types.ErrInvalidReserve},
		{"mint sUSDai", &types.MsgMint{Sender: addr, Amount: sdk.NewInt64Coin("ususdai", 1)}, types.ErrInvalidReserve},
		{"redeem ok", &types.MsgRedeem{Sender: addr, Amount: sdk.NewInt64Coin("uusdai", 1), ReserveDenom: "uusdc"}, nil},
		{"redeem not USDai", &types.MsgRedeem{Sender: addr, Amount: sdk.NewInt64Coin("uusdc", 1), ReserveDenom: "uusdc"}, types.ErrInvalidAmount},
		{"redeem zero", &types.MsgRedeem{Sender: addr, Amount: sdk.NewInt64Coin("uusdai", 0), ReserveDenom: "uusdc"}, types.ErrInvalidAmount},
		{"redeem into USDai", &types.MsgRedeem{Sender: addr, Amount: sdk.NewInt64Coin("uusdai", 1), ReserveDenom: "uusdai"}, types.ErrInvalidReserve},
		{"redeem into nothing", &types.MsgRedeem{Sender: addr, Amount: sdk.NewInt64Coin("uusdai", 1)}, types.ErrInvalidReserve},
		{"params ok", &types.MsgUpdateParams{Authority: addr, Params: types.DefaultParams()}, nil},
		{"params bad authority", &types.MsgUpdateParams{Authority: "", Params: types.DefaultParams()}, sdkerrors.ErrInvalidAddress},
		{"params invalid", &types.MsgUpdateParams{Authority: addr, Params: types.Params{}}, types.ErrInvalidParams},
		{"allowlist ok", &types.MsgUpdateAllowlist{Authority: addr, Remove: []string{addr}}, nil},
		{"allowlist empty", &types.MsgUpdateAllowlist{Authority: addr}, types.ErrInvalidAllowlist},
	}
	for _, tc := range tests {
		err := tc.msg.ValidateBasic()
		if tc.want == nil {
			require.NoError(t, err, tc.name)
		} else {
			require.ErrorIs(t, err, tc.want, tc.name)
		}
	}
}
