// Package voteext builds validator sets and signed extended commits for tests
// of vote-extension handlers, without running CometBFT.
package voteext

import (
	"bytes"
	"context"
	"fmt"
	"slices"

	cmtabci "github.com/cometbft/cometbft/abci/types"
	"github.com/cometbft/cometbft/crypto/ed25519"
	cryptoenc "github.com/cometbft/cometbft/crypto/encoding"
	cmtprotocrypto "github.com/cometbft/cometbft/proto/tendermint/crypto"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"
	protoio "github.com/cosmos/gogoproto/io"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"
)

// Validator is a consensus key with a voting power.
type Validator struct {
	Key   ed25519.PrivKey
	Power int64
}

// NewValidators returns validators with deterministic keys (from seed) and the given powers.
func NewValidators(seed string, powers ...int64) []Validator {
	vals := make([]Validator, len(powers))
	for i, p := range powers {
		vals[i] = Validator{Key: ed25519.GenPrivKeyFromSecret([]byte(fmt.Sprintf("%s-%d", seed, i))), Power: p}
	}
	return vals
}

// Address is the validator's consensus address.
func (v Validator) Address() []byte { return v.Key.PubKey().Address() }

// Store maps consensus addresses to public keys, as x/staking does for
// baseapp.ValidateVoteExtensions.
type Store map[string]cmtprotocrypto.PublicKey

var _ baseapp.ValidatorStore = Store{}

// NewStore returns a Store knowing vals.
func NewStore(vals []Validator) Store {
	s := Store{}
	for _, v := range vals {
		pk, err := cryptoenc.PubKeyToProto(v.Key.PubKey())
		if err != nil {
			panic(err)
		}
		s[string(v.Address())] = pk
	}
	return s
}

// GetPubKeyByConsAddr implements baseapp.ValidatorStore.
func (s Store) GetPubKeyByConsAddr(_ context.Context, addr sdk.ConsAddress) (cmtprotocrypto.PublicKey, error) {
	pk, ok := s[string(addr)]
	if !ok {
		return cmtprotocrypto.PublicKey{}, fmt.Errorf("unknown validator %X", []byte(addr))
	}
	return pk, nil
}

// Vote is one validator's part of an extended commit. A nil Extension with
// Absent false is a committed vote with an empty extension.
type Vote struct {
	Extension []byte
	Absent    bool
}

// Commit returns the extended commit of the votes of vals (votes[i] is vals[i]'s)
// at height, signed as CometBFT signs vote extensions for chainID, ordered as
// CometBFT orders a commit (power descending, then address).
func Commit(chainID string, height int64, round int32, vals []Validator, votes []Vote) cmtabci.ExtendedCommitInfo {
	commit := cmtabci.ExtendedCommitInfo{Round: round}
	for i, v := range vals {
		info := cmtabci.ExtendedVoteInfo{
			Validator:   cmtabci.Validator{Address: v.Address(), Power: v.Power},
			BlockIdFlag: cmtproto.BlockIDFlagAbsent,
		}
		if !votes[i].Absent {
			info.BlockIdFlag = cmtproto.BlockIDFlagCommit
			info.VoteExtension = votes[i].Extension
			info.ExtensionSignature = Sign(v, chainID, height, round, votes[i].Extension)
		}
		commit.Votes = append(commit.Votes, info)
	}
	slices.SortFunc(commit.Votes, func(a, b cmtabci.ExtendedVoteInfo) int {
		if a.Validator.Power != b.Validator.Power {
			if a.Validator.Power > b.Validator.Power {
				return -1
			}
			return 1
		}
		return bytes.Compare(a.Validator.Address, b.Validator.Address)
	})
	return commit
}

// Sign signs a vote extension as CometBFT does.
func Sign(v Validator, chainID string, height int64, round int32, extension []byte) []byte {
	var buf bytes.Buffer
	cve := cmtproto.CanonicalVoteExtension{Extension: extension, Height: height, Round: int64(round), ChainId: chainID}
	if err := protoio.NewDelimitedWriter(&buf).WriteMsg(&cve); err != nil {
		panic(err)
	}
	sig, err := v.Key.Sign(buf.Bytes())
	if err != nil {
		panic(err)
	}
	return sig
}

// LastCommit is the plain commit info matching an extended commit, as
// CometBFT passes it to ProcessProposal and FinalizeBlock.
func LastCommit(commit cmtabci.ExtendedCommitInfo) cmtabci.CommitInfo {
	info := cmtabci.CommitInfo{Round: commit.Round}
	for _, v := range commit.Votes {
		info.Votes = append(info.Votes, cmtabci.VoteInfo{Validator: v.Validator, BlockIdFlag: v.BlockIdFlag})
	}
	return info
}

// Context returns ctx set up as baseapp sets it for proposal handlers at height:
// chain id, height, the last commit and vote extensions enabled from enableHeight.
func Context(ctx sdk.Context, chainID string, height, enableHeight int64, commit cmtabci.ExtendedCommitInfo) sdk.Context {
	cp := ctx.ConsensusParams()
	cp.Abci = &cmtproto.ABCIParams{VoteExtensionsEnableHeight: enableHeight}
	header := ctx.HeaderInfo()
	header.ChainID, header.Height = chainID, height
	return ctx.WithChainID(chainID).WithBlockHeight(height).WithHeaderInfo(header).WithConsensusParams(cp).
		WithCometInfo(baseapp.NewBlockInfo(nil, nil, nil, LastCommit(commit)))
}
