// Readers of an OpenSearch domain's resources, for the search policies (../search.ts) and the resilience
// model: the REST objects that talk to a domain (our dynamic provider's and the opensearch provider's),
// their bodies and repositories, the automated snapshots AWS takes, the replicas an index template
// asks for, and the cross-cluster connections that link a domain to another region. A link unknown at
// preview is UNKNOWN here; each policy says what it means.
import { PolicyResource } from "@pulumi/policy";
import { otherRegion, regionOf } from "../scope";
import { StorageTypes } from "../storage";
import { is, known, Maybe, UNKNOWN } from "../util";
import { bodyOf, cronRuns, keptDays, longestGapHours, UNREADABLE } from "./schedule";

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

export const SNAPSHOT_POLICIES: readonly string[] = [...SearchTypes.snapshotPolicy, ...SearchTypes.providerSnapshotPolicy];
export const REPOSITORIES: readonly string[] = [...SearchTypes.repository, ...SearchTypes.providerRepository];

/** number_of_replicas as OpenSearch reads it: flat, nested under `index`, or dotted. */
export function replicasOf(settings: Record<string, unknown> | undefined): number | undefined {
    if (!settings) return undefined;
    const index = settings.index as Record<string, unknown> | undefined;
    const value = settings.number_of_replicas ?? index?.number_of_replicas ?? settings["index.number_of_replicas"];
    if (value === null) return undefined; // Number(null) is 0; Number(undefined) is NaN
    const n = Number(value);
    return Number.isFinite(n) ? n : undefined;
}

export const isProviderObject = (r: PolicyResource) => r.type.startsWith("opensearch:");

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

/** The name a REST object has inside OpenSearch (the opensearch provider's SM policy calls it policyName). */
export const restName = (r: PolicyResource) =>
    known(() => (SearchTypes.providerSnapshotPolicy.includes(r.type as never) ? r.props.policyName : r.props.name) as string | undefined);

/** The snapshot policies that (may) run on `domain`: linked ones, and unknown-endpoint ones. */
export function policiesOf(domain: PolicyResource, resources: PolicyResource[]): { linked: PolicyResource[]; maybe: PolicyResource[] } {
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

/**
 * The S3 bucket of the stack a snapshot repository writes to: by the bucket name in its settings (ours
 * take the body OpenSearch takes, the opensearch provider's its `settings` map), else by its one
 * dependency on a bucket. `name` UNKNOWN: preview cannot tell; `bucket` UNKNOWN likewise, when no
 * dependency tells either; undefined: none of the stack's.
 */
export function repositoryBucket(
    repo: PolicyResource,
    buckets: PolicyResource[],
): { name: Maybe<string | undefined>; bucket: Maybe<PolicyResource | undefined> } {
    const property = isProviderObject(repo) ? "settings" : "body";
    const name = known(() =>
        isProviderObject(repo)
            ? (repo.props.settings as { bucket?: string } | undefined)?.bucket
            : (repo.props.body as { settings?: { bucket?: string } } | undefined)?.settings?.bucket,
    );
    const byDependency = (repo.propertyDependencies[property] ?? []).filter((d) => buckets.includes(d));
    const bucket =
        buckets.find((b) => name !== UNKNOWN && known(() => b.props.bucket) === name) ??
        (byDependency.length === 1 ? byDependency[0] : name === UNKNOWN ? UNKNOWN : undefined);
    return { name, bucket };
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
        if (
            (accepter.propertyDependencies.connectionId ?? []).some((d) => d.urn === connection.urn) ||
            accepter.dependencies.some((d) => d.urn === connection.urn)
        )
            return true;
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
export function crossRegionConnection(
    domain: PolicyResource,
    resources: PolicyResource[],
): { connected: true } | { connected: false; found: string[] } {
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
            found.push(
                `its cross-cluster connection '${connection.name}' is not accepted in this stack (acceptConnection, or an aws.opensearch.InboundConnectionAccepter)`,
            );
        }
    }
    return { connected: false, found: [...new Set(found)] };
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
        const runs =
            expression === UNKNOWN || timezone === UNKNOWN
                ? UNKNOWN
                : expression === undefined
                  ? undefined
                  : cronRuns(expression, timezone);
        const everyHours = runs === UNKNOWN ? UNKNOWN : runs === undefined ? undefined : longestGapHours(runs);
        const kept = runs === UNKNOWN || runs === undefined ? runs : known(() => keptDays(body, runs));
        const repoName = known(() => body.snapshot_config?.repository);
        let bucket: Maybe<PolicyResource | undefined> = undefined;
        if (repoName === UNKNOWN) bucket = UNKNOWN;
        else if (repoName !== undefined) {
            const repo = repositories.find((r) => onDomain(r, domain) !== false && [repoName, UNKNOWN].includes(restName(r) as never));
            if (repo) bucket = repositoryBucket(repo, buckets).bucket;
        }
        return { policy, everyHours, keptDays: kept, bucket };
    });
}
