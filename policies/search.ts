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
//
// The readers of these resources (which REST objects, repositories and connections belong to a domain)
// are in ./search/readers.ts, what an SM policy's body says (schedule, retention) in ./search/schedule.ts.
import {
    PolicyResource,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";
import { ConfiguredExemption, exemptionsSetting, regionOf, resourceExempted, storesInScope } from "./scope";
import { copiesBySource, leavesRegion, StorageTypes } from "./storage";
import { PolicyReference, resourceType } from "./types";
import { is, known, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";
import {
    crossRegionConnection,
    automatedSnapshotHours,
    AUTOMATED_SNAPSHOT_DAYS,
    onDomain,
    policiesOf,
    replicasOf,
    REPOSITORIES,
    repositoryBucket,
    restName,
    SearchTypes,
    SNAPSHOT_POLICIES,
} from "./search/readers";
import { bodyOf, scheduleProblem, UNREADABLE } from "./search/schedule";

// Other modules read these from here.
export {
    AUTOMATED_SNAPSHOT_DAYS,
    automatedSnapshotHours,
    crossRegionConnection,
    type DomainSnapshots,
    domainSnapshots,
    onDomain,
    replicasOf,
    SearchTypes,
} from "./search/readers";
export { cronGapHours, cronRuns, keptDays, longestGapHours, type Runs, spanHours, timeValueDays } from "./search/schedule";

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

const dataNodesSchema = settingsSchema({
    properties: { minDataNodes: { type: "integer" as const, minimum: 1, default: 3 }, ...exemptionsSetting },
});

/** Unknown counts: skipped at preview by the SDK, judged at `pulumi up`. An unknown tag is no exemption. */
export const searchDomainDataNodes: ResourceValidationPolicy = {
    name: "search-domain-data-nodes",
    description: "OpenSearch domains run at least N data nodes, so that a node's loss keeps every shard and its replica.",
    enforcementLevel: "mandatory",
    configSchema: dataNodesSchema,
    validateResource: validateDomain((domain, args, report) => {
        const { minDataNodes, exemptions } = settingsOf<{ minDataNodes: number; exemptions: ConfiguredExemption[] }>(
            dataNodesSchema,
            args.getConfig(),
        );
        if (resourceExempted(args, report, "search-domain-data-nodes", exemptions)) return;
        // AWS creates one data node when the count is not given.
        const count = domain.clusterConfig?.instanceCount ?? 1;
        if (count < minDataNodes) {
            report(
                `The OpenSearch domain '${args.name}' has ${plural(count, "data node")}; this environment requires at least ${minDataNodes}.`,
            );
        }
    }),
};

const zonesSchema = settingsSchema({
    properties: { minZones: { type: "integer" as const, minimum: 2, maximum: 3, default: 3 }, ...exemptionsSetting },
});

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
            report(
                `The OpenSearch domain '${args.name}' spreads its nodes over ${plural(zones, "availability zone")}; this environment requires at least ${minZones}.`,
            );
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
            report(
                `The OpenSearch domain '${args.name}' has no dedicated master nodes; this environment requires at least ${minCount}, so that a busy data node cannot stall the cluster.`,
            );
            return;
        }
        const count = domain.clusterConfig.dedicatedMasterCount ?? 3;
        if (count < minCount) {
            report(
                `The OpenSearch domain '${args.name}' has ${plural(count, "dedicated master node")}; this environment requires at least ${minCount}.`,
            );
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
            report(
                `The OpenSearch domain '${args.name}' does not encrypt traffic between its nodes (nodeToNodeEncryption.enabled is not true).`,
            );
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
        const { maxIntervalHours, minRetentionDays, exemptions } = settingsOf<{
            maxIntervalHours: number;
            minRetentionDays: number;
            exemptions: ConfiguredExemption[];
        }>(scheduleSchema, args.getConfig());
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
                const repoName =
                    body === UNKNOWN ? UNKNOWN : body === UNREADABLE ? undefined : known(() => body?.snapshot_config?.repository);
                if (repoName === UNKNOWN) continue;
                if (repoName === undefined) {
                    report(
                        `${label} names no repository (snapshot_config.repository), so its snapshots have no copy in another region.`,
                        policy.urn,
                    );
                    continue;
                }
                const candidates = repositories.filter(
                    (r) => onDomain(r, domain) !== false && [repoName, UNKNOWN].includes(restName(r) as never),
                );
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
function repositoryCopyProblem(
    repo: PolicyResource,
    buckets: PolicyResource[],
    copies: ReturnType<typeof copiesBySource>,
): string | undefined {
    const { name: bucketName, bucket } = repositoryBucket(repo, buckets);
    // A name unknown at preview may be a copied bucket's; with the name known, `bucket` is not UNKNOWN.
    if (bucketName === UNKNOWN || bucket === UNKNOWN) return undefined;
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
    "search-index-replicas": {
        resources: SearchTypes.indexTemplate,
        unknown: SKIPPED,
        protectsData: true,
        anchors: "none: the anchors do not read index settings",
    },
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
