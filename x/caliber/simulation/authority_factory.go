package simulation

import (
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/caliber/keeper"
	"github.com/infrafi/infrafi/x/caliber/types"
	"github.com/infrafi/infrafi/x/internal/simutil"
)

// Authority messages: the valid ones are governance proposals (ProposalMsgsX:
// no signer, authority = the gov module account); the invalid ones are sent
// as plain transactions by a simulated account posing as the authority.
//
// The proposals never take a role away from a simutil role account nor make
// a class of simutil.GPUClasses ineligible, so the other modules' simulations
// keep their parties and collateral classes. New parties are users that get
// APPRAISER and/or INSURER (never CURATOR or TREASURY_CUSTODIAN, which other
// modules' invalid-input operations assume users lack).

// isRoleAccount reports whether addr is one of the simutil role accounts.
func isRoleAccount(testData *simsx.ChainDataSource, addr string) bool {
	accs := testData.AllAccounts()
	for i := 0; i < simutil.NumRoles && i < len(accs); i++ {
		if accs[i].Address.String() == addr {
			return true
		}
	}
	return false
}

// userRoles returns a non-empty random subset of {APPRAISER, INSURER}.
func userRoles(r *simsx.XRand) []types.Role {
	switch r.Intn(3) {
	case 0:
		return []types.Role{types.RoleAppraiser}
	case 1:
		return []types.Role{types.RoleInsurer}
	default:
		return []types.Role{types.RoleAppraiser, types.RoleInsurer}
	}
}

// govAuthority is the gov module account address (the module authority).
func govAuthority(testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) string {
	return testData.ModuleAccountAddress(reporter, "gov")
}

// MsgRegisterPartyFactory registers a user that is no party yet as an appraiser and/or insurer.
func MsgRegisterPartyFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgRegisterParty] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgRegisterParty) {
		r := testData.Rand()
		var candidates []string
		for _, a := range users(testData) {
			if has, err := k.Parties.Has(ctx, a.Address); err == nil && !has {
				candidates = append(candidates, a.Address.String())
			}
		}
		if len(candidates) == 0 {
			reporter.Skip("every user is a party")
			return nil, nil
		}
		addr := simsx.OneOf(r, candidates)
		return nil, &types.MsgRegisterParty{
			Authority: govAuthority(testData, reporter),
			Party: types.Party{
				Address: addr, Roles: userRoles(r), Name: "sim party " + r.StringN(6), Active: true,
				MetadataUri: "https://sim.infrafi/parties/" + addr,
			},
		}
	}
}

// MsgUpdatePartyFactory renames a party; a non-role party also gets new
// roles and may be deactivated.
func MsgUpdatePartyFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgUpdateParty] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParty) {
		r := testData.Rand()
		parties := allParties(ctx, k)
		if len(parties) == 0 {
			reporter.Skip("no party")
			return nil, nil
		}
		p := simsx.OneOf(r, parties)
		p.Name = "sim party " + r.StringN(6)
		p.MetadataUri = fmt.Sprintf("https://sim.infrafi/parties/%s/v%d", p.Address, r.Intn(100))
		if isRoleAccount(testData, p.Address) {
			p.Active = true
		} else {
			p.Roles = userRoles(r)
			p.Active = r.Intn(10) < 7
		}
		return nil, &types.MsgUpdateParty{Authority: govAuthority(testData, reporter), Party: p}
	}
}

// MsgSetPartyActiveFactory (de)activates a non-role party, or reactivates a role account.
func MsgSetPartyActiveFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgSetPartyActive] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgSetPartyActive) {
		r := testData.Rand()
		parties := allParties(ctx, k)
		if len(parties) == 0 {
			reporter.Skip("no party")
			return nil, nil
		}
		p := simsx.OneOf(r, parties)
		active := isRoleAccount(testData, p.Address) || r.Intn(2) == 0
		return nil, &types.MsgSetPartyActive{Authority: govAuthority(testData, reporter), Address: p.Address, Active: active}
	}
}

// randomKind is a random asset kind.
func randomKind(r *simsx.XRand) types.AssetKind {
	return simsx.OneOf(r, []types.AssetKind{types.AssetKindGPU, types.AssetKindStorage, types.AssetKindNetwork, types.AssetKindPower})
}

// MsgAddAssetClassFactory registers an eligible class valued by appraisal alone.
func MsgAddAssetClassFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgAddAssetClass] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgAddAssetClass) {
		r := testData.Rand()
		id := fmt.Sprintf("sim-extra-%06d", r.Intn(1_000_000))
		if has, err := k.AssetClasses.Has(ctx, id); err != nil || has {
			reporter.Skip("class id taken")
			return nil, nil
		}
		return nil, &types.MsgAddAssetClass{Authority: govAuthority(testData, reporter), AssetClass: types.AssetClass{
			Id:                  id,
			Kind:                randomKind(r),
			Manufacturer:        "sim vendor",
			Model:               r.StringN(8),
			MaxLtv:              decIn(r.Rand, 30, 70),
			DepreciationPerYear: decIn(r.Rand, 0, 50),
			ResidualRatio:       decIn(r.Rand, 0, 30),
			MinAppraisals:       1,
			Eligible:            true,
		}}
	}
}

// MsgUpdateAssetClassFactory changes a class's valuation terms; a simulated
// GPU class keeps its feed, stays eligible and needs one appraisal.
func MsgUpdateAssetClassFactory(k *keeper.Keeper) simsx.SimMsgFactoryFn[*types.MsgUpdateAssetClass] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateAssetClass) {
		r := testData.Rand()
		classes := allClasses(ctx, k)
		if len(classes) == 0 {
			reporter.Skip("no asset class")
			return nil, nil
		}
		c := simsx.OneOf(r, classes)
		c.MaxLtv = decIn(r.Rand, 50, 80)
		c.DepreciationPerYear = decIn(r.Rand, 10, 40)
		c.ResidualRatio = decIn(r.Rand, 10, 30)
		if !isGPUClass(c.Id) {
			c.Eligible = r.Intn(10) < 8
		}
		return nil, &types.MsgUpdateAssetClass{Authority: govAuthority(testData, reporter), AssetClass: c}
	}
}

// isGPUClass reports whether id is one of simutil.GPUClasses.
func isGPUClass(id string) bool {
	for _, c := range simutil.GPUClasses {
		if c == id {
			return true
		}
	}
	return false
}

// MsgUpdateParamsFactory sets new random params in the simulation's ranges.
func MsgUpdateParamsFactory() simsx.SimMsgFactoryFn[*types.MsgUpdateParams] {
	return func(_ context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams) {
		return nil, &types.MsgUpdateParams{Authority: govAuthority(testData, reporter), Params: RandomParams(testData.Rand().Rand)}
	}
}

// unauthorized turns a valid authority message into one signed by a random
// simulated account posing as the authority; it must fail with ErrUnauthorized.
func unauthorized[T sdk.Msg](valid simsx.SimMsgFactoryFn[T], setAuthority func(T, string)) simsx.SimMsgFactoryX {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler[T](func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, T, simsx.SimDeliveryResultHandler) {
		var zero T
		_, msg := valid(ctx, testData, reporter)
		if reporter.IsSkipped() {
			return nil, zero, nil
		}
		signer := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			return nil, zero, nil
		}
		setAuthority(msg, signer.AddressBech32)
		return []simsx.SimAccount{signer}, msg, simutil.ExpectError(sdkerrors.ErrUnauthorized)
	})
}

// MsgRegisterPartyInvalidFactory registers a party without authority.
func MsgRegisterPartyInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return unauthorized(MsgRegisterPartyFactory(k), func(m *types.MsgRegisterParty, a string) { m.Authority = a })
}

// MsgUpdatePartyInvalidFactory updates a party without authority.
func MsgUpdatePartyInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return unauthorized(MsgUpdatePartyFactory(k), func(m *types.MsgUpdateParty, a string) { m.Authority = a })
}

// MsgSetPartyActiveInvalidFactory (de)activates a party without authority.
func MsgSetPartyActiveInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return unauthorized(MsgSetPartyActiveFactory(k), func(m *types.MsgSetPartyActive, a string) { m.Authority = a })
}

// MsgAddAssetClassInvalidFactory adds a class without authority.
func MsgAddAssetClassInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return unauthorized(MsgAddAssetClassFactory(k), func(m *types.MsgAddAssetClass, a string) { m.Authority = a })
}

// MsgUpdateAssetClassInvalidFactory updates a class without authority.
func MsgUpdateAssetClassInvalidFactory(k *keeper.Keeper) simsx.SimMsgFactoryX {
	return unauthorized(MsgUpdateAssetClassFactory(k), func(m *types.MsgUpdateAssetClass, a string) { m.Authority = a })
}

// MsgUpdateParamsInvalidFactory updates the params without authority.
func MsgUpdateParamsInvalidFactory() simsx.SimMsgFactoryX {
	return unauthorized(MsgUpdateParamsFactory(), func(m *types.MsgUpdateParams, a string) { m.Authority = a })
}
