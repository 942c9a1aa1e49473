package app

import (
	storetypes "cosmossdk.io/store/types"

	"github.com/cosmos/cosmos-sdk/client"
	"github.com/cosmos/cosmos-sdk/codec"
	"github.com/cosmos/cosmos-sdk/runtime"
	sdk "github.com/cosmos/cosmos-sdk/types"
	"github.com/cosmos/cosmos-sdk/types/module"

	"github.com/cosmos/ibc-go/v10/modules/apps/transfer"
	ibctransferkeeper "github.com/cosmos/ibc-go/v10/modules/apps/transfer/keeper"
	ibctransfertypes "github.com/cosmos/ibc-go/v10/modules/apps/transfer/types"
	ibc "github.com/cosmos/ibc-go/v10/modules/core"
	ibcclienttypes "github.com/cosmos/ibc-go/v10/modules/core/02-client/types"
	porttypes "github.com/cosmos/ibc-go/v10/modules/core/05-port/types"
	ibcapi "github.com/cosmos/ibc-go/v10/modules/core/api"
	ibcexported "github.com/cosmos/ibc-go/v10/modules/core/exported"
	ibckeeper "github.com/cosmos/ibc-go/v10/modules/core/keeper"
	ibctm "github.com/cosmos/ibc-go/v10/modules/light-clients/07-tendermint"

	"github.com/infrafi/infrafi/x/stable/quota"
)

// ibcStoreKeys are the stores IBC adds; the v2-ibc upgrade adds them to a
// chain that started without IBC.
var ibcStoreKeys = []string{ibcexported.StoreKey, ibctransfertypes.StoreKey}

// AllowedIBCClients is the only light client infrafi accepts: CometBFT chains.
var AllowedIBCClients = []string{ibctm.ModuleName}

// wireIBC builds the core IBC keeper, the ICS-20 transfer keeper and the
// 07-tendermint light client, and returns their app modules.
//
// The transfer stack, top to bottom for packets that leave:
//
//	transfer keeper -> x/stable outflow quota (ICS4 wrapper) -> core channel keeper
//
// and for packets that arrive, core IBC -> quota (records returns, refunds)
// -> transfer. Only IBC v1 channels are routed: no IBC v2 (Eureka) route is
// registered for transfer, so every outflow passes the quota.
func (app *App) wireIBC(appCodec codec.Codec, keys map[string]*storetypes.KVStoreKey, authority string) []module.AppModule {
	// ibc-go v10 keeps its params in its own stores; there is no x/params
	// subspace to migrate from, hence the nil legacy subspaces.
	app.IBCKeeper = ibckeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[ibcexported.StoreKey]), nil, app.UpgradeKeeper, authority)

	outflow := quota.NewICS4Wrapper(app.IBCKeeper.ChannelKeeper, app.StableKeeper)
	app.TransferKeeper = ibctransferkeeper.NewKeeper(
		appCodec, runtime.NewKVStoreService(keys[ibctransfertypes.StoreKey]), nil,
		outflow, app.IBCKeeper.ChannelKeeper, app.MsgServiceRouter(),
		app.AccountKeeper, app.BankKeeper, authority)
	app.StableKeeper.SetDenomResolver(transferDenoms{app.TransferKeeper})

	var transferStack porttypes.IBCModule = transfer.NewIBCModule(app.TransferKeeper)
	transferStack = quota.NewIBCModule(transferStack, app.StableKeeper)

	router := porttypes.NewRouter()
	router.AddRoute(ibctransfertypes.ModuleName, transferStack)
	app.IBCKeeper.SetRouter(router)
	app.IBCKeeper.SetRouterV2(ibcapi.NewRouter())

	tmLightClient := ibctm.NewLightClientModule(appCodec, app.IBCKeeper.ClientKeeper.GetStoreProvider())
	app.IBCKeeper.ClientKeeper.AddRoute(ibctm.ModuleName, &tmLightClient)

	return []module.AppModule{
		ibc.NewAppModule(app.IBCKeeper),
		transfer.NewAppModule(app.TransferKeeper),
		ibctm.NewAppModule(tmLightClient),
	}
}

// IBCClientParams are the client params of the localnet preset and of the
// v2-ibc upgrade: only 07-tendermint clients.
func IBCClientParams() ibcclienttypes.Params {
	return ibcclienttypes.NewParams(AllowedIBCClients...)
}

// transferDenoms resolves an "ibc/<hash>" voucher to its trace for x/stable's
// reserve origin.
type transferDenoms struct{ k ibctransferkeeper.Keeper }

func (t transferDenoms) DenomOrigin(ctx sdk.Context, denom string) (path, base string, err error) {
	d, err := t.k.GetDenomFromIBCDenom(ctx, denom)
	if err != nil {
		return "", "", err
	}
	fullPath := d.Path()
	if len(fullPath) > len(d.Base) {
		path = fullPath[:len(fullPath)-len(d.Base)-1]
	}
	return path, d.Base, nil
}

// GetIBCKeeper returns the core IBC keeper (ibc-go's testing package).
func (app *App) GetIBCKeeper() *ibckeeper.Keeper { return app.IBCKeeper }

// GetTxConfig returns the tx config (ibc-go's testing package).
func (app *App) GetTxConfig() client.TxConfig { return app.txConfig }
