package fly

import (
	"encoding/json"
	"testing"

	"github.com/flystack/provider-double/internal/flyapi"
)

func TestPickReplacementVolume(t *testing.T) {
	vols := []flyapi.VolumeInfo{
		{ID: "v1", Name: "d", AttachedMachineID: ""},
		{ID: "v2", Name: "d", AttachedMachineID: "m2"},
		{ID: "v3", Name: "e", AttachedMachineID: "m3"},
	}
	if r := pickReplacementVolume(vols, "d", "v1"); r == nil || r.ID != "v2" {
		t.Fatalf("want v2, got %v", r)
	}
	vols = append(vols, flyapi.VolumeInfo{ID: "v4", Name: "d", AttachedMachineID: "m4"})
	if r := pickReplacementVolume(vols, "d", "v1"); r != nil {
		t.Fatalf("ambiguous must decline, got %v", r.ID)
	}
}

func TestMachineBodies(t *testing.T) {
	plan := obj{
		"app": "a", "name": "web-1", "region": "iad", "image": "img", "min_secrets_version": int64(3),
		"env": map[string]any{}, "guest": map[string]any{"cpu_kind": "shared", "cpus": int64(1), "memory_mb": int64(256)},
		"restart": map[string]any{"policy": nil, "max_retries": nil},
		"service": []any{map[string]any{"internal_port": int64(8080), "protocol": "tcp", "autostart": nil, "autostop": "stop",
			"concurrency": []any{map[string]any{"type": "connections", "soft_limit": int64(10), "hard_limit": int64(20)}},
			"port":        []any{map[string]any{"port": int64(443), "handlers": []any{"tls", "http"}}},
			"check":       []any{}}},
		"check": []any{map[string]any{"name": "hc", "type": "http", "port": int64(8080), "path": "/h", "interval": nil}},
		"mount": []any{map[string]any{"volume": "vol_1", "path": "/data", "name": nil}},
	}
	got, _ := json.Marshal(createMachineBody(plan))
	want := `{"config":{"checks":{"hc":{"path":"/h","port":8080,"type":"http"}},"guest":{"cpu_kind":"shared","cpus":1,"memory_mb":256},"image":"img","mounts":[{"path":"/data","volume":"vol_1"}],"services":[{"autostop":"stop","concurrency":{"hard_limit":20,"soft_limit":10,"type":"connections"},"internal_port":8080,"ports":[{"handlers":["tls","http"],"port":443}],"protocol":"tcp"}]},"min_secrets_version":3,"name":"web-1","region":"iad"}`
	if string(got) != want {
		t.Errorf("create body:\n got %s\nwant %s", got, want)
	}
	upd, _ := json.Marshal(updateMachineBody(plan))
	var u map[string]any
	_ = json.Unmarshal(upd, &u)
	if _, ok := u["name"]; ok {
		t.Errorf("update body must not carry name")
	}
	if updateLaunches("stopped") || updateLaunches("suspended") || !updateLaunches("started") || !updateLaunches("failed") {
		t.Errorf("updateLaunches")
	}
}
