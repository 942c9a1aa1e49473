package types_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/yield/types"
)

var addr = sdk.AccAddress([]byte("someone_____________")).String()

func TestParamsValidate(t *testing.T) {
	require.NoError(t, types.DefaultParams().Validate())
	for _, tc := range []struct {
		name string
		edit func(p *types.Params)
	}{
		{"zero epoch", func(p *types.Params) { p.EpochLength = 0 }},
		{"sub-second epoch", func(p *types.Params) { p.EpochLength = time.Millisecond }},
		{"epoch above 10 years", func(p *types.Params) { p.EpochLength = types.MaxDurationParam + time.Second }},
		{"cutoff equal to the epoch", func(p *types.Params) { p.CancelCutoff = p.EpochLength }},
		{"negative cutoff", func(p *types.Params) { p.CancelCutoff = -time.Second }},
		{"no redemptions per block", func(p *types.Params) { p.MaxRedemptionsPerBlock = 0 }},
		{"too many redemptions per block", func(p *types.Params) { p.MaxRedemptionsPerBlock = 1_001 }},
		{"protocol bid share above 100%", func(p *types.Params) { p.ProtocolBidShareBps = 10_001 }},
		{"admin fee above 100%", func(p *types.Params) { p.AdminFeeBps = 10_001 }},
		{"buffer above 100%", func(p *types.Params) { p.LiquidityBufferBps = 10_001 }},
		{"zero rebalance interval", func(p *types.Params) { p.RebalanceInterval = 0 }},
		{"bad feed", func(p *types.Params) { p.TreasuryRateFeed = "Rate//x" }},
		{"empty feed", func(p *types.Params) { p.TreasuryRateFeed = "" }},
		{"bad custodian", func(p *types.Params) { p.TreasuryCustodian = "infra1nope" }},
		{"custodian without denom", func(p *types.Params) { p.TreasuryCustodian = addr }},
		{"USDai as reserve", func(p *types.Params) { p.TreasuryCustodian, p.TreasuryReserveDenom = addr, types.AssetDenom }},
		{"bad denom", func(p *types.Params) { p.TreasuryReserveDenom = "1x" }},
		{"zero checkpoint interval", func(p *types.Params) { p.CheckpointInterval = 0 }},
		{"no checkpoints", func(p *types.Params) { p.MaxCheckpoints = 0 }},
		{"too many checkpoints", func(p *types.Params) { p.MaxCheckpoints = 100_001 }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			p := types.DefaultParams()
			tc.edit(&p)
			require.ErrorIs(t, p.Validate(), types.ErrInvalidParams)
		})
	}
	p := types.DefaultParams()
	p.TreasuryCustodian, p.TreasuryReserveDenom = addr, "uusdc"
	require.NoError(t, p.Validate())
}

func TestMsgValidateBasic(t *testing.T) {
	coin := func(denom string, v int64) sdk.Coin { return sdk.Coin{Denom: denom, Amount: math.NewInt(v)} }
	for _, tc := range []struct {
		name string
		msg  sdk.HasValidateBasic
		err  error
	}{
		{"deposit ok", &types.MsgDeposit{Depositor: addr, Amount: coin("uusdai", 1)}, nil},
		{"deposit of another denom", &types.MsgDeposit{Depositor: addr, Amount: coin("uusdc", 1)}, types.ErrInvalidDenom},
		{"deposit of zero", &types.MsgDeposit{Depositor: addr, Amount: coin("uusdai", 0)}, types.ErrInvalidAmount},
		{"deposit of a nil amount", &types.MsgDeposit{Depositor: addr, Amount: sdk.Coin{Denom: "uusdai"}}, types.ErrInvalidAmount},
		{"absurd deposit", &types.MsgDeposit{Depositor: addr, Amount: sdk.Coin{Denom: "uusdai", Amount: types.MaxAssets.AddRaw(1)}}, types.ErrOverflow},
		{"deposit from a bad address", &types.MsgDeposit{Depositor: "x", Amount: coin("uusdai", 1)}, sdkerrors.ErrInvalidAddress},
		{"request ok", &types.MsgRequestRedeem{Owner: addr, Shares: math.OneInt(), BidBps: 10_000}, nil},
		{"request with bid above 10000", &types.MsgRequestRedeem{Owner: addr, Shares: math.OneInt(), BidBps: 10_001}, types.ErrInvalidBid},
		{"request of zero shares", &types.MsgRequestRedeem{Owner: addr, Shares: math.ZeroInt()}, types.ErrInvalidAmount},
		{"request of absurd shares", &types.MsgRequestRedeem{Owner: addr, Shares: types.MaxShares.AddRaw(1)}, types.ErrOverflow},
		{"update bid above 10000", &types.MsgUpdateBid{Owner: addr, BidBps: 10_001}, types.ErrInvalidBid},
		{"cancel from a bad address", &types.MsgCancelRedeem{Owner: "x"}, sdkerrors.ErrInvalidAddress},
		{"settle ok", &types.MsgSettleTreasury{Custodian: addr, Principal: math.OneInt(), Yield: math.ZeroInt()}, nil},
		{"settle of nothing", &types.MsgSettleTreasury{Custodian: addr, Principal: math.ZeroInt(), Yield: math.ZeroInt()}, types.ErrInvalidAmount},
		{"settle with nil yield", &types.MsgSettleTreasury{Custodian: addr, Principal: math.OneInt()}, types.ErrInvalidAmount},
		{"settle of absurd principal", &types.MsgSettleTreasury{Custodian: addr, Principal: types.MaxAssets.AddRaw(1), Yield: math.ZeroInt()}, types.ErrOverflow},
		{"params with bad authority", &types.MsgUpdateParams{Authority: "x", Params: types.DefaultParams()}, sdkerrors.ErrInvalidAddress},
		{"bad params", &types.MsgUpdateParams{Authority: addr}, types.ErrInvalidParams},
	} {
		t.Run(tc.name, func(t *testing.T) {
			err := tc.msg.ValidateBasic()
			if tc.err == nil {
				require.NoError(t, err)
				return
			}
			require.ErrorIs(t, err, tc.err)
		})
	}
}
