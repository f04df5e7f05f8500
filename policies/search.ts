// Search: an OpenSearch domain keeps every shard through the loss of a node or a zone (data nodes,
// zone awareness, dedicated masters, a replica per shard in the index templates), encrypts data at
// rest and in transit, and takes a snapshot at least daily, kept N days, into a repository whose
// bucket is copied to another region.
//
// The REST objects (snapshot repository, snapshot-management policy, index template) are resources
// of the dynamic provider in infra/providers/opensearch.ts, recognised by their type token; their
// `body` is the body OpenSearch takes. Links at preview: an object belongs to the domain its
// `endpoint` was built from (property dependency), or whose name its endpoint's host carries once
// known; a repository's bucket is found by the bucket name we set, known at preview. A link or a
// value that is unknown at preview counts in the stack's favour and is judged again at `pulumi up`.
import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";
import { copiesBySource, leavesRegion, regionOf, StorageTypes } from "./storage";
import { resourceType } from "./types";
import { is, known, Maybe, plural, settingsOf, UNKNOWN } from "./util";

export const SearchTypes = {
    domain: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    repository: ["pulumi-nodejs:dynamic/opensearch:SnapshotRepository"],
    snapshotPolicy: ["pulumi-nodejs:dynamic/opensearch:SnapshotPolicy"],
    indexTemplate: ["pulumi-nodejs:dynamic/opensearch:IndexTemplate"],
} as const;

interface DomainProps {
    domainName?: string;
    clusterConfig?: {
        instanceCount?: number;
        zoneAwarenessEnabled?: boolean;
        zoneAwarenessConfig?: { availabilityZoneCount?: number };
        dedicatedMasterEnabled?: boolean;
        dedicatedMasterCount?: number;
    };
    encryptAtRest?: { enabled?: boolean };
    nodeToNodeEncryption?: { enabled?: boolean };
    domainEndpointOptions?: { enforceHttps?: boolean; tlsSecurityPolicy?: string };
}

const OpenSearchDomain = resourceType<DomainProps>(SearchTypes.domain[0]);
const ElasticsearchDomain = resourceType<DomainProps>(SearchTypes.domain[1]);

/** One validation for both domain types (the Elasticsearch one has the same settings). */
function validateDomain(check: (domain: DomainProps, args: ResourceValidationArgs, report: ReportViolation) => void) {
    return [validateResourceOfType(OpenSearchDomain, check), validateResourceOfType(ElasticsearchDomain, check)];
}

const dataNodesSchema = { properties: { minDataNodes: { type: "integer" as const, minimum: 1, default: 3 } } };

/** Unknown counts: skipped at preview by the SDK, judged at `pulumi up`. */
export const searchDomainDataNodes: ResourceValidationPolicy = {
    name: "search-domain-data-nodes",
    description: "OpenSearch domains run at least N data nodes, so that a node's loss keeps every shard and its replica.",
    enforcementLevel: "mandatory",
    configSchema: dataNodesSchema,
    validateResource: validateDomain((domain, args, report) => {
        const { minDataNodes } = settingsOf<{ minDataNodes: number }>(dataNodesSchema, args.getConfig());
        // AWS creates one data node when the count is not given.
        const count = domain.clusterConfig?.instanceCount ?? 1;
        if (count < minDataNodes) {
            report(`The OpenSearch domain '${args.name}' has ${plural(count, "data node")}; this environment requires at least ${minDataNodes}.`);
        }
    }),
};

const zonesSchema = { properties: { minZones: { type: "integer" as const, minimum: 2, maximum: 3, default: 3 } } };

export const searchDomainZoneAwareness: ResourceValidationPolicy = {
    name: "search-domain-zone-awareness",
    description: "OpenSearch domains spread their nodes and each shard's replica over at least N availability zones (zone awareness).",
    enforcementLevel: "mandatory",
    configSchema: zonesSchema,
    validateResource: validateDomain((domain, args, report) => {
        const { minZones } = settingsOf<{ minZones: number }>(zonesSchema, args.getConfig());
        if (domain.clusterConfig?.zoneAwarenessEnabled !== true) {
            report(
                `The OpenSearch domain '${args.name}' does not spread its nodes over availability zones (zoneAwarenessEnabled is not true); this environment requires ${minZones} zones.`,
            );
            return;
        }
        // AWS uses two zones when zone awareness is on and the count is not given.
        const zones = domain.clusterConfig.zoneAwarenessConfig?.availabilityZoneCount ?? 2;
        if (zones < minZones) {
            report(`The OpenSearch domain '${args.name}' spreads its nodes over ${plural(zones, "availability zone")}; this environment requires at least ${minZones}.`);
        }
    }),
};

const mastersSchema = {
    properties: {
        required: { type: "boolean" as const, default: true },
        minCount: { type: "integer" as const, minimum: 3, default: 3 },
    },
};

export const searchDomainDedicatedMasters: ResourceValidationPolicy = {
    name: "search-domain-dedicated-masters",
    description: "OpenSearch domains have at least N dedicated master nodes where this environment requires them.",
    enforcementLevel: "mandatory",
    configSchema: mastersSchema,
    validateResource: validateDomain((domain, args, report) => {
        const { required, minCount } = settingsOf<{ required: boolean; minCount: number }>(mastersSchema, args.getConfig());
        if (!required) return;
        if (domain.clusterConfig?.dedicatedMasterEnabled !== true) {
            report(`The OpenSearch domain '${args.name}' has no dedicated master nodes; this environment requires at least ${minCount}, so that a busy data node cannot stall the cluster.`);
            return;
        }
        const count = domain.clusterConfig.dedicatedMasterCount ?? 3;
        if (count < minCount) {
            report(`The OpenSearch domain '${args.name}' has ${plural(count, "dedicated master node")}; this environment requires at least ${minCount}.`);
        }
    }),
};

export const searchDomainEncryption: ResourceValidationPolicy = {
    name: "search-domain-encryption",
    description: "OpenSearch domains encrypt data at rest and between nodes.",
    enforcementLevel: "mandatory",
    validateResource: validateDomain((domain, args, report) => {
        if (domain.encryptAtRest?.enabled !== true) {
            report(`The OpenSearch domain '${args.name}' does not encrypt data at rest (encryptAtRest.enabled is not true).`);
        }
        if (domain.nodeToNodeEncryption?.enabled !== true) {
            report(`The OpenSearch domain '${args.name}' does not encrypt traffic between its nodes (nodeToNodeEncryption.enabled is not true).`);
        }
    }),
};

const httpsSchema = {
    properties: {
        tlsPolicies: {
            type: "array" as const,
            items: { type: "string" as const },
            default: ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"],
        },
    },
};

export const searchDomainHttps: ResourceValidationPolicy = {
    name: "search-domain-https",
    description: "OpenSearch domains accept HTTPS only, with a TLS policy of TLS 1.2 or later.",
    enforcementLevel: "mandatory",
    configSchema: httpsSchema,
    validateResource: validateDomain((domain, args, report) => {
        const { tlsPolicies } = settingsOf<{ tlsPolicies: string[] }>(httpsSchema, args.getConfig());
        const options = domain.domainEndpointOptions;
        if (options?.enforceHttps !== true) {
            report(`The OpenSearch domain '${args.name}' accepts plain HTTP (domainEndpointOptions.enforceHttps is not true).`);
        }
        const policy = options?.tlsSecurityPolicy;
        if (policy === undefined || !tlsPolicies.includes(policy)) {
            report(
                `The OpenSearch domain '${args.name}' ${policy === undefined ? "sets no TLS policy" : `uses the TLS policy ${policy}`}; this environment requires one of ${tlsPolicies.join(", ")}.`,
            );
        }
    }),
};

interface IndexTemplateProps {
    name?: string;
    body?: { index_patterns?: string[]; template?: { settings?: Record<string, unknown> } };
}
const IndexTemplate = resourceType<IndexTemplateProps>(SearchTypes.indexTemplate[0]);

/** number_of_replicas as OpenSearch reads it: flat, nested under `index`, or dotted. */
export function replicasOf(settings: Record<string, unknown> | undefined): number | undefined {
    if (!settings) return undefined;
    const index = settings.index as Record<string, unknown> | undefined;
    const value = settings.number_of_replicas ?? index?.number_of_replicas ?? settings["index.number_of_replicas"];
    if (value === undefined || value === null) return undefined;
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
}

const replicasSchema = { properties: { minReplicas: { type: "integer" as const, minimum: 0, default: 1 } } };

/** An unknown body: skipped at preview by the SDK, judged at `pulumi up`. */
export const searchIndexReplicas: ResourceValidationPolicy = {
    name: "search-index-replicas",
    description: "OpenSearch index templates give every shard at least N replicas (number_of_replicas).",
    enforcementLevel: "mandatory",
    configSchema: replicasSchema,
    validateResource: validateResourceOfType(IndexTemplate, (template, args, report) => {
        const { minReplicas } = settingsOf<{ minReplicas: number }>(replicasSchema, args.getConfig());
        const replicas = replicasOf(template.body?.template?.settings);
        const label = `The index template '${template.name ?? args.name}' (${(template.body?.index_patterns ?? []).join(", ")})`;
        if (replicas === undefined) {
            report(`${label} does not set number_of_replicas; this environment requires at least ${minReplicas}.`);
        } else if (replicas < minReplicas) {
            report(`${label} sets ${plural(replicas, "replica")} per shard; this environment requires at least ${minReplicas}.`);
        }
    }),
};

// --- snapshots (stack policies) ----------------------------------------------------------------

/** Whether a REST object talks to `domain`: by dependency, by the host of a known endpoint, else unknown. */
export function onDomain(object: PolicyResource, domain: PolicyResource): Maybe<boolean> {
    const from = object.propertyDependencies.endpoint ?? [];
    if (from.some((d) => d.urn === domain.urn)) return true;
    if (from.some(is(...SearchTypes.domain))) return false; // built from another domain's endpoint
    const endpoint = known(() => object.props.endpoint as string | undefined);
    if (endpoint === UNKNOWN) return object.dependencies.some((d) => d.urn === domain.urn) ? true : UNKNOWN;
    if (endpoint === undefined) return false;
    const host = endpoint.replace(/^https?:\/\//, "").split(/[/:]/)[0];
    const own = known(() => domain.props.endpoint as string | undefined);
    if (typeof own === "string" && own.replace(/^https?:\/\//, "") === host) return true;
    const domainName = known(() => domain.props.domainName as string | undefined);
    // AWS names a domain's endpoint search-<name>-<id>.<region>.es.amazonaws.com (vpc- inside a VPC).
    return typeof domainName === "string" && new RegExp(`^(search|vpc)-${domainName}-[a-z0-9]+\\.`).test(host);
}

/** When a schedule runs: hours within a period that repeats (a week; 28 days for a monthly one), sorted. */
export interface Cycle {
    runs: number[];
    period: number;
}

const WEEK = 7 * 24;

/**
 * The runs of a 5-field cron expression within a week; undefined if unreadable. A schedule on days
 * of the month or in chosen months is taken as one run every 28 days, the shortest month.
 */
export function cronCycle(expression: string): Cycle | undefined {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== 5) return undefined;
    const [, hourField, dayOfMonth, month, dayOfWeek] = fields;
    if (dayOfMonth !== "*" || month !== "*") return { runs: [0], period: 28 * 24 }; // monthly or rarer
    const expand = (field: string, min: number, max: number, names: string[] = []): number[] | undefined => {
        const values = new Set<number>();
        for (const part of field.toUpperCase().split(",")) {
            const m = /^(\*|([0-9A-Z]+)(?:-([0-9A-Z]+))?)(?:\/(\d+))?$/.exec(part);
            if (!m) return undefined;
            const value = (v: string) => (/^\d+$/.test(v) ? Number(v) : names.indexOf(v.slice(0, 3)));
            const first = m[1] === "*" ? min : value(m[2]);
            const last = m[1] === "*" ? max : m[3] !== undefined ? value(m[3]) : m[4] ? max : first;
            const step = m[4] ? Number(m[4]) : 1;
            if (first < min || last > max || first > last || step < 1) return undefined;
            for (let v = first; v <= last; v += step) values.add(v);
        }
        return [...values].sort((a, b) => a - b);
    };
    const hours = expand(hourField, 0, 23);
    const days = expand(dayOfWeek, 0, 7, ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]);
    if (!hours || !days) return undefined;
    const weekDays = [...new Set(days.map((d) => d % 7))].sort((a, b) => a - b);
    return { runs: weekDays.flatMap((d) => hours.map((h) => d * 24 + h)), period: WEEK };
}

/**
 * The shortest time, in hours, from a run to the `n`th run after it: how long a snapshot lives when
 * `n` newer ones make it go. A schedule that bunches its runs keeps them for less than `n` times its
 * longest gap.
 */
export function spanHours(cycle: Cycle, n: number): number {
    const { runs, period } = cycle;
    const at = (k: number) => runs[k % runs.length] + period * Math.floor(k / runs.length);
    return Math.min(...runs.map((_, i) => at(i + n) - at(i)));
}

/** The longest gap, in hours, between two runs of a cycle. */
export function longestGapHours({ runs, period }: Cycle): number {
    return Math.max(...runs.map((t, i) => ((runs[(i + 1) % runs.length] - t + period) % period) || period));
}

/** The longest gap, in hours, between two runs of a 5-field cron expression; undefined if unreadable. */
export function cronGapHours(expression: string): number | undefined {
    const cycle = cronCycle(expression);
    return cycle === undefined ? undefined : longestGapHours(cycle);
}

/** An OpenSearch time value in days ("14d", "336h"); undefined if unreadable. */
export function timeValueDays(value: string): number | undefined {
    const m = /^(\d+)(d|h|m|s)$/.exec(value.trim());
    if (!m) return undefined;
    return Number(m[1]) / { d: 1, h: 24, m: 1440, s: 86400 }[m[2] as "d" | "h" | "m" | "s"];
}

interface SnapshotPolicyBody {
    enabled?: boolean;
    creation?: { schedule?: { cron?: { expression?: string } } };
    deletion?: { condition?: { max_age?: string; max_count?: number; min_count?: number } };
    snapshot_config?: { repository?: string };
}

/**
 * How long a snapshot policy keeps every snapshot at least, in days: deletion removes what is older
 * than max_age or beyond max_count, but always keeps min_count; a count lasts as long as the runs
 * that replace it, at their most frequent. Infinity without deletion; undefined if unreadable.
 */
export function keptDays(body: SnapshotPolicyBody, cycle: Cycle): number | undefined {
    const condition = body.deletion?.condition;
    if (!body.deletion || !condition) return Number.POSITIVE_INFINITY;
    const byAge = condition.max_age === undefined ? Number.POSITIVE_INFINITY : timeValueDays(condition.max_age);
    if (byAge === undefined) return undefined;
    const byCount = condition.max_count === undefined ? Number.POSITIVE_INFINITY : spanHours(cycle, condition.max_count) / 24;
    const floor = spanHours(cycle, condition.min_count ?? 1) / 24;
    return Math.max(Math.min(byAge, byCount), floor);
}

const bodyOf = (r: PolicyResource) => known(() => r.props.body as SnapshotPolicyBody | undefined);
const restName = (r: PolicyResource) => known(() => r.props.name as string | undefined);

/** The snapshot policies that (may) run on `domain`: linked ones, and unknown-endpoint ones. */
function policiesOf(domain: PolicyResource, resources: PolicyResource[]): { linked: PolicyResource[]; maybe: PolicyResource[] } {
    const all = resources.filter(is(...SearchTypes.snapshotPolicy));
    return {
        linked: all.filter((p) => onDomain(p, domain) === true),
        maybe: all.filter((p) => onDomain(p, domain) === UNKNOWN),
    };
}

const scheduleSchema = {
    properties: {
        maxIntervalHours: { type: "integer" as const, minimum: 1, default: 24 },
        minRetentionDays: { type: "integer" as const, minimum: 1, default: 14 },
    },
};

/** Unknown links, bodies or schedules count in the stack's favour at preview. */
export const searchSnapshotSchedule: StackValidationPolicy = {
    name: "search-snapshot-schedule",
    description:
        "Every OpenSearch domain has an enabled snapshot-management policy that takes a snapshot at least every N hours and keeps snapshots at least N days.",
    enforcementLevel: "mandatory",
    configSchema: scheduleSchema,
    validateStack: (args, report) => {
        const { maxIntervalHours, minRetentionDays } = settingsOf<{ maxIntervalHours: number; minRetentionDays: number }>(scheduleSchema, args.getConfig());
        for (const domain of args.resources.filter(is(...SearchTypes.domain))) {
            const { linked, maybe } = policiesOf(domain, args.resources);
            const required = `this environment requires a snapshot at least every ${plural(maxIntervalHours, "hour")}, kept at least ${plural(minRetentionDays, "day")}`;
            if (linked.length === 0) {
                if (maybe.length === 0) {
                    report(`The OpenSearch domain '${domain.name}' has no snapshot-management policy, so it is only snapshotted by AWS in its own region; ${required}.`, domain.urn);
                }
                continue;
            }
            const verdicts = linked.map((p) => ({ policy: p, problem: scheduleProblem(p, maxIntervalHours, minRetentionDays) }));
            if (verdicts.some((v) => v.problem === undefined) || maybe.length > 0) continue;
            for (const { policy, problem } of verdicts) {
                report(`The snapshot policy '${policy.name}' of OpenSearch domain '${domain.name}' ${problem}; ${required}.`, policy.urn);
            }
        }
    },
};

/** What keeps this policy from meeting the schedule, or undefined when it meets it (or may, being unknown). */
function scheduleProblem(policy: PolicyResource, maxIntervalHours: number, minRetentionDays: number): string | undefined {
    const body = bodyOf(policy);
    if (body === UNKNOWN) return undefined;
    if (body === undefined) return "has no body";
    const enabled = known(() => body.enabled);
    if (enabled === false) return "is disabled";
    const expression = known(() => body.creation?.schedule?.cron?.expression);
    if (expression === UNKNOWN) return undefined;
    if (expression === undefined) return "has no creation schedule";
    const cycle = cronCycle(expression);
    if (cycle === undefined) return `runs on "${expression}", a schedule this guard cannot read`;
    const gap = longestGapHours(cycle);
    if (gap > maxIntervalHours) return `runs on "${expression}", up to ${plural(gap, "hour")} apart`;
    const kept = known(() => keptDays(body, cycle));
    if (kept === UNKNOWN) return undefined;
    if (kept === undefined) return `keeps snapshots for "${body.deletion?.condition?.max_age}", a time this guard cannot read`;
    if (kept < minRetentionDays) return `keeps snapshots ${plural(Math.round(kept * 100) / 100, "day")}`;
    return undefined;
}

/** Unknown links (endpoint, repository, bucket, copy) count in the stack's favour at preview. */
export const searchSnapshotDrCopy: StackValidationPolicy = {
    name: "search-snapshot-dr-copy",
    description:
        "The snapshots of every OpenSearch domain go to a repository registered on it whose S3 bucket is copied to a bucket in another region.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const resources = args.resources;
        const buckets = resources.filter(is(...StorageTypes.bucket));
        const repositories = resources.filter(is(...SearchTypes.repository));
        const copies = copiesBySource(resources);
        for (const domain of resources.filter(is(...SearchTypes.domain))) {
            for (const policy of policiesOf(domain, resources).linked) {
                const label = `The snapshot policy '${policy.name}' of OpenSearch domain '${domain.name}'`;
                const body = bodyOf(policy);
                const repoName = body === UNKNOWN ? UNKNOWN : known(() => body?.snapshot_config?.repository);
                if (repoName === UNKNOWN) continue;
                if (repoName === undefined) {
                    report(`${label} names no repository (snapshot_config.repository), so its snapshots have no copy in another region.`, policy.urn);
                    continue;
                }
                const candidates = repositories.filter((r) => onDomain(r, domain) !== false && [repoName, UNKNOWN].includes(restName(r) as never));
                if (candidates.length === 0) {
                    report(
                        `${label} writes to the repository '${repoName}', which this stack does not register on that domain, so where its snapshots go cannot be verified.`,
                        policy.urn,
                    );
                    continue;
                }
                const verdicts = candidates.map((repo) => repositoryCopyProblem(repo, buckets, copies));
                if (verdicts.some((v) => v === undefined)) continue;
                report(`${label} writes to the repository '${repoName}', whose bucket ${verdicts[0]}.`, candidates[0].urn);
            }
        }
    },
};

/** Why a repository's snapshots have no copy in another region; undefined when they have (or may have). */
function repositoryCopyProblem(repo: PolicyResource, buckets: PolicyResource[], copies: ReturnType<typeof copiesBySource>): string | undefined {
    const bucketName = known(() => (repo.props.body as { settings?: { bucket?: string } } | undefined)?.settings?.bucket);
    if (bucketName === UNKNOWN) return undefined;
    const byDependency = (repo.propertyDependencies.body ?? []).filter((d) => buckets.includes(d));
    const bucket = buckets.find((b) => known(() => b.props.bucket) === bucketName) ?? (byDependency.length === 1 ? byDependency[0] : undefined);
    if (!bucket) {
        return `'${bucketName ?? "?"}' is not declared in this stack, so its copy in another region cannot be verified`;
    }
    const mine = copies.get(bucket) ?? [];
    if (mine.length === 0) {
        if ((copies.get("?") ?? []).length > 0) return undefined; // a copy whose source is unknown may be this bucket's
        return `'${bucketName}' has no copy in another region (S3 replication or a DataSync task); this environment requires one`;
    }
    return mine.some((c) => leavesRegion(bucket, c))
        ? undefined
        : `'${bucketName}' is copied only within its own region ${String(regionOf(bucket))}; the copy must be in another region`;
}

export const searchPolicies = [
    searchDomainDataNodes,
    searchDomainZoneAwareness,
    searchDomainDedicatedMasters,
    searchDomainEncryption,
    searchDomainHttps,
    searchIndexReplicas,
    searchSnapshotSchedule,
    searchSnapshotDrCopy,
];
