// Package flyapi is the double's HTTP client for the Fly Machines API. Each
// method mirrors one in the real provider's flyio/client.go: same endpoint,
// method, body and status handling, same retry policy.
package flyapi

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// DefaultBaseURL mirrors flyio/client.go defaultBaseURL. Operation paths carry
// /v1 themselves (as Fly's OpenAPI document declares them), so a base URL
// never includes it.
const DefaultBaseURL = "https://api.machines.dev"

// Client talks to the Machines API.
type Client struct {
	baseURL string
	token   string
	orgSlug string
	http    *http.Client
}

// New mirrors flyio.New: 30 s per-request timeout, bearer token on every request.
func New(baseURL, token, orgSlug string) (*Client, error) {
	if token == "" {
		return nil, fmt.Errorf("flyio: API token is required (set FLY_API_TOKEN or use WithToken)")
	}
	if baseURL == "" {
		baseURL = DefaultBaseURL
	}
	u, err := url.Parse(baseURL)
	if err != nil || u.Scheme == "" || u.Host == "" {
		return nil, fmt.Errorf("flyio: invalid base URL %q", baseURL)
	}
	return &Client{
		baseURL: strings.TrimRight(baseURL, "/"),
		token:   token,
		orgSlug: orgSlug,
		http:    &http.Client{Timeout: 30 * time.Second},
	}, nil
}

// OrgSlug is the provider's org.
func (c *Client) OrgSlug() string { return c.orgSlug }

// ResponseError mirrors flyio.ResponseError (same message format).
type ResponseError struct {
	StatusCode int
	Status     string
	Body       string
	RequestID  string
}

func (e *ResponseError) Error() string {
	if e.RequestID != "" {
		return fmt.Sprintf("fly machines: %s (request_id: %s, body: %s)", e.Status, e.RequestID, e.Body)
	}
	return fmt.Sprintf("fly machines: %s (body: %s)", e.Status, e.Body)
}

// response is a fully read HTTP response.
type response struct {
	status int
	body   []byte
	err    *ResponseError
}

func (r *response) decode(v any) error { return json.Unmarshal(r.body, v) }

// do sends one request. path starts with /v1. body, when not nil, is sent as
// JSON. A transport error is returned as error; any HTTP status is returned
// in the response.
func (c *Client) do(ctx context.Context, method, path string, query url.Values, body any, header http.Header) (*response, error) {
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			return nil, err
		}
		rd = bytes.NewReader(b)
	}
	u := c.baseURL + path
	if len(query) > 0 {
		u += "?" + query.Encode()
	}
	req, err := http.NewRequestWithContext(ctx, method, u, rd)
	if err != nil {
		return nil, err
	}
	if body != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	for k, vs := range header {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	resp, err := c.http.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	out := &response{status: resp.StatusCode, body: b}
	out.err = &ResponseError{StatusCode: resp.StatusCode, Status: resp.Status, Body: string(bytes.TrimSpace(b)), RequestID: resp.Header.Get("fly-request-id")}
	return out, nil
}

// isTransientStatus mirrors flyio/client.go: 429 or any 5xx.
func isTransientStatus(code int) bool {
	return code == http.StatusTooManyRequests || (code > 499 && code < 600)
}

// isTransientErr: a ResponseError with a transient status.
func isTransientErr(err error) bool {
	var re *ResponseError
	return errors.As(err, &re) && isTransientStatus(re.StatusCode)
}

// isTransientFlyErr: transient status, or a transport error (no response).
func isTransientFlyErr(err error) bool {
	var re *ResponseError
	if !errors.As(err, &re) {
		return true
	}
	return isTransientStatus(re.StatusCode)
}

// IsNotFound reports a 404 ResponseError.
func IsNotFound(err error) bool {
	var re *ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusNotFound
}

// isMachineLimit mirrors flyio.IsMachineLimit.
func isMachineLimit(err error) bool {
	var re *ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusUnprocessableEntity &&
		strings.Contains(strings.ToLower(re.Body), "machine limit")
}

// isManifestUnknown mirrors flyio/client.go: a 400 carrying MANIFEST_UNKNOWN.
func isManifestUnknown(err error) bool {
	var re *ResponseError
	return errors.As(err, &re) && re.StatusCode == http.StatusBadRequest && strings.Contains(re.Body, "MANIFEST_UNKNOWN")
}

// retryAPI mirrors flyio/client.go retryFlyAPI: fn returns (value, retryable, err).
func retryAPI[T any](ctx context.Context, fn func() (T, bool, error)) (T, error) {
	return Retry(ctx, apiBackoff(), func() (T, error) {
		v, retryable, err := fn()
		if err != nil && !retryable {
			return v, Permanent(err)
		}
		return v, err
	})
}

func esc(s string) string { return url.PathEscape(s) }
