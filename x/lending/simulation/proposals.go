package simulation

import (
	"context"
	"fmt"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"

	"github.com/infrafi/infrafi/x/internal/simutil"
	"github.com/infrafi/infrafi/x/lending/types"
)

// The authority-only messages: valid ones are gov proposals (ProposalMsgsX),
// invalid ones plain transactions from an account that is not the authority.

// MsgCreateProductFactory proposes a new product for one or all simulated GPU classes.
func MsgCreateProductFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgCreateProduct] {
	return func(_ context.Context, testData *simsx.ChainDataSource, _ simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCreateProduct) {
		r := testData.Rand().Rand
		classes := simutil.GPUClasses
		if r.Intn(2) == 0 {
			classes = []string{pick(r, simutil.GPUClasses)}
		}
		p := RandomProduct(r, fmt.Sprintf("sim-gov-%d", r.Intn(1_000_000_000)), classes)
		return nil, &types.MsgCreateProduct{Authority: k.Lending.GetAuthority(), Product: p}
	}
}

// MsgUpdateProductFactory proposes new terms for an existing product (same
// classes and enabled flag).
func MsgUpdateProductFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgUpdateProduct] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateProduct) {
		r := testData.Rand().Rand
		products := k.products(ctx, func(types.Product) bool { return true })
		if len(products) == 0 {
			reporter.Skip("no product")
			return nil, nil
		}
		old := pick(r, products)
		p := RandomProduct(r, old.Id, old.AssetClasses)
		p.Enabled = old.Enabled
		return nil, &types.MsgUpdateProduct{Authority: k.Lending.GetAuthority(), Product: p}
	}
}

// MsgUpdateParamsFactory proposes new random params in working ranges.
func MsgUpdateParamsFactory(k Keepers) simsx.SimMsgFactoryFn[*types.MsgUpdateParams] {
	return func(_ context.Context, testData *simsx.ChainDataSource, _ simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams) {
		return nil, &types.MsgUpdateParams{Authority: k.Lending.GetAuthority(), Params: RandomParams(testData.Rand().Rand)}
	}
}

// nonAuthority is a simulated account signing an authority-only message.
func nonAuthority(k Keepers, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) simsx.SimAccount {
	return testData.AnyAccount(reporter, simsx.ExcludeAddresses(k.Lending.GetAuthority()))
}

// MsgCreateProductInvalidFactory creates a valid product signed by an account
// that is not the authority.
func MsgCreateProductInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgCreateProduct] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(_ context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgCreateProduct, simsx.SimDeliveryResultHandler) {
		signer := nonAuthority(k, testData, reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		p := RandomProduct(testData.Rand().Rand, "sim-unauthorized", simutil.GPUClasses)
		return []simsx.SimAccount{signer}, &types.MsgCreateProduct{Authority: signer.AddressBech32, Product: p},
			simutil.ExpectError(sdkerrors.ErrUnauthorized)
	})
}

// MsgUpdateProductInvalidFactory updates a product, signed by an account that
// is not the authority.
func MsgUpdateProductInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgUpdateProduct] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(_ context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateProduct, simsx.SimDeliveryResultHandler) {
		signer := nonAuthority(k, testData, reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		p := RandomProduct(testData.Rand().Rand, MixedProductID, simutil.GPUClasses)
		return []simsx.SimAccount{signer}, &types.MsgUpdateProduct{Authority: signer.AddressBech32, Product: p},
			simutil.ExpectError(sdkerrors.ErrUnauthorized)
	})
}

// MsgUpdateParamsInvalidFactory updates the params, signed by an account that
// is not the authority.
func MsgUpdateParamsInvalidFactory(k Keepers) *simsx.ResultHandlingSimMsgFactory[*types.MsgUpdateParams] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(_ context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, *types.MsgUpdateParams, simsx.SimDeliveryResultHandler) {
		signer := nonAuthority(k, testData, reporter)
		if reporter.IsSkipped() {
			return nil, nil, nil
		}
		return []simsx.SimAccount{signer}, &types.MsgUpdateParams{Authority: signer.AddressBech32, Params: RandomParams(testData.Rand().Rand)},
			simutil.ExpectError(sdkerrors.ErrUnauthorized)
	})
}
