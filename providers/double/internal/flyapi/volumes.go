package flyapi

import (
	"context"
	"errors"
	"fmt"
	"net/http"
)

// VolumeInfo mirrors flyio.VolumeInfo.
type VolumeInfo struct {
	ID, Name, Region, Fstype, State, AttachedMachineID, Zone string
	SizeGB, SnapshotRetention                                int64
	Encrypted, AutoBackupEnabled                             bool
}

type wireVolume struct {
	ID                *string `json:"id"`
	Name              *string `json:"name"`
	Region            *string `json:"region"`
	SizeGB            *int64  `json:"size_gb"`
	Encrypted         *bool   `json:"encrypted"`
	Fstype            *string `json:"fstype"`
	State             *string `json:"state"`
	AttachedMachineID *string `json:"attached_machine_id"`
	AutoBackupEnabled *bool   `json:"auto_backup_enabled"`
	SnapshotRetention *int64  `json:"snapshot_retention"`
	Zone              *string `json:"zone"`
}

func volumeInfoFrom(v wireVolume) VolumeInfo {
	info := VolumeInfo{ID: deref(v.ID), Name: deref(v.Name), Region: deref(v.Region), Fstype: deref(v.Fstype),
		State: deref(v.State), AttachedMachineID: deref(v.AttachedMachineID), Zone: deref(v.Zone)}
	if v.SizeGB != nil {
		info.SizeGB = *v.SizeGB
	}
	if v.SnapshotRetention != nil {
		info.SnapshotRetention = *v.SnapshotRetention
	}
	if v.Encrypted != nil {
		info.Encrypted = *v.Encrypted
	}
	if v.AutoBackupEnabled != nil {
		info.AutoBackupEnabled = *v.AutoBackupEnabled
	}
	return info
}

func volumesPath(app string) string { return "/v1/apps/" + esc(app) + "/volumes" }

// CreateVolume mirrors flyio Client.CreateVolume: POST /v1/apps/{app}/volumes
// with a CreateVolumeRequest; 200/201. No name-based adoption.
func (c *Client) CreateVolume(ctx context.Context, app string, body map[string]any) (*VolumeInfo, error) {
	return retryAPI(ctx, func() (*VolumeInfo, bool, error) {
		r, err := c.do(ctx, http.MethodPost, volumesPath(app), nil, body, nil)
		switch {
		case err != nil:
			return nil, false, err
		case r.status == http.StatusOK || r.status == http.StatusCreated:
			var v wireVolume
			if err := r.decode(&v); err != nil {
				return nil, false, fmt.Errorf("decode volume response: %w", err)
			}
			info := volumeInfoFrom(v)
			return &info, false, nil
		case isTransientStatus(r.status):
			return nil, true, r.err
		default:
			return nil, false, r.err
		}
	})
}

// GetVolume mirrors flyio: nil, nil on 404.
func (c *Client) GetVolume(ctx context.Context, app, id string) (*VolumeInfo, error) {
	r, err := c.do(ctx, http.MethodGet, volumesPath(app)+"/"+esc(id), nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if r.status == http.StatusNotFound {
		return nil, nil
	}
	if r.status != http.StatusOK {
		return nil, r.err
	}
	var v wireVolume
	if err := r.decode(&v); err != nil {
		return nil, fmt.Errorf("decode volume response: %w", err)
	}
	info := volumeInfoFrom(v)
	return &info, nil
}

// ListVolumes mirrors flyio: GET /v1/apps/{app}/volumes (a bare array).
func (c *Client) ListVolumes(ctx context.Context, app string) ([]VolumeInfo, error) {
	r, err := c.do(ctx, http.MethodGet, volumesPath(app), nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, r.err
	}
	var vs []wireVolume
	if err := r.decode(&vs); err != nil {
		return nil, fmt.Errorf("decode volumes list: %w", err)
	}
	out := make([]VolumeInfo, len(vs))
	for i, v := range vs {
		out[i] = volumeInfoFrom(v)
	}
	return out, nil
}

// WaitForVolumeReady mirrors flyio: poll until created/ready (250 ms -> 2 s).
func (c *Client) WaitForVolumeReady(ctx context.Context, app, id string) error {
	_, err := Retry(ctx, volumePollBackoff(), func() (struct{}, error) {
		info, err := c.GetVolume(ctx, app, id)
		if err != nil {
			if isTransientErr(err) {
				return struct{}{}, err
			}
			return struct{}{}, Permanent(err)
		}
		if info == nil {
			return struct{}{}, Permanent(fmt.Errorf("volume %s disappeared before reaching ready state", id))
		}
		switch info.State {
		case "created", "ready":
			return struct{}{}, nil
		case "destroyed", "destroying":
			return struct{}{}, Permanent(fmt.Errorf("volume %s in terminal state %q", id, info.State))
		default:
			return struct{}{}, fmt.Errorf("volume %s state=%q", id, info.State)
		}
	})
	return err
}

// UpdateVolume mirrors flyio: PUT /v1/apps/{app}/volumes/{id} with
// UpdateVolumeRequest{auto_backup_enabled?, snapshot_retention?}; 200 only.
func (c *Client) UpdateVolume(ctx context.Context, app, id string, autoBackup *bool, retention *int64) error {
	body := map[string]any{}
	if autoBackup != nil {
		body["auto_backup_enabled"] = *autoBackup
	}
	if retention != nil {
		body["snapshot_retention"] = *retention
	}
	r, err := c.do(ctx, http.MethodPut, volumesPath(app)+"/"+esc(id), nil, body, nil)
	if err != nil {
		return err
	}
	if r.status != http.StatusOK {
		return r.err
	}
	return nil
}

// ExtendVolume mirrors flyio: PUT /v1/apps/{app}/volumes/{id}/extend with
// {size_gb}; the response must carry a volume.
func (c *Client) ExtendVolume(ctx context.Context, app, id string, sizeGB int64) error {
	r, err := c.do(ctx, http.MethodPut, volumesPath(app)+"/"+esc(id)+"/extend", nil, map[string]any{"size_gb": sizeGB}, nil)
	if err != nil {
		return err
	}
	if r.status != http.StatusOK {
		return r.err
	}
	var res struct {
		Volume *wireVolume `json:"volume"`
	}
	if err := r.decode(&res); err != nil {
		return fmt.Errorf("decode extend volume response: %w", err)
	}
	if res.Volume == nil {
		return fmt.Errorf("extend volume %s: API returned no volume payload", id)
	}
	return nil
}

// DeleteVolume mirrors flyio: DELETE; 200/204/404 succeed; on another 4xx it
// names the machine the volume is attached to.
func (c *Client) DeleteVolume(ctx context.Context, app, id string) error {
	r, err := c.do(ctx, http.MethodDelete, volumesPath(app)+"/"+esc(id), nil, nil, nil)
	if err != nil {
		return err
	}
	if r.status == http.StatusOK || r.status == http.StatusNoContent || r.status == http.StatusNotFound {
		return nil
	}
	apiErr := error(r.err)
	if r.status >= 400 && r.status < 500 {
		if info, getErr := c.GetVolume(ctx, app, id); getErr == nil && info != nil && info.AttachedMachineID != "" {
			return fmt.Errorf("volume %s is attached to machine %s; destroy the machine first (terraform destroy may need to re-run after the machine teardown propagates): %w",
				id, info.AttachedMachineID, apiErr)
		}
	}
	return apiErr
}

var _ = errors.New
