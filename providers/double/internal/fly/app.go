package fly

import (
	"context"
	"fmt"

	"github.com/hashicorp/terraform-plugin-framework/diag"

	"github.com/flystack/provider-double/internal/flyapi"
	dschema "github.com/flystack/provider-double/internal/schema"
	"github.com/flystack/provider-double/internal/tfval"
)

// appSpec mirrors internal/provider/fly/resource_app.go.
func appSpec() spec {
	return spec{
		name: "fly_app",
		rules: dschema.Rules{
			// mirrors resource_app.go: name RequiresReplace
			"name": {RequiresReplace: true},
			// mirrors resource_app.go: org RequiresReplace + UseStateForUnknown, LengthAtLeast(1)
			"org": {RequiresReplace: true, UseStateForUnknown: true, StringValidators: lengthAtLeast1},
			// mirrors resource_app.go: network RequiresReplace + UseStateForUnknown
			"network": {RequiresReplace: true, UseStateForUnknown: true},
			// mirrors resource_app.go: id UseStateForUnknown
			"id": {UseStateForUnknown: true},
		},
		create: func(ctx context.Context, c *flyapi.Client, _, plan obj, d *diag.Diagnostics) obj {
			// mirrors resource_app.go Create: the configured org reaches the create call.
			org := c.OrgSlug()
			if tfval.Known(plan, "org") {
				org = tfval.Str(plan, "org")
			}
			name := tfval.Str(plan, "name")
			if err := c.CreateApp(ctx, name, org, tfval.Str(plan, "network")); err != nil {
				d.AddError("Create App Error", err.Error())
				return nil
			}
			app, err := c.GetApp(ctx, name)
			if err != nil {
				d.AddError("Read App Error", err.Error())
				return nil
			}
			if app == nil {
				d.AddError("Read App Error", "app not found after creation")
				return nil
			}
			return setApp(copyObj(plan), app)
		},
		// mirrors resource_app.go Read: refreshes id, org, network; gone -> removed.
		read: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) obj {
			app, err := c.GetApp(ctx, tfval.Str(state, "name"))
			if err != nil {
				d.AddError("Read App Error", err.Error())
				return nil
			}
			if app == nil {
				return nil
			}
			return setApp(copyObj(state), app)
		},
		update: func(_ context.Context, _ *flyapi.Client, _, _, _ obj, d *diag.Diagnostics) obj {
			d.AddError("Update Not Supported", "fly_app does not support in-place updates")
			return nil
		},
		delete: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) {
			if err := c.DeleteApp(ctx, tfval.Str(state, "name")); err != nil {
				d.AddError("Delete App Error", err.Error())
			}
		},
		// mirrors resource_app.go ImportState: passthrough ID into name.
		importState: func(id string) (obj, error) {
			if id == "" {
				return nil, fmt.Errorf("expected an app name")
			}
			return obj{"name": id}, nil
		},
	}
}

func setApp(o obj, app *flyapi.AppInfo) obj {
	o["id"] = app.ID
	o["org"] = app.OrgSlug
	o["network"] = app.Network
	// internal_numeric_id is in providers/fly.schema.json (computed); the
	// source's GetApp reads it from Apps_show (flyio/client.go AppInfo).
	o["internal_numeric_id"] = app.InternalNumericID
	return o
}
