// Package fly is the test double of registry.terraform.io/ampbase-io/fly.
package fly

import (
	"context"
	"os"

	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	pschema "github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"

	"github.com/flystack/provider-double/internal/flyapi"
	dschema "github.com/flystack/provider-double/internal/schema"
	"github.com/flystack/provider-double/internal/tfval"
)

// specs lists the seven resources (mirrors internal/provider/fly/provider.go Resources).
func specs() []spec {
	return []spec{appSpec(), machineSpec(), ipSpec(), secretSpec(), volumeSpec(), certSpec(), certValidationSpec()}
}

type flyProvider struct {
	version string
	schema  pschema.Schema
	ps      *dschema.ProviderSchema
}

// New builds the provider from the embedded schema; it fails when the schema
// and the double's rules disagree.
func New(version string) (provider.Provider, error) {
	ps, err := dschema.Fly()
	if err != nil {
		return nil, err
	}
	sch, err := dschema.ProviderConfigSchema(ps.Provider.Block)
	if err != nil {
		return nil, err
	}
	for _, s := range specs() {
		if _, err := newResource(s, ps); err != nil {
			return nil, err
		}
	}
	return &flyProvider{version: version, schema: sch, ps: ps}, nil
}

func (p *flyProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "fly"
	resp.Version = p.version
}

func (p *flyProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = p.schema
}

// Configure mirrors internal/provider/fly/provider.go Configure: token from
// api_token, else FLY_API_TOKEN; same error when neither is set.
func (p *flyProvider) Configure(_ context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	cfg, err := tfval.ToObj(req.Config.Raw)
	if err != nil {
		resp.Diagnostics.AddError("Double Decode Error", err.Error())
		return
	}
	token := os.Getenv("FLY_API_TOKEN")
	if cfg["api_token"] != nil {
		token = tfval.Str(cfg, "api_token")
	}
	if token == "" {
		resp.Diagnostics.AddError("Missing API Token", "Set the api_token provider attribute or the FLY_API_TOKEN environment variable.")
		return
	}
	baseURL := ""
	if cfg["base_url"] != nil {
		baseURL = tfval.Str(cfg, "base_url")
	}
	client, err := flyapi.New(baseURL, token, tfval.Str(cfg, "org_slug"))
	if err != nil {
		resp.Diagnostics.AddError("Client Creation Error", err.Error())
		return
	}
	resp.ResourceData = client
	resp.DataSourceData = client
}

func (p *flyProvider) Resources(_ context.Context) []func() resource.Resource {
	var out []func() resource.Resource
	for _, s := range specs() {
		out = append(out, func() resource.Resource {
			r, _ := newResource(s, p.ps) // checked in New
			return r
		})
	}
	return out
}

func (p *flyProvider) DataSources(_ context.Context) []func() datasource.DataSource { return nil }
