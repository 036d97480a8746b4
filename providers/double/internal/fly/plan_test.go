package fly

import (
	"context"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/flystack/provider-double/internal/tfval"
)

// planner drives PlanResourceChange through the framework's protocol 6
// server, as Terraform does.
type planner struct {
	t   *testing.T
	srv tfprotov6.ProviderServer
	typ map[string]tftypes.Type
}

func newPlanner(t *testing.T) *planner {
	p, err := New("test")
	if err != nil {
		t.Fatal(err)
	}
	srv := providerserver.NewProtocol6(p)()
	resp, err := srv.GetProviderSchema(context.Background(), &tfprotov6.GetProviderSchemaRequest{})
	if err != nil {
		t.Fatal(err)
	}
	typ := map[string]tftypes.Type{}
	for name, s := range resp.ResourceSchemas {
		typ[name] = s.ValueType()
	}
	return &planner{t: t, srv: srv, typ: typ}
}

func (p *planner) dv(res string, o tfval.Obj) *tfprotov6.DynamicValue {
	p.t.Helper()
	v, err := tfval.FromGo(p.typ[res], o)
	if err != nil {
		p.t.Fatal(err)
	}
	d, err := tfprotov6.NewDynamicValue(p.typ[res], v)
	if err != nil {
		p.t.Fatal(err)
	}
	return &d
}

type planResult struct {
	planned  tfval.Obj
	replace  []string
	warnings []string
	errors   []string
}

func (p *planner) plan(res string, prior, config tfval.Obj) planResult {
	p.t.Helper()
	proposed := tfval.Obj{}
	for k, v := range config {
		proposed[k] = v
	}
	// Terraform proposes prior values for computed attributes the config
	// leaves null (blocks are never computed, so they follow the config).
	blocks := map[string]bool{"guest": true, "compute": true, "service": true, "file": true, "mount": true,
		"restart": true, "container": true, "metrics": true, "check": true}
	for k, v := range prior {
		if _, ok := config[k]; !ok && !blocks[k] {
			proposed[k] = v
		}
	}
	req := &tfprotov6.PlanResourceChangeRequest{
		TypeName:         res,
		PriorState:       p.dv(res, prior),
		ProposedNewState: p.dv(res, proposed),
		Config:           p.dv(res, config),
	}
	resp, err := p.srv.PlanResourceChange(context.Background(), req)
	if err != nil {
		p.t.Fatal(err)
	}
	var out planResult
	for _, d := range resp.Diagnostics {
		if d.Severity == tfprotov6.DiagnosticSeverityError {
			out.errors = append(out.errors, d.Summary+": "+d.Detail)
		} else {
			out.warnings = append(out.warnings, d.Summary)
		}
	}
	if resp.PlannedState != nil {
		v, err := resp.PlannedState.Unmarshal(p.typ[res])
		if err != nil {
			p.t.Fatal(err)
		}
		out.planned, _ = tfval.ToObj(v)
	}
	for _, ap := range resp.RequiresReplace {
		out.replace = append(out.replace, ap.String())
	}
	return out
}

func volumeState() tfval.Obj {
	return tfval.Obj{
		"id": "vol_1", "app": "a", "name": "data", "region": "iad", "size_gb": int64(10),
		"encrypted": true, "fstype": "ext4", "auto_backup_enabled": true, "snapshot_retention": int64(5),
		"require_unique_zone": true, "readopt_on_host_migration": false,
		"state": "created", "attached_machine_id": "", "zone": "z1",
		"compute": map[string]any{"cpu_kind": "shared", "cpus": int64(1), "memory_mb": int64(256)},
	}
}

func volumeConfig() tfval.Obj {
	return tfval.Obj{"app": "a", "name": "data", "region": "iad", "size_gb": int64(10),
		"compute": map[string]any{"cpu_kind": "shared", "cpus": int64(1), "memory_mb": int64(256)}}
}

func TestVolumeComputeCPUKindForcesReplacement(t *testing.T) {
	p := newPlanner(t)
	cfg := volumeConfig()
	cfg["fstype"] = "ext4"
	cfg["compute"] = map[string]any{"cpu_kind": "performance", "cpus": int64(1), "memory_mb": int64(256)}
	r := p.plan("fly_volume", volumeState(), cfg)
	if len(r.errors) > 0 {
		t.Fatal(r.errors)
	}
	if len(r.replace) != 1 || r.replace[0] != `AttributeName("compute").AttributeName("cpu_kind")` {
		t.Fatalf("want replacement on compute.cpu_kind, got %v", r.replace)
	}
}

func TestVolumeComputeSizeIsInPlaceAndIDKept(t *testing.T) {
	p := newPlanner(t)
	cfg := volumeConfig()
	cfg["compute"] = map[string]any{"cpu_kind": "shared", "cpus": int64(2), "memory_mb": int64(256)}
	cfg["size_gb"] = int64(20)
	cfg["fstype"] = "ext4"
	r := p.plan("fly_volume", volumeState(), cfg)
	if len(r.errors) > 0 || len(r.replace) > 0 {
		t.Fatalf("want an in-place update, got replace=%v errors=%v", r.replace, r.errors)
	}
	if r.planned["id"] != "vol_1" || r.planned["fstype"] != "ext4" {
		t.Errorf("id/fstype must keep state (UseStateForUnknown), got %v/%v", r.planned["id"], r.planned["fstype"])
	}
	if _, unk := r.planned["snapshot_retention"].(tfval.Unknown); !unk {
		t.Errorf("snapshot_retention has no modifier: want known after apply, got %v", r.planned["snapshot_retention"])
	}
	if _, unk := r.planned["zone"].(tfval.Unknown); !unk {
		t.Errorf("zone: want known after apply")
	}
}

// resource_volume.go declares fstype [RequiresReplace, UseStateForUnknown] in
// that order: when fstype is not configured, any in-place change marks it
// unknown before UseStateForUnknown runs, and RequiresReplace fires.
func TestVolumeUnconfiguredFstypeReplacesOnAnyChange(t *testing.T) {
	p := newPlanner(t)
	cfg := volumeConfig()
	cfg["size_gb"] = int64(20)
	r := p.plan("fly_volume", volumeState(), cfg)
	if len(r.replace) != 1 || r.replace[0] != `AttributeName("fstype")` {
		t.Fatalf("want replacement on fstype, got %v", r.replace)
	}
}

func TestVolumeImportedStatePlansReplacement(t *testing.T) {
	p := newPlanner(t)
	st := volumeState()
	delete(st, "compute")
	delete(st, "require_unique_zone")
	r := p.plan("fly_volume", st, volumeConfig())
	if len(r.replace) == 0 {
		t.Fatalf("an imported volume (compute/require_unique_zone null) must plan a replacement")
	}
}

func TestVolumeShrinkRejected(t *testing.T) {
	p := newPlanner(t)
	cfg := volumeConfig()
	cfg["size_gb"] = int64(5)
	if r := p.plan("fly_volume", volumeState(), cfg); len(r.errors) == 0 {
		t.Fatalf("a shrink must fail at plan time")
	}
}

func machineState() tfval.Obj {
	return tfval.Obj{"id": "m1", "app": "a", "name": "web-1", "region": "iad", "image": "img:1",
		"instance_id": "i1", "state": "started", "private_ip": "fdaa::1", "image_digest": "sha256:x",
		"guest": map[string]any{"cpu_kind": "shared", "cpus": int64(1), "memory_mb": int64(256)}}
}

func TestMachineNameChangeIsPinnedWithWarning(t *testing.T) {
	p := newPlanner(t)
	cfg := tfval.Obj{"app": "a", "name": "web-2", "region": "iad", "image": "img:2",
		"guest": map[string]any{"cpu_kind": "shared", "cpus": int64(1), "memory_mb": int64(256)}}
	r := p.plan("fly_machine", machineState(), cfg)
	if len(r.errors) > 0 || len(r.replace) > 0 {
		t.Fatalf("name change must not replace: %v %v", r.replace, r.errors)
	}
	if r.planned["name"] != "web-1" || len(r.warnings) != 1 {
		t.Fatalf("want name pinned to state with a warning, got %v %v", r.planned["name"], r.warnings)
	}
	if r.planned["id"] != "m1" {
		t.Errorf("id keeps state")
	}
	for _, k := range []string{"instance_id", "state", "private_ip", "image_digest"} {
		if _, unk := r.planned[k].(tfval.Unknown); !unk {
			t.Errorf("%s: want known after apply, got %v", k, r.planned[k])
		}
	}
}

// resource_machine.go declares region [RequiresReplace, UseStateForUnknown]:
// an unconfigured region replaces the machine on any update.
func TestMachineUnconfiguredRegionReplacesOnAnyChange(t *testing.T) {
	p := newPlanner(t)
	cfg := tfval.Obj{"app": "a", "image": "img:2",
		"guest": map[string]any{"cpu_kind": "shared", "cpus": int64(1), "memory_mb": int64(256)}}
	r := p.plan("fly_machine", machineState(), cfg)
	if len(r.replace) != 1 || r.replace[0] != `AttributeName("region")` {
		t.Fatalf("want replacement on region, got %v", r.replace)
	}
}

func TestMachineRegionForcesReplacement(t *testing.T) {
	p := newPlanner(t)
	cfg := tfval.Obj{"app": "a", "region": "ord", "image": "img:1",
		"guest": map[string]any{}}
	r := p.plan("fly_machine", machineState(), cfg)
	if len(r.replace) != 1 || r.replace[0] != `AttributeName("region")` {
		t.Fatalf("want replacement on region, got %v %v", r.replace, r.errors)
	}
	g := r.planned["guest"].(map[string]any)
	if g["cpu_kind"] != "shared" || g["cpus"] != int64(1) || g["memory_mb"] != int64(256) {
		t.Errorf("guest defaults: got %v", g)
	}
}

func TestIPValidateConfig(t *testing.T) {
	p := newPlanner(t)
	cfg := p.dv("fly_ip", tfval.Obj{"app": "a", "type": "public_v4", "network": "n"})
	resp, err := p.srv.ValidateResourceConfig(context.Background(), &tfprotov6.ValidateResourceConfigRequest{TypeName: "fly_ip", Config: cfg})
	if err != nil {
		t.Fatal(err)
	}
	if len(resp.Diagnostics) != 1 {
		t.Fatalf("want one error for network on public_v4, got %v", resp.Diagnostics)
	}
	if inferIPType("1.2.3.4") != "public_v4" || inferIPType("fdaa:0::1") != "private_v6" || inferIPType("2a09::1") != "public_v6" {
		t.Errorf("inferIPType")
	}
}
