package flyapi

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
)

// MachineInfo mirrors flyio.MachineInfo.
type MachineInfo struct {
	ID, Name, InstanceID, State, Region, PrivateIP, ImageDigest string
	Mounts                                                      []MachineMount
	// HasChecks / Checks feed WaitForChecks.
	HasChecks bool
	Checks    []CheckStatus
}

type MachineMount struct{ Volume, Path, Name string }

type CheckStatus struct {
	Name   string  `json:"name"`
	Status *string `json:"status"`
}

type wireMachine struct {
	ID         *string `json:"id"`
	Name       *string `json:"name"`
	InstanceID *string `json:"instance_id"`
	State      *string `json:"state"`
	Region     *string `json:"region"`
	PrivateIP  *string `json:"private_ip"`
	ImageRef   *struct {
		Digest *string `json:"digest"`
	} `json:"image_ref"`
	Config *struct {
		Checks   map[string]any `json:"checks"`
		Services []struct {
			Checks []any `json:"checks"`
		} `json:"services"`
		Mounts []struct {
			Volume *string `json:"volume"`
			Path   *string `json:"path"`
			Name   *string `json:"name"`
		} `json:"mounts"`
	} `json:"config"`
	Checks []CheckStatus `json:"checks"`
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// machineInfoFrom mirrors flyio/client.go machineInfoFrom, plus
// hasChecksConfigured.
func machineInfoFrom(m wireMachine) MachineInfo {
	info := MachineInfo{ID: deref(m.ID), Name: deref(m.Name), InstanceID: deref(m.InstanceID), State: deref(m.State),
		Region: deref(m.Region), PrivateIP: deref(m.PrivateIP), Checks: m.Checks}
	if m.ImageRef != nil {
		info.ImageDigest = deref(m.ImageRef.Digest)
	}
	if m.Config != nil {
		for _, mt := range m.Config.Mounts {
			info.Mounts = append(info.Mounts, MachineMount{Volume: deref(mt.Volume), Path: deref(mt.Path), Name: deref(mt.Name)})
		}
		info.HasChecks = len(m.Config.Checks) > 0
		for _, s := range m.Config.Services {
			if len(s.Checks) > 0 {
				info.HasChecks = true
			}
		}
	}
	return info
}

// checksAllPassing mirrors flyio/client.go: false for an empty list.
func checksAllPassing(checks []CheckStatus) bool {
	if len(checks) == 0 {
		return false
	}
	for _, c := range checks {
		if c.Status == nil || *c.Status != "passing" {
			return false
		}
	}
	return true
}

func machinePath(app, id string) string { return "/v1/apps/" + esc(app) + "/machines/" + esc(id) }

// CreateMachine mirrors flyio Client.CreateMachine: POST
// /v1/apps/{app}/machines with a CreateMachineRequest. A 422 on a named
// create is "already exists" (nil, nil) unless it is the machine limit.
func (c *Client) CreateMachine(ctx context.Context, app string, body map[string]any) (*MachineInfo, error) {
	_, named := body["name"]
	return retryAPI(ctx, func() (*MachineInfo, bool, error) {
		r, err := c.do(ctx, http.MethodPost, "/v1/apps/"+esc(app)+"/machines", nil, body, nil)
		switch {
		case err != nil:
			return nil, false, err
		case r.status == http.StatusUnprocessableEntity:
			if isMachineLimit(r.err) || !named {
				return nil, false, r.err
			}
			return nil, false, nil
		case r.status == http.StatusOK:
			var m wireMachine
			if err := r.decode(&m); err != nil {
				return nil, false, fmt.Errorf("decode machine response: %w", err)
			}
			info := machineInfoFrom(m)
			return &info, false, nil
		case isTransientStatus(r.status):
			return nil, true, r.err
		default:
			return nil, isManifestUnknown(r.err), r.err
		}
	})
}

func (c *Client) getMachineRaw(ctx context.Context, app, id string) (*MachineInfo, error) {
	r, err := c.do(ctx, http.MethodGet, machinePath(app, id), nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, r.err
	}
	var m wireMachine
	if err := r.decode(&m); err != nil {
		return nil, fmt.Errorf("decode machine response: %w", err)
	}
	info := machineInfoFrom(m)
	return &info, nil
}

// GetMachine mirrors flyio Client.GetMachine (a 404 is an error; callers use IsNotFound).
func (c *Client) GetMachine(ctx context.Context, app, id string) (*MachineInfo, error) {
	return c.getMachineRaw(ctx, app, id)
}

// ListMachines mirrors flyio Client.ListMachines: GET /v1/apps/{app}/machines.
func (c *Client) ListMachines(ctx context.Context, app string) ([]MachineInfo, error) {
	r, err := c.do(ctx, http.MethodGet, "/v1/apps/"+esc(app)+"/machines", nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, r.err
	}
	var ms []wireMachine
	if err := r.decode(&ms); err != nil {
		return nil, fmt.Errorf("decode machines list: %w", err)
	}
	out := make([]MachineInfo, len(ms))
	for i, m := range ms {
		out[i] = machineInfoFrom(m)
	}
	return out, nil
}

// UpdateMachine mirrors flyio Client.UpdateMachine: POST
// /v1/apps/{app}/machines/{id} with an UpdateMachineRequest, without a lease
// (the real client sends no fly-machine-lease-nonce header).
func (c *Client) UpdateMachine(ctx context.Context, app, id string, body map[string]any) (*MachineInfo, error) {
	return retryAPI(ctx, func() (*MachineInfo, bool, error) {
		r, err := c.do(ctx, http.MethodPost, machinePath(app, id), nil, body, nil)
		switch {
		case err != nil:
			return nil, false, err
		case r.status == http.StatusOK:
			var m wireMachine
			if err := r.decode(&m); err != nil {
				return nil, false, fmt.Errorf("decode update machine response: %w", err)
			}
			info := machineInfoFrom(m)
			return &info, false, nil
		case isTransientStatus(r.status):
			return nil, true, r.err
		default:
			return nil, isManifestUnknown(r.err), r.err
		}
	})
}

// StartMachine mirrors flyio: POST .../start, 200 only.
func (c *Client) StartMachine(ctx context.Context, app, id string) error {
	r, err := c.do(ctx, http.MethodPost, machinePath(app, id)+"/start", nil, nil, nil)
	if err != nil {
		return err
	}
	if r.status == http.StatusOK {
		return nil
	}
	return r.err
}

// StopMachine mirrors flyio: POST .../stop with an empty StopRequest, 200 only.
func (c *Client) StopMachine(ctx context.Context, app, id string) error {
	r, err := c.do(ctx, http.MethodPost, machinePath(app, id)+"/stop", nil, map[string]any{}, nil)
	if err != nil {
		return err
	}
	if r.status == http.StatusOK {
		return nil
	}
	return r.err
}

// DestroyMachine mirrors flyio: DELETE .../{id}[?force=true]; 200, 204, 404 succeed.
func (c *Client) DestroyMachine(ctx context.Context, app, id string, force bool) error {
	var q url.Values
	if force {
		q = url.Values{"force": {"true"}}
	}
	r, err := c.do(ctx, http.MethodDelete, machinePath(app, id), q, nil, nil)
	if err != nil {
		return err
	}
	if r.status == http.StatusOK || r.status == http.StatusNoContent || r.status == http.StatusNotFound {
		return nil
	}
	return r.err
}

// WaitForState mirrors flyio Client.WaitForState: GET .../wait?state=S[&version=V],
// retrying transport errors and 429/5xx while ctx has budget; any other
// non-200 (408 included) is final.
func (c *Client) WaitForState(ctx context.Context, app, id, state, version string) error {
	q := url.Values{"state": {state}}
	if version != "" {
		q.Set("version", version)
	}
	_, err := Retry(ctx, waitBackoff(), func() (struct{}, error) {
		r, err := c.do(ctx, http.MethodGet, machinePath(app, id)+"/wait", q, nil, nil)
		switch {
		case err != nil:
			if ctx.Err() != nil {
				return struct{}{}, Permanent(err)
			}
			return struct{}{}, err
		case r.status == http.StatusOK:
			return struct{}{}, nil
		case isTransientStatus(r.status):
			return struct{}{}, r.err
		default:
			return struct{}{}, Permanent(r.err)
		}
	})
	return err
}

// WaitForChecks mirrors flyio Client.WaitForChecks: no checks configured ->
// done; otherwise poll GET machine (1 s -> 5 s) until every check passes.
func (c *Client) WaitForChecks(ctx context.Context, app, id string) error {
	switch m, err := c.getMachineRaw(ctx, app, id); {
	case err != nil && !isTransientFlyErr(err):
		return err
	case err == nil && !m.HasChecks:
		return nil
	case err == nil && checksAllPassing(m.Checks):
		return nil
	}
	_, err := Retry(ctx, pollBackoff(), func() (struct{}, error) {
		switch m, err := c.getMachineRaw(ctx, app, id); {
		case err != nil && isTransientFlyErr(err) && ctx.Err() == nil:
			return struct{}{}, err
		case err != nil:
			return struct{}{}, Permanent(err)
		case checksAllPassing(m.Checks):
			return struct{}{}, nil
		default:
			return struct{}{}, fmt.Errorf("checks not yet passing")
		}
	})
	return err
}

// WaitForRest mirrors flyio Client.WaitForRest: poll GET machine until it is
// started/stopped/suspended on the given instance.
func (c *Client) WaitForRest(ctx context.Context, app, id, instanceID string) (string, error) {
	return Retry(ctx, pollBackoff(), func() (string, error) {
		switch m, err := c.getMachineRaw(ctx, app, id); {
		case err != nil && isTransientFlyErr(err) && ctx.Err() == nil:
			return "", err
		case err != nil:
			return "", Permanent(err)
		default:
			if m.InstanceID == instanceID && (m.State == "started" || m.State == "stopped" || m.State == "suspended") {
				return m.State, nil
			}
			return "", fmt.Errorf("machine %s is %q on instance %s, not yet at rest on %s", id, m.State, m.InstanceID, instanceID)
		}
	})
}
