package app

import (
	"encoding/json"

	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/types/module"
	"github.com/cosmos/cosmos-sdk/x/bank"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"
	"github.com/cosmos/cosmos-sdk/x/genutil"
	genutiltypes "github.com/cosmos/cosmos-sdk/x/genutil/types"
)

// GenesisState is the app state in genesis: module name -> its JSON genesis.
type GenesisState map[string]json.RawMessage

// NewDenomMetadata describes a 6-decimal denom for wallets and explorers.
func NewDenomMetadata(base, display, name, symbol, description string) banktypes.Metadata {
	return banktypes.Metadata{
		Description: description,
		DenomUnits: []*banktypes.DenomUnit{
			{Denom: base, Exponent: 0},
			{Denom: display, Exponent: Decimals},
		},
		Base:    base,
		Display: display,
		Name:    name,
		Symbol:  symbol,
	}
}

// DenomMetadata is the bank metadata of infrafi's own denoms.
func DenomMetadata() []banktypes.Metadata {
	return []banktypes.Metadata{
		NewDenomMetadata(BondDenom, "infra", "INFRA", "INFRA", "The infrafi staking and fee token."),
		NewDenomMetadata(USDaiDenom, "usdai", "USDai", "USDai", "USDai, a dollar stablecoin fully backed by on-chain reserves."),
		NewDenomMetadata(SUSDaiDenom, "susdai", "sUSDai", "sUSDai", "sUSDai, shares of the USDai yield vault."),
	}
}

// newBasicManager returns the module basics with infrafi's genesis defaults:
// the denom metadata in bank (denoms come from sdk.DefaultBondDenom, see config.go).
func newBasicManager(mm *module.Manager) module.BasicManager {
	return module.NewBasicManagerFromManager(mm, map[string]module.AppModuleBasic{
		genutiltypes.ModuleName: genutil.NewAppModuleBasic(genutiltypes.DefaultMessageValidator),
		banktypes.ModuleName:    bankBasic{mm.Modules[banktypes.ModuleName].(bank.AppModule).AppModuleBasic},
	})
}

type bankBasic struct{ bank.AppModuleBasic }

func (bankBasic) DefaultGenesis(cdc codec.JSONCodec) json.RawMessage {
	gs := banktypes.DefaultGenesisState()
	gs.DenomMetadata = DenomMetadata()
	return cdc.MustMarshalJSON(gs)
}
