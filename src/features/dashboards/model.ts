/**
 * The part of Grafana's dashboard JSON model (schemaVersion 39, the classic model Grafana imports and
 * provisions: @grafana/schema's `Dashboard`) that flystack writes. A test validates every generated
 * dashboard against the published schema package.
 */

export const SCHEMA_VERSION = 39;
/** Every panel reads the data source the dashboard's `datasource` variable selects: Fly's Prometheus when provisioned, the one chosen at import otherwise. */
export const DATASOURCE = { type: "prometheus", uid: "${datasource}" } as const;

export interface Target {
  readonly refId: string;
  readonly expr: string;
  readonly legendFormat?: string;
  readonly datasource: typeof DATASOURCE;
  readonly instant?: boolean;
  readonly range?: boolean;
}

export interface GridPos {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
}

export interface Panel {
  readonly id: number;
  readonly type: "timeseries" | "stat" | "row" | "text";
  readonly title: string;
  readonly description?: string;
  readonly gridPos: GridPos;
  readonly datasource?: typeof DATASOURCE;
  readonly targets?: readonly Target[];
  readonly fieldConfig?: { readonly defaults: Record<string, unknown>; readonly overrides: readonly unknown[] };
  readonly options?: Record<string, unknown>;
  readonly links?: readonly DashboardLink[];
  readonly collapsed?: boolean;
  readonly panels?: readonly Panel[];
}

export interface Dashboard {
  readonly uid: string;
  readonly title: string;
  readonly description: string;
  readonly tags: readonly string[];
  readonly timezone: "utc";
  readonly editable: boolean;
  readonly graphTooltip: number;
  readonly schemaVersion: number;
  readonly version: number;
  readonly refresh: string;
  readonly time: { readonly from: string; readonly to: string };
  readonly templating: { readonly list: readonly Record<string, unknown>[] };
  readonly annotations: { readonly list: readonly Record<string, unknown>[] };
  readonly links: readonly DashboardLink[];
  readonly panels: readonly Panel[];
}

/** A link as Grafana's schema has it: every field given. */
export interface DashboardLink {
  readonly title: string;
  readonly type: "link" | "dashboards";
  readonly icon: "external link" | "dashboard" | "doc" | "info";
  readonly tooltip: string;
  readonly url: string;
  readonly tags: readonly string[];
  readonly asDropdown: boolean;
  readonly targetBlank: boolean;
  readonly includeVars: boolean;
  readonly keepTime: boolean;
}

/** A link to a page (the runbook). */
export function pageLink(title: string, url: string): DashboardLink {
  return { title, type: "link", icon: "doc", tooltip: title, url, tags: [], asDropdown: false, targetBlank: true, includeVars: false, keepTime: false };
}

/** The dashboards with these tags, as a drop-down. */
export function dashboardsLink(title: string, tags: readonly string[]): DashboardLink {
  return { title, type: "dashboards", icon: "dashboard", tooltip: title, url: "", tags, asDropdown: true, targetBlank: false, includeVars: true, keepTime: true };
}

/** The data source variable: Prometheus data sources, Fly's by default when provisioned. */
export function datasourceVariable(defaultUid: string | undefined): Record<string, unknown> {
  return {
    name: "datasource",
    label: "Data source",
    type: "datasource",
    query: "prometheus",
    hide: 0,
    refresh: 1,
    ...(defaultUid === undefined ? {} : { current: { text: "Fly Prometheus", value: defaultUid } }),
  };
}
