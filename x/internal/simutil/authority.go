package simutil

import (
	"context"

	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	sdk "github.com/cosmos/cosmos-sdk/types"
	sdkerrors "github.com/cosmos/cosmos-sdk/types/errors"
)

// AuthorityMsgBuilder builds an authority message naming authority as its
// signer; it calls reporter.Skip and returns the zero T when no message fits
// the current state.
type AuthorityMsgBuilder[T sdk.Msg] func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter, authority string) T

// ProposalFactory is the valid variant of an authority message, for
// ProposalMsgsX: built with the module authority (x/gov), submitted and
// executed by x/gov's simulation.
func ProposalFactory[T sdk.Msg](authority string, build AuthorityMsgBuilder[T]) simsx.SimMsgFactoryFn[T] {
	return func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, T) {
		return nil, build(ctx, testData, reporter, authority)
	}
}

// UnauthorizedFactory is the invalid variant of an authority message: the
// same message sent as a plain tx by a random simulated account named as the
// authority; it must be refused with the SDK's ErrUnauthorized.
func UnauthorizedFactory[T sdk.Msg](build AuthorityMsgBuilder[T]) *simsx.ResultHandlingSimMsgFactory[T] {
	return simsx.NewSimMsgFactoryWithDeliveryResultHandler(func(ctx context.Context, testData *simsx.ChainDataSource, reporter simsx.SimulationReporter) ([]simsx.SimAccount, T, simsx.SimDeliveryResultHandler) {
		signer := testData.AnyAccount(reporter)
		if reporter.IsSkipped() {
			var zero T
			return nil, zero, nil
		}
		msg := build(ctx, testData, reporter, signer.AddressBech32)
		return []simsx.SimAccount{signer}, msg, ExpectError(sdkerrors.ErrUnauthorized)
	})
}
