package flyapi

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestRetryStopsOnPermanentAndMaxTries(t *testing.T) {
	b := Backoff{Initial: time.Millisecond, Max: 2 * time.Millisecond, MaxTries: 3}
	calls := 0
	_, err := Retry(context.Background(), b, func() (int, error) { calls++; return 0, errors.New("x") })
	if err == nil || calls != 3 {
		t.Fatalf("want 3 tries and an error, got %d, %v", calls, err)
	}
	calls = 0
	perm := errors.New("perm")
	_, err = Retry(context.Background(), b, func() (int, error) { calls++; return 0, Permanent(perm) })
	if !errors.Is(err, perm) || calls != 1 {
		t.Fatalf("permanent: got %d, %v", calls, err)
	}
}

func TestRetryBaseEnv(t *testing.T) {
	t.Setenv(RetryBaseEnv, "50ms")
	b := apiBackoff()
	if b.Initial != 50*time.Millisecond || b.Max != 800*time.Millisecond || b.MaxTries != 6 {
		t.Fatalf("got %+v", b)
	}
	t.Setenv(RetryBaseEnv, "")
	if apiBackoff().Initial != 2*time.Second {
		t.Fatalf("default must be the real provider's 2s")
	}
}

func TestTransient(t *testing.T) {
	for code, want := range map[int]bool{429: true, 500: true, 503: true, 599: true, 408: false, 404: false, 422: false} {
		if isTransientStatus(code) != want {
			t.Errorf("%d: want %v", code, want)
		}
	}
	if !isMachineLimit(&ResponseError{StatusCode: 422, Body: `{"error":"Machine limit reached"}`}) {
		t.Errorf("machine limit not detected")
	}
	if !isManifestUnknown(&ResponseError{StatusCode: 400, Body: "MANIFEST_UNKNOWN"}) {
		t.Errorf("manifest unknown not detected")
	}
}
