package app

import (
	"os"
	"path/filepath"

	sdk "github.com/cosmos/cosmos-sdk/types"
)

const (
	// AppName is the name baked into the binary and used as the default home folder.
	AppName = "infrafi"

	// Bech32Prefix is the account address prefix; validator and consensus
	// prefixes derive from it the SDK's way (infravaloper, infravalcons).
	Bech32Prefix = "infra"

	// BondDenom is the staking and fee token (INFRA).
	BondDenom = "uinfra"
	// USDaiDenom is the USDai stablecoin, minted only by x/stable.
	USDaiDenom = "uusdai"
	// SUSDaiDenom is the sUSDai vault share, minted only by x/yield.
	SUSDaiDenom = "ususdai"
	// LocalnetReserveDenom stands in for a bridged USDC/PYUSD reserve on localnets.
	LocalnetReserveDenom = "uusdc"

	// Decimals of every infrafi denom: 1 display unit = 10^6 base units.
	Decimals = 6
)

// DefaultNodeHome is where infrafid keeps its config, data and keys.
var DefaultNodeHome = defaultNodeHome()

func defaultNodeHome() string {
	home, err := os.UserHomeDir()
	if err != nil {
		return "." + AppName
	}
	return filepath.Join(home, "."+AppName)
}

func init() {
	SetAddressPrefixes(sdk.GetConfig())
	// The SDK's default params (staking bond denom, mint denom, gov deposits)
	// read this at call time, so every default genesis is in INFRA.
	sdk.DefaultBondDenom = BondDenom
}

// SetAddressPrefixes puts the infra bech32 prefixes into an SDK config. The
// config is process-wide, so it is set once at package load, before any codec
// formats an address.
func SetAddressPrefixes(cfg *sdk.Config) {
	valoper := Bech32Prefix + sdk.PrefixValidator + sdk.PrefixOperator
	valcons := Bech32Prefix + sdk.PrefixValidator + sdk.PrefixConsensus
	cfg.SetBech32PrefixForAccount(Bech32Prefix, Bech32Prefix+sdk.PrefixPublic)
	cfg.SetBech32PrefixForValidator(valoper, valoper+sdk.PrefixPublic)
	cfg.SetBech32PrefixForConsensusNode(valcons, valcons+sdk.PrefixPublic)
}
