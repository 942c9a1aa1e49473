package keeper_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/caliber/types"
)

func TestPartiesLifecycle(t *testing.T) {
	f := setup(t)
	auth := authority.String()
	newParty := party(stranger, types.RoleCurator, types.RoleTreasuryCustodian)

	before := f.state()
	for name, tc := range map[string]struct {
		msg *types.MsgRegisterParty
		err error
	}{
		"not the authority":  {&types.MsgRegisterParty{Authority: issuer.String(), Party: newParty}, sdkerrors.ErrUnauthorized},
		"already registered": {&types.MsgRegisterParty{Authority: auth, Party: party(issuer, types.RoleIssuer)}, types.ErrPartyExists},
		"no roles":           {&types.MsgRegisterParty{Authority: auth, Party: party(stranger)}, types.ErrInvalidParty},
		"unspecified role":   {&types.MsgRegisterParty{Authority: auth, Party: party(stranger, types.RoleUnspecified)}, types.ErrInvalidParty},
		"unknown role":       {&types.MsgRegisterParty{Authority: auth, Party: party(stranger, types.Role(42))}, types.ErrInvalidParty},
		"repeated role":      {&types.MsgRegisterParty{Authority: auth, Party: party(stranger, types.RoleCurator, types.RoleCurator)}, types.ErrInvalidParty},
		"bad address":        {&types.MsgRegisterParty{Authority: auth, Party: types.Party{Address: "x", Roles: []types.Role{types.RoleCurator}}}, sdkerrors.ErrInvalidAddress},
	} {
		_, err := f.msgs.RegisterParty(f.ctx, tc.msg)
		f.requireUnchanged(before, err, tc.err, name)
	}

	_, err := f.msgs.RegisterParty(f.ctx, &types.MsgRegisterParty{Authority: auth, Party: newParty})
	require.NoError(t, err)
	require.True(t, f.k.HasRole(f.ctx, stranger, types.RoleCurator))
	require.True(t, f.k.HasRole(f.ctx, stranger, types.RoleTreasuryCustodian))
	require.False(t, f.k.HasRole(f.ctx, stranger, types.RoleIssuer))

	updated := party(stranger, types.RoleIssuer)
	_, err = f.msgs.UpdateParty(f.ctx, &types.MsgUpdateParty{Authority: auth, Party: updated})
	require.NoError(t, err)
	require.False(t, f.k.HasRole(f.ctx, stranger, types.RoleCurator), "roles are replaced")
	require.True(t, f.k.HasRole(f.ctx, stranger, types.RoleIssuer))
	res, err := f.query.Parties(f.ctx, &types.QueryPartiesRequest{Role: types.RoleCurator})
	require.NoError(t, err)
	require.Len(t, res.Parties, 1, "the role index follows (appraiser3 only)")
	_, err = f.msgs.UpdateParty(f.ctx, &types.MsgUpdateParty{Authority: auth, Party: party(buyer, types.RoleIssuer)})
	require.ErrorIs(t, err, types.ErrPartyNotFound)

	before = f.state()
	_, err = f.msgs.SetPartyActive(f.ctx, &types.MsgSetPartyActive{Authority: issuer.String(), Address: stranger.String()})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized)
	_, err = f.msgs.SetPartyActive(f.ctx, &types.MsgSetPartyActive{Authority: auth, Address: buyer.String()})
	f.requireUnchanged(before, err, types.ErrPartyNotFound)
	_, err = f.msgs.SetPartyActive(f.ctx, &types.MsgSetPartyActive{Authority: auth, Address: stranger.String(), Active: false})
	require.NoError(t, err)
	require.False(t, f.k.HasRole(f.ctx, stranger, types.RoleIssuer), "inactive parties hold no role")
	p, err := f.query.Party(f.ctx, &types.QueryPartyRequest{Address: stranger.String()})
	require.NoError(t, err)
	require.False(t, p.Party.Active)
}

func TestAssetClassesAndParams(t *testing.T) {
	f := setup(t)
	auth := authority.String()
	class := h100Class()
	class.Id = "nvidia-b200-192gb"

	before := f.state()
	for name, tc := range map[string]struct {
		mutate func(c *types.AssetClass)
		err    error
	}{
		"bad id":              {func(c *types.AssetClass) { c.Id = "B200" }, types.ErrInvalidAssetClass},
		"no kind":             {func(c *types.AssetClass) { c.Kind = types.AssetKindUnspecified }, types.ErrInvalidAssetClass},
		"zero max_ltv":        {func(c *types.AssetClass) { c.MaxLtv = dec("0") }, types.ErrInvalidAssetClass},
		"max_ltv above 1":     {func(c *types.AssetClass) { c.MaxLtv = dec("1.01") }, types.ErrInvalidAssetClass},
		"negative residual":   {func(c *types.AssetClass) { c.ResidualRatio = dec("-0.1") }, types.ErrInvalidAssetClass},
		"depreciation > 1":    {func(c *types.AssetClass) { c.DepreciationPerYear = dec("1.5") }, types.ErrInvalidAssetClass},
		"zero min_appraisals": {func(c *types.AssetClass) { c.MinAppraisals = 0 }, types.ErrInvalidAssetClass},
		"bad market feed":     {func(c *types.AssetClass) { c.MarketFeed = "GPU//x" }, types.ErrInvalidAssetClass},
	} {
		c := class
		tc.mutate(&c)
		_, err := f.msgs.AddAssetClass(f.ctx, &types.MsgAddAssetClass{Authority: auth, AssetClass: c})
		f.requireUnchanged(before, err, tc.err, name)
	}
	_, err := f.msgs.AddAssetClass(f.ctx, &types.MsgAddAssetClass{Authority: stranger.String(), AssetClass: class})
	f.requireUnchanged(before, err, sdkerrors.ErrUnauthorized)
	_, err = f.msgs.AddAssetClass(f.ctx, &types.MsgAddAssetClass{Authority: auth, AssetClass: h100Class()})
	f.requireUnchanged(before, err, types.ErrAssetClassExists)
	_, err = f.msgs.UpdateAssetClass(f.ctx, &types.MsgUpdateAssetClass{Authority: auth, AssetClass: class})
	f.requireUnchanged(before, err, types.ErrAssetClassNotFound)

	_, err = f.msgs.AddAssetClass(f.ctx, &types.MsgAddAssetClass{Authority: auth, AssetClass: class})
	require.NoError(t, err)
	class.Eligible = false
	_, err = f.msgs.UpdateAssetClass(f.ctx, &types.MsgUpdateAssetClass{Authority: auth, AssetClass: class})
	require.NoError(t, err)
	got, err := f.k.GetAssetClass(f.ctx, class.Id)
	require.NoError(t, err)
	require.Equal(t, class, got)

	params := types.DefaultParams()
	params.CustodyAttestationMaxAge = 10 * time.Minute
	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: stranger.String(), Params: params})
	require.ErrorIs(t, err, sdkerrors.ErrUnauthorized)
	bad := params
	bad.MaxStaleChecksPerBlock = 0
	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: auth, Params: bad})
	require.ErrorIs(t, err, types.ErrInvalidParams)
	_, err = f.msgs.UpdateParams(f.ctx, &types.MsgUpdateParams{Authority: auth, Params: params})
	require.NoError(t, err)
	stored, err := f.k.GetParams(f.ctx)
	require.NoError(t, err)
	require.Equal(t, params, stored)

	// The new max age applies from the next attestation.
	id := f.active()
	c, err := f.k.Custody.Get(f.ctx, id)
	require.NoError(t, err)
	require.Equal(t, f.ctx.BlockTime().Add(10*time.Minute), c.ExpiresAt)
}
