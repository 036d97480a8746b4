package flyapi

import (
	"context"
	"errors"
	"math/rand/v2"
	"os"
	"time"
)

// Backoff is an exponential schedule shaped like cenkalti/backoff's
// ExponentialBackOff, which flyio/client.go uses: multiplier 1.5, each
// interval jittered by ±RandomizationFactor, capped at Max.
type Backoff struct {
	Initial             time.Duration
	Max                 time.Duration
	RandomizationFactor float64
	// MaxTries caps attempts (0 = bounded only by the context).
	MaxTries int
}

const multiplier = 1.5

// permanent wraps an error that must not be retried.
type permanent struct{ err error }

func (p *permanent) Error() string { return p.err.Error() }
func (p *permanent) Unwrap() error { return p.err }

// Permanent marks err as not retryable.
func Permanent(err error) error { return &permanent{err: err} }

// Retry runs fn until it returns nil, a Permanent error, the context ends or
// MaxTries is reached. The last error is returned (unwrapped from Permanent).
func Retry[T any](ctx context.Context, b Backoff, fn func() (T, error)) (T, error) {
	cur := b.Initial
	for try := 1; ; try++ {
		v, err := fn()
		if err == nil {
			return v, nil
		}
		var p *permanent
		if errors.As(err, &p) {
			return v, p.err
		}
		if b.MaxTries > 0 && try >= b.MaxTries {
			return v, err
		}
		wait := cur
		if b.RandomizationFactor > 0 {
			delta := b.RandomizationFactor * float64(cur)
			wait = time.Duration(float64(cur) - delta + rand.Float64()*(2*delta+1))
		}
		if next := time.Duration(float64(cur) * multiplier); next < b.Max {
			cur = next
		} else {
			cur = b.Max
		}
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return v, err
		case <-t.C:
		}
	}
}

// envDuration reads a Go duration from the environment, or def.
// EnvDuration is envDuration for the resources' test-time overrides.
func EnvDuration(name string, def time.Duration) time.Duration { return envDuration(name, def) }

func envDuration(name string, def time.Duration) time.Duration {
	if s := os.Getenv(name); s != "" {
		if d, err := time.ParseDuration(s); err == nil && d > 0 {
			return d
		}
	}
	return def
}

// RetryBaseEnv overrides the initial interval of the API retry schedule.
const RetryBaseEnv = "FLYSTACK_DOUBLE_RETRY_BASE"

// CertPollBaseEnv overrides the initial interval of the certificate poll.
const CertPollBaseEnv = "FLYSTACK_DOUBLE_CERT_POLL_BASE"

// apiBackoff mirrors flyio/client.go newFlyAPIBackoff + flyAPIMaxTries:
// initial 2 s, cap 32 s, jitter 0.5, 6 attempts. The initial interval comes
// from FLYSTACK_DOUBLE_RETRY_BASE when set; the cap keeps the same 16x ratio.
func apiBackoff() Backoff {
	base := envDuration(RetryBaseEnv, 2*time.Second)
	return Backoff{Initial: base, Max: 16 * base, RandomizationFactor: 0.5, MaxTries: 6}
}

// waitBackoff is apiBackoff without the attempt cap: flyio/client.go
// WaitForState retries with newFlyAPIBackoff bounded only by its context.
func waitBackoff() Backoff {
	b := apiBackoff()
	b.MaxTries = 0
	return b
}

// pollBackoff mirrors the 1 s -> 5 s unjittered poll of flyio/client.go
// WaitForChecks and WaitForRest (kept as is: not over 2 s).
func pollBackoff() Backoff {
	return Backoff{Initial: time.Second, Max: 5 * time.Second}
}

// volumePollBackoff mirrors flyio/client.go WaitForVolumeReady: 250 ms -> 2 s.
func volumePollBackoff() Backoff {
	return Backoff{Initial: 250 * time.Millisecond, Max: 2 * time.Second}
}

// certPollBackoff mirrors flyio/client.go WaitForCertificateConfigured:
// 2 s -> 15 s, unjittered. FLYSTACK_DOUBLE_CERT_POLL_BASE scales it (cap 7.5x).
func certPollBackoff() Backoff {
	base := envDuration(CertPollBaseEnv, 2*time.Second)
	return Backoff{Initial: base, Max: base * 15 / 2}
}
