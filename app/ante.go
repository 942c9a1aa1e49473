package app

import (
	circuitante "cosmossdk.io/x/circuit/ante"

	sdk "github.com/cosmos/cosmos-sdk/types"

	ibcante "github.com/cosmos/ibc-go/v10/modules/core/ante"
	ibckeeper "github.com/cosmos/ibc-go/v10/modules/core/keeper"
)

// newCircuitAnte puts the circuit breaker in front of the SDK's standard ante
// chain, so governance (or a circuit admin) can pause a message type in an
// emergency before any fee is charged.
func newCircuitAnte(breaker circuitante.CircuitBreaker, next sdk.AnteHandler) sdk.AnteHandler {
	decorator := circuitante.NewCircuitBreakerDecorator(breaker)
	return func(ctx sdk.Context, tx sdk.Tx, simulate bool) (sdk.Context, error) {
		return decorator.AnteHandle(ctx, tx, simulate, next)
	}
}

// withRedundantRelay runs IBC's redundant-relay check after the standard
// chain: a tx whose packets and updates were all already relayed is refused
// before its messages run, so competing relayers do not pay for no-ops.
func withRedundantRelay(k *ibckeeper.Keeper, standard sdk.AnteHandler) sdk.AnteHandler {
	decorator := ibcante.NewRedundantRelayDecorator(k)
	return func(ctx sdk.Context, tx sdk.Tx, simulate bool) (sdk.Context, error) {
		ctx, err := standard(ctx, tx, simulate)
		if err != nil {
			return ctx, err
		}
		return decorator.AnteHandle(ctx, tx, simulate, func(ctx sdk.Context, _ sdk.Tx, _ bool) (sdk.Context, error) { return ctx, nil })
	}
}
