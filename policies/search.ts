// Search: an OpenSearch (or Elasticsearch) domain of any program keeps every shard through the loss
// of a node or a zone (data nodes, zone awareness, dedicated masters, a replica per shard in the index
// templates), encrypts data at rest and in transit, is snapshotted often enough for long enough, and
// has a copy of its data in another region.
//
// What a Pulumi user can declare for a domain's snapshots and their copy, and what each rule accepts:
// - Automated snapshots: AWS takes them of every domain, every hour (OpenSearch, Elasticsearch 5.3
//   and later) or once a day at `snapshotOptions.automatedSnapshotStartHour` (Elasticsearch 5.1 and
//   earlier; aws.elasticsearch.Domain defaults to 1.5), and keeps them 14 days, in the domain's own
//   region; no setting changes that (AWS OpenSearch Service developer guide, "Creating index
//   snapshots"; CloudFormation SnapshotOptions: deprecated for 5.3 and later). They meet
//   `search-snapshot-schedule` where the environment asks for no more than 14 days; they are never
//   a copy in another region.
// - Manual snapshots, registered through the REST API: a snapshot repository on an S3 bucket and a
//   snapshot-management (SM) policy writing to it — resources of our dynamic provider
//   (infra/providers/opensearch.ts, `body` as OpenSearch takes it) or of the opensearch provider
//   (opensearch-project/terraform-provider-opensearch, bridged: opensearch.SnapshotRepository with
//   `settings`, opensearch.SmPolicy with `policyName` and a JSON `body`). The policy meets the
//   schedule rule by its cron and deletion condition; its repository's bucket, replicated to another
//   region, is the copy.
// - Cross-cluster replication: an aws.opensearch.OutboundConnection between the domain and a domain in
//   another region (the follower connects to its leader), accepted by `acceptConnection` or an
//   aws.opensearch.InboundConnectionAccepter. What it replicates is started on the follower through
//   its REST API (replication rules), which this guard does not read: the accepted connection counts.
// - AWS Backup does not back up OpenSearch domains (its supported resource types list none), so a
//   Backup plan is no copy here.
//
// Links at preview: an object of our dynamic provider belongs to the domain its `endpoint` was built
// from (property dependency), or whose endpoint host it names once known; an object of the opensearch
// provider belongs to the domain its provider's `url` names. A repository's bucket is found by the
// bucket name, known at preview, or its one dependency on a bucket. A connection's ends are found by
// dependency or by domain name. A link or a value that is unknown at preview counts in the stack's
// favour and is judged again at `pulumi up`.
//
// Exemptions: the rules that ask for replicas, snapshots and copies (data nodes, zone awareness,
// snapshot schedule, DR copy) leave out a domain tagged `continuity-dr = none` with a reason, or named
// in their `exemptions` setting.
import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";
import { ConfiguredExemption, exemptionsSetting, otherRegion, regionOf, resourceExempted, storesInScope } from "./scope";
import { copiesBySource, leavesRegion, StorageTypes } from "./storage";
import { CronDate, CronExpression, CronExpressionParser } from "cron-parser";
import { PolicyReference, resourceType } from "./types";
import { is, known, Maybe, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";

export const SearchTypes = {
    domain: ["aws:opensearch/domain:Domain", "aws:elasticsearch/domain:Domain"],
    repository: ["pulumi-nodejs:dynamic/opensearch:SnapshotRepository"],
    snapshotPolicy: ["pulumi-nodejs:dynamic/opensearch:SnapshotPolicy"],
    indexTemplate: ["pulumi-nodejs:dynamic/opensearch:IndexTemplate"],
    /** The opensearch provider's repository and SM policy (its Pulumi tokens, module `index`). */
    providerRepository: ["opensearch:index/snapshotRepository:SnapshotRepository"],
    providerSnapshotPolicy: ["opensearch:index/smPolicy:SmPolicy"],
    outboundConnection: ["aws:opensearch/outboundConnection:OutboundConnection"],
    connectionAccepter: ["aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter"],
} as const;

const SNAPSHOT_POLICIES: readonly string[] = [...SearchTypes.snapshotPolicy, ...SearchTypes.providerSnapshotPolicy];
const REPOSITORIES: readonly string[] = [...SearchTypes.repository, ...SearchTypes.providerRepository];

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

const dataNodesSchema = settingsSchema({ properties: { minDataNodes: { type: "integer" as const, minimum: 1, default: 3 }, ...exemptionsSetting } });

/** Unknown counts: skipped at preview by the SDK, judged at `pulumi up`. An unknown tag is no exemption. */
export const searchDomainDataNodes: ResourceValidationPolicy = {
    name: "search-domain-data-nodes",
    description: "OpenSearch domains run at least N data nodes, so that a node's loss keeps every shard and its replica.",
    enforcementLevel: "mandatory",
    configSchema: dataNodesSchema,
    validateResource: validateDomain((domain, args, report) => {
        const { minDataNodes, exemptions } = settingsOf<{ minDataNodes: number; exemptions: ConfiguredExemption[] }>(dataNodesSchema, args.getConfig());
        if (resourceExempted(args, report, "search-domain-data-nodes", exemptions)) return;
        // AWS creates one data node when the count is not given.
        const count = domain.clusterConfig?.instanceCount ?? 1;
        if (count < minDataNodes) {
            report(`The OpenSearch domain '${args.name}' has ${plural(count, "data node")}; this environment requires at least ${minDataNodes}.`);
        }
    }),
};

const zonesSchema = settingsSchema({ properties: { minZones: { type: "integer" as const, minimum: 2, maximum: 3, default: 3 }, ...exemptionsSetting } });

export const searchDomainZoneAwareness: ResourceValidationPolicy = {
    name: "search-domain-zone-awareness",
    description: "OpenSearch domains spread their nodes and each shard's replica over at least N availability zones (zone awareness).",
    enforcementLevel: "mandatory",
    configSchema: zonesSchema,
    validateResource: validateDomain((domain, args, report) => {
        const { minZones, exemptions } = settingsOf<{ minZones: number; exemptions: ConfiguredExemption[] }>(zonesSchema, args.getConfig());
        if (resourceExempted(args, report, "search-domain-zone-awareness", exemptions)) return;
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

const mastersSchema = settingsSchema({
    properties: {
        required: { type: "boolean" as const, default: true },
        minCount: { type: "integer" as const, minimum: 3, default: 3 },
    },
});

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

const httpsSchema = settingsSchema({
    properties: {
        tlsPolicies: {
            type: "array" as const,
            items: { type: "string" as const },
            default: ["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"],
        },
    },
});

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
    if (value === null) return undefined; // Number(null) is 0; Number(undefined) is NaN
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
}

const replicasSchema = settingsSchema({ properties: { minReplicas: { type: "integer" as const, minimum: 0, default: 1 } } });

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

const isProviderObject = (r: PolicyResource) => r.type.startsWith("opensearch:");

/** Whether `endpoint` (a host, or a URL with scheme, port and path) is `domain`'s. */
function namesDomain(endpoint: string, domain: PolicyResource): boolean {
    const host = endpoint.replace(/^https?:\/\//, "").split(/[/:]/)[0];
    const own = known(() => domain.props.endpoint as string | undefined);
    if (typeof own === "string" && own.replace(/^https?:\/\//, "") === host) return true;
    const domainName = known(() => domain.props.domainName as string | undefined);
    // AWS names a domain's endpoint search-<name>-<id>.<region>.es.amazonaws.com (vpc- inside a VPC).
    return typeof domainName === "string" && new RegExp(`^(search|vpc)-${domainName}-[a-z0-9]+\\.`).test(host);
}

/**
 * Whether a REST object talks to `domain`: by dependency, by the host of a known endpoint, else
 * unknown. Our dynamic provider's objects carry their `endpoint`; the opensearch provider's objects
 * talk to their provider's `url`.
 */
export function onDomain(object: PolicyResource, domain: PolicyResource): Maybe<boolean> {
    if (isProviderObject(object)) {
        const url = object.provider ? known(() => object.provider!.props.url as string | undefined) : UNKNOWN;
        if (url === UNKNOWN) return object.dependencies.some((d) => d.urn === domain.urn) ? true : UNKNOWN;
        return url !== undefined && namesDomain(url, domain);
    }
    const from = object.propertyDependencies.endpoint ?? [];
    if (from.some((d) => d.urn === domain.urn)) return true;
    if (from.some(is(...SearchTypes.domain))) return false; // built from another domain's endpoint
    const endpoint = known(() => object.props.endpoint as string | undefined);
    if (endpoint === UNKNOWN) return object.dependencies.some((d) => d.urn === domain.urn) ? true : UNKNOWN;
    if (endpoint === undefined) return false;
    return namesDomain(endpoint, domain);
}

/**
 * When an SM policy's schedule runs, over the eight years from 2024 to 2031 (leap years, every weekday
 * of every month, two daylight-saving changes a year): the first run of each day it runs on, as
 * instants (ms), and the wall-clock offsets (ms) of that day's runs from its first, ascending.
 */
export interface Runs {
    days: number[];
    offsets: number[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const [FROM, TO] = [Date.UTC(2024, 0, 1), Date.UTC(2032, 0, 1)];
/** OpenSearch's names of months and days of the week (OpenSearch docs, "Cron expressions"). */
const CRON_NAMES = new Set(["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC", "SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]);
const runDays = new Map<string, number[] | undefined>();

/**
 * The runs of an OpenSearch cron expression in a time zone; undefined if unreadable, or if it runs on
 * fewer than two days of the eight years. OpenSearch takes standard UNIX cron, five fields (minute,
 * hour, day of month, month, day of week) of numbers, `*`, `,`, `-`, `/` and three-letter names of
 * months and days; where day of month and day of week are both restricted, a day matching either
 * runs (OpenSearch docs, "Cron expressions"; SM API: `creation.schedule.cron.expression` and
 * `timezone`). cron-parser reads that dialect and more (a sixth field of seconds, `?`, `L`, `#`, `H`),
 * so what OpenSearch does not take is refused first. The library finds each day's first run, with
 * the time zone's daylight saving; the rest of that day's runs follow at the hours and minutes it
 * parsed, at their wall-clock spacing.
 */
export function cronRuns(expression: string, timezone = "UTC"): Runs | undefined {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== 5 || fields.some((f) => !/^[0-9A-Za-z*,/-]+$/.test(f)) || /[a-z]/i.test(fields.slice(0, 3).join(""))) return undefined;
    if ([...fields[3].matchAll(/[a-z]+/gi), ...fields[4].matchAll(/[a-z]+/gi)].some((m) => !CRON_NAMES.has(m[0].toUpperCase()))) return undefined;
    let parsed: CronExpression;
    try {
        parsed = CronExpressionParser.parse(fields.join(" "), { tz: timezone });
    } catch {
        return undefined; // refused by the library
    }
    const times = parsed.fields.hour.values.flatMap((h) => parsed.fields.minute.values.map((m) => Number(h) * 60 + Number(m))).sort((a, b) => a - b);
    const offsets = times.map((t) => (t - times[0]) * MINUTE);
    // Laying the days out takes the library a step per day of the eight years: once per schedule.
    const key = `${fields.join(" ")}\n${timezone}`;
    if (!runDays.has(key)) runDays.set(key, firstRunOfEachDay(parsed, timezone));
    const days = runDays.get(key);
    return days === undefined ? undefined : { days, offsets };
}

/** The first run of each day the schedule runs on, as instants (ms); undefined when fewer than two. */
function firstRunOfEachDay(parsed: CronExpression, timezone: string): number[] | undefined {
    try {
        // The window starts at the zone's first midnight from FROM on, so every day counted is whole.
        const start = new CronDate(new Date(FROM - 1), timezone);
        start.addDay();
        const days: number[] = [];
        for (let from = start; ; ) {
            parsed.reset(new Date(from.getTime() - 1000));
            const run = parsed.next();
            if (run.getTime() >= TO) break;
            days.push(run.getTime());
            from = new CronDate(run, timezone);
            from.addDay();
        }
        return days.length < 2 ? undefined : days;
    } catch {
        return undefined; // an unknown time zone, or a schedule that never runs
    }
}

/** The longest time, in hours, between two runs. */
export function longestGapHours({ days, offsets }: Runs): number {
    const last = offsets[offsets.length - 1];
    const within = Math.max(0, ...offsets.slice(1).map((o, i) => o - offsets[i]));
    const between = Math.max(...days.slice(1).map((d, i) => d - (days[i] + last)));
    return Math.max(within, between) / HOUR;
}

/**
 * The shortest time, in hours, from a run to the `n`th run after it: how long a snapshot lives when
 * `n` newer ones make it go. A schedule that bunches its runs keeps them for less than `n` times its
 * longest gap. Infinity when no run has `n` runs after it within the eight years.
 */
export function spanHours({ days, offsets }: Runs, n: number): number {
    const k = offsets.length;
    // From the j-th run of a day, the n-th run after it is on the q-th run day after, q = ⌊(j + n) / k⌋:
    // one of two values of q, each at the closest pair of run days q apart.
    const closest = new Map<number, number>();
    const dayGap = (q: number) => {
        if (!closest.has(q)) closest.set(q, Math.min(...days.slice(q).map((d, i) => d - days[i])));
        return closest.get(q)!;
    };
    let shortest = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++) shortest = Math.min(shortest, dayGap(Math.floor((j + n) / k)) + offsets[(j + n) % k] - offsets[j]);
    return shortest / HOUR;
}

/** The longest gap, in hours, between two runs of an OpenSearch cron expression; undefined if unreadable. */
export function cronGapHours(expression: string, timezone?: string): number | undefined {
    const runs = cronRuns(expression, timezone);
    return runs === undefined ? undefined : longestGapHours(runs);
}

/** An OpenSearch time value in days ("14d", "336h"); undefined if unreadable. */
export function timeValueDays(value: string): number | undefined {
    const m = /^(\d+)(d|h|m|s)$/.exec(value.trim());
    if (!m) return undefined;
    return Number(m[1]) / { d: 1, h: 24, m: 1440, s: 86400 }[m[2] as "d" | "h" | "m" | "s"];
}

interface SnapshotPolicyBody {
    enabled?: boolean;
    creation?: { schedule?: { cron?: { expression?: string; timezone?: string } } };
    deletion?: { condition?: { max_age?: string; max_count?: number; min_count?: number } };
    snapshot_config?: { repository?: string };
}

/**
 * How long a snapshot policy keeps every snapshot at least, in days: deletion removes what is older
 * than max_age or beyond max_count, but always keeps min_count; a count lasts as long as the runs
 * that replace it, at their most frequent. Infinity without deletion; undefined if unreadable.
 */
export function keptDays(body: SnapshotPolicyBody, runs: Runs): number | undefined {
    const condition = body.deletion?.condition;
    if (!body.deletion || !condition) return Number.POSITIVE_INFINITY;
    const byAge = condition.max_age === undefined ? Number.POSITIVE_INFINITY : timeValueDays(condition.max_age);
    if (byAge === undefined) return undefined;
    const byCount = condition.max_count === undefined ? Number.POSITIVE_INFINITY : spanHours(runs, condition.max_count) / 24;
    const floor = spanHours(runs, condition.min_count ?? 1) / 24;
    return Math.max(Math.min(byAge, byCount), floor);
}

/** A policy body that is not a JSON object (the opensearch provider takes it as a JSON string). */
const UNREADABLE = "unreadable" as const;

/** The body of a snapshot-management policy, as an object: ours is one, the opensearch provider's a JSON string. */
function bodyOf(r: PolicyResource): Maybe<SnapshotPolicyBody | undefined | typeof UNREADABLE> {
    const body = known(() => r.props.body as unknown);
    if (typeof body !== "string") return (body ?? undefined) as Maybe<SnapshotPolicyBody | undefined>;
    try {
        const parsed = JSON.parse(body) as unknown;
        return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as SnapshotPolicyBody) : UNREADABLE;
    } catch {
        return UNREADABLE;
    }
}

/** The name a REST object has inside OpenSearch (the opensearch provider's SM policy calls it policyName). */
const restName = (r: PolicyResource) =>
    known(() => (SearchTypes.providerSnapshotPolicy.includes(r.type as never) ? r.props.policyName : r.props.name) as string | undefined);

/** The snapshot policies that (may) run on `domain`: linked ones, and unknown-endpoint ones. */
function policiesOf(domain: PolicyResource, resources: PolicyResource[]): { linked: PolicyResource[]; maybe: PolicyResource[] } {
    const all = resources.filter(is(...SNAPSHOT_POLICIES));
    return {
        linked: all.filter((p) => onDomain(p, domain) === true),
        maybe: all.filter((p) => onDomain(p, domain) === UNKNOWN),
    };
}

/** Days AWS keeps automated snapshots, whatever the domain says (developer guide, "Creating index snapshots"). */
export const AUTOMATED_SNAPSHOT_DAYS = 14;

/**
 * How often AWS takes automated snapshots of a domain, in hours: every hour for OpenSearch and
 * Elasticsearch 5.3 and later, once a day for Elasticsearch 5.1 and earlier. aws.opensearch.Domain
 * defaults to the latest OpenSearch, aws.elasticsearch.Domain to Elasticsearch 1.5. An unknown or
 * unreadable version counts as hourly (in the stack's favour).
 */
export function automatedSnapshotHours(domain: PolicyResource): 1 | 24 {
    const version =
        domain.type === SearchTypes.domain[1]
            ? known(() => (domain.props.elasticsearchVersion as string | undefined) ?? "1.5")
            : known(() => (domain.props.engineVersion as string | undefined) ?? "OpenSearch");
    if (version === UNKNOWN || /^OpenSearch/i.test(version)) return 1;
    const m = /^(?:Elasticsearch_)?(\d+)\.(\d+)/.exec(version);
    if (!m) return 1;
    const [major, minor] = [Number(m[1]), Number(m[2])];
    return major > 5 || (major === 5 && minor >= 3) ? 1 : 24;
}

const scheduleSchema = settingsSchema({
    properties: {
        maxIntervalHours: { type: "integer" as const, minimum: 1, default: 24 },
        minRetentionDays: { type: "integer" as const, minimum: 1, default: 14 },
        ...exemptionsSetting,
    },
});

const DECLARE_SM_POLICY =
    "an opensearch.SmPolicy of the opensearch provider, or a policy sent to _plugins/_sm/policies through a dynamic provider";

/**
 * Unknown links, bodies or schedules count in the stack's favour at preview. A domain with no policy
 * of its own is held to its automated snapshots: hourly (or daily), kept 14 days.
 */
export const searchSnapshotSchedule: StackValidationPolicy = {
    name: "search-snapshot-schedule",
    description:
        "Every OpenSearch domain is snapshotted at least every N hours, each snapshot kept at least N days: by the snapshot-management policies declared on it, or, where it has none, by AWS's automated snapshots (hourly, kept 14 days).",
    enforcementLevel: "mandatory",
    configSchema: scheduleSchema,
    validateStack: (args, report) => {
        const { maxIntervalHours, minRetentionDays, exemptions } = settingsOf<{ maxIntervalHours: number; minRetentionDays: number; exemptions: ConfiguredExemption[] }>(
            scheduleSchema,
            args.getConfig(),
        );
        for (const domain of storesInScope(args, report, "search-snapshot-schedule", ["searchDomain"], exemptions)) {
            const { linked, maybe } = policiesOf(domain, args.resources);
            const required = `this environment requires a snapshot at least every ${plural(maxIntervalHours, "hour")}, kept at least ${plural(minRetentionDays, "day")}`;
            if (linked.length === 0) {
                if (maybe.length > 0) continue;
                const every = automatedSnapshotHours(domain);
                if (every <= maxIntervalHours && AUTOMATED_SNAPSHOT_DAYS >= minRetentionDays) continue;
                report(
                    `The OpenSearch domain '${domain.name}' has no snapshot-management policy, and AWS takes its automated snapshots ${every === 1 ? "every hour" : "once a day"} and keeps them ${AUTOMATED_SNAPSHOT_DAYS} days, which no setting changes; ${required}. Declare a snapshot-management policy on the domain that does (${DECLARE_SM_POLICY}).`,
                    domain.urn,
                );
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
    if (body === UNREADABLE) return "has a body that is not a JSON object";
    const enabled = known(() => body.enabled);
    if (enabled === false) return "is disabled";
    const expression = known(() => body.creation?.schedule?.cron?.expression);
    if (expression === UNKNOWN) return undefined;
    if (expression === undefined) return "has no creation schedule";
    const timezone = known(() => body.creation?.schedule?.cron?.timezone);
    if (timezone === UNKNOWN) return undefined;
    const schedule = timezone === undefined || timezone === "UTC" ? `"${expression}"` : `"${expression}" in time zone "${timezone}"`;
    const runs = cronRuns(expression, timezone);
    if (runs === undefined) return `runs on ${schedule}, a schedule this guard cannot read`;
    const gap = longestGapHours(runs);
    if (gap > maxIntervalHours) return `runs on ${schedule}, up to ${plural(gap, "hour")} apart`;
    const kept = known(() => keptDays(body, runs));
    if (kept === UNKNOWN) return undefined;
    if (kept === undefined) return `keeps snapshots for "${body.deletion?.condition?.max_age}", a time this guard cannot read`;
    if (kept < minRetentionDays) return `keeps snapshots ${plural(Math.round(kept * 100) / 100, "day")}`;
    return undefined;
}

// --- cross-cluster replication -------------------------------------------------------------------

type End = "localDomainInfo" | "remoteDomainInfo";

/** Whether one end of an outbound connection is `domain`: by dependency, or by its name (and region, when known). */
function isEnd(connection: PolicyResource, end: End, domain: PolicyResource): Maybe<boolean> {
    const from = connection.propertyDependencies[end] ?? [];
    if (from.some((d) => d.urn === domain.urn)) return true;
    const name = known(() => (connection.props[end] as { domainName?: string } | undefined)?.domainName);
    if (name === UNKNOWN) return from.some(is(...SearchTypes.domain)) ? false : UNKNOWN;
    const own = known(() => domain.props.domainName as string | undefined);
    if (own === UNKNOWN) return UNKNOWN;
    if (name === undefined || name !== own) return false;
    const [region, home] = [known(() => (connection.props[end] as { region?: string } | undefined)?.region), regionOf(domain)];
    return !(typeof region === "string" && typeof home === "string" && region !== home);
}

/** Whether a connection is accepted: by itself, or by an accepter of the stack built from it (unknown ones may be). */
function accepted(connection: PolicyResource, accepters: PolicyResource[]): Maybe<boolean> {
    const flag = known(() => connection.props.acceptConnection as boolean | undefined);
    if (flag === true) return true;
    let maybe = flag === UNKNOWN;
    for (const accepter of accepters) {
        if ((accepter.propertyDependencies.connectionId ?? []).some((d) => d.urn === connection.urn) || accepter.dependencies.some((d) => d.urn === connection.urn)) return true;
        const id = known(() => accepter.props.connectionId as string | undefined);
        if (id === UNKNOWN && !(accepter.propertyDependencies.connectionId ?? []).some(is(...SearchTypes.outboundConnection))) maybe = true;
        else if (typeof id === "string" && id === known(() => connection.props.id as string | undefined)) return true;
    }
    return maybe ? UNKNOWN : false;
}

/**
 * Whether cross-cluster replication can copy the domain to another region: an accepted outbound
 * connection between it and a domain in another region (either end: the follower connects to its
 * leader). Unknown ends, regions or acceptance count in the stack's favour; otherwise what was found.
 */
export function crossRegionConnection(domain: PolicyResource, resources: PolicyResource[]): { connected: true } | { connected: false; found: string[] } {
    const accepters = resources.filter(is(...SearchTypes.connectionAccepter));
    const home = regionOf(domain);
    const found: string[] = [];
    for (const connection of resources.filter(is(...SearchTypes.outboundConnection))) {
        const ends: [End, End][] = [
            ["localDomainInfo", "remoteDomainInfo"],
            ["remoteDomainInfo", "localDomainInfo"],
        ];
        for (const [mine, other] of ends) {
            if (isEnd(connection, mine, domain) === false) continue;
            const region = known(() => (connection.props[other] as { region?: string } | undefined)?.region);
            if (!otherRegion(region, home)) {
                found.push(`its cross-cluster connection '${connection.name}' links it to a domain in its own region ${String(home)}`);
                continue;
            }
            const acceptance = accepted(connection, accepters);
            if (acceptance !== false) return { connected: true };
            found.push(`its cross-cluster connection '${connection.name}' is not accepted in this stack (acceptConnection, or an aws.opensearch.InboundConnectionAccepter)`);
        }
    }
    return { connected: false, found: [...new Set(found)] };
}

// --- the copy in another region ------------------------------------------------------------------

const drCopySchema = settingsSchema({ properties: { ...exemptionsSetting } });

/** Unknown links (endpoint, url, repository, bucket, copy, connection end, region, acceptance) count in the stack's favour at preview. */
export const searchSnapshotDrCopy: StackValidationPolicy = {
    name: "search-snapshot-dr-copy",
    description:
        "Every OpenSearch domain has a copy in another region: its snapshot-management policies write to a repository whose S3 bucket is copied to another region, or an accepted cross-cluster connection links it to a domain in another region.",
    enforcementLevel: "mandatory",
    configSchema: drCopySchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(drCopySchema, args.getConfig());
        const resources = args.resources;
        const buckets = resources.filter(is(...StorageTypes.bucket));
        const repositories = resources.filter(is(...REPOSITORIES));
        const copies = copiesBySource(resources);
        for (const domain of storesInScope(args, report, "search-snapshot-dr-copy", ["searchDomain"], exemptions)) {
            const replication = crossRegionConnection(domain, resources);
            if (replication.connected) continue;
            const { linked, maybe } = policiesOf(domain, resources);
            if (linked.length === 0) {
                if (maybe.length === 0) report(noCopy(domain, replication.found), domain.urn);
                continue;
            }
            for (const policy of linked) {
                const label = `The snapshot policy '${policy.name}' of OpenSearch domain '${domain.name}'`;
                const body = bodyOf(policy);
                const repoName = body === UNKNOWN ? UNKNOWN : body === UNREADABLE ? undefined : known(() => body?.snapshot_config?.repository);
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

/** The message for a domain with no mechanism that copies it: what was found, and what can be declared. */
function noCopy(domain: PolicyResource, found: string[]): string {
    const home = regionOf(domain);
    const where = typeof home === "string" ? home : "its own region";
    const connections = found.length > 0 ? found.join("; ") : "no accepted cross-cluster connection links it to a domain in another region";
    return (
        `The OpenSearch domain '${domain.name}' has no copy in another region: no snapshot-management policy of the stack runs on it, ${connections}, ` +
        `its automated snapshots stay in ${where}, and AWS Backup does not back up OpenSearch domains. Declare either a snapshot-management policy ` +
        `(${DECLARE_SM_POLICY}) writing to a snapshot repository (opensearch.SnapshotRepository, or _snapshot through a dynamic provider) whose S3 bucket is replicated to another region, ` +
        `or an aws.opensearch.OutboundConnection between it and a domain in another region, accepted by acceptConnection or an aws.opensearch.InboundConnectionAccepter, ` +
        `with replication started on the follower through its REST API.`
    );
}

/** Why a repository's snapshots have no copy in another region; undefined when they have (or may have). */
function repositoryCopyProblem(repo: PolicyResource, buckets: PolicyResource[], copies: ReturnType<typeof copiesBySource>): string | undefined {
    // Ours take the body OpenSearch takes; the opensearch provider's take its `settings` map.
    const property = isProviderObject(repo) ? "settings" : "body";
    const bucketName = known(() =>
        isProviderObject(repo)
            ? (repo.props.settings as { bucket?: string } | undefined)?.bucket
            : (repo.props.body as { settings?: { bucket?: string } } | undefined)?.settings?.bucket,
    );
    if (bucketName === UNKNOWN) return undefined;
    const byDependency = (repo.propertyDependencies[property] ?? []).filter((d) => buckets.includes(d));
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

/** What one snapshot-management policy of a domain does, as far as preview can tell (for the resilience model). */
export interface DomainSnapshots {
    readonly policy: PolicyResource;
    /** Longest gap between snapshots, in hours; UNKNOWN at preview; undefined: disabled, unscheduled or unreadable. */
    readonly everyHours: Maybe<number | undefined>;
    /** Days each snapshot is kept at least; UNKNOWN at preview; undefined when unreadable. */
    readonly keptDays: Maybe<number | undefined>;
    /** The repository's S3 bucket in the stack; UNKNOWN when preview cannot tell; undefined: none of the stack's. */
    readonly bucket: Maybe<PolicyResource | undefined>;
}

/** The snapshot-management policies that surely run on `domain`, with their schedule, retention and bucket. */
export function domainSnapshots(domain: PolicyResource, resources: PolicyResource[]): DomainSnapshots[] {
    const buckets = resources.filter(is(...StorageTypes.bucket));
    const repositories = resources.filter(is(...REPOSITORIES));
    return policiesOf(domain, resources).linked.map((policy): DomainSnapshots => {
        const body = bodyOf(policy);
        if (body === UNKNOWN) return { policy, everyHours: UNKNOWN, keptDays: UNKNOWN, bucket: UNKNOWN };
        if (body === undefined || body === UNREADABLE || known(() => body.enabled) === false) {
            return { policy, everyHours: undefined, keptDays: undefined, bucket: undefined };
        }
        const expression = known(() => body.creation?.schedule?.cron?.expression);
        const timezone = known(() => body.creation?.schedule?.cron?.timezone);
        const runs = expression === UNKNOWN || timezone === UNKNOWN ? UNKNOWN : expression === undefined ? undefined : cronRuns(expression, timezone);
        const everyHours = runs === UNKNOWN ? UNKNOWN : runs === undefined ? undefined : longestGapHours(runs);
        const kept = runs === UNKNOWN || runs === undefined ? runs : known(() => keptDays(body, runs));
        const repoName = known(() => body.snapshot_config?.repository);
        let bucket: Maybe<PolicyResource | undefined> = undefined;
        if (repoName === UNKNOWN) bucket = UNKNOWN;
        else if (repoName !== undefined) {
            const repo = repositories.find((r) => onDomain(r, domain) !== false && [repoName, UNKNOWN].includes(restName(r) as never));
            if (repo) {
                const property = isProviderObject(repo) ? "settings" : "body";
                const name = known(() =>
                    isProviderObject(repo)
                        ? (repo.props.settings as { bucket?: string } | undefined)?.bucket
                        : (repo.props.body as { settings?: { bucket?: string } } | undefined)?.settings?.bucket,
                );
                const byDependency = (repo.propertyDependencies[property] ?? []).filter((d) => buckets.includes(d));
                bucket = buckets.find((b) => name !== UNKNOWN && known(() => b.props.bucket) === name) ?? (byDependency.length === 1 ? byDependency[0] : name === UNKNOWN ? UNKNOWN : undefined);
            }
        }
        return { policy, everyHours, keptDays: kept, bucket };
    });
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

const SKIPPED = "skipped by the SDK with an advisory note; judged at `pulumi up`";
const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";
const EXEMPT = "an unknown tag is no exemption";

export const searchReference: Record<string, PolicyReference> = {
    "search-domain-data-nodes": {
        resources: SearchTypes.domain,
        unknown: `${SKIPPED}; ${EXEMPT}`,
        protectsData: true,
        anchors: "AWS Config opensearch-data-node-fault-tolerance",
    },
    "search-domain-zone-awareness": {
        resources: SearchTypes.domain,
        unknown: `${SKIPPED}; ${EXEMPT}`,
        protectsData: true,
        anchors: "AWS Config opensearch-data-node-fault-tolerance; beyond: the number of zones",
    },
    "search-domain-dedicated-masters": {
        resources: SearchTypes.domain,
        unknown: SKIPPED,
        protectsData: false,
        anchors: "AWS Config opensearch-primary-node-fault-tolerance; Checkov CKV_AWS_318",
    },
    "search-domain-encryption": {
        resources: SearchTypes.domain,
        unknown: SKIPPED,
        protectsData: true,
        anchors:
            "AWS Config opensearch-encrypted-at-rest, opensearch-node-to-node-encryption-check, elasticsearch-encrypted-at-rest, elasticsearch-node-to-node-encryption-check; Checkov CKV_AWS_5, CKV_AWS_6",
    },
    "search-domain-https": {
        resources: SearchTypes.domain,
        unknown: SKIPPED,
        protectsData: false,
        anchors: "AWS Config opensearch-https-required; Checkov CKV_AWS_83, CKV_AWS_228",
    },
    "search-index-replicas": { resources: SearchTypes.indexTemplate, unknown: SKIPPED, protectsData: true, anchors: "none: the anchors do not read index settings" },
    "search-snapshot-schedule": {
        resources: [...SearchTypes.domain, ...SNAPSHOT_POLICIES],
        unknown: `a policy whose endpoint, provider url, body or schedule is unknown, or a domain whose engine version is unknown (counted as hourly automated snapshots), ${FAVOUR}; ${EXEMPT}`,
        protectsData: true,
        anchors: "none: the anchors do not read snapshot-management policies or the automated snapshots' retention",
    },
    "search-snapshot-dr-copy": {
        resources: [
            ...SearchTypes.domain,
            ...SNAPSHOT_POLICIES,
            ...REPOSITORIES,
            ...SearchTypes.outboundConnection,
            ...SearchTypes.connectionAccepter,
            ...StorageTypes.bucket,
            ...StorageTypes.replication,
            ...StorageTypes.task,
        ],
        unknown: `an unknown endpoint, provider url, repository name, bucket, copy source, connection end, region or acceptance ${FAVOUR}; ${EXEMPT}`,
        protectsData: true,
        anchors: "none: the anchors do not follow snapshots or replication to another region",
    },
};
