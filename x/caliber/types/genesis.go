package types

import (
	errorsmod "cosmossdk.io/errors"
	"cosmossdk.io/math"
	stdmath "math"
)

// DefaultGenesis returns the default genesis: default params, nothing registered.
func DefaultGenesis() *GenesisState {
	return &GenesisState{
		Params:              DefaultParams(),
		Parties:             []Party{},
		AssetClasses:        []AssetClass{},
		Titles:              []Title{},
		NextTitleId:         1,
		Custody:             []Custody{},
		Appraisals:          []Appraisal{},
		Pools:               []InsurancePool{},
		Policies:            []Policy{},
		PolicyRequests:      []PolicyRequest{},
		NextPolicyRequestId: 1,
	}
}

// canonical returns the canonical form of a bech32 address already validated.
func canonical(field, addr string) (string, error) {
	acc, err := ValidateAddress(field, addr)
	if err != nil {
		return "", err
	}
	return acc.String(), nil
}

// Validate checks the genesis state: every record valid, no duplicates, every
// reference resolves, serials unique across live titles, exactly one custody
// record per title in custody, one policy and at most one request per title,
// each pool's reserved equal to the coverage of its policies, and the id
// sequences above every id in use. (That the module account holds the sum of
// pool balances is checked by InitGenesis, which can see bank balances.)
func (gs GenesisState) Validate() error {
	if err := gs.Params.Validate(); err != nil {
		return err
	}
	if gs.NextTitleId == 0 || gs.NextPolicyRequestId == 0 {
		return errorsmod.Wrap(ErrInvalidGenesis, "next_title_id and next_policy_request_id must be at least 1")
	}

	parties := make(map[string]bool, len(gs.Parties))
	for _, p := range gs.Parties {
		if err := p.Validate(); err != nil {
			return err
		}
		addr, _ := canonical("party", p.Address)
		if parties[addr] {
			return errorsmod.Wrapf(ErrPartyExists, "duplicate party %s", p.Address)
		}
		parties[addr] = true
	}

	classes := make(map[string]bool, len(gs.AssetClasses))
	for _, c := range gs.AssetClasses {
		if err := c.Validate(); err != nil {
			return err
		}
		if classes[c.Id] {
			return errorsmod.Wrapf(ErrAssetClassExists, "duplicate asset class %s", c.Id)
		}
		classes[c.Id] = true
	}

	titles := make(map[uint64]Title, len(gs.Titles))
	serials := make(map[string]uint64)
	for _, t := range gs.Titles {
		// The serial cap applies when a title is minted; governance may lower
		// it later, and titles already on chain must still export and import.
		if err := t.Validate(stdmath.MaxUint32); err != nil {
			return err
		}
		if _, dup := titles[t.Id]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate title %d", t.Id)
		}
		if t.Id >= gs.NextTitleId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "title %d is not below next_title_id %d", t.Id, gs.NextTitleId)
		}
		if !classes[t.ClassId] {
			return errorsmod.Wrapf(ErrAssetClassNotFound, "title %d of unknown class %s", t.Id, t.ClassId)
		}
		if IsLive(t.Status) {
			for _, s := range t.Serials {
				if other, used := serials[s]; used {
					return errorsmod.Wrapf(ErrSerialInUse, "serial %s in titles %d and %d", s, other, t.Id)
				}
				serials[s] = t.Id
			}
		}
		titles[t.Id] = t
	}

	custody := make(map[uint64]bool, len(gs.Custody))
	for _, c := range gs.Custody {
		if err := c.Validate(); err != nil {
			return err
		}
		t, ok := titles[c.TitleId]
		if !ok {
			return errorsmod.Wrapf(ErrTitleNotFound, "custody of unknown title %d", c.TitleId)
		}
		if !InCustody(t.Status) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "custody record of title %d in status %s", c.TitleId, t.Status)
		}
		if custody[c.TitleId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate custody record of title %d", c.TitleId)
		}
		custody[c.TitleId] = true
	}
	for _, t := range gs.Titles {
		if InCustody(t.Status) && !custody[t.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "title %d in status %s has no custody record", t.Id, t.Status)
		}
	}

	type appraisalKey struct {
		title     uint64
		appraiser string
	}
	appraisals := make(map[appraisalKey]bool, len(gs.Appraisals))
	for _, a := range gs.Appraisals {
		if err := a.Validate(); err != nil {
			return err
		}
		if _, ok := titles[a.TitleId]; !ok {
			return errorsmod.Wrapf(ErrTitleNotFound, "appraisal of unknown title %d", a.TitleId)
		}
		addr, _ := canonical("appraiser", a.Appraiser)
		key := appraisalKey{a.TitleId, addr}
		if appraisals[key] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate appraisal of title %d by %s", a.TitleId, a.Appraiser)
		}
		appraisals[key] = true
	}

	pools := make(map[string]InsurancePool, len(gs.Pools))
	for _, p := range gs.Pools {
		if err := p.Validate(); err != nil {
			return err
		}
		addr, _ := canonical("insurer", p.Insurer)
		if _, dup := pools[addr]; dup {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate pool of %s", p.Insurer)
		}
		pools[addr] = p
	}

	reserved := make(map[string]math.Int, len(gs.Pools))
	policies := make(map[uint64]bool, len(gs.Policies))
	for _, p := range gs.Policies {
		if err := p.Validate(); err != nil {
			return err
		}
		if _, ok := titles[p.TitleId]; !ok {
			return errorsmod.Wrapf(ErrTitleNotFound, "policy of unknown title %d", p.TitleId)
		}
		if policies[p.TitleId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "two policies on title %d", p.TitleId)
		}
		policies[p.TitleId] = true
		addr, _ := canonical("insurer", p.Insurer)
		if _, ok := pools[addr]; !ok {
			return errorsmod.Wrapf(ErrPoolNotFound, "policy of title %d from %s, which has no pool", p.TitleId, p.Insurer)
		}
		sum, ok := reserved[addr]
		if !ok {
			sum = math.ZeroInt()
		}
		reserved[addr] = sum.Add(p.Coverage)
	}
	for _, pool := range gs.Pools {
		addr, _ := canonical("insurer", pool.Insurer)
		sum, ok := reserved[addr]
		if !ok {
			sum = math.ZeroInt()
		}
		if !pool.Reserved.Equal(sum) {
			return errorsmod.Wrapf(ErrInvalidGenesis, "pool of %s reserves %s, its policies cover %s", pool.Insurer, pool.Reserved, sum)
		}
	}

	requests := make(map[uint64]bool, len(gs.PolicyRequests))
	requestTitles := make(map[uint64]bool, len(gs.PolicyRequests))
	for _, r := range gs.PolicyRequests {
		if err := r.Validate(); err != nil {
			return err
		}
		if requests[r.Id] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "duplicate policy request %d", r.Id)
		}
		if r.Id >= gs.NextPolicyRequestId {
			return errorsmod.Wrapf(ErrInvalidGenesis, "policy request %d is not below next_policy_request_id %d", r.Id, gs.NextPolicyRequestId)
		}
		if _, ok := titles[r.TitleId]; !ok {
			return errorsmod.Wrapf(ErrTitleNotFound, "policy request %d of unknown title %d", r.Id, r.TitleId)
		}
		if requestTitles[r.TitleId] {
			return errorsmod.Wrapf(ErrInvalidGenesis, "two policy requests on title %d", r.TitleId)
		}
		requests[r.Id] = true
		requestTitles[r.TitleId] = true
	}
	return nil
}
