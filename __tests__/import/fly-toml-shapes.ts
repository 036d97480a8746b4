/**
 * The fly.toml shapes flystack's import is held to: one fixture of our own per shape seen in public
 * fly.toml files (research catalogue of 66 files across frameworks and eras; shapes S01–S21), each
 * with the flags it truly needs, the app it becomes and exactly which keys the report lists. Every
 * other key of each fixture is carried (the key walk in fly-toml-fixtures.test.ts proves it).
 */
import type { AppConfig } from "../../src/config/types";
import type { TranslateOptions } from "../../src/features/import/fly-toml/translate";

export interface FlyTomlShape {
  /** `__tests__/fixtures/fly-toml/<fixture>.fly.toml` */
  readonly fixture: string;
  /** The shape it stands for (docs/fly-toml-import.md lists them). */
  readonly shape: string;
  readonly description: string;
  /** Only what the file truly lacks: --name, --region, --image. */
  readonly flags: Pick<TranslateOptions, "name" | "region" | "image">;
  readonly app: AppConfig;
  /** Paths of the report's notes, in order. */
  readonly reported: readonly string[];
}

/** What `[http_service]` means on Fly: plain HTTP on 80, HTTPS on 443. */
const HTTP_PORTS = [
  { port: 80, handlers: ["http" as const] },
  { port: 443, handlers: ["tls" as const, "http" as const] },
];

export const SHAPES: readonly FlyTomlShape[] = [
  {
    fixture: "v1-launch-2021",
    shape: "S01",
    description: "`fly launch` for Apps V1 (2021): no primary_region, V1-only keys left empty, [[services]] with tcp_checks and restart_limit",
    flags: {region: "iad", image: "registry.fly.io/acme-hello:v41"},
    app: {
      name: "acme-hello",
      groups: {
        app: {
          image: "registry.fly.io/acme-hello:v41",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["iad"],
          env: {PRIMARY_REGION: "iad"},
          services: [
            {
              internalPort: 4000,
              concurrency: {type: "connections", softLimit: 20, hardLimit: 25},
              ports: HTTP_PORTS,
              checks: [{type: "tcp", interval: "15s", timeout: "2s"}],
            },
          ],
          release: {command: ["/app/bin/migrate"]},
        },
      },
    },
    reported: [
      "services[0].ports[0].force_https",
      "services[0].tcp_checks[0].grace_period",
      "services[0].tcp_checks[0].restart_limit",
      "kill_signal",
      "kill_timeout",
      "experimental.allowed_public_ports",
      "experimental.auto_rollback",
      "(machines)",
      "(secrets)",
    ],
  },
  {
    fixture: "v1-litefs-volume",
    shape: "S02",
    description: "V1 hand-edited with a volume and LiteFS: a single [mounts] table, HTTP checks in bare milliseconds, [experimental] strings",
    flags: {image: "registry.fly.io/acme-notes:deployment-01HB"},
    app: {
      name: "acme-notes",
      groups: {
        app: {
          image: "registry.fly.io/acme-notes:deployment-01HB",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["lhr"],
          env: {PRIMARY_REGION: "lhr"},
          services: [
            {
              internalPort: 8080,
              concurrency: {type: "requests", softLimit: 80, hardLimit: 100},
              ports: HTTP_PORTS,
              checks: [{type: "tcp", interval: "15s", timeout: "2s"}, {type: "http", path: "/healthcheck", interval: "10s", timeout: "2s"}],
            },
          ],
          volume: {name: "notes_data", path: "/data", sizeGb: 1},
        },
      },
    },
    reported: [
      "services[0].ports[0].force_https",
      "services[0].tcp_checks[0].grace_period",
      "services[0].tcp_checks[0].restart_limit",
      "services[0].http_checks[0].grace_period",
      "mounts[0]",
      "kill_signal",
      "kill_timeout",
      "experimental.entrypoint",
      "experimental.enable_consul",
      "experimental.auto_rollback",
      "experimental.cmd",
      "(machines)",
      "(secrets)",
    ],
  },
  {
    fixture: "pre-2021-stub",
    shape: "S03",
    description: "the oldest stubs (2020): no app, a buildpack builder, a port as a quoted string",
    flags: {name: "acme-grpc", region: "ord", image: "ghcr.io/acme/grpc:1.2.0"},
    app: {
      name: "acme-grpc",
      groups: {
        app: {
          image: "ghcr.io/acme/grpc:1.2.0",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["ord"],
          env: {PRIMARY_REGION: "ord"},
          services: [{internalPort: 50051, ports: [{port: 443, handlers: ["tls"]}], checks: [{type: "tcp", interval: "10s", timeout: "2s"}]}],
        },
      },
    },
    reported: ["build.builder", "(machines)", "(secrets)"],
  },
  {
    fixture: "postgres-flex",
    shape: "S04",
    description: "Fly's database template (Postgres Flex): no app, `processes = []`, named checks pg/role/vm, [[mounts]], [metrics]",
    flags: {name: "acme-pg-flex"},
    app: {
      name: "acme-pg-flex",
      ips: {sharedIpv4: false, ipv6: false},
      groups: {
        app: {
          image: "flyio/postgres-flex:16.4",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["iad"],
          env: {PRIMARY_REGION: "iad"},
          checks: [
            {type: "http", port: 5500, path: "/flycheck/pg", interval: "15s", timeout: "10s", gracePeriod: "30s", name: "pg"},
            {type: "http", port: 5500, path: "/flycheck/role", interval: "15s", timeout: "10s", gracePeriod: "30s", name: "role"},
            {type: "http", port: 5500, path: "/flycheck/vm", interval: "1m", timeout: "10s", gracePeriod: "1s", name: "vm"},
          ],
          volume: {name: "pg_data", path: "/data", sizeGb: 1},
          metrics: {port: 9187},
        },
      },
    },
    reported: ["mounts[0]", "(machines)", "(secrets)"],
  },
  {
    fixture: "postgres-mounts",
    shape: "S04",
    description: "Postgres from an image: [mounts] with retention and auto-extension, named checks, [metrics]",
    flags: {},
    app: {
      name: "acme-pg",
      ips: {sharedIpv4: false, ipv6: false},
      groups: {
        app: {
          image: "flyio/postgres-flex:16.4",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 1024},
          regions: ["fra"],
          env: {PRIMARY_REGION: "fra", PGDATA: "/data/postgresql"},
          checks: [
            {type: "http", port: 5500, path: "/flycheck/pg", interval: "15s", timeout: "10s", name: "pg"},
            {type: "http", port: 5500, path: "/flycheck/vm", interval: "1m", timeout: "10s", name: "vm"},
          ],
          volume: {name: "pg_data", path: "/data", sizeGb: 10, snapshotRetentionDays: 14},
          metrics: {port: 9187},
        },
      },
    },
    reported: ["mounts[0].auto_extend_size_threshold", "mounts[0].auto_extend_size_increment", "mounts[0].auto_extend_size_limit", "(machines)", "(secrets)"],
  },
  {
    fixture: "v1-multi-service-strings",
    shape: "S05",
    description: "V1 with two raw services: ports and internal_port as strings, an integer in [env], canary",
    flags: {image: "ghcr.io/acme/tunnel:0.4.1"},
    app: {
      name: "acme-tunnel",
      groups: {
        app: {
          image: "ghcr.io/acme/tunnel:0.4.1",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["ord"],
          env: {NET_PORT: "10002", RUST_LOG: "info", PRIMARY_REGION: "ord"},
          services: [
            {
              internalPort: 10001,
              concurrency: {type: "connections", softLimit: 400, hardLimit: 500},
              ports: [{port: 443, handlers: ["tls", "http"]}],
              checks: [{type: "http", path: "/status", interval: "30s", timeout: "5s"}],
            },
            {internalPort: 5000, ports: [{port: 5000}]},
          ],
          deploy: {strategy: "rolling"},
        },
      },
    },
    reported: ["deploy.strategy", "kill_timeout", "(machines)", "(secrets)"],
  },
  {
    fixture: "node-services",
    shape: "S06",
    description: "2023 machines-era [[services]]: kill_timeout as a string, checks in bare milliseconds",
    flags: {},
    app: {
      name: "acme-api",
      groups: {
        app: {
          image: "ghcr.io/acme/api:v2.14.3",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["sjc"],
          env: {NODE_ENV: "production", PORT: "8080", PRIMARY_REGION: "sjc"},
          services: [
            {
              internalPort: 8080,
              concurrency: {type: "connections", softLimit: 20, hardLimit: 25},
              ports: HTTP_PORTS,
              checks: [{type: "tcp", interval: "15s", timeout: "2s"}, {type: "http", path: "/healthz", interval: "10s", timeout: "2s"}],
            },
            {internalPort: 9000, ports: [{port: 9000}], checks: [{type: "tcp", interval: "30s", timeout: "5s"}]},
          ],
        },
      },
    },
    reported: [
      "services[0].ports[0].force_https",
      "services[0].tcp_checks[0].grace_period",
      "services[0].tcp_checks[0].restart_limit",
      "services[0].http_checks[0].grace_period",
      "kill_signal",
      "kill_timeout",
      "experimental.auto_rollback",
      "(machines)",
      "(secrets)",
    ],
  },
  {
    fixture: "machines-2023-services",
    shape: "S06",
    description: "2023 [[services]] with autostop/autostart booleans inside, http_options under a port, a check header, [experimental] cmd list, [[mounts]] scoped",
    flags: {},
    app: {
      name: "acme-beats",
      groups: {
        app: {
          image: "registry.fly.io/acme-beats:deployment-01H0X6",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["sea"],
          env: {PHX_HOST: "beats.example.com", PRIMARY_REGION: "sea"},
          services: [
            {
              internalPort: 4000,
              autostop: "off",
              autostart: false,
              concurrency: {type: "connections", softLimit: 2000, hardLimit: 2500},
              ports: HTTP_PORTS,
              checks: [{type: "http", path: "/health", interval: "10s", timeout: "2s"}],
            },
          ],
          volume: {name: "beats_data", path: "/data", sizeGb: 1},
        },
      },
    },
    reported: [
      "services[0].ports[0].force_https",
      "services[0].ports[1].http_options",
      "services[0].http_checks[0].headers",
      "mounts[0]",
      "kill_signal",
      "kill_timeout",
      "experimental.auto_rollback",
      "experimental.cmd",
      "(machines)",
      "(secrets)",
    ],
  },
  {
    fixture: "udp-and-http",
    shape: "S07",
    description: "a UDP [[services]] beside an [http_service] kept running",
    flags: {},
    app: {
      name: "acme-factory",
      groups: {
        app: {
          image: "ghcr.io/acme/factory-server:2.0.47",
          guest: {cpuKind: "shared", cpus: 2, memoryMb: 2048},
          regions: ["ams"],
          env: {PRIMARY_REGION: "ams"},
          services: [
            {
              internalPort: 8080,
              autostop: "off",
              autostart: true,
              minMachinesRunning: 1,
              ports: HTTP_PORTS,
            },
            {internalPort: 34197, protocol: "udp", ports: [{port: 34197}]},
          ],
        },
      },
    },
    reported: ["http_service.force_https", "(machines)", "(secrets)"],
  },
  {
    fixture: "http-service-2023",
    shape: "S08",
    description: "2023 [http_service] with booleans, min_machines_running, concurrency, swap, an empty [build]",
    flags: {image: "registry.fly.io/acme-jobs:deployment-01H9"},
    app: {
      name: "acme-jobs",
      groups: {
        app: {
          image: "registry.fly.io/acme-jobs:deployment-01H9",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["mia"],
          env: {PHX_HOST: "acme-jobs.fly.dev", PORT: "8080", PRIMARY_REGION: "mia"},
          services: [
            {
              internalPort: 8080,
              autostop: "off",
              autostart: false,
              minMachinesRunning: 1,
              concurrency: {type: "connections", softLimit: 1000, hardLimit: 1000},
              ports: HTTP_PORTS,
            },
          ],
        },
      },
    },
    reported: ["http_service.force_https", "kill_signal", "swap_size_mb", "(machines)", "(secrets)"],
  },
  {
    fixture: "vm-memory-mb-2023",
    shape: "S09",
    description: "late-2023 [[vm]] with memory_mb, a [processes] command, numbers and booleans in [env]",
    flags: {},
    app: {
      name: "acme-printer",
      groups: {
        app: {
          image: "registry.fly.io/acme-printer:v3",
          command: ["bun", "server.ts", "--colors"],
          guest: {cpuKind: "performance", cpus: 1, memoryMb: 2048},
          regions: ["iad"],
          env: {TIMEOUT: "15", VERBOSE: "true", PRIMARY_REGION: "iad"},
          services: [
            {
              internalPort: 3000,
              autostop: "stop",
              autostart: true,
              minMachinesRunning: 0,
              concurrency: {type: "requests", softLimit: 1, hardLimit: 1},
              ports: HTTP_PORTS,
            },
          ],
        },
      },
    },
    reported: ["http_service.force_https", "swap_size_mb", "(machines)", "(secrets)"],
  },
  {
    fixture: "launch-2024-bool-autostop",
    shape: "S10",
    description: "early-2024 launch: autostop true, [[vm]] memory as a string, an empty [env] value",
    flags: {},
    app: {
      name: "acme-drupal",
      groups: {
        app: {
          image: "registry.fly.io/acme-drupal:deployment-01HQ",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 1024},
          regions: ["cdg"],
          env: {DRUPAL_ENV: "production", EXTRA_FLAGS: "", PRIMARY_REGION: "cdg"},
          services: [
            {
              internalPort: 8080,
              autostop: "stop",
              autostart: true,
              minMachinesRunning: 0,
              ports: HTTP_PORTS,
            },
          ],
        },
      },
    },
    reported: ["http_service.force_https", "(machines)", "(secrets)"],
  },
  {
    fixture: "phoenix",
    shape: "S11",
    description: "2025 launch (Phoenix): 'suspend', min_machines_running, concurrency, [[http_service.checks]]",
    flags: {},
    app: {
      name: "acme-live",
      groups: {
        app: {
          image: "registry.fly.io/acme-live:deployment-01JH2ZK3Q8W5V",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 1024},
          regions: ["ord"],
          count: 2,
          env: {PHX_HOST: "acme-live.fly.dev", PORT: "8080", ECTO_IPV6: "true", ERL_AFLAGS: "-proto_dist inet6_tcp", PRIMARY_REGION: "ord"},
          services: [
            {
              internalPort: 8080,
              autostop: "suspend",
              autostart: true,
              minMachinesRunning: 2,
              concurrency: {type: "connections", softLimit: 1000, hardLimit: 1000},
              ports: HTTP_PORTS,
              checks: [{type: "http", path: "/health", interval: "15s", timeout: "2s"}],
            },
          ],
        },
      },
    },
    reported: ["http_service.force_https", "http_service.checks[0].grace_period", "kill_signal", "(machines)", "(secrets)"],
  },
  {
    fixture: "rails",
    shape: "S11",
    description: "2025 launch (Rails + Sidekiq): [processes], release_command, console_command, [[statics]], an empty [build]",
    flags: {image: "registry.fly.io/acme-shop:v1.4.2"},
    app: {
      name: "acme-shop",
      groups: {
        web: {
          image: "registry.fly.io/acme-shop:v1.4.2",
          command: ["./bin/rails", "server", "-b", "0.0.0.0"],
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 1024},
          regions: ["iad"],
          env: {RAILS_LOG_TO_STDOUT: "enabled", RAILS_SERVE_STATIC_FILES: "true", PORT: "3000", PRIMARY_REGION: "iad"},
          services: [
            {
              internalPort: 3000,
              autostop: "stop",
              autostart: true,
              minMachinesRunning: 0,
              ports: HTTP_PORTS,
              checks: [{type: "http", path: "/up", interval: "30s", timeout: "5s"}],
            },
          ],
          release: {command: ["./bin/rails", "db:prepare"]},
        },
        worker: {
          image: "registry.fly.io/acme-shop:v1.4.2",
          command: ["bundle", "exec", "sidekiq", "-C", "config/sidekiq.yml"],
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 1024},
          regions: ["iad"],
          env: {RAILS_LOG_TO_STDOUT: "enabled", RAILS_SERVE_STATIC_FILES: "true", PORT: "3000", PRIMARY_REGION: "iad"},
        },
      },
    },
    reported: ["http_service.force_https", "http_service.checks[0].grace_period", "console_command", "statics[0]", "(machines)", "(secrets)"],
  },
  {
    fixture: "launch-2025-memory-twice",
    shape: "S12",
    description: "2025 launch writing memory and memory_mb (flyctl takes memory_mb)",
    flags: {},
    app: {
      name: "acme-whens",
      groups: {
        app: {
          image: "registry.fly.io/acme-whens:deployment-01JF",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 512},
          regions: ["waw"],
          env: {PRIMARY_REGION: "waw"},
          services: [
            {
              internalPort: 3000,
              autostop: "stop",
              autostart: true,
              minMachinesRunning: 0,
              ports: HTTP_PORTS,
            },
          ],
        },
      },
    },
    reported: ["http_service.force_https", "console_command", "vm[0].memory", "(machines)", "(secrets)"],
  },
  {
    fixture: "django-celery",
    shape: "S16",
    description: "Django + Celery: per-process [[vm]], [[restart]], canary, a credential in [env], [build] dockerfile and args",
    flags: {image: "registry.fly.io/acme-dj:v3"},
    app: {
      name: "acme-dj",
      secrets: {DJANGO_SECRET_KEY: {version: "1"}},
      groups: {
        app: {
          image: "registry.fly.io/acme-dj:v3",
          command: ["gunicorn", "--bind", ":8000", "--workers", "2", "acme.wsgi"],
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 512},
          regions: ["ams"],
          env: {PORT: "8000", DJANGO_SETTINGS_MODULE: "acme.settings.production", PRIMARY_REGION: "ams"},
          services: [
            {
              internalPort: 8000,
              autostop: "stop",
              autostart: true,
              minMachinesRunning: 1,
              ports: HTTP_PORTS,
            },
          ],
          deploy: {strategy: "rolling"},
          release: {command: ["python", "manage.py", "migrate", "--noinput"]},
        },
        celery: {
          image: "registry.fly.io/acme-dj:v3",
          command: ["celery", "-A", "acme", "worker", "--loglevel=info"],
          guest: {cpuKind: "shared", cpus: 2, memoryMb: 512},
          regions: ["ams"],
          env: {PORT: "8000", DJANGO_SETTINGS_MODULE: "acme.settings.production", PRIMARY_REGION: "ams"},
          restart: {policy: "on-failure", maxRetries: 5},
          deploy: {strategy: "rolling"},
        },
      },
    },
    reported: [
      "env.DJANGO_SECRET_KEY",
      "http_service.force_https",
      "deploy.strategy",
      "swap_size_mb",
      "build.dockerfile",
      "build.args",
      "(machines)",
      "(secrets)",
    ],
  },
  {
    fixture: "vm-presets",
    shape: "S13",
    description: "three groups sized by [[vm]] presets, one default [[vm]], restart never",
    flags: {},
    app: {
      name: "acme-batch",
      groups: {
        api: {
          image: "registry.fly.io/acme-batch@sha256:4f7c2b9e0d1a3c5e7f9b2d4c6e8a0b1c3d5e7f9a2b4c6d8e0f1a3b5c7d9e1f3a",
          command: ["node", "dist/api.js"],
          guest: {cpuKind: "shared", cpus: 2, memoryMb: 1024},
          regions: ["lhr"],
          env: {PRIMARY_REGION: "lhr"},
          services: [
            {
              internalPort: 8080,
              autostop: "off",
              minMachinesRunning: 1,
              ports: HTTP_PORTS,
              checks: [{type: "http", path: "/status", interval: "10s", timeout: "2s"}],
            },
          ],
        },
        render: {
          image: "registry.fly.io/acme-batch@sha256:4f7c2b9e0d1a3c5e7f9b2d4c6e8a0b1c3d5e7f9a2b4c6d8e0f1a3b5c7d9e1f3a",
          command: ["node", "dist/render.js"],
          guest: {cpuKind: "performance", cpus: 2, memoryMb: 4096},
          regions: ["lhr"],
          env: {PRIMARY_REGION: "lhr"},
        },
        cron: {
          image: "registry.fly.io/acme-batch@sha256:4f7c2b9e0d1a3c5e7f9b2d4c6e8a0b1c3d5e7f9a2b4c6d8e0f1a3b5c7d9e1f3a",
          command: ["node", "dist/cron.js"],
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["lhr"],
          env: {PRIMARY_REGION: "lhr"},
          restart: {policy: "no"},
        },
      },
    },
    reported: ["http_service.force_https", "vm[1].memory", "(machines)", "(secrets)"],
  },
  {
    fixture: "multi-group-scoped",
    shape: "S13",
    description: "groups named with underscores, an empty command, a [[mounts]]/[[vm]] per group, services on different groups, unscoped [[metrics]]",
    flags: {},
    app: {
      name: "acme-maps",
      groups: {
        web_service: {
          image: "registry.fly.io/acme-maps:v12",
          command: ["bin/web", "--port", "8080"],
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 512},
          regions: ["fra"],
          env: {TILE_API: "http://map_service.process.acme-maps.internal:8081", PRIMARY_REGION: "fra"},
          services: [
            {
              internalPort: 8080,
              autostop: "stop",
              autostart: true,
              ports: HTTP_PORTS,
            },
          ],
        },
        map_service: {
          image: "registry.fly.io/acme-maps:v12",
          guest: {cpuKind: "performance", cpus: 1, memoryMb: 2048},
          regions: ["fra"],
          env: {TILE_API: "http://map_service.process.acme-maps.internal:8081", PRIMARY_REGION: "fra"},
          services: [{internalPort: 8081, ports: [{port: 8081, handlers: ["http"]}]}],
          checks: [{type: "http", port: 8081, path: "/ready", interval: "20s", timeout: "4s", name: "tiles_ready"}],
          volume: {name: "tiles", path: "/tiles", sizeGb: 20},
          metrics: {port: 9091},
        },
        worker: {
          image: "registry.fly.io/acme-maps:v12",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 512},
          regions: ["fra"],
          env: {TILE_API: "http://map_service.process.acme-maps.internal:8081", PRIMARY_REGION: "fra"},
          volume: {name: "queue", path: "/queue", sizeGb: 2},
        },
      },
    },
    reported: ["processes.map_service", "(machines)", "(secrets)"],
  },
  {
    fixture: "worker-only",
    shape: "S14",
    description: "worker-only: no app group, no service, [[restart]] for both, an unscoped [mounts] (the default group's)",
    flags: {},
    app: {
      name: "acme-celery",
      ips: {sharedIpv4: false, ipv6: false},
      groups: {
        worker: {
          image: "registry.fly.io/acme-celery:2024-05-01",
          command: ["celery", "-A", "acme", "worker", "-l", "info"],
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 1024},
          regions: ["dfw"],
          env: {PRIMARY_REGION: "dfw"},
          restart: {policy: "always"},
        },
        beat: {
          image: "registry.fly.io/acme-celery:2024-05-01",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 1024},
          regions: ["dfw"],
          env: {PRIMARY_REGION: "dfw"},
          restart: {policy: "always"},
          volume: {name: "beat_data", path: "/data", sizeGb: 1},
        },
      },
    },
    reported: ["mounts[0]", "processes.beat", "(machines)", "(secrets)"],
  },
  {
    fixture: "infra-image-files",
    shape: "S15",
    description: "an image-based database saved by `fly config save`: [[files]] (secret, local file, text), raw TCP, Go durations, [experimental] cmd arguments",
    flags: {},
    app: {
      name: "acme-db",
      secrets: {PGBACKREST_CONF: {version: "1"}},
      groups: {
        app: {
          image: "ghcr.io/acme/postgres-backrest:16.6-2",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["sin"],
          env: {PRIMARY_REGION: "sin"},
          services: [
            {
              internalPort: 5432,
              autostop: "off",
              autostart: false,
              minMachinesRunning: 1,
              ports: [{port: 5432}],
              checks: [{type: "tcp", interval: "15s", timeout: "2s"}],
            },
          ],
          volume: {name: "pg_data", path: "/var/lib/postgresql/data", sizeGb: 10, snapshotRetentionDays: 14},
          files: [
            {guestPath: "/etc/pgbackrest/pgbackrest.conf", secretName: "PGBACKREST_CONF"},
            {guestPath: "/etc/postgres/postgresql.conf", rawValue: "c2hhcmVkX2J1ZmZlcnMgPSAxMjhNQgpsaXN0ZW5fYWRkcmVzc2VzID0gJyonCg=="},
            {guestPath: "/etc/motd", rawValue: "bWFuYWdlZCBieSBmbHlzdGFjaw=="},
          ],
          metrics: {port: 9187},
        },
      },
    },
    reported: [
      "services[0].tcp_checks[0].grace_period",
      "mounts[0].auto_extend_size_threshold",
      "mounts[0].auto_extend_size_increment",
      "mounts[0].auto_extend_size_limit",
      "kill_signal",
      "kill_timeout",
      "swap_size_mb",
      "experimental.cmd",
      "(machines)",
      "(secrets)",
    ],
  },
  {
    fixture: "production-bluegreen",
    shape: "S16",
    description: "production with bluegreen: `3_000`, checks in nanoseconds, http/tls options, deploy timeouts, release_command_vm, [[statics]]",
    flags: {},
    app: {
      name: "acme-site",
      groups: {
        app: {
          image: "ghcr.io/acme/site:2025.05.3",
          guest: {cpuKind: "shared", cpus: 2, memoryMb: 1024},
          regions: ["nrt"],
          count: 2,
          env: {PRIMARY_REGION: "nrt"},
          services: [
            {
              internalPort: 3000,
              autostop: "suspend",
              autostart: true,
              minMachinesRunning: 2,
              ports: HTTP_PORTS,
              checks: [{type: "http", path: "/api/health", interval: "30s", timeout: "5s"}],
            },
          ],
          deploy: {strategy: "bluegreen"},
          release: {command: ["node", "scripts/migrate.mjs", "--to", "latest"], guest: {cpuKind: "shared", cpus: 2, memoryMb: 1024}},
        },
      },
    },
    reported: [
      "http_service.force_https",
      "http_service.http_options",
      "http_service.tls_options",
      "http_service.checks[0].grace_period",
      "deploy.max_unavailable",
      "deploy.wait_timeout",
      "deploy.release_command_timeout",
      "statics[0]",
      "(machines)",
      "(secrets)",
    ],
  },
  {
    fixture: "rust-volume-metrics",
    shape: "S17",
    description: "a minimal Rust app: a volume and metrics, no service, no [[vm]]",
    flags: {},
    app: {
      name: "acme-corro",
      ips: {sharedIpv4: false, ipv6: false},
      groups: {
        app: {
          image: "ghcr.io/acme/corro:0.9.1",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["yyz"],
          env: {RUST_BACKTRACE: "1", PRIMARY_REGION: "yyz"},
          volume: {name: "corro_data", path: "/var/lib/corro", sizeGb: 1},
          metrics: {port: 9090, path: "/"},
        },
      },
    },
    reported: ["mounts[0]", "(machines)", "(secrets)"],
  },
  {
    fixture: "generator-fragment",
    shape: "S19",
    description: "a generator fragment: no app, no region, [[env]] as tables, [processes], [mounts]",
    flags: {name: "acme-rails", region: "lhr", image: "registry.fly.io/acme-rails:v2"},
    app: {
      name: "acme-rails",
      ips: {sharedIpv4: false, ipv6: false},
      groups: {
        app: {
          image: "registry.fly.io/acme-rails:v2",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["lhr"],
          env: {DATABASE_URL_DIR: "/data", RAILS_ENV: "production", PRIMARY_REGION: "lhr"},
          volume: {name: "data", path: "/data", sizeGb: 1},
        },
      },
    },
    reported: ["mounts[0]", "processes.app", "(machines)", "(secrets)"],
  },
  {
    fixture: "inconsistent-groups",
    shape: "S20",
    description: "inconsistent: the HTTP service names an undefined group, a raw service repeats its ports",
    flags: {},
    app: {
      name: "acme-dream",
      groups: {
        web: {
          image: "registry.fly.io/acme-dream:v7",
          command: ["uvicorn", "main:app", "--host", "0.0.0.0", "--port", "8000"],
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["iad"],
          env: {PRIMARY_REGION: "iad"},
          services: [{internalPort: 8000, ports: HTTP_PORTS}],
        },
        worker: {
          image: "registry.fly.io/acme-dream:v7",
          command: ["celery", "-A", "tasks", "worker"],
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 256},
          regions: ["iad"],
          env: {PRIMARY_REGION: "iad"},
        },
      },
    },
    reported: ["http_service.force_https", "http_service.processes", "http_service", "(machines)", "(secrets)"],
  },
  {
    fixture: "flyctl-quirks",
    shape: "S21",
    description: "older forms flyctl reads: app = \"\", string ports, \"soft,hard\", bare milliseconds, [mount], [[compute]], a port range, legacy [[processes]]",
    flags: {name: "acme-legacy"},
    app: {
      name: "acme-legacy",
      groups: {
        app: {
          image: "ghcr.io/acme/legacy:1.0.3",
          guest: {cpuKind: "shared", cpus: 1, memoryMb: 512},
          regions: ["scl"],
          env: {PORT: "8080", PRIMARY_REGION: "scl"},
          services: [
            {
              internalPort: 8080,
              concurrency: {type: "requests", softLimit: 12, hardLimit: 23},
              ports: [{port: 80, handlers: ["http"]}],
              checks: [{type: "tcp", interval: "20s", timeout: "3s"}],
            },
          ],
          checks: [{type: "http", port: 8080, path: "/status", interval: "10s", timeout: "1s", name: "status"}],
          volume: {name: "legacy_data", path: "/data", sizeGb: 3},
        },
      },
    },
    reported: [
      "app",
      "services[0].ports[1]",
      "checks.status.headers",
      "experimental.exec",
      "experimental.lazy_load_images",
      "vm[0].kernel_args",
      "processes.app",
      "(machines)",
      "(secrets)",
    ],
  },
];
