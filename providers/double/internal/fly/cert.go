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

// certSpec mirrors internal/provider/fly/resource_cert.go.
func certSpec() spec {
	return spec{
		name: "fly_cert",
		rules: dschema.Rules{
			"id":       {UseStateForUnknown: true}, // mirrors resource_cert.go
			"app":      {RequiresReplace: true},    // mirrors resource_cert.go
			"hostname": {RequiresReplace: true},    // mirrors resource_cert.go
		},
		create: func(ctx context.Context, c *flyapi.Client, _, plan obj, d *diag.Diagnostics) obj {
			app, host := tfval.Str(plan, "app"), tfval.Str(plan, "hostname")
			info, err := c.CreateAcmeCertificate(ctx, app, host)
			if err != nil {
				d.AddError("Create Certificate Error", err.Error())
				return nil
			}
			out := copyObj(plan)
			out["id"] = app + "/" + host
			return setCertState(out, info)
		},
		// mirrors resource_cert.go Read: every computed field; id is not touched.
		read: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) obj {
			info, err := c.GetCertificate(ctx, tfval.Str(state, "app"), tfval.Str(state, "hostname"))
			if err != nil {
				d.AddError("Read Certificate Error", err.Error())
				return nil
			}
			if info == nil {
				return nil
			}
			return setCertState(copyObj(state), info)
		},
		update: func(_ context.Context, _ *flyapi.Client, _, _, _ obj, d *diag.Diagnostics) obj {
			d.AddError("Update Not Supported", "fly_cert does not support in-place updates; both app and hostname require replacement")
			return nil
		},
		delete: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) {
			if err := c.DeleteCertificate(ctx, tfval.Str(state, "app"), tfval.Str(state, "hostname")); err != nil {
				d.AddError("Delete Certificate Error", err.Error())
			}
		},
		// mirrors resource_cert.go ImportState: app and hostname only; id stays null.
		importState: func(id string) (obj, error) {
			app, host, ok := strings.Cut(id, "/")
			if !ok || app == "" || host == "" {
				return nil, fmt.Errorf("Expected '<app>/<hostname>', got %s", id)
			}
			return obj{"app": app, "hostname": host}, nil
		},
	}
}

func stringsToAny(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

// setCertState mirrors resource_cert.go setCertState.
func setCertState(o obj, info *flyapi.CertificateInfo) obj {
	o["hostname"] = info.Hostname
	o["configured"] = info.Configured
	o["status"] = info.Status
	o["dns_provider"] = info.DNSProvider
	o["cname"] = info.CNAME
	o["acme_challenge_name"] = info.AcmeChallengeName
	o["acme_challenge_target"] = info.AcmeChallengeTarget
	o["ownership_name"] = info.OwnershipName
	o["ownership_app_value"] = info.OwnershipAppValue
	o["dns_configured"] = info.DNSConfigured
	o["http_configured"] = info.HTTPConfigured
	o["alpn_configured"] = info.ALPNConfigured
	o["rate_limited_until"] = info.RateLimitedUntil
	o["a_records"] = stringsToAny(info.ARecords)
	o["aaaa_records"] = stringsToAny(info.AAAARecords)
	return o
}

// mirrors resource_cert_validation.go defaultCertValidationTimeout.
const defaultCertValidationTimeout = 10 * time.Minute

func splitCertID(id string) (string, string, bool) {
	app, host, ok := strings.Cut(id, "/")
	if !ok || app == "" || host == "" {
		return "", "", false
	}
	return app, host, true
}

// certValidationSpec mirrors internal/provider/fly/resource_cert_validation.go.
func certValidationSpec() spec {
	return spec{
		name: "fly_cert_validation",
		rules: dschema.Rules{
			"id":                      {UseStateForUnknown: true}, // mirrors resource_cert_validation.go
			"cert_id":                 {RequiresReplace: true},    // mirrors resource_cert_validation.go
			"validation_dependencies": {RequiresReplace: true},    // mirrors resource_cert_validation.go
			"validation_timeout":      {UseStateForUnknown: true}, // mirrors resource_cert_validation.go
		},
		create: func(ctx context.Context, c *flyapi.Client, _, plan obj, d *diag.Diagnostics) obj {
			app, host, ok := splitCertID(tfval.Str(plan, "cert_id"))
			if !ok {
				d.AddAttributeError(path.Root("cert_id"), "Invalid cert_id Format",
					fmt.Sprintf("cert_id must be `<app>/<hostname>` (the `id` attribute of a fly_cert resource), got %q", tfval.Str(plan, "cert_id")))
				return nil
			}
			timeout := defaultCertValidationTimeout
			if tfval.Known(plan, "validation_timeout") {
				dur, err := time.ParseDuration(tfval.Str(plan, "validation_timeout"))
				if err != nil {
					d.AddAttributeError(path.Root("validation_timeout"), "Invalid validation_timeout",
						fmt.Sprintf("expected Go duration string (e.g. \"10m\"), got %q: %s", tfval.Str(plan, "validation_timeout"), err))
					return nil
				}
				timeout = dur
			}
			waitCtx, cancel := context.WithTimeout(ctx, timeout)
			defer cancel()
			info, err := c.WaitForCertificateConfigured(waitCtx, app, host)
			if err != nil {
				d.AddError("Cert Validation Did Not Complete",
					fmt.Sprintf("cert %s/%s did not reach configured=true within %s: %s. Check that the DNS records referenced by fly_cert.<name>.cname / a_records / aaaa_records / acme_challenge_target are correctly created and have propagated.",
						app, host, timeout, err))
				return nil
			}
			out := copyObj(plan)
			out["id"] = plan["cert_id"]
			out["configured"] = info.Configured
			out["status"] = info.Status
			out["validation_timeout"] = timeout.String()
			return out
		},
		// mirrors resource_cert_validation.go Read: existence of the cert only.
		read: func(ctx context.Context, c *flyapi.Client, state obj, d *diag.Diagnostics) obj {
			app, host, ok := splitCertID(tfval.Str(state, "cert_id"))
			if !ok {
				return nil
			}
			info, err := c.GetCertificate(ctx, app, host)
			if err != nil {
				d.AddError("Read Cert Error", err.Error())
				return nil
			}
			if info == nil {
				return nil
			}
			return state
		},
		// mirrors resource_cert_validation.go: replace-only.
		update: func(_ context.Context, _ *flyapi.Client, _, _, _ obj, d *diag.Diagnostics) obj {
			d.AddError("Update Not Supported", "fly_cert_validation is replace-only")
			return nil
		},
		delete: func(context.Context, *flyapi.Client, obj, *diag.Diagnostics) {},
	}
}
