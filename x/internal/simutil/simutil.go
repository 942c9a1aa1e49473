// Package simutil holds what the five modules' simulations share: the genesis
// conventions that make their randomized genesis states fit together, and the
// delivery-result handler for operations that send invalid input on purpose.
package simutil

import (
	"encoding/json"
	"errors"
	"fmt"
	"math/rand"
	"time"

	errorsmod "cosmossdk.io/errors"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/testutil/simsx"
	"github.com/cosmos/cosmos-sdk/types/module"
	simtypes "github.com/cosmos/cosmos-sdk/types/simulation"
)

// Denoms and ids every module's generated genesis agrees on. The app's
// simulation funds every simulated account with ReserveDenom at genesis.
const (
	// ReserveDenom is x/stable's only reserve asset and the treasury's
	// reserve denom in the simulation.
	ReserveDenom = "uusdc"
	// USDaiDenom and SUSDaiDenom repeat app.USDaiDenom / app.SUSDaiDenom
	// (x/ cannot import app).
	USDaiDenom  = "uusdai"
	SUSDaiDenom = "ususdai"
	// TBillFeed is the oracle feed x/yield reads the T-bill rate from.
	TBillFeed = "sim-tbill-apr"
	// ReserveFXFeed is the oracle feed of ReserveDenom's USD price, x/stable's
	// depeg guard on it; its value stays near 1.
	ReserveFXFeed = "sim-fx-uusdc"
)

// GPUClasses are the asset classes x/caliber's simulated genesis registers;
// each has its market feed GPUFeed(class) in x/oracle's genesis.
var GPUClasses = []string{"sim-h100", "sim-b200"}

// GPUFeed is the x/oracle feed id of a simulated asset class's market value
// (uusdai per unit).
func GPUFeed(class string) string { return class + "-usd" }

// Role indexes: the simulated account at each index holds that role in every
// module's generated genesis (x/caliber parties, x/oracle feeder, x/yield
// treasury custodian). Accounts from NumRoles on are plain users (borrowers,
// depositors, holders). The app's simulation always creates more than
// NumRoles accounts.
const (
	Issuer = iota
	Custodian
	Appraiser // also the feeder of every simulated oracle feed
	Insurer
	Curator
	TreasuryCustodian
	NumRoles
)

// RoleAccount is the simulated account holding role (one of the constants above).
func RoleAccount(accs []simtypes.Account, role int) simtypes.Account {
	if role < 0 || role >= NumRoles || len(accs) <= NumRoles {
		panic(fmt.Sprintf("simutil: role %d needs more than %d accounts, have %d", role, NumRoles, len(accs)))
	}
	return accs[role]
}

// Users are the simulated accounts that hold no role.
func Users(accs []simtypes.Account) []simtypes.Account {
	if len(accs) <= NumRoles {
		return nil
	}
	return accs[NumRoles:]
}

// ExpectError is the delivery-result handler of an operation that sends
// invalid input on purpose: the tx must fail, and with one of the expected
// registered errors (errors.Is). A success, a panic (the SDK's ErrPanic) or
// any other error fails the simulation.
func ExpectError(expected ...error) simsx.SimDeliveryResultHandler {
	return func(err error) error {
		if err == nil {
			return errors.New("invalid input was accepted")
		}
		for _, e := range expected {
			if errors.Is(err, e) {
				return nil
			}
		}
		space, code, _ := errorsmod.ABCIInfo(err, false)
		return fmt.Errorf("invalid input refused with an unexpected error (%s/%d): %w", space, code, err)
	}
}

// NewSimulationState is the input of a module's genesis generator in its unit
// tests: a seeded rand, that many random accounts, an empty genesis map.
func NewSimulationState(cdc codec.Codec, seed int64, accounts int, genTime time.Time) *module.SimulationState {
	r := rand.New(rand.NewSource(seed))
	return &module.SimulationState{
		Cdc: cdc, Rand: r, Accounts: simtypes.RandomAccounts(r, accounts),
		GenState: map[string]json.RawMessage{}, GenTimestamp: genTime,
	}
}
