package app

import (
	circuitante "cosmossdk.io/x/circuit/ante"

	sdk "github.com/cosmos/cosmos-sdk/types"
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
