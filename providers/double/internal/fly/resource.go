package fly

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	rschema "github.com/hashicorp/terraform-plugin-framework/resource/schema"
	"github.com/hashicorp/terraform-plugin-framework/tfsdk"
	"github.com/hashicorp/terraform-plugin-go/tftypes"

	"github.com/flystack/provider-double/internal/flyapi"
	dschema "github.com/flystack/provider-double/internal/schema"
	"github.com/flystack/provider-double/internal/tfval"
)

type obj = tfval.Obj

// spec is one resource: its schema rules and CRUD over decoded objects.
// A nil read result removes the resource from state.
type spec struct {
	name   string
	rules  dschema.Rules
	create func(ctx context.Context, c *flyapi.Client, config, plan obj, d *diag.Diagnostics) obj
	read   func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) obj
	update func(ctx context.Context, c *flyapi.Client, config, plan, state obj, d *diag.Diagnostics) obj
	delete func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics)
	// importState turns an import ID into the initial state (nil: not importable).
	importState    func(id string) (obj, error)
	modifyPlan     func(ctx context.Context, c *flyapi.Client, state, plan obj, requiresReplace bool, d *diag.Diagnostics) obj
	validateConfig func(config obj, d *diag.Diagnostics)
}

type genericResource struct {
	spec   spec
	schema rschema.Schema
	client *flyapi.Client
}

type importableResource struct{ *genericResource }

func newResource(s spec, ps *dschema.ProviderSchema) (resource.Resource, error) {
	sv, ok := ps.ResourceSchemas[s.name]
	if !ok {
		return nil, fmt.Errorf("schema has no resource %s", s.name)
	}
	sch, err := dschema.ResourceSchema(sv, s.rules)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", s.name, err)
	}
	g := &genericResource{spec: s, schema: sch}
	if s.importState != nil {
		return importableResource{g}, nil
	}
	return g, nil
}

func (r *genericResource) Metadata(_ context.Context, _ resource.MetadataRequest, resp *resource.MetadataResponse) {
	resp.TypeName = r.spec.name
}

func (r *genericResource) Schema(_ context.Context, _ resource.SchemaRequest, resp *resource.SchemaResponse) {
	resp.Schema = r.schema
}

func (r *genericResource) Configure(_ context.Context, req resource.ConfigureRequest, resp *resource.ConfigureResponse) {
	if req.ProviderData == nil {
		return
	}
	c, ok := req.ProviderData.(*flyapi.Client)
	if !ok {
		resp.Diagnostics.AddError("Unexpected Resource Configure Type", fmt.Sprintf("Expected *flyapi.Client, got: %T", req.ProviderData))
		return
	}
	r.client = c
}

func (r *genericResource) typ(ctx context.Context) tftypes.Type {
	return r.schema.Type().TerraformType(ctx)
}

func decode(v tftypes.Value, d *diag.Diagnostics) obj {
	o, err := tfval.ToObj(v)
	if err != nil {
		d.AddError("Double Decode Error", err.Error())
	}
	return o
}

func (r *genericResource) encode(ctx context.Context, o obj, d *diag.Diagnostics) (tftypes.Value, bool) {
	v, err := tfval.FromGo(r.typ(ctx), o)
	if err != nil {
		d.AddError("Double Encode Error", err.Error())
		return tftypes.Value{}, false
	}
	return v, true
}

func (r *genericResource) setState(ctx context.Context, st *tfsdk.State, o obj, d *diag.Diagnostics) {
	if o == nil || d.HasError() {
		return
	}
	if v, ok := r.encode(ctx, o, d); ok {
		st.Raw = v
	}
}

func (r *genericResource) Create(ctx context.Context, req resource.CreateRequest, resp *resource.CreateResponse) {
	config := decode(req.Config.Raw, &resp.Diagnostics)
	plan := decode(req.Plan.Raw, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	out := r.spec.create(ctx, r.client, config, plan, &resp.Diagnostics)
	r.setState(ctx, &resp.State, out, &resp.Diagnostics)
}

func (r *genericResource) Read(ctx context.Context, req resource.ReadRequest, resp *resource.ReadResponse) {
	state := decode(req.State.Raw, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	out := r.spec.read(ctx, r.client, state, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	if out == nil {
		resp.State.RemoveResource(ctx)
		return
	}
	r.setState(ctx, &resp.State, out, &resp.Diagnostics)
}

func (r *genericResource) Update(ctx context.Context, req resource.UpdateRequest, resp *resource.UpdateResponse) {
	config := decode(req.Config.Raw, &resp.Diagnostics)
	plan := decode(req.Plan.Raw, &resp.Diagnostics)
	state := decode(req.State.Raw, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	out := r.spec.update(ctx, r.client, config, plan, state, &resp.Diagnostics)
	r.setState(ctx, &resp.State, out, &resp.Diagnostics)
}

func (r *genericResource) Delete(ctx context.Context, req resource.DeleteRequest, resp *resource.DeleteResponse) {
	state := decode(req.State.Raw, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	r.spec.delete(ctx, r.client, state, &resp.Diagnostics)
}

func (r *genericResource) ModifyPlan(ctx context.Context, req resource.ModifyPlanRequest, resp *resource.ModifyPlanResponse) {
	if r.spec.modifyPlan == nil || req.State.Raw.IsNull() || req.Plan.Raw.IsNull() {
		return
	}
	state := decode(req.State.Raw, &resp.Diagnostics)
	plan := decode(req.Plan.Raw, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}
	out := r.spec.modifyPlan(ctx, r.client, state, plan, len(resp.RequiresReplace) > 0, &resp.Diagnostics)
	if out == nil || resp.Diagnostics.HasError() {
		return
	}
	if v, ok := r.encode(ctx, out, &resp.Diagnostics); ok {
		resp.Plan.Raw = v
	}
}

func (r *genericResource) ValidateConfig(_ context.Context, req resource.ValidateConfigRequest, resp *resource.ValidateConfigResponse) {
	if r.spec.validateConfig == nil {
		return
	}
	config := decode(req.Config.Raw, &resp.Diagnostics)
	if resp.Diagnostics.HasError() || config == nil {
		return
	}
	r.spec.validateConfig(config, &resp.Diagnostics)
}

func (r importableResource) ImportState(ctx context.Context, req resource.ImportStateRequest, resp *resource.ImportStateResponse) {
	o, err := r.spec.importState(req.ID)
	if err != nil {
		resp.Diagnostics.AddError("Invalid Import ID", err.Error())
		return
	}
	r.setState(ctx, &resp.State, o, &resp.Diagnostics)
}

// copyObj is a shallow copy.
func copyObj(o obj) obj {
	out := make(obj, len(o))
	for k, v := range o {
		out[k] = v
	}
	return out
}
