package flyapi

import (
	"context"
	"fmt"
	"net/http"
)

// CertificateInfo mirrors flyio.CertificateInfo (dns_requirements flattened).
type CertificateInfo struct {
	Hostname, Status, DNSProvider, CNAME, RateLimitedUntil    string
	Configured, DNSConfigured, HTTPConfigured, ALPNConfigured bool
	ARecords, AAAARecords                                     []string
	AcmeChallengeName, AcmeChallengeTarget                    string
	OwnershipName, OwnershipAppValue                          string
}

type wireCert struct {
	Hostname         *string `json:"hostname"`
	Configured       *bool   `json:"configured"`
	Status           *string `json:"status"`
	DNSProvider      *string `json:"dns_provider"`
	RateLimitedUntil *string `json:"rate_limited_until"`
	DNSRequirements  *struct {
		Cname         *string  `json:"cname"`
		A             []string `json:"a"`
		Aaaa          []string `json:"aaaa"`
		AcmeChallenge *struct {
			Name   *string `json:"name"`
			Target *string `json:"target"`
		} `json:"acme_challenge"`
		Ownership *struct {
			Name     *string `json:"name"`
			AppValue *string `json:"app_value"`
		} `json:"ownership"`
	} `json:"dns_requirements"`
	Validation *struct {
		DNS  *bool `json:"dns_configured"`
		HTTP *bool `json:"http_configured"`
		ALPN *bool `json:"alpn_configured"`
	} `json:"validation"`
}

func b(p *bool) bool { return p != nil && *p }

// certificateInfoFrom mirrors flyio/client.go certificateInfoFrom.
func certificateInfoFrom(d wireCert) CertificateInfo {
	info := CertificateInfo{Hostname: deref(d.Hostname), Configured: b(d.Configured), Status: deref(d.Status),
		DNSProvider: deref(d.DNSProvider), RateLimitedUntil: deref(d.RateLimitedUntil)}
	if r := d.DNSRequirements; r != nil {
		info.CNAME = deref(r.Cname)
		info.ARecords = append([]string(nil), r.A...)
		info.AAAARecords = append([]string(nil), r.Aaaa...)
		if r.AcmeChallenge != nil {
			info.AcmeChallengeName, info.AcmeChallengeTarget = deref(r.AcmeChallenge.Name), deref(r.AcmeChallenge.Target)
		}
		if r.Ownership != nil {
			info.OwnershipName, info.OwnershipAppValue = deref(r.Ownership.Name), deref(r.Ownership.AppValue)
		}
	}
	if v := d.Validation; v != nil {
		info.DNSConfigured, info.HTTPConfigured, info.ALPNConfigured = b(v.DNS), b(v.HTTP), b(v.ALPN)
	}
	return info
}

func certsPath(app string) string { return "/v1/apps/" + esc(app) + "/certificates" }

func decodeCert(r *response) (*CertificateInfo, error) {
	var d wireCert
	if err := r.decode(&d); err != nil {
		return nil, fmt.Errorf("decode cert response: %w", err)
	}
	info := certificateInfoFrom(d)
	return &info, nil
}

// CreateAcmeCertificate mirrors flyio: POST /v1/apps/{app}/certificates/acme
// {hostname}; 422/409 adopts the existing cert via GetCertificate.
func (c *Client) CreateAcmeCertificate(ctx context.Context, app, hostname string) (*CertificateInfo, error) {
	return retryAPI(ctx, func() (*CertificateInfo, bool, error) {
		r, err := c.do(ctx, http.MethodPost, certsPath(app)+"/acme", nil, map[string]any{"hostname": hostname}, nil)
		switch {
		case err != nil:
			return nil, false, err
		case r.status == http.StatusOK || r.status == http.StatusCreated:
			info, err := decodeCert(r)
			return info, false, err
		case r.status == http.StatusUnprocessableEntity || r.status == http.StatusConflict:
			existing, getErr := c.GetCertificate(ctx, app, hostname)
			if getErr != nil {
				return nil, false, fmt.Errorf("create returned %d but lookup of existing cert failed: %w", r.status, getErr)
			}
			if existing == nil {
				return nil, false, r.err
			}
			return existing, false, nil
		case isTransientStatus(r.status):
			return nil, true, r.err
		default:
			return nil, false, r.err
		}
	})
}

// GetCertificate mirrors flyio: nil, nil on 404.
func (c *Client) GetCertificate(ctx context.Context, app, hostname string) (*CertificateInfo, error) {
	r, err := c.do(ctx, http.MethodGet, certsPath(app)+"/"+esc(hostname), nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if r.status == http.StatusNotFound {
		return nil, nil
	}
	if r.status != http.StatusOK {
		return nil, r.err
	}
	return decodeCert(r)
}

// CheckCertificate mirrors flyio: POST /v1/apps/{app}/certificates/{hostname}/check.
func (c *Client) CheckCertificate(ctx context.Context, app, hostname string) (*CertificateInfo, error) {
	r, err := c.do(ctx, http.MethodPost, certsPath(app)+"/"+esc(hostname)+"/check", nil, nil, nil)
	if err != nil {
		return nil, err
	}
	if r.status != http.StatusOK {
		return nil, r.err
	}
	return decodeCert(r)
}

// DeleteCertificate mirrors flyio: DELETE; 200/204/404 succeed.
func (c *Client) DeleteCertificate(ctx context.Context, app, hostname string) error {
	r, err := c.do(ctx, http.MethodDelete, certsPath(app)+"/"+esc(hostname), nil, nil, nil)
	if err != nil {
		return err
	}
	if r.status == http.StatusOK || r.status == http.StatusNoContent || r.status == http.StatusNotFound {
		return nil
	}
	return r.err
}

// WaitForCertificateConfigured mirrors flyio: one check nudge (errors
// ignored), then poll GetCertificate until configured (2 s -> 15 s).
func (c *Client) WaitForCertificateConfigured(ctx context.Context, app, hostname string) (*CertificateInfo, error) {
	if info, err := c.CheckCertificate(ctx, app, hostname); err == nil && info.Configured {
		return info, nil
	}
	return Retry(ctx, certPollBackoff(), func() (*CertificateInfo, error) {
		info, err := c.GetCertificate(ctx, app, hostname)
		if err != nil {
			if isTransientErr(err) {
				return nil, err
			}
			return nil, Permanent(err)
		}
		if info == nil {
			return nil, Permanent(fmt.Errorf("certificate for %s on app %s no longer exists", hostname, app))
		}
		if info.Configured {
			return info, nil
		}
		return nil, fmt.Errorf("cert %s status=%q (dns=%v http=%v alpn=%v)", hostname, info.Status, info.DNSConfigured, info.HTTPConfigured, info.ALPNConfigured)
	})
}
