package keeper_test

import (
	"testing"

	"github.com/stretchr/testify/require"

	"cosmossdk.io/math"

	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/x/stable/types"
)

func TestUpdateParams(t *testing.T) {
	f := setup(t)
	p := testParams()
	p.SupplyCap = math.NewInt(42)
	p.Paused = true

	em := f.freshEvents()
	_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority.String(), Params: p})
	require.NoError(t, err)
	got, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	require.Equal(t, p, got)
	ev := typedEvent[types.EventParamsUpdated](t, em, "infrafi.stable.v1.EventParamsUpdated")
	require.Equal(t, p, ev.Params)
}

func TestUpdateParamsRefusals(t *testing.T) {
	tests := []struct {
		name      string
		authority string
		mutate    func(f *fixture, p *types.Params)
		want      error
	}{
		{name: "not the authority", authority: alice.String(), want: sdkerrors.ErrUnauthorized},
		{name: "bad authority address", authority: "infra1bad", want: sdkerrors.ErrInvalidAddress},
		{name: "USDai as reserve", mutate: func(_ *fixture, p *types.Params) { p.Reserves[1].Denom = usdai }, want: types.ErrInvalidParams},
		{name: "duplicate reserve", mutate: func(_ *fixture, p *types.Params) { p.Reserves[1].Denom = usdc }, want: types.ErrInvalidParams},
		{name: "fee over 100%", mutate: func(_ *fixture, p *types.Params) { p.Reserves[0].RedeemFeeBps = 10_001 }, want: types.ErrInvalidParams},
		{name: "negative cap", mutate: func(_ *fixture, p *types.Params) { p.Reserves[0].Cap = math.NewInt(-1) }, want: types.ErrInvalidParams},
		{name: "threshold above 1", mutate: func(_ *fixture, p *types.Params) {
			p.Reserves[0].DepegThreshold = math.LegacyMustNewDecFromStr("1.01")
		}, want: types.ErrInvalidParams},
		{name: "nil supply cap", mutate: func(_ *fixture, p *types.Params) { p.SupplyCap = math.Int{} }, want: types.ErrInvalidParams},
		{
			name: "dropping a reserve the module holds",
			mutate: func(f *fixture, p *types.Params) {
				f.mustMint(alice, coin(pyusd, 1))
				p.Reserves = p.Reserves[:1]
			},
			want: types.ErrReserveStillBacking,
		},
		{
			name: "dropping a reserve still out at the treasury",
			mutate: func(f *fixture, p *types.Params) {
				f.mustMint(alice, coin(pyusd, 10))
				require.NoError(f.t, f.bank.SendCoinsFromAccountToModule(f.ctx, alice, vault, sdk.NewCoins(coin(usdai, 10))))
				require.NoError(f.t, f.k.AllocateToTreasury(f.ctx, vault, custodian, pyusd, math.NewInt(10)))
				require.True(f.t, f.moduleBalance(types.ModuleName, pyusd).IsZero())
				p.Reserves = p.Reserves[:1]
			},
			want: types.ErrReserveStillBacking,
		},
		{
			name: "a reserve whose metadata says 18 decimals",
			mutate: func(f *fixture, p *types.Params) {
				f.bank.SetDenomMetaData(f.ctx, banktypes.Metadata{
					Base: "aweth", Display: "weth", Name: "WETH", Symbol: "WETH",
					DenomUnits: []*banktypes.DenomUnit{{Denom: "aweth", Exponent: 0}, {Denom: "weth", Exponent: 18}},
				})
				p.Reserves = append(p.Reserves, types.ReserveAsset{Denom: "aweth", Cap: math.NewInt(1)})
			},
			want: types.ErrInvalidParams,
		},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			p := testParams()
			if tc.mutate != nil {
				tc.mutate(f, &p)
			}
			auth := tc.authority
			if auth == "" {
				auth = authority.String()
			}
			before := f.snapshot()
			_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: auth, Params: p})
			require.ErrorIs(t, err, tc.want)
			f.requireUnchanged(before)
		})
	}
}

func TestUpdateParamsDropsAnEmptyReserveAndChecksMetadata(t *testing.T) {
	f := setup(t)
	// uusdc with 6-decimal metadata is accepted, like a denom without metadata.
	f.bank.SetDenomMetaData(f.ctx, banktypes.Metadata{
		Base: usdc, Display: "usdc", Name: "USDC", Symbol: "USDC",
		DenomUnits: []*banktypes.DenomUnit{{Denom: usdc, Exponent: 0}, {Denom: "usdc", Exponent: 6}},
	})
	p := testParams()
	p.Reserves = p.Reserves[:2] // udai never held anything
	_, err := f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: authority.String(), Params: p})
	require.NoError(t, err)
	got, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	require.Len(t, got.Reserves, 2)
}

func (f *fixture) allowlist() []string {
	f.t.Helper()
	res, err := f.query.Allowlist(f.ctx, &types.QueryAllowlistRequest{})
	require.NoError(f.t, err)
	return res.Addresses
}

func TestUpdateAllowlist(t *testing.T) {
	f := setup(t)
	carol := sdk.AccAddress([]byte("carol_______________"))

	em := f.freshEvents()
	_, err := f.msgs.UpdateAllowlist(f.ctx, &types.MsgUpdateAllowlist{Authority: authority.String(), Add: []string{alice.String(), bob.String()}})
	require.NoError(t, err)
	require.ElementsMatch(t, []string{alice.String(), bob.String()}, f.allowlist())
	ev := typedEvent[types.EventAllowlistUpdated](t, em, "infrafi.stable.v1.EventAllowlistUpdated")
	require.Equal(t, []string{alice.String(), bob.String()}, ev.Added)
	require.Empty(t, ev.Removed)

	// Re-adding alice and removing an unlisted carol change nothing; bob goes.
	em = f.freshEvents()
	_, err = f.msgs.UpdateAllowlist(f.ctx, &types.MsgUpdateAllowlist{
		Authority: authority.String(), Add: []string{alice.String()}, Remove: []string{bob.String(), carol.String()},
	})
	require.NoError(t, err)
	require.Equal(t, []string{alice.String()}, f.allowlist())
	ev = typedEvent[types.EventAllowlistUpdated](t, em, "infrafi.stable.v1.EventAllowlistUpdated")
	require.Empty(t, ev.Added)
	require.Equal(t, []string{bob.String()}, ev.Removed)
}

func TestUpdateAllowlistRefusals(t *testing.T) {
	many := make([]string, types.MaxAllowlistUpdate+1)
	for i := range many {
		many[i] = sdk.AccAddress([]byte{byte(i), 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19}).String()
	}
	tests := []struct {
		name string
		msg  types.MsgUpdateAllowlist
		want error
	}{
		{name: "not the authority", msg: types.MsgUpdateAllowlist{Authority: alice.String(), Add: []string{bob.String()}}, want: sdkerrors.ErrUnauthorized},
		{name: "nothing to do", msg: types.MsgUpdateAllowlist{Authority: authority.String()}, want: types.ErrInvalidAllowlist},
		{name: "bad address", msg: types.MsgUpdateAllowlist{Authority: authority.String(), Add: []string{"infra1bad"}}, want: sdkerrors.ErrInvalidAddress},
		{name: "added twice", msg: types.MsgUpdateAllowlist{Authority: authority.String(), Add: []string{bob.String(), bob.String()}}, want: types.ErrInvalidAllowlist},
		{name: "added and removed", msg: types.MsgUpdateAllowlist{Authority: authority.String(), Add: []string{bob.String()}, Remove: []string{bob.String()}}, want: types.ErrInvalidAllowlist},
		{name: "too many", msg: types.MsgUpdateAllowlist{Authority: authority.String(), Add: many}, want: types.ErrInvalidAllowlist},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := setup(t)
			before := f.snapshot()
			_, err := f.msgs.UpdateAllowlist(f.ctx, &tc.msg)
			require.ErrorIs(t, err, tc.want)
			f.requireUnchanged(before)
		})
	}
}
