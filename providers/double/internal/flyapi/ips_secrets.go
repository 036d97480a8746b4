package flyapi

import (
	"context"
	"fmt"
	"net/http"
)

// apiIPType mirrors flyio/client.go apiIPType.
func apiIPType(t string) string {
	switch t {
	case "public_v4":
		return "v4"
	case "public_v6":
		return "v6"
	default:
		return t
	}
}

// AllocateIP mirrors flyio Client.AllocateIP: POST
// /v1/apps/{app}/ip_assignments with AssignIPRequest{type, network?, org_slug?}.
func (c *Client) AllocateIP(ctx context.Context, app, ipType, network, peerOrg string) (string, error) {
	body := map[string]any{"type": apiIPType(ipType)}
	if network != "" {
		body["network"] = network
	}
	if peerOrg != "" {
		body["org_slug"] = peerOrg
	}
	return retryAPI(ctx, func() (string, bool, error) {
		r, err := c.do(ctx, http.MethodPost, "/v1/apps/"+esc(app)+"/ip_assignments", nil, body, nil)
		switch {
		case err != nil:
			return "", false, err
		case r.status == http.StatusOK || r.status == http.StatusCreated:
			var a struct {
				IP *string `json:"ip"`
			}
			if err := r.decode(&a); err != nil {
				return "", false, fmt.Errorf("decode ip assignment response: %w", err)
			}
			if a.IP == nil {
				return "", false, fmt.Errorf("allocate ip for %s: API returned no IP address", app)
			}
			return *a.IP, false, nil
		case isTransientStatus(r.status):
			return "", true, r.err
		default:
			return "", false, r.err
		}
	})
}

// ListIPAssignments mirrors flyio: GET /v1/apps/{app}/ip_assignments -> {"ips": [...]}.
func (c *Client) ListIPAssignments(ctx context.Context, app string) ([]string, error) {
	r, err := c.do(ctx, http.MethodGet, "/v1/apps/"+esc(app)+"/ip_assignments", nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, r.err
	}
	var w struct {
		IPs []struct {
			IP *string `json:"ip"`
		} `json:"ips"`
	}
	if err := r.decode(&w); err != nil {
		return nil, fmt.Errorf("decode ip assignments: %w", err)
	}
	out := make([]string, len(w.IPs))
	for i, ip := range w.IPs {
		out[i] = deref(ip.IP)
	}
	return out, nil
}

// DeleteIPAssignment mirrors flyio: DELETE .../ip_assignments/{ip}; 200/204/404.
func (c *Client) DeleteIPAssignment(ctx context.Context, app, ip string) error {
	r, err := c.do(ctx, http.MethodDelete, "/v1/apps/"+esc(app)+"/ip_assignments/"+esc(ip), nil, nil, nil)
	if err != nil {
		return err
	}
	if r.status == http.StatusOK || r.status == http.StatusNoContent || r.status == http.StatusNotFound {
		return nil
	}
	return r.err
}

// SecretInfo mirrors flyio.SecretInfo (values are never read back).
type SecretInfo struct {
	Name   string `json:"name"`
	Digest string `json:"digest"`
}

// SetSecrets mirrors flyio Client.SetSecrets: POST /v1/apps/{app}/secrets
// with AppSecretsUpdateRequest{values}; returns the secrets and new version.
func (c *Client) SetSecrets(ctx context.Context, app string, values map[string]string) ([]SecretInfo, int64, error) {
	type result struct {
		secrets []SecretInfo
		version int64
	}
	res, err := retryAPI(ctx, func() (result, bool, error) {
		r, err := c.do(ctx, http.MethodPost, "/v1/apps/"+esc(app)+"/secrets", nil, map[string]any{"values": values}, nil)
		switch {
		case err != nil:
			return result{}, false, err
		case r.status == http.StatusOK || r.status == http.StatusCreated:
			var w struct {
				Secrets []SecretInfo `json:"secrets"`
				Version *int64       `json:"version"`
			}
			if err := r.decode(&w); err != nil {
				return result{}, false, fmt.Errorf("decode secrets update response: %w", err)
			}
			out := result{secrets: w.Secrets}
			if w.Version != nil {
				out.version = *w.Version
			}
			return out, false, nil
		case isTransientStatus(r.status):
			return result{}, true, r.err
		default:
			return result{}, false, r.err
		}
	})
	return res.secrets, res.version, err
}

// ListSecrets mirrors flyio: GET /v1/apps/{app}/secrets -> {"secrets": [...]}.
func (c *Client) ListSecrets(ctx context.Context, app string) ([]SecretInfo, error) {
	r, err := c.do(ctx, http.MethodGet, "/v1/apps/"+esc(app)+"/secrets", nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, r.err
	}
	var w struct {
		Secrets []SecretInfo `json:"secrets"`
	}
	if err := r.decode(&w); err != nil {
		return nil, fmt.Errorf("decode secrets list: %w", err)
	}
	return w.Secrets, nil
}

// DeleteSecret mirrors flyio: DELETE /v1/apps/{app}/secrets/{name}; 200/204/404.
func (c *Client) DeleteSecret(ctx context.Context, app, name string) error {
	r, err := c.do(ctx, http.MethodDelete, "/v1/apps/"+esc(app)+"/secrets/"+esc(name), nil, nil, nil)
	if err != nil {
		return err
	}
	if r.status == http.StatusOK || r.status == http.StatusNoContent || r.status == http.StatusNotFound {
		return nil
	}
	return r.err
}
