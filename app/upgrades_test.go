package app_test

import (
	"strconv"
	"testing"
	"time"

	upgradetypes "cosmossdk.io/x/upgrade/types"
	"github.com/stretchr/testify/require"

	"github.com/infrafi/infrafi/app"
	"github.com/infrafi/infrafi/testutil"
)

// TestBuildTimeUpgradeRunsAtPlanHeight covers app.UpgradeName in process: the
// handler it registers applies the plan in the plan height's PreBlock and
// emits the upgrade event. (tests/e2e/upgrade_test.go does the halt and the
// binary swap on a localnet.)
func TestBuildTimeUpgradeRunsAtPlanHeight(t *testing.T) {
	const name = "unit-upgrade"
	prev := app.UpgradeName
	app.UpgradeName = name
	t.Cleanup(func() { app.UpgradeName = prev })

	fx := testutil.Setup(t, testutil.Options{})
	// Due in the very next block: x/upgrade refuses a binary that already has
	// the handler of a plan that is scheduled but not yet due.
	planHeight := fx.Height() + 1
	require.NoError(t, fx.UpgradeKeeper.ScheduleUpgrade(fx.Ctx(), upgradetypes.Plan{Name: name, Height: planHeight}))

	res := fx.NextBlock(time.Second)
	var applied int
	for _, ev := range res.Events {
		if ev.Type != app.EventTypeUpgradeApplied {
			continue
		}
		applied++
		attrs := map[string]string{}
		for _, a := range ev.Attributes {
			attrs[a.Key] = a.Value
		}
		require.Equal(t, name, attrs[app.AttributeKeyUpgradeName])
		require.Equal(t, strconv.FormatInt(planHeight, 10), attrs[app.AttributeKeyHeight])
		require.NotEmpty(t, attrs[app.AttributeKeyModules])
	}
	require.Equal(t, 1, applied)

	height, err := fx.UpgradeKeeper.GetDoneHeight(fx.Ctx(), name)
	require.NoError(t, err)
	require.Equal(t, planHeight, height)
	_, err = fx.UpgradeKeeper.GetUpgradePlan(fx.Ctx())
	require.ErrorIs(t, err, upgradetypes.ErrNoUpgradePlanFound)
	fx.NextBlock(time.Second)
}
