package flyapi

import (
	"context"
	"fmt"
	"net/http"
)

// AppInfo mirrors flyio.AppInfo.
type AppInfo struct {
	ID                string
	Name              string
	OrgSlug           string
	Network           string
	InternalNumericID int64
}

// CreateApp mirrors flyio Client.CreateApp: POST /v1/apps with
// CreateAppRequest{name, org_slug, network?}; 201 and 422 (exists) succeed.
func (c *Client) CreateApp(ctx context.Context, name, org, network string) error {
	if org == "" {
		org = c.orgSlug
	}
	body := map[string]any{"name": name, "org_slug": org}
	if network != "" {
		body["network"] = network
	}
	_, err := retryAPI(ctx, func() (struct{}, bool, error) {
		r, err := c.do(ctx, http.MethodPost, "/v1/apps", nil, body, nil)
		switch {
		case err != nil:
			return struct{}{}, false, err
		case r.status == http.StatusCreated || r.status == http.StatusUnprocessableEntity:
			return struct{}{}, false, nil
		case isTransientStatus(r.status):
			return struct{}{}, true, r.err
		default:
			return struct{}{}, false, r.err
		}
	})
	return err
}

// GetApp mirrors flyio Client.GetApp: nil, nil on 404.
func (c *Client) GetApp(ctx context.Context, name string) (*AppInfo, error) {
	r, err := c.do(ctx, http.MethodGet, "/v1/apps/"+esc(name), nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if r.status == http.StatusNotFound {
		return nil, nil
	}
	if r.status != http.StatusOK {
		return nil, r.err
	}
	var app struct {
		ID                *string `json:"id"`
		Network           *string `json:"network"`
		InternalNumericID *int64  `json:"internal_numeric_id"`
		Organization      *struct {
			Slug *string `json:"slug"`
		} `json:"organization"`
	}
	if err := r.decode(&app); err != nil {
		return nil, fmt.Errorf("decode app response: %w", err)
	}
	info := &AppInfo{Name: name}
	if app.ID != nil {
		info.ID = *app.ID
	}
	if app.Network != nil {
		info.Network = *app.Network
	}
	if app.InternalNumericID != nil {
		info.InternalNumericID = *app.InternalNumericID
	}
	if app.Organization != nil && app.Organization.Slug != nil {
		info.OrgSlug = *app.Organization.Slug
	}
	return info, nil
}

// DeleteApp mirrors flyio Client.DeleteApp: 202, 204 and 404 succeed.
func (c *Client) DeleteApp(ctx context.Context, name string) error {
	r, err := c.do(ctx, http.MethodDelete, "/v1/apps/"+esc(name), nil, nil, nil)
	if err != nil {
		return err
	}
	if r.status == http.StatusAccepted || r.status == http.StatusNoContent || r.status == http.StatusNotFound {
		return nil
	}
	return r.err
}
