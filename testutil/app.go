// Package testutil is the in-process app fixture: a one-validator infrafi app
// on an in-memory database, driven block by block, for app-level tests.
package testutil

import (
	"encoding/json"
	"math/rand"
	"testing"
	"time"

	"cosmossdk.io/log"
	sdkmath "cosmossdk.io/math"
	abci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	cmttypes "github.com/cometbft/cometbft/types"
	dbm "github.com/cosmos/cosmos-db"
	"github.com/stretchr/testify/require"

	"github.com/cosmos/cosmos-sdk/baseapp"
	"github.com/cosmos/cosmos-sdk/crypto/keys/ed25519"
	"github.com/cosmos/cosmos-sdk/crypto/keys/secp256k1"
	cryptotypes "github.com/cosmos/cosmos-sdk/crypto/types"
	servertypes "github.com/cosmos/cosmos-sdk/server/types"
	"github.com/cosmos/cosmos-sdk/testutil/mock"
	simtestutil "github.com/cosmos/cosmos-sdk/testutil/sims"
	sdk "github.com/cosmos/cosmos-sdk/types"
	authtypes "github.com/cosmos/cosmos-sdk/x/auth/types"
	banktypes "github.com/cosmos/cosmos-sdk/x/bank/types"

	"github.com/infrafi/infrafi/app"
)

// ChainID is the chain id of every fixture app.
const ChainID = "infrafi-test-1"

// GenesisTime is the fixture chain's genesis time: fixed, so tests are repeatable.
var GenesisTime = time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)

// DefaultBlockTime is how far block time advances per NextBlock by default.
const DefaultBlockTime = 5 * time.Second

// Account is a funded test account with its signing key.
type Account struct {
	Priv    cryptotypes.PrivKey
	Address sdk.AccAddress
}

// Options adjusts the fixture's genesis.
type Options struct {
	// Accounts is how many funded accounts to create (default 5).
	Accounts int
	// Balance funds every account (default 1e12 uinfra).
	Balance sdk.Coins
	// Genesis edits the app state before InitChain (module name -> JSON).
	Genesis func(accounts []Account, state app.GenesisState)
	// GenesisTime is the chain's genesis time (default GenesisTime).
	GenesisTime time.Time
	// GoLevelDB stores the chain in goleveldb in a temporary directory, the
	// backend infrafid runs on by default, instead of the in-memory database
	// (benchmarks: the in-memory database starts a goroutine per iterator
	// and writes nothing to disk).
	GoLevelDB bool
}

// App is a running in-process chain.
type App struct {
	*app.App
	t        testing.TB
	Accounts []Account
	height   int64
	time     time.Time
	rng      *rand.Rand
	// appHashes are the app hashes of the committed blocks, in height order.
	appHashes [][]byte
}

// NewAccount returns a deterministic account from a seed, so addresses are
// stable across runs.
func NewAccount(seed string) Account {
	priv := secp256k1.GenPrivKeyFromSecret([]byte(seed))
	return Account{Priv: priv, Address: sdk.AccAddress(priv.PubKey().Address())}
}

// NewApp returns an infrafi app on a fresh in-memory database, before InitChain.
// Pruning runs synchronously and the app is closed when the test ends, so no
// background goroutine keeps a finished test's stores in memory.
func NewApp(t testing.TB) *app.App {
	return newApp(t, dbm.NewMemDB())
}

func newApp(t testing.TB, db dbm.DB) *app.App {
	a := app.New(log.NewNopLogger(), db, nil, true,
		simtestutil.NewAppOptionsWithFlagHome(t.TempDir()), baseapp.SetChainID(ChainID),
		baseapp.SetIAVLSyncPruning(true))
	t.Cleanup(func() { _ = a.Close() })
	return a
}

// Setup starts a fixture chain: InitChain with one bonded validator and funded
// accounts, then the first block.
func Setup(t testing.TB, opts Options) *App {
	t.Helper()
	if opts.Accounts == 0 {
		opts.Accounts = 5
	}
	if opts.Balance.Empty() {
		opts.Balance = sdk.NewCoins(sdk.NewCoin(app.BondDenom, sdkmath.NewInt(1_000_000_000_000)))
	}

	if opts.GenesisTime.IsZero() {
		opts.GenesisTime = GenesisTime
	}
	db := dbm.DB(dbm.NewMemDB())
	if opts.GoLevelDB {
		var err error
		if db, err = dbm.NewGoLevelDB("application", t.TempDir(), nil); err != nil {
			t.Fatalf("open goleveldb: %v", err)
		}
	}
	a := newApp(t, db)

	accounts := make([]Account, opts.Accounts)
	genAccs := make([]authtypes.GenesisAccount, opts.Accounts)
	balances := make([]banktypes.Balance, opts.Accounts)
	for i := range accounts {
		accounts[i] = NewAccount("infrafi-test-account-" + string(rune('a'+i)))
		genAccs[i] = authtypes.NewBaseAccount(accounts[i].Address, accounts[i].Priv.PubKey(), uint64(i), 0)
		balances[i] = banktypes.Balance{Address: accounts[i].Address.String(), Coins: opts.Balance}
	}

	// A fixed validator key: two fixtures with the same inputs are the same
	// chain, block for block (determinism tests compare their app hashes).
	valPriv := &mock.PV{PrivKey: ed25519.GenPrivKeyFromSecret([]byte("infrafi-test-validator"))}
	valPub, err := valPriv.GetPubKey()
	require.NoError(t, err)
	valSet := cmttypes.NewValidatorSet([]*cmttypes.Validator{cmttypes.NewValidator(valPub, 1)})

	state, err := simtestutil.GenesisStateWithValSet(a.AppCodec(), a.DefaultGenesis(), valSet, genAccs, balances...)
	require.NoError(t, err)
	// GenesisStateWithValSet rewrites bank genesis without denom metadata.
	var bankGen banktypes.GenesisState
	a.AppCodec().MustUnmarshalJSON(state[banktypes.ModuleName], &bankGen)
	bankGen.DenomMetadata = app.DenomMetadata()
	state[banktypes.ModuleName] = a.AppCodec().MustMarshalJSON(&bankGen)
	if opts.Genesis != nil {
		opts.Genesis(accounts, state)
	}
	stateBytes, err := json.Marshal(state)
	require.NoError(t, err)

	_, err = a.InitChain(&abci.RequestInitChain{
		ChainId:         ChainID,
		Time:            opts.GenesisTime,
		Validators:      []abci.ValidatorUpdate{},
		ConsensusParams: simtestutil.DefaultConsensusParams,
		AppStateBytes:   stateBytes,
		InitialHeight:   1,
	})
	require.NoError(t, err)

	fx := &App{App: a, t: t, Accounts: accounts, time: opts.GenesisTime, rng: rand.New(rand.NewSource(1))}
	fx.NextBlock(0)
	return fx
}

// Height is the last committed height.
func (a *App) Height() int64 { return a.height }

// BlockTime is the time of the last committed block.
func (a *App) BlockTime() time.Time { return a.time }

// Ctx is a read context on the last committed state, at its block time.
func (a *App) Ctx() sdk.Context {
	return a.NewUncachedContext(false, cmtproto.Header{ChainID: ChainID, Height: a.height, Time: a.time})
}

// NextBlock commits a block with the given transactions, dt after the last one.
func (a *App) NextBlock(dt time.Duration, txs ...[]byte) *abci.ResponseFinalizeBlock {
	a.t.Helper()
	a.height++
	a.time = a.time.Add(dt)
	res, err := a.FinalizeBlock(&abci.RequestFinalizeBlock{Height: a.height, Time: a.time, Txs: txs})
	require.NoError(a.t, err)
	_, err = a.Commit()
	require.NoError(a.t, err)
	a.appHashes = append(a.appHashes, res.AppHash)
	return res
}

// AppHashes returns the app hash of every block NextBlock committed, in
// height order (determinism checks compare two runs).
func (a *App) AppHashes() [][]byte { return a.appHashes }

// SignTx builds and signs a tx of msgs from signer, with no fee.
func (a *App) SignTx(signer Account, msgs ...sdk.Msg) []byte {
	a.t.Helper()
	acc := a.AccountKeeper.GetAccount(a.Ctx(), signer.Address)
	require.NotNil(a.t, acc, "signer %s has no account", signer.Address)
	tx, err := simtestutil.GenSignedMockTx(a.rng, a.TxConfig(), msgs, sdk.Coins{}, 2_000_000,
		ChainID, []uint64{acc.GetAccountNumber()}, []uint64{acc.GetSequence()}, signer.Priv)
	require.NoError(a.t, err)
	bz, err := a.TxConfig().TxEncoder()(tx)
	require.NoError(a.t, err)
	return bz
}

// Deliver signs msgs from signer and commits them in one block DefaultBlockTime
// later. It returns the tx result; a failed tx is not a test failure (check Code).
func (a *App) Deliver(signer Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	a.t.Helper()
	res := a.NextBlock(DefaultBlockTime, a.SignTx(signer, msgs...))
	require.Len(a.t, res.TxResults, 1)
	return res.TxResults[0]
}

// MustDeliver is Deliver that fails the test unless the tx succeeds.
func (a *App) MustDeliver(signer Account, msgs ...sdk.Msg) *abci.ExecTxResult {
	a.t.Helper()
	res := a.Deliver(signer, msgs...)
	require.Zerof(a.t, res.Code, "tx failed: codespace=%s code=%d log=%s", res.Codespace, res.Code, res.Log)
	return res
}

// Authority is the gov module account: the authority of every module.
func Authority() sdk.AccAddress { return authtypes.NewModuleAddress("gov") }

// EventsOfType returns the events of a tx result whose type is eventType
// (a typed event's type is its proto name, e.g. "infrafi.oracle.v1.EventPricePosted").
func EventsOfType(res *abci.ExecTxResult, eventType string) []abci.Event {
	var out []abci.Event
	for _, e := range res.Events {
		if e.Type == eventType {
			out = append(out, e)
		}
	}
	return out
}

// RestartFromExport exports the chain's state (for a zero-height genesis when
// zeroHeight) and starts a new in-memory chain from it: InitChain at the
// export's next height, then that height's block, a second after the last
// one. It returns the new chain, at that block, and the export.
func (a *App) RestartFromExport(zeroHeight bool) (*app.App, servertypes.ExportedApp) {
	a.t.Helper()
	exported, err := a.ExportAppStateAndValidators(zeroHeight, nil, nil)
	require.NoError(a.t, err)
	fresh := NewApp(a.t)
	_, err = fresh.InitChain(&abci.RequestInitChain{
		ChainId: ChainID, Time: a.time, ConsensusParams: &exported.ConsensusParams,
		AppStateBytes: exported.AppState, InitialHeight: exported.Height + 1,
	})
	require.NoError(a.t, err, "zeroHeight=%v", zeroHeight)
	_, err = fresh.FinalizeBlock(&abci.RequestFinalizeBlock{Height: exported.Height + 1, Time: a.time.Add(time.Second)})
	require.NoError(a.t, err)
	_, err = fresh.Commit()
	require.NoError(a.t, err)
	return fresh, exported
}
