package fly

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flystack/provider-double/internal/flyapi"
	dschema "github.com/flystack/provider-double/internal/schema"
	"github.com/flystack/provider-double/internal/tfval"
)

// mirrors internal/provider/fly/resource_volume.go volumeReadyTimeout.
const volumeReadyTimeout = 5 * time.Minute

// volumeSpec mirrors internal/provider/fly/resource_volume.go.
func volumeSpec() spec {
	return spec{
		name: "fly_volume",
		rules: dschema.Rules{
			"id":                        {UseStateForUnknown: true},                        // mirrors resource_volume.go
			"app":                       {RequiresReplace: true},                           // mirrors resource_volume.go
			"name":                      {RequiresReplace: true},                           // mirrors resource_volume.go
			"region":                    {RequiresReplace: true},                           // mirrors resource_volume.go
			"encrypted":                 {RequiresReplace: true, Default: true},            // mirrors resource_volume.go: default true
			"fstype":                    {RequiresReplace: true, UseStateForUnknown: true}, // mirrors resource_volume.go
			"auto_backup_enabled":       {Default: true},                                   // mirrors resource_volume.go: default true, updatable
			"require_unique_zone":       {RequiresReplace: true, Default: true},            // mirrors resource_volume.go: default true
			"unique_zone_app_wide":      {RequiresReplace: true},                           // mirrors resource_volume.go
			"readopt_on_host_migration": {Default: false},                                  // mirrors resource_volume.go: default false
			"compute.cpu_kind":          {RequiresReplace: true},                           // mirrors resource_volume.go: compute.cpu_kind RequiresReplace
			// compute.cpus / compute.memory_mb: no modifier; snapshot_retention,
			// state, attached_machine_id, zone: no modifier (resource_volume.go).
		},
		create:     volumeCreate,
		read:       volumeRead,
		update:     volumeUpdate,
		modifyPlan: volumeModifyPlan,
		delete: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) {
			if err := c.DeleteVolume(ctx, tfval.Str(state, "app"), tfval.Str(state, "id")); err != nil {
				d.AddError("Delete Volume Error", err.Error())
			}
		},
		// mirrors resource_volume.go ImportState: "<app>/<volume_id>" sets only
		// app and id, so compute / unique_zone_app_wide / require_unique_zone
		// stay null and the first plan replaces.
		importState: func(id string) (obj, error) {
			app, vol, ok := strings.Cut(id, "/")
			if !ok {
				return nil, fmt.Errorf("Expected '<app>/<volume_id>', got %s", id)
			}
			return obj{"app": app, "id": vol}, nil
		},
	}
}

// setVolumeState mirrors resource_volume.go setVolumeState.
func setVolumeState(o obj, v *flyapi.VolumeInfo) obj {
	o["id"] = v.ID
	o["name"] = v.Name
	o["region"] = v.Region
	o["size_gb"] = v.SizeGB
	o["encrypted"] = v.Encrypted
	o["fstype"] = v.Fstype
	o["auto_backup_enabled"] = v.AutoBackupEnabled
	o["snapshot_retention"] = v.SnapshotRetention
	o["state"] = v.State
	o["attached_machine_id"] = v.AttachedMachineID
	o["zone"] = v.Zone
	return o
}

// volumeCreate mirrors resource_volume.go Create: CreateVolumeRequest from the
// plan (compute and the zone flags are sent, never read back), wait for
// ready, re-read. A volume create never adopts an existing one.
func volumeCreate(ctx context.Context, c *flyapi.Client, _, plan obj, d *diag.Diagnostics) obj {
	app := tfval.Str(plan, "app")
	body := map[string]any{}
	if n := tfval.Str(plan, "name"); n != "" {
		body["name"] = n
	}
	if r := tfval.Str(plan, "region"); r != "" {
		body["region"] = r
	}
	if s, _ := tfval.Int(plan, "size_gb"); s > 0 {
		body["size_gb"] = s
	}
	put(body, "encrypted", plan, "encrypted")
	if tfval.Known(plan, "fstype") && tfval.Str(plan, "fstype") != "" {
		body["fstype"] = plan["fstype"]
	}
	put(body, "auto_backup_enabled", plan, "auto_backup_enabled")
	put(body, "snapshot_retention", plan, "snapshot_retention")
	put(body, "require_unique_zone", plan, "require_unique_zone")
	put(body, "unique_zone_app_wide", plan, "unique_zone_app_wide")
	if comp := tfval.Sub(plan, "compute"); comp != nil {
		g := map[string]any{}
		put(g, "cpu_kind", comp, "cpu_kind")
		put(g, "cpus", comp, "cpus")
		put(g, "memory_mb", comp, "memory_mb")
		body["compute"] = g
	}
	info, err := c.CreateVolume(ctx, app, body)
	if err != nil {
		d.AddError("Create Volume Error", err.Error())
		return nil
	}
	waitCtx, cancel := context.WithTimeout(ctx, volumeReadyTimeout)
	defer cancel()
	if err := c.WaitForVolumeReady(waitCtx, app, info.ID); err != nil {
		d.AddError("Wait For Volume Ready Error", err.Error())
		return nil
	}
	info, err = c.GetVolume(ctx, app, info.ID)
	if err != nil {
		d.AddError("Read Volume Error", err.Error())
		return nil
	}
	if info == nil {
		d.AddError("Read Volume Error", "volume disappeared after reaching ready state")
		return nil
	}
	return setVolumeState(copyObj(plan), info)
}

// pickReplacementVolume mirrors resource_volume.go: the single other
// same-named volume that is attached, or nil when ambiguous.
func pickReplacementVolume(vols []flyapi.VolumeInfo, name, trackedID string) *flyapi.VolumeInfo {
	var match *flyapi.VolumeInfo
	for i := range vols {
		v := &vols[i]
		if v.ID == trackedID || v.Name != name || v.AttachedMachineID == "" {
			continue
		}
		if match != nil {
			return nil
		}
		match = v
	}
	return match
}

// wantsReanchor mirrors resource_volume.go.
func wantsReanchor(info *flyapi.VolumeInfo, readopt bool) bool {
	if info == nil {
		return true
	}
	return readopt && info.AttachedMachineID == ""
}

func volumeRead(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) obj {
	app, tracked := tfval.Str(state, "app"), tfval.Str(state, "id")
	info, err := c.GetVolume(ctx, app, tracked)
	if err != nil {
		d.AddError("Read Volume Error", err.Error())
		return nil
	}
	readopt, _ := tfval.Bool(state, "readopt_on_host_migration")
	if wantsReanchor(info, readopt) {
		vols, err := c.ListVolumes(ctx, app)
		if err != nil {
			d.AddError("Read Volume Error", err.Error())
			return nil
		}
		if repl := pickReplacementVolume(vols, tfval.Str(state, "name"), tracked); repl != nil {
			d.AddWarning("Volume re-anchored after Fly host migration",
				fmt.Sprintf("Volume %q was tracked as %s but is now %s (attached to machine %s) — Fly forked it during a host migration. State re-anchored to the fork. The old volume %s is orphaned and should be destroyed once confirmed unused.",
					tfval.Str(state, "name"), tracked, repl.ID, repl.AttachedMachineID, tracked))
			return setVolumeState(copyObj(state), repl)
		}
	}
	if info == nil {
		return nil
	}
	return setVolumeState(copyObj(state), info)
}

// volumeModifyPlan mirrors resource_volume.go ModifyPlan: reject a shrink,
// and re-anchor a detached tracked volume at plan time when readopt is on.
func volumeModifyPlan(ctx context.Context, c *flyapi.Client, state, plan obj, requiresReplace bool, d *diag.Diagnostics) obj {
	ps, pok := tfval.Int(plan, "size_gb")
	ss, sok := tfval.Int(state, "size_gb")
	if pok && sok && ps < ss {
		d.AddAttributeError(path.Root("size_gb"), "Cannot Shrink Volume",
			fmt.Sprintf("size_gb decreased from %d to %d; Fly volumes do not support shrinking. Fork from a snapshot into a smaller volume, or destroy and recreate (loses data).", ss, ps))
		return nil
	}
	readopt, known := tfval.Bool(plan, "readopt_on_host_migration")
	switch {
	case requiresReplace, c == nil, !known, !readopt:
		return nil
	case !tfval.Known(state, "id"):
		return nil
	case tfval.Str(state, "attached_machine_id") != "":
		return nil
	}
	tracked := tfval.Str(state, "id")
	vols, err := c.ListVolumes(ctx, tfval.Str(state, "app"))
	if err != nil {
		d.AddError("Read Volume Error", err.Error())
		return nil
	}
	repl := pickReplacementVolume(vols, tfval.Str(state, "name"), tracked)
	if repl == nil {
		return nil
	}
	d.AddWarning("Volume re-anchored after Fly host migration",
		fmt.Sprintf("Volume %q was tracked as %s but is now %s (attached to machine %s) — Fly forked it during a host migration. The plan re-anchors id to the fork so the dependent machine mount resolves. The old volume %s is orphaned and should be destroyed once confirmed unused.",
			tfval.Str(state, "name"), tracked, repl.ID, repl.AttachedMachineID, tracked))
	out := copyObj(plan)
	out["id"] = repl.ID
	out["attached_machine_id"] = tfval.Unknown{}
	out["zone"] = tfval.Unknown{}
	out["state"] = tfval.Unknown{}
	return out
}

// volumeUpdate mirrors resource_volume.go Update: extend on a size change,
// UpdateVolume for auto_backup_enabled / snapshot_retention, re-read. compute
// is never sent.
func volumeUpdate(ctx context.Context, c *flyapi.Client, _, plan, state obj, d *diag.Diagnostics) obj {
	app := tfval.Str(plan, "app")
	id := tfval.Str(plan, "id")
	if !tfval.Known(plan, "id") {
		id = tfval.Str(state, "id")
	}
	ps, _ := tfval.Int(plan, "size_gb")
	ss, _ := tfval.Int(state, "size_gb")
	if ps != ss {
		if err := c.ExtendVolume(ctx, app, id, ps); err != nil {
			d.AddError("Extend Volume Error", err.Error())
			return nil
		}
	}
	var autoBackup *bool
	var retention *int64
	pab, _ := tfval.Bool(plan, "auto_backup_enabled")
	sab, _ := tfval.Bool(state, "auto_backup_enabled")
	if pab != sab {
		autoBackup = &pab
	}
	// As in resource_volume.go, an unknown planned retention is "not null"
	// and reads as 0 there, so it is sent as 0 when state differs.
	pr, _ := tfval.Int(plan, "snapshot_retention")
	sr, _ := tfval.Int(state, "snapshot_retention")
	if plan["snapshot_retention"] != nil && pr != sr {
		retention = &pr
	}
	if autoBackup != nil || retention != nil {
		if err := c.UpdateVolume(ctx, app, id, autoBackup, retention); err != nil {
			d.AddError("Update Volume Error", err.Error())
			return nil
		}
	}
	info, err := c.GetVolume(ctx, app, id)
	if err != nil {
		d.AddError("Read Volume Error", err.Error())
		return nil
	}
	if info == nil {
		d.AddError("Read Volume Error", "volume disappeared during update")
		return nil
	}
	return setVolumeState(copyObj(plan), info)
}
