package fly

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource/schema/planmodifier"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"

	"github.com/flystack/provider-double/internal/flyapi"
	dschema "github.com/flystack/provider-double/internal/schema"
	"github.com/flystack/provider-double/internal/tfval"
)

// mirrors internal/provider/fly/resource_machine.go machineStartTimeout and
// machineSettleTimeout: fixed budgets, no timeouts block. The same budget holds
// the wait for started and the wait for checks.
const machineSettleTimeout = 60 * time.Second

// MachineWaitEnv shortens the 120 s start/checks budget for tests that make a
// check fail on purpose (the real provider has no such knob; unset, the budget is 120 s).
const MachineWaitEnv = "FLYSTACK_DOUBLE_MACHINE_WAIT"

func machineStartTimeout() time.Duration {
	return flyapi.EnvDuration(MachineWaitEnv, 120*time.Second)
}

// nameImmutableAfterCreate mirrors resource_machine.go: on update the planned
// name is pinned to state, with a warning when config disagrees.
type nameImmutableAfterCreate struct{}

func (nameImmutableAfterCreate) Description(context.Context) string {
	return "Suppress post-create config diffs on `name` because Fly's UpdateMachine API silently no-ops renames."
}
func (m nameImmutableAfterCreate) MarkdownDescription(ctx context.Context) string {
	return m.Description(ctx)
}
func (nameImmutableAfterCreate) PlanModifyString(_ context.Context, req planmodifier.StringRequest, resp *planmodifier.StringResponse) {
	if req.StateValue.IsNull() || req.StateValue.IsUnknown() {
		return
	}
	if !req.ConfigValue.IsNull() && !req.ConfigValue.IsUnknown() && req.ConfigValue.ValueString() != req.StateValue.ValueString() {
		resp.Diagnostics.AddWarning("Machine name change ignored",
			fmt.Sprintf("fly_machine.name was changed in configuration from %q to %q, but Fly's Machines API does not support rename. The state value (%q) is preserved. To force a new machine with the new name, `tofu taint` this resource.",
				req.StateValue.ValueString(), req.ConfigValue.ValueString(), req.StateValue.ValueString()))
	}
	resp.PlanValue = req.StateValue
}

func machineRules() dschema.Rules {
	restartPolicies := oneOfV("no", "always", "on-failure", "spot-price")
	return dschema.Rules{
		"id":  {UseStateForUnknown: true}, // mirrors resource_machine.go: id UseStateForUnknown
		"app": {RequiresReplace: true},    // mirrors resource_machine.go: app RequiresReplace
		"name": {UseStateForUnknown: true, // mirrors resource_machine.go: name UseStateForUnknown + nameImmutableAfterCreate (no RequiresReplace)
			StringModifiers: []planmodifier.String{nameImmutableAfterCreate{}}},
		"region":        {RequiresReplace: true, UseStateForUnknown: true}, // mirrors resource_machine.go: region RequiresReplace + UseStateForUnknown
		"desired_state": {StringValidators: oneOfV("started", "stopped")},  // mirrors resource_machine.go: OneOf
		// instance_id, state, private_ip, image_digest: Computed with no
		// modifier (resource_machine.go), so "known after apply" on any change.
		"guest.cpu_kind":                    {Default: "shared"},   // mirrors resource_machine.go: stringdefault "shared"
		"guest.cpus":                        {Default: int64(1)},   // mirrors resource_machine.go: int64default 1
		"guest.memory_mb":                   {Default: int64(256)}, // mirrors resource_machine.go: int64default 256
		"service.concurrency":               {ListValidators: []validator.List{sizeAtMost(1)}},
		"file.raw_value":                    {StringValidators: []validator.String{exactlyOneSibling{"raw_value", "secret_name"}}},
		"mount.readopt_on_host_migration":   {Default: false}, // mirrors resource_machine.go: booldefault false
		"restart.policy":                    {StringValidators: restartPolicies},
		"container.file.raw_value":          {StringValidators: []validator.String{exactlyOneSibling{"raw_value", "secret_name"}}},
		"container.depends_on.condition":    {StringValidators: oneOfV("started", "healthy", "exited_successfully")},
		"container.restart.policy":          {StringValidators: oneOfV("no", "always", "on-failure")},
		"container.healthcheck":             {ObjectValidators: []validator.Object{exactlyOneTransport{}}},
		"container.healthcheck.kind":        {StringValidators: oneOfV("readiness", "liveness")},
		"container.healthcheck.http.scheme": {StringValidators: oneOfV("http", "https")},
	}
}

// machineSpec mirrors internal/provider/fly/resource_machine.go.
func machineSpec() spec {
	return spec{
		name:   "fly_machine",
		rules:  machineRules(),
		create: machineCreate,
		read:   machineRead,
		update: machineUpdate,
		// mirrors resource_machine.go Delete: DestroyMachine with force=true.
		delete: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) {
			if err := c.DestroyMachine(ctx, tfval.Str(state, "app"), tfval.Str(state, "id"), true); err != nil {
				d.AddError("Delete Machine Error", err.Error())
			}
		},
		// mirrors resource_machine.go parseImportID: "<app_name>/<machine_id>".
		importState: func(id string) (obj, error) {
			parts := strings.SplitN(id, "/", 2)
			if len(parts) != 2 || parts[0] == "" || parts[1] == "" {
				return nil, fmt.Errorf("expected import ID in the form \"<app_name>/<machine_id>\" (e.g. \"my-app/2872174b330338\"), got %q", id)
			}
			return obj{"app": parts[0], "id": parts[1]}, nil
		},
	}
}

// setMachineState mirrors resource_machine.go setMachineState: identity only;
// image_digest only when the API reports one.
func setMachineState(o obj, m *flyapi.MachineInfo) obj {
	o["id"] = m.ID
	o["name"] = m.Name
	o["instance_id"] = m.InstanceID
	o["state"] = m.State
	o["region"] = m.Region
	o["private_ip"] = m.PrivateIP
	if m.ImageDigest != "" {
		o["image_digest"] = m.ImageDigest
	}
	return o
}

// validateMachinePlan mirrors resource_machine.go validateMountUniqueness,
// validateContainerNameUniqueness, validateHealthcheckNameUniqueness and
// validateCheckNameUniqueness (only the last two run on Update).
func validateMachinePlan(plan obj, onCreate bool, d *diag.Diagnostics) {
	if onCreate {
		seen := map[string]string{}
		for _, m := range tfval.Objs(plan, "mount") {
			if !tfval.Known(m, "volume") {
				continue
			}
			id := tfval.Str(m, "volume")
			if first, ok := seen[id]; ok {
				d.AddError("Duplicate Volume in Mounts", fmt.Sprintf("volume %s is referenced by two mount blocks on the same machine (paths %s and %s). Each fly_volume should be mounted at most once per machine.", id, first, tfval.Str(m, "path")))
				return
			}
			seen[id] = tfval.Str(m, "path")
		}
		names := map[string]bool{}
		for _, c := range tfval.Objs(plan, "container") {
			n := tfval.Str(c, "name")
			if names[n] {
				d.AddError("Duplicate Container Name", fmt.Sprintf("container name %q appears in more than one container block on this machine. Container names must be unique per machine (Fly's Machines API enforces this at the server).", n))
				return
			}
			names[n] = true
		}
	}
	if onCreate {
		if healthcheckDup(plan, d) || checkDup(plan, d) {
			return
		}
	} else if checkDup(plan, d) || healthcheckDup(plan, d) {
		return
	}
}

func healthcheckDup(plan obj, d *diag.Diagnostics) bool {
	for _, c := range tfval.Objs(plan, "container") {
		seen := map[string]bool{}
		for _, hc := range tfval.Objs(c, "healthcheck") {
			n := tfval.Str(hc, "name")
			if seen[n] {
				d.AddError("Duplicate Healthcheck Name", fmt.Sprintf("healthcheck name %q appears in more than one healthcheck block on container %q. Healthcheck names must be unique within a container.", n, tfval.Str(c, "name")))
				return true
			}
			seen[n] = true
		}
	}
	return false
}

func checkDup(plan obj, d *diag.Diagnostics) bool {
	seen := map[string]bool{}
	for _, chk := range tfval.Objs(plan, "check") {
		n := tfval.Str(chk, "name")
		if seen[n] {
			d.AddError("Duplicate Check Name", fmt.Sprintf("check name %q appears in more than one check block on this machine. Check names are the keys of the Machines API's checks map, so a duplicate would silently replace the earlier block rather than being rejected.", n))
			return true
		}
		seen[n] = true
	}
	return false
}

// validateMountsUnattached mirrors resource_machine.go: one GetVolume per mount.
func validateMountsUnattached(ctx context.Context, c *flyapi.Client, app string, plan obj, d *diag.Diagnostics) {
	for _, m := range tfval.Objs(plan, "mount") {
		if !tfval.Known(m, "volume") {
			continue
		}
		id := tfval.Str(m, "volume")
		info, err := c.GetVolume(ctx, app, id)
		switch {
		case err != nil:
			d.AddError("Pre-Create Volume Check Failed", fmt.Sprintf("could not verify volume %s availability before mount: %s", id, err))
			return
		case info == nil:
			d.AddError("Volume Not Found", fmt.Sprintf("volume %s referenced by mount does not exist; check the fly_volume resource was created first", id))
			return
		case info.AttachedMachineID != "":
			d.AddError("Volume Already Attached", fmt.Sprintf("volume %s is already attached to machine %s; each fly_volume should be referenced by at most one fly_machine.mount.volume (likely an HCL bug where count.index was missed for index-keyed volumes).", id, info.AttachedMachineID))
			return
		}
	}
}

// cleanupFailedMachine mirrors resource_machine.go: force-destroy on a detached
// 30 s context; a failure is only a warning.
func cleanupFailedMachine(c *flyapi.Client, d *diag.Diagnostics, app, id, reason string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := c.DestroyMachine(ctx, app, id, true); err != nil {
		d.AddWarning("Cleanup Failed", fmt.Sprintf("failed to destroy machine %s after %s: %s", id, reason, err))
	}
}

func stopAndWait(ctx context.Context, c *flyapi.Client, app, id string) error {
	if err := c.StopMachine(ctx, app, id); err != nil {
		return fmt.Errorf("stop machine: %w", err)
	}
	stopCtx, cancel := context.WithTimeout(ctx, machineSettleTimeout)
	defer cancel()
	if err := c.WaitForState(stopCtx, app, id, "stopped", ""); err != nil {
		return fmt.Errorf("wait for stopped: %w", err)
	}
	return nil
}

func machineCreate(ctx context.Context, c *flyapi.Client, _, plan obj, d *diag.Diagnostics) obj {
	app := tfval.Str(plan, "app")
	validateMachinePlan(plan, true, d)
	if d.HasError() {
		return nil
	}
	validateMountsUnattached(ctx, c, app, plan, d)
	if d.HasError() {
		return nil
	}
	m, err := c.CreateMachine(ctx, app, createMachineBody(plan))
	if err != nil {
		d.AddError("Create Machine Error", err.Error())
		return nil
	}
	out := copyObj(plan)
	if m == nil {
		// mirrors resource_machine.go: a named create that hit 422 adopts the
		// existing machine (found by name in the list), with no waits.
		name := tfval.Str(plan, "name")
		ms, err := c.ListMachines(ctx, app)
		if err != nil {
			d.AddError("Find Machine Error", err.Error())
			return nil
		}
		for i := range ms {
			if ms[i].Name == name && ms[i].State != "destroyed" {
				return setMachineState(out, &ms[i])
			}
		}
		d.AddError("Find Machine Error", "machine not found after idempotent create")
		return nil
	}
	out["id"] = m.ID

	waitCtx, cancel := context.WithTimeout(ctx, machineStartTimeout())
	defer cancel()
	if err := c.WaitForState(waitCtx, app, m.ID, "started", m.InstanceID); err != nil {
		cleanupFailedMachine(c, d, app, m.ID, "start-wait failure")
		d.AddError("Wait For Started Error", fmt.Sprintf("machine %s did not reach started state: %s", m.ID, err))
		return nil
	}
	if tfval.Str(plan, "desired_state") == "stopped" {
		if err := stopAndWait(ctx, c, app, m.ID); err != nil {
			cleanupFailedMachine(c, d, app, m.ID, "stop failure")
			d.AddError("Stop Machine Error", fmt.Sprintf("machine %s did not reach stopped state: %s", m.ID, err))
			return nil
		}
		info, err := c.GetMachine(ctx, app, m.ID)
		if err != nil {
			d.AddError("Read Machine Error", err.Error())
			return nil
		}
		return setMachineState(out, info)
	}
	checksCtx, checksCancel := context.WithTimeout(ctx, machineStartTimeout())
	defer checksCancel()
	if err := c.WaitForChecks(checksCtx, app, m.ID); err != nil {
		cleanupFailedMachine(c, d, app, m.ID, "check failure")
		d.AddError("Wait For Checks Error", fmt.Sprintf("machine %s checks did not pass: %s", m.ID, err))
		return nil
	}
	if tfval.Known(plan, "health_check_url") {
		if err := pollHealth(ctx, plan); err != nil {
			cleanupFailedMachine(c, d, app, m.ID, "health check failure")
			d.AddError("Health Check Failed", fmt.Sprintf("machine %s health check failed: %s", m.ID, err))
			return nil
		}
	}
	info, err := c.GetMachine(ctx, app, m.ID)
	if err != nil {
		d.AddError("Read Machine Error", err.Error())
		return nil
	}
	return setMachineState(out, info)
}

// machineRead mirrors resource_machine.go Read: identity only, 404 removes,
// mount volumes re-read only where readopt_on_host_migration is set.
func machineRead(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) obj {
	info, err := c.GetMachine(ctx, tfval.Str(state, "app"), tfval.Str(state, "id"))
	if err != nil {
		if flyapi.IsNotFound(err) {
			return nil
		}
		d.AddError("Read Machine Error", err.Error())
		return nil
	}
	out := setMachineState(copyObj(state), info)
	refreshMountVolumes(out, info)
	return out
}

func refreshMountVolumes(o obj, info *flyapi.MachineInfo) {
	mounts := tfval.Objs(o, "mount")
	if len(mounts) == 0 || len(info.Mounts) == 0 {
		return
	}
	byPath := map[string]string{}
	for _, m := range info.Mounts {
		byPath[m.Path] = m.Volume
	}
	for _, m := range mounts {
		if on, _ := tfval.Bool(m, "readopt_on_host_migration"); !on {
			continue
		}
		if vol, ok := byPath[tfval.Str(m, "path")]; ok && vol != "" {
			m["volume"] = vol
		}
	}
}

// updateLaunches mirrors resource_machine.go: these states reboot into the new config.
func updateLaunches(state string) bool {
	switch state {
	case "started", "starting", "failed":
		return true
	}
	return false
}

func machineUpdate(ctx context.Context, c *flyapi.Client, _, plan, state obj, d *diag.Diagnostics) obj {
	validateMachinePlan(plan, false, d)
	if d.HasError() {
		return nil
	}
	app := tfval.Str(plan, "app")
	id := tfval.Str(state, "id")
	pre, err := c.GetMachine(ctx, app, id)
	if err != nil {
		d.AddError("Read Machine Error", fmt.Sprintf("failed to read machine %s before update: %s", id, err))
		return nil
	}

	// The real resource_machine.go Update takes no lease (nor does flyio/client.go UpdateMachine).
	info, err := c.UpdateMachine(ctx, app, id, updateMachineBody(plan))
	if err != nil {
		d.AddError("Update Machine Error", err.Error())
		return nil
	}
	out := copyObj(plan)
	out["id"] = state["id"]

	if tfval.Str(plan, "desired_state") == "stopped" {
		if err := parkOnUpdate(ctx, c, app, id, pre.State, info.InstanceID); err != nil {
			d.AddError("Stop Machine Error", fmt.Sprintf("machine %s: %s", id, err))
			return nil
		}
		final, err := c.GetMachine(ctx, app, id)
		if err != nil {
			d.AddError("Read Machine Error", err.Error())
			return nil
		}
		return setMachineState(out, final)
	}
	if !updateLaunches(pre.State) {
		settleCtx, cancel := context.WithTimeout(ctx, machineSettleTimeout)
		defer cancel()
		rest, err := c.WaitForRest(settleCtx, app, id, info.InstanceID)
		if err != nil {
			d.AddError("Wait For Settle Error", fmt.Sprintf("machine %s did not settle after update: %s", id, err))
			return nil
		}
		if rest != "started" {
			if err := c.StartMachine(ctx, app, id); err != nil {
				d.AddError("Start Machine Error", fmt.Sprintf("failed to start machine %s after update: %s", id, err))
				return nil
			}
		}
	}
	waitCtx, cancel := context.WithTimeout(ctx, machineStartTimeout())
	defer cancel()
	if err := c.WaitForState(waitCtx, app, id, "started", info.InstanceID); err != nil {
		d.AddError("Wait For Started Error", fmt.Sprintf("machine %s did not reach started state after update: %s", id, err))
		return nil
	}
	// No rollback on failure (mirrors resource_machine.go Update).
	checksCtx, checksCancel := context.WithTimeout(ctx, machineStartTimeout())
	defer checksCancel()
	if err := c.WaitForChecks(checksCtx, app, id); err != nil {
		d.AddError("Wait For Checks Error", fmt.Sprintf("machine %s checks did not pass after update: %s", id, err))
		return nil
	}
	final, err := c.GetMachine(ctx, app, id)
	if err != nil {
		d.AddError("Read Machine Error", err.Error())
		return nil
	}
	return setMachineState(out, final)
}

// parkOnUpdate mirrors resource_machine.go parkOnUpdate.
func parkOnUpdate(ctx context.Context, c *flyapi.Client, app, id, preState, instanceID string) error {
	if updateLaunches(preState) {
		startCtx, cancel := context.WithTimeout(ctx, machineStartTimeout())
		defer cancel()
		if err := c.WaitForState(startCtx, app, id, "started", instanceID); err != nil {
			return fmt.Errorf("did not restart after update: %w", err)
		}
		return stopAndWait(ctx, c, app, id)
	}
	settleCtx, cancel := context.WithTimeout(ctx, machineSettleTimeout)
	defer cancel()
	switch rest, settleErr := c.WaitForRest(settleCtx, app, id, instanceID); {
	case settleErr == nil && rest == "stopped":
		return nil
	case settleErr == nil:
		return stopAndWait(ctx, c, app, id)
	default:
		if err := stopAndWait(ctx, c, app, id); err != nil {
			return fmt.Errorf("did not settle after update (%v) and explicit stop failed: %w", settleErr, err)
		}
		return nil
	}
}

// pollHealth mirrors resource_machine.go pollHealth: GET until 200,
// 500 ms doubling to 5 s, within health_check_timeout (default 60s).
func pollHealth(ctx context.Context, plan obj) error {
	url := tfval.Str(plan, "health_check_url")
	timeout := 60 * time.Second
	if tfval.Known(plan, "health_check_timeout") {
		dur, err := time.ParseDuration(tfval.Str(plan, "health_check_timeout"))
		if err != nil {
			return fmt.Errorf("invalid health_check_timeout: %w", err)
		}
		timeout = dur
	}
	deadline := time.Now().Add(timeout)
	wait := 500 * time.Millisecond
	hc := &http.Client{Timeout: 5 * time.Second}
	for {
		if time.Now().After(deadline) {
			return fmt.Errorf("health check timed out after %s polling %s", timeout, url)
		}
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
		if err != nil {
			return fmt.Errorf("build health check request: %w", err)
		}
		if resp, err := hc.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return ctx.Err()
		case <-t.C:
		}
		wait *= 2
		if wait > 5*time.Second {
			wait = 5 * time.Second
		}
	}
}
