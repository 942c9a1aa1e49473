package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"
	"google.golang.org/grpc/codes"
	"google.golang.org/grpc/status"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/query"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"

	"github.com/infrafi/infrafi/x/stable/types"
)

func requireCode(t *testing.T, err error, code codes.Code) {
	t.Helper()
	require.Error(t, err)
	require.Equal(t, code, status.Code(err), err.Error())
}

func TestQueryParamsAndReserves(t *testing.T) {
	f := setup(t)
	params, err := f.query.Params(f.ctx, &types.QueryParamsRequest{})
	require.NoError(t, err)
	require.Equal(t, testParams(), params.Params)

	f.mustMint(alice, coin(usdc, 300_000_000))
	require.NoError(t, f.bank.SendCoinsFromAccountToModule(f.ctx, alice, vault, sdk.NewCoins(coin(usdai, 100_000_000))))
	require.NoError(t, f.k.AllocateToTreasury(f.ctx, vault, custodian, usdc, math.NewInt(100_000_000)))
	f.setPrice(fxUSDC, "0.97", true)

	res, err := f.query.Reserves(f.ctx, &types.QueryReservesRequest{})
	require.NoError(t, err)
	require.Len(t, res.Reserves, 3)
	require.Equal(t, types.ReserveStatus{
		Asset:               testParams().Reserves[0],
		Held:                math.NewInt(200_000_000),
		TreasuryOutstanding: math.NewInt(100_000_000),
		CapRemaining:        math.NewInt(800_000_000),
		FxPrice:             math.LegacyMustNewDecFromStr("0.97"),
		FxPriceValid:        true,
		Depegged:            true,
		Mintable:            false,
	}, res.Reserves[0])
	require.Equal(t, types.ReserveStatus{
		Asset: testParams().Reserves[1], Held: math.ZeroInt(), TreasuryOutstanding: math.ZeroInt(),
		CapRemaining: math.NewInt(500_000_000), FxPrice: math.LegacyZeroDec(), Mintable: true,
	}, res.Reserves[1])
	require.False(t, res.Reserves[2].Mintable, "disabled")

	one, err := f.query.Reserve(f.ctx, &types.QueryReserveRequest{Denom: usdc})
	require.NoError(t, err)
	require.Equal(t, res.Reserves[0], one.Reserve)

	// Paused: nothing is mintable.
	f.setParams(func(p *types.Params) { p.Paused = true })
	one, err = f.query.Reserve(f.ctx, &types.QueryReserveRequest{Denom: pyusd})
	require.NoError(t, err)
	require.False(t, one.Reserve.Mintable)

	_, err = f.query.Reserve(f.ctx, &types.QueryReserveRequest{Denom: "ufoo"})
	requireCode(t, err, codes.NotFound)
	_, err = f.query.Reserve(f.ctx, &types.QueryReserveRequest{Denom: ""})
	requireCode(t, err, codes.InvalidArgument)
	_, err = f.query.Reserve(f.ctx, nil)
	requireCode(t, err, codes.InvalidArgument)
}

func TestQueryProofOfReservesAndFees(t *testing.T) {
	f := setup(t)
	p := f.proof()
	require.True(t, p.UsdaiSupply.IsZero())
	require.True(t, p.TotalReserves.IsZero())
	require.Equal(t, math.LegacyOneDec(), p.Ratio, "nothing owed: fully backed")
	require.Len(t, p.Reserves, 3)

	f.mustMint(alice, coin(usdc, 100_000_000))
	f.mustMint(bob, coin(pyusd, 50_000_000))
	_, err := f.redeem(alice, 10_000_000, usdc)
	require.NoError(t, err)

	p = f.proof()
	require.Equal(t, "140020000", p.UsdaiSupply.String(), "100 + 50 − (10 − 0.02 fee)")
	require.Equal(t, p.UsdaiSupply, p.ReservesHeld)
	require.Equal(t, p.UsdaiSupply, p.TotalReserves)
	require.Equal(t, math.LegacyOneDec(), p.Ratio)
	require.Equal(t, math.LegacyOneDec(), p.TotalRatio)
	require.Equal(t, []types.ReserveBalance{
		{Denom: usdc, Held: math.NewInt(90_020_000), TreasuryOutstanding: math.ZeroInt()},
		{Denom: pyusd, Held: math.NewInt(50_000_000), TreasuryOutstanding: math.ZeroInt()},
		{Denom: dai, Held: math.ZeroInt(), TreasuryOutstanding: math.ZeroInt()},
	}, p.Reserves)

	fees, err := f.query.FeesCollected(f.ctx, &types.QueryFeesCollectedRequest{})
	require.NoError(t, err)
	require.Equal(t, authtypes.NewModuleAddress(types.ProtocolFeeCollector).String(), fees.Address)
	require.Equal(t, sdk.NewCoins(coin(usdai, 100_000+20_000)), fees.Balance, "mint fee 0.1 + redeem fee 0.02")

	_, err = f.query.ProofOfReserves(f.ctx, nil)
	requireCode(t, err, codes.InvalidArgument)
	_, err = f.query.FeesCollected(f.ctx, nil)
	requireCode(t, err, codes.InvalidArgument)
}

func TestQueryAllowlistPagination(t *testing.T) {
	f := setup(t)
	var addrs []sdk.AccAddress
	for i := byte(0); i < 5; i++ {
		addrs = append(addrs, sdk.AccAddress([]byte{i, 'a', 'l', 'l', 'o', 'w', 'l', 'i', 's', 't', 'e', 'd', '_', '_', '_', '_', '_', '_', '_', '_'}))
	}
	_, _, err := f.k.UpdateAllowlist(f.ctx, addrs, nil)
	require.NoError(t, err)

	var got []string
	var next []byte
	for page := 0; ; page++ {
		res, err := f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{Pagination: &query.PageRequest{Key: next, Limit: 2, CountTotal: page == 0}})
		require.NoError(t, err)
		require.LessOrEqual(t, len(res.Addresses), 2)
		if page == 0 {
			require.EqualValues(t, 5, res.Pagination.Total)
		}
		got = append(got, res.Addresses...)
		next = res.Pagination.NextKey
		if next == nil {
			break
		}
	}
	want := make([]string, len(addrs))
	for i, a := range addrs {
		want[i] = a.String()
	}
	require.Equal(t, want, got, "all addresses, in byte order, once")

	res, err := f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{Pagination: &query.PageRequest{Offset: 4, Limit: 10}})
	require.NoError(t, err)
	require.Equal(t, want[4:], res.Addresses)

	listed, err := f.query.Allowlisted(f.ctx, &types.QueryAllowlistedRequest{Address: addrs[2].String()})
	require.NoError(t, err)
	require.Equal(t, types.QueryAllowlistedResponse{Allowlisted: true, Permissioned: false}, *listed)
	f.setParams(func(p *types.Params) { p.Permissioned = true })
	listed, err = f.query.Allowlisted(f.ctx, &types.QueryAllowlistedRequest{Address: alice.String()})
	require.NoError(t, err)
	require.Equal(t, types.QueryAllowlistedResponse{Allowlisted: false, Permissioned: true}, *listed)
	_, err = f.query.Allowlisted(f.ctx, &types.QueryAllowlistedRequest{Address: "bad"})
	requireCode(t, err, codes.InvalidArgument)
	_, err = f.query.Allowlist(f.ctx, nil)
	requireCode(t, err, codes.InvalidArgument)
}
