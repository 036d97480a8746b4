package fly

import (
	"context"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flystack/provider-double/internal/flyapi"
	dschema "github.com/flystack/provider-double/internal/schema"
	"github.com/flystack/provider-double/internal/tfval"
)

// secretSpec mirrors internal/provider/fly/resource_secret.go. value_wo is
// write-only: read from config only, never put in plan or state, never logged.
// No import (the real resource has no ImportState).
func secretSpec() spec {
	return spec{
		name: "fly_secret",
		rules: dschema.Rules{
			"id":   {UseStateForUnknown: true}, // mirrors resource_secret.go
			"app":  {RequiresReplace: true},    // mirrors resource_secret.go
			"name": {RequiresReplace: true},    // mirrors resource_secret.go
			// digest, version: Computed without modifiers (resource_secret.go), so a
			// value_wo_version change plans them as known after apply.
		},
		create: func(ctx context.Context, c *flyapi.Client, config, plan obj, d *diag.Diagnostics) obj {
			return setSecret(ctx, c, config, plan, tfval.Str(plan, "app")+"/"+tfval.Str(plan, "name"), "Set Secret Error", d)
		},
		// mirrors resource_secret.go Read: digest only; missing -> removed.
		read: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) obj {
			secrets, err := c.ListSecrets(ctx, tfval.Str(state, "app"))
			if err != nil {
				d.AddError("List Secrets Error", err.Error())
				return nil
			}
			for _, s := range secrets {
				if s.Name == tfval.Str(state, "name") {
					out := copyObj(state)
					out["digest"] = s.Digest
					return out
				}
			}
			return nil
		},
		// mirrors resource_secret.go Update: re-send the value (value_wo_version changed).
		update: func(ctx context.Context, c *flyapi.Client, config, plan, state obj, d *diag.Diagnostics) obj {
			return setSecret(ctx, c, config, plan, state["id"], "Update Secret Error", d)
		},
		delete: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) {
			if err := c.DeleteSecret(ctx, tfval.Str(state, "app"), tfval.Str(state, "name")); err != nil {
				d.AddError("Delete Secret Error", err.Error())
			}
		},
	}
}

// setSecret sends {name: value} (Create adopts/overwrites an existing secret).
func setSecret(ctx context.Context, c *flyapi.Client, config, plan obj, id any, errTitle string, d *diag.Diagnostics) obj {
	if !tfval.Known(config, "value_wo") {
		d.AddAttributeError(path.Root("value_wo"), "Missing Secret Value", "value_wo must be set in the configuration.")
		return nil
	}
	app, name := tfval.Str(plan, "app"), tfval.Str(plan, "name")
	secrets, version, err := c.SetSecrets(ctx, app, map[string]string{name: tfval.Str(config, "value_wo")})
	if err != nil {
		d.AddError(errTitle, err.Error())
		return nil
	}
	out := copyObj(plan)
	out["value_wo"] = nil
	out["id"] = id
	out["digest"] = ""
	for _, s := range secrets {
		if s.Name == name {
			out["digest"] = s.Digest
		}
	}
	out["version"] = version
	return out
}
