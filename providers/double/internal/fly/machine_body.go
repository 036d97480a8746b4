package fly

import (
	"github.com/flystack/provider-double/internal/tfval"
)

// Request bodies for MachinesCreate / MachinesUpdate, mirroring the build*
// helpers of internal/provider/fly/resource_machine.go and the JSON names of
// fly.MachineConfig in Fly's OpenAPI document. Unset optionals are omitted
// (the generated types are omitempty pointers); empty lists and maps are
// omitted too, as omitempty does.

// put sets k when the attribute is known (null/unknown are omitted).
func put(dst map[string]any, k string, src obj, attr string) {
	if tfval.Known(src, attr) {
		dst[k] = src[attr]
	}
}

func putNonEmpty(dst map[string]any, k string, v any) {
	switch x := v.(type) {
	case nil:
		return
	case map[string]any:
		if len(x) == 0 {
			return
		}
	case []any:
		if len(x) == 0 {
			return
		}
	case map[string]string:
		if len(x) == 0 {
			return
		}
	case []string:
		if len(x) == 0 {
			return
		}
	}
	dst[k] = v
}

// machineConfig mirrors buildCreateMachineInput/buildUpdateMachineInput's config.
func machineConfig(plan obj) map[string]any {
	cfg := map[string]any{"image": tfval.Str(plan, "image")}
	if g := tfval.Sub(plan, "guest"); g != nil { // buildGuest
		guest := map[string]any{}
		put(guest, "cpu_kind", g, "cpu_kind")
		put(guest, "cpus", g, "cpus")
		put(guest, "memory_mb", g, "memory_mb")
		cfg["guest"] = guest
	}
	putNonEmpty(cfg, "env", tfval.StringMap(plan, "env"))
	putNonEmpty(cfg, "metadata", tfval.StringMap(plan, "metadata"))
	putNonEmpty(cfg, "services", buildServices(tfval.Objs(plan, "service")))
	putNonEmpty(cfg, "files", buildFiles(tfval.Objs(plan, "file")))
	putNonEmpty(cfg, "mounts", buildMounts(tfval.Objs(plan, "mount")))
	putNonEmpty(cfg, "restart", buildRestart(tfval.Sub(plan, "restart")))
	putNonEmpty(cfg, "containers", buildContainers(tfval.Objs(plan, "container")))
	putNonEmpty(cfg, "metrics", buildMetrics(tfval.Sub(plan, "metrics")))
	putNonEmpty(cfg, "checks", buildChecks(tfval.Objs(plan, "check")))
	return cfg
}

// createMachineBody mirrors buildCreateMachineInput: name, region,
// min_secrets_version and config.
func createMachineBody(plan obj) map[string]any {
	body := map[string]any{"config": machineConfig(plan)}
	put(body, "name", plan, "name")
	put(body, "region", plan, "region")
	put(body, "min_secrets_version", plan, "min_secrets_version")
	return body
}

// updateMachineBody mirrors buildUpdateMachineInput: no name (Fly ignores renames).
func updateMachineBody(plan obj) map[string]any {
	body := map[string]any{"config": machineConfig(plan)}
	put(body, "min_secrets_version", plan, "min_secrets_version")
	return body
}

func buildServices(svcs []obj) []any {
	var out []any
	for _, svc := range svcs {
		s := map[string]any{}
		put(s, "internal_port", svc, "internal_port")
		put(s, "protocol", svc, "protocol")
		put(s, "autostart", svc, "autostart")
		put(s, "autostop", svc, "autostop")
		if cs := tfval.Objs(svc, "concurrency"); len(cs) > 0 { // buildConcurrency: first element
			c := map[string]any{}
			put(c, "type", cs[0], "type")
			put(c, "soft_limit", cs[0], "soft_limit")
			put(c, "hard_limit", cs[0], "hard_limit")
			s["concurrency"] = c
		}
		var ports []any
		for _, p := range tfval.Objs(svc, "port") {
			mp := map[string]any{}
			put(mp, "port", p, "port")
			putNonEmpty(mp, "handlers", tfval.Strings(p, "handlers"))
			ports = append(ports, mp)
		}
		putNonEmpty(s, "ports", ports)
		var checks []any
		for _, chk := range tfval.Objs(svc, "check") {
			c := map[string]any{}
			for _, k := range []string{"type", "port", "path", "interval", "timeout", "method"} {
				put(c, k, chk, k)
			}
			checks = append(checks, c)
		}
		putNonEmpty(s, "checks", checks)
		out = append(out, s)
	}
	return out
}

func buildFiles(files []obj) []any {
	var out []any
	for _, f := range files {
		m := map[string]any{"guest_path": tfval.Str(f, "guest_path")}
		put(m, "raw_value", f, "raw_value")
		put(m, "secret_name", f, "secret_name")
		put(m, "mode", f, "mode")
		out = append(out, m)
	}
	return out
}

func buildMounts(mounts []obj) []any {
	var out []any
	for _, mt := range mounts {
		m := map[string]any{"volume": tfval.Str(mt, "volume"), "path": tfval.Str(mt, "path")}
		put(m, "name", mt, "name")
		out = append(out, m)
	}
	return out
}

// buildRestart: nil when neither field is set.
func buildRestart(r obj) map[string]any {
	if r == nil {
		return nil
	}
	out := map[string]any{}
	put(out, "policy", r, "policy")
	put(out, "max_retries", r, "max_retries")
	return out
}

// buildMetrics: nil when no field is set.
func buildMetrics(m obj) map[string]any {
	if m == nil {
		return nil
	}
	out := map[string]any{}
	put(out, "port", m, "port")
	put(out, "path", m, "path")
	put(out, "https", m, "https")
	return out
}

// buildChecks: the checks map keyed by name.
func buildChecks(checks []obj) map[string]any {
	out := map[string]any{}
	for _, chk := range checks {
		c := map[string]any{}
		for _, k := range []string{"type", "port", "path", "method", "interval", "timeout", "grace_period"} {
			put(c, k, chk, k)
		}
		out[tfval.Str(chk, "name")] = c
	}
	return out
}

func buildContainers(cs []obj) []any {
	var out []any
	for _, c := range cs {
		fc := map[string]any{"name": tfval.Str(c, "name"), "image": tfval.Str(c, "image")}
		putNonEmpty(fc, "cmd", tfval.Strings(c, "cmd"))
		putNonEmpty(fc, "entrypoint", tfval.Strings(c, "entrypoint"))
		putNonEmpty(fc, "env", tfval.StringMap(c, "env"))
		putNonEmpty(fc, "files", buildFiles(tfval.Objs(c, "file")))
		var deps []any
		for _, d := range tfval.Objs(c, "depends_on") {
			m := map[string]any{"name": tfval.Str(d, "name")}
			put(m, "condition", d, "condition")
			deps = append(deps, m)
		}
		putNonEmpty(fc, "depends_on", deps)
		var secrets []any
		for _, s := range tfval.Objs(c, "secret") {
			m := map[string]any{"env_var": tfval.Str(s, "env_var")}
			put(m, "name", s, "name")
			secrets = append(secrets, m)
		}
		putNonEmpty(fc, "secrets", secrets)
		var hcs []any
		for _, hc := range tfval.Objs(c, "healthcheck") {
			m := map[string]any{"name": tfval.Str(hc, "name")}
			put(m, "kind", hc, "kind")
			put(m, "interval", hc, "interval_seconds")
			put(m, "timeout", hc, "timeout_seconds")
			put(m, "grace_period", hc, "grace_period_seconds")
			put(m, "success_threshold", hc, "success_threshold")
			put(m, "failure_threshold", hc, "failure_threshold")
			if t := tfval.Sub(hc, "tcp"); t != nil {
				m["tcp"] = map[string]any{"port": t["port"]}
			}
			if h := tfval.Sub(hc, "http"); h != nil {
				hm := map[string]any{"port": h["port"]}
				for _, k := range []string{"path", "method", "scheme", "tls_server_name", "tls_skip_verify"} {
					put(hm, k, h, k)
				}
				m["http"] = hm
			}
			if e := tfval.Sub(hc, "exec"); e != nil {
				m["exec"] = map[string]any{"command": tfval.Strings(e, "command")}
			}
			hcs = append(hcs, m)
		}
		putNonEmpty(fc, "healthchecks", hcs)
		putNonEmpty(fc, "restart", buildRestart(tfval.Sub(c, "restart")))
		out = append(out, fc)
	}
	return out
}
