package fly

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/path"

	"github.com/flystack/provider-double/internal/flyapi"
	dschema "github.com/flystack/provider-double/internal/schema"
	"github.com/flystack/provider-double/internal/tfval"
)

// ipSpec mirrors internal/provider/fly/resource_ip.go.
func ipSpec() spec {
	return spec{
		name: "fly_ip",
		rules: dschema.Rules{
			"id":       {UseStateForUnknown: true}, // mirrors resource_ip.go
			"app":      {RequiresReplace: true},    // mirrors resource_ip.go
			"type":     {RequiresReplace: true, StringValidators: oneOfV("private_v6", "shared_v4", "public_v4", "public_v6")},
			"network":  {RequiresReplace: true},    // mirrors resource_ip.go
			"org_slug": {RequiresReplace: true},    // mirrors resource_ip.go
			"address":  {UseStateForUnknown: true}, // mirrors resource_ip.go
		},
		// mirrors resource_ip.go ValidateConfig: network/org_slug only for private_v6.
		validateConfig: func(config obj, d *diag.Diagnostics) {
			if !tfval.Known(config, "type") {
				return
			}
			t := tfval.Str(config, "type")
			if t == "private_v6" {
				return
			}
			if tfval.Known(config, "network") {
				d.AddAttributeError(path.Root("network"), "network Only Applies to Flycast",
					fmt.Sprintf("type = %q does not accept a `network` value (Fly silently ignores it). Drop the attribute or change type to \"private_v6\".", t))
			}
			if tfval.Known(config, "org_slug") {
				d.AddAttributeError(path.Root("org_slug"), "org_slug Only Applies to Flycast",
					fmt.Sprintf("type = %q does not accept a peer `org_slug` (cross-org reach is a Flycast concept). Drop the attribute or change type to \"private_v6\".", t))
			}
		},
		create: func(ctx context.Context, c *flyapi.Client, _, plan obj, d *diag.Diagnostics) obj {
			addr, err := c.AllocateIP(ctx, tfval.Str(plan, "app"), tfval.Str(plan, "type"), tfval.Str(plan, "network"), tfval.Str(plan, "org_slug"))
			if err != nil {
				d.AddError("Allocate IP Error", err.Error())
				return nil
			}
			out := copyObj(plan)
			out["id"], out["address"] = addr, addr
			return out
		},
		// mirrors resource_ip.go Read: existence only.
		read: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) obj {
			ips, err := c.ListIPAssignments(ctx, tfval.Str(state, "app"))
			if err != nil {
				d.AddError("List IPs Error", err.Error())
				return nil
			}
			for _, ip := range ips {
				if ip == tfval.Str(state, "address") {
					return state
				}
			}
			return nil
		},
		update: func(_ context.Context, _ *flyapi.Client, _, _, _ obj, d *diag.Diagnostics) obj {
			d.AddError("Update Not Supported", "fly_ip does not support in-place updates")
			return nil
		},
		delete: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) {
			if err := c.DeleteIPAssignment(ctx, tfval.Str(state, "app"), tfval.Str(state, "address")); err != nil {
				d.AddError("Delete IP Error", err.Error())
			}
		},
		// mirrors resource_ip.go ImportState: "<app>/<address>", type inferred.
		importState: func(id string) (obj, error) {
			app, addr, ok := strings.Cut(id, "/")
			if !ok || app == "" || addr == "" {
				return nil, fmt.Errorf("Expected '<app>/<ip_address>', got %s", id)
			}
			return obj{"app": app, "address": addr, "id": addr, "type": inferIPType(addr)}, nil
		},
	}
}

// inferIPType mirrors resource_ip.go: any IPv4 is public_v4.
func inferIPType(addr string) string {
	switch {
	case strings.Contains(addr, ":") && strings.HasPrefix(addr, "fdaa:"):
		return "private_v6"
	case strings.Contains(addr, ":"):
		return "public_v6"
	default:
		return "public_v4"
	}
}
