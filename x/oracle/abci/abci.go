// Package abci holds x/oracle's ABCI++ handlers: ExtendVote and
// VerifyVoteExtension for validators' price reports, PrepareProposal and
// ProcessProposal to carry the previous height's extended commit in the block,
// and the PreBlocker step that turns it into prices. The app only sets them.
package abci

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	cmtabci "github.com/cometbft/cometbft/abci/types"
	cmtproto "github.com/cometbft/cometbft/proto/tendermint/types"

	"cosmossdk.io/log"
	"cosmossdk.io/math"

	"github.com/cosmos/cosmos-sdk/baseapp"
	sdk "github.com/cosmos/cosmos-sdk/types"

	"github.com/infrafi/infrafi/x/oracle/types"
)

// PriceSource is the validator's local price cache (the provider). Price must
// not block: ExtendVote runs inside consensus.
type PriceSource interface {
	Price(feedID string) (math.LegacyDec, bool)
}

// Keeper is what the handlers need from x/oracle's keeper.
type Keeper interface {
	GetParams(ctx context.Context) (types.Params, error)
	VoteExtensionFeeds(ctx context.Context) ([]types.Feed, error)
	VerifyVoteExtension(ctx context.Context, bz []byte) error
	ApplyVoteExtensions(ctx context.Context, votes []cmtabci.ExtendedVoteInfo) error
}

// commitMarker starts the proposal entry that carries the extended commit. A
// protobuf message cannot start with 0x00 (field number 0), so no transaction
// decodes from it and no transaction is mistaken for it.
var commitMarker = []byte("\x00infrafi/oracle/extended-commit\x00")

// EncodeCommit wraps an extended commit as the first entry of a proposal.
func EncodeCommit(commit cmtabci.ExtendedCommitInfo) ([]byte, error) {
	bz, err := commit.Marshal()
	if err != nil {
		return nil, err
	}
	return append(append([]byte{}, commitMarker...), bz...), nil
}

// DecodeCommit returns the extended commit carried by a proposal entry; ok is
// false when the entry is not one (an ordinary transaction).
func DecodeCommit(tx []byte) (commit cmtabci.ExtendedCommitInfo, ok bool, err error) {
	if !bytes.HasPrefix(tx, commitMarker) {
		return cmtabci.ExtendedCommitInfo{}, false, nil
	}
	if err := commit.Unmarshal(tx[len(commitMarker):]); err != nil {
		return cmtabci.ExtendedCommitInfo{}, true, fmt.Errorf("malformed extended commit: %w", err)
	}
	return commit, true, nil
}

// voteExtensionsEnabled reports whether a block at height carries the previous
// height's vote extensions: from vote_extensions_enable_height + 1 on.
func voteExtensionsEnabled(ctx sdk.Context, height int64) bool {
	cp := ctx.ConsensusParams()
	return cp.Abci != nil && cp.Abci.VoteExtensionsEnableHeight != 0 && height > cp.Abci.VoteExtensionsEnableHeight
}

// NewExtendVoteHandler reports the provider's cached value of every
// VOTE_EXTENSIONS feed it has one for (in feed id order), leaving out values
// that VerifyVoteExtension would reject. It never waits on the network and never
// fails: any problem gives an empty extension, which the chain accepts. A nil
// prices (a validator without sources) always extends with nothing.
func NewExtendVoteHandler(k Keeper, prices PriceSource, logger log.Logger) sdk.ExtendVoteHandler {
	return func(ctx sdk.Context, req *cmtabci.RequestExtendVote) (*cmtabci.ResponseExtendVote, error) {
		empty := &cmtabci.ResponseExtendVote{VoteExtension: []byte{}}
		if prices == nil {
			return empty, nil
		}
		feeds, err := k.VoteExtensionFeeds(ctx)
		if err != nil {
			logger.Error("extend vote: cannot read feeds", "height", req.Height, "error", err)
			return empty, nil
		}
		if len(feeds) == 0 {
			return empty, nil
		}
		params, err := k.GetParams(ctx)
		if err != nil {
			logger.Error("extend vote: cannot read params", "height", req.Height, "error", err)
			return empty, nil
		}
		var reports []types.VoteExtensionPrice
		for _, feed := range feeds {
			value, ok := prices.Price(feed.Id)
			if !ok {
				continue
			}
			if value.IsNil() || !value.IsPositive() || value.GT(params.MaxValue) {
				logger.Error("extend vote: provider value out of bounds, not reported", "feed_id", feed.Id, "value", value)
				continue
			}
			reports = append(reports, types.VoteExtensionPrice{FeedId: feed.Id, Value: value})
		}
		bz, err := types.EncodeVoteExtension(reports)
		if err != nil {
			logger.Error("extend vote: cannot encode", "height", req.Height, "error", err)
			return empty, nil
		}
		return &cmtabci.ResponseExtendVote{VoteExtension: bz}, nil
	}
}

// NewVerifyVoteExtensionHandler accepts another validator's extension when the
// keeper's VerifyVoteExtension does (decodes canonically, within size, known
// VOTE_EXTENSIONS feeds, 0 < value <= max_value) and rejects it otherwise.
func NewVerifyVoteExtensionHandler(k Keeper, logger log.Logger) sdk.VerifyVoteExtensionHandler {
	return func(ctx sdk.Context, req *cmtabci.RequestVerifyVoteExtension) (*cmtabci.ResponseVerifyVoteExtension, error) {
		if err := k.VerifyVoteExtension(ctx, req.VoteExtension); err != nil {
			logger.Info("vote extension rejected", "height", req.Height, "validator", fmt.Sprintf("%X", req.ValidatorAddress), "error", err)
			return &cmtabci.ResponseVerifyVoteExtension{Status: cmtabci.ResponseVerifyVoteExtension_REJECT}, nil
		}
		return &cmtabci.ResponseVerifyVoteExtension{Status: cmtabci.ResponseVerifyVoteExtension_ACCEPT}, nil
	}
}

// NewPrepareProposalHandler puts the previous height's extended commit first in
// the proposal when vote extensions are enabled and baseapp.ValidateVoteExtensions
// accepts it, then lets next (the default handler) fill the rest of the block
// with the remaining byte budget. Without a valid commit the block carries no
// prices, which only delays them.
func NewPrepareProposalHandler(valStore baseapp.ValidatorStore, next sdk.PrepareProposalHandler, logger log.Logger) sdk.PrepareProposalHandler {
	return func(ctx sdk.Context, req *cmtabci.RequestPrepareProposal) (*cmtabci.ResponsePrepareProposal, error) {
		var injected []byte
		if voteExtensionsEnabled(ctx, req.Height) {
			if err := baseapp.ValidateVoteExtensions(ctx, valStore, req.Height, ctx.ChainID(), req.LocalLastCommit); err != nil {
				logger.Error("prepare proposal: extended commit not injected", "height", req.Height, "error", err)
			} else if bz, err := EncodeCommit(req.LocalLastCommit); err != nil {
				logger.Error("prepare proposal: cannot encode extended commit", "height", req.Height, "error", err)
			} else if int64(len(bz)) > req.MaxTxBytes {
				logger.Error("prepare proposal: extended commit exceeds the block", "height", req.Height, "bytes", len(bz))
			} else {
				injected = bz
			}
		}
		if injected == nil {
			return next(ctx, req)
		}
		rest := *req
		rest.MaxTxBytes -= int64(len(injected))
		resp, err := next(ctx, &rest)
		if err != nil {
			return nil, err
		}
		resp.Txs = append([][]byte{injected}, resp.Txs...)
		return resp, nil
	}
}

// NewProcessProposalHandler rejects a proposal whose first entry is an extended
// commit unless vote extensions are enabled, the commit passes
// baseapp.ValidateVoteExtensions against this block's last commit (signatures,
// more than 2/3 of the power) and every committed extension passes the
// stateless checks of types.DecodeVoteExtension. The state-dependent checks are
// left to the PreBlocker, which skips what no longer applies: a governance change
// between the vote and this block must not make every proposal fail. The other
// entries go to next (the default handler), which rejects any further commit
// entry as an undecodable transaction.
func NewProcessProposalHandler(valStore baseapp.ValidatorStore, next sdk.ProcessProposalHandler, logger log.Logger) sdk.ProcessProposalHandler {
	return func(ctx sdk.Context, req *cmtabci.RequestProcessProposal) (*cmtabci.ResponseProcessProposal, error) {
		if len(req.Txs) == 0 {
			return next(ctx, req)
		}
		commit, ok, err := DecodeCommit(req.Txs[0])
		if !ok {
			return next(ctx, req)
		}
		if err == nil {
			err = validateCommit(ctx, valStore, req.Height, commit)
		}
		if err != nil {
			logger.Error("process proposal: bad extended commit, proposal rejected", "height", req.Height, "error", err)
			return &cmtabci.ResponseProcessProposal{Status: cmtabci.ResponseProcessProposal_REJECT}, nil
		}
		rest := *req
		rest.Txs = req.Txs[1:]
		return next(ctx, &rest)
	}
}

func validateCommit(ctx sdk.Context, valStore baseapp.ValidatorStore, height int64, commit cmtabci.ExtendedCommitInfo) error {
	if !voteExtensionsEnabled(ctx, height) {
		return errors.New("vote extensions are not enabled at this height")
	}
	if err := baseapp.ValidateVoteExtensions(ctx, valStore, height, ctx.ChainID(), commit); err != nil {
		return err
	}
	for _, vote := range commit.Votes {
		if vote.BlockIdFlag != cmtproto.BlockIDFlagCommit {
			continue
		}
		if _, err := types.DecodeVoteExtension(vote.VoteExtension); err != nil {
			return fmt.Errorf("validator %X: %w", vote.Validator.Address, err)
		}
	}
	return nil
}

// PreBlock is the oracle step of the app's PreBlocker: when the block carries an
// extended commit (checked by ProcessProposal), it hands the votes to the
// keeper, which writes the VOTE_EXTENSIONS prices. It never fails the block: a
// problem is logged and the block goes on without new prices.
func PreBlock(ctx sdk.Context, k Keeper, req *cmtabci.RequestFinalizeBlock, logger log.Logger) {
	defer func() {
		if r := recover(); r != nil {
			logger.Error("pre-block: vote extension prices not applied", "height", req.Height, "panic", r)
		}
	}()
	if len(req.Txs) == 0 {
		return
	}
	commit, ok, err := DecodeCommit(req.Txs[0])
	if !ok {
		return
	}
	if err != nil {
		logger.Error("pre-block: extended commit ignored", "height", req.Height, "error", err)
		return
	}
	if err := k.ApplyVoteExtensions(ctx, commit.Votes); err != nil {
		logger.Error("pre-block: vote extension prices not applied", "height", req.Height, "error", err)
	}
}
