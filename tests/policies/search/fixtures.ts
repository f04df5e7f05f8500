import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { domainSnapshots } from "../../../policies/search";
import { checkStack, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { UNKNOWN as UNKNOWN_AT_PREVIEW } from "../../../policies/util";

export type Props = Record<string, unknown>;
export const DYNAMIC = "pulumi-nodejs:dynamic/opensearch";

export const domain = (props: Props = {}): TestResource => ({
    type: "aws:opensearch/domain:Domain",
    name: "search",
    props: {
        domainName: "search",
        region: "us-west-2",
        clusterConfig: {
            instanceCount: 3,
            zoneAwarenessEnabled: true,
            zoneAwarenessConfig: { availabilityZoneCount: 3 },
            dedicatedMasterEnabled: true,
            dedicatedMasterCount: 3,
        },
        encryptAtRest: { enabled: true },
        nodeToNodeEncryption: { enabled: true },
        domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: "Policy-Min-TLS-1-2-PFS-2023-10" },
        ...props,
    },
});
export const withCluster = (cluster: Props) => domain({ clusterConfig: { ...(domain().props.clusterConfig as Props), ...cluster } });

/** A REST object on the domain, linked as a program links it: its endpoint is built from the domain's. */
export const rest = (
    kind: string,
    name: string,
    restName: string,
    body: unknown,
    on: TestResource | undefined = domain(),
): TestResource => ({
    type: `${DYNAMIC}:${kind}`,
    name,
    props: { endpoint: UNKNOWN, region: "us-west-2", kind, name: restName, body },
    propertyDependencies: on ? { endpoint: [urnOf(on)] } : {},
});

export const policyBody = (props: Props = {}) => ({
    enabled: true,
    creation: { schedule: { cron: { expression: "0 2 * * *", timezone: "UTC" } } },
    deletion: { schedule: { cron: { expression: "0 3 * * *", timezone: "UTC" } }, condition: { max_age: "14d", min_count: 14 } },
    snapshot_config: { repository: "snapshots", indices: "*" },
    ...props,
});
export const smPolicy = (props: Props = {}) => rest("SnapshotPolicy", "daily", "search-daily", policyBody(props));
export const repository = (bucket = "search-snapshots") =>
    rest("SnapshotRepository", "repo", "snapshots", { type: "s3", settings: { bucket, region: "us-west-2", role_arn: UNKNOWN } });
export const template = (settings: unknown) =>
    rest("IndexTemplate", "app-template", "app", { index_patterns: ["app-*"], template: { settings } });

export const bucket = (name: string, region: string): TestResource => ({
    type: "aws:s3/bucket:Bucket",
    name,
    props: { bucket: name, region },
});
export const replication = (from: string, to: string): TestResource => ({
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    name: `${from}-replication`,
    props: {
        bucket: from,
        rules: [{ id: "dr", status: "Enabled", destination: { bucket: `arn:aws:s3:::${to}`, storageClass: "STANDARD_IA" } }],
    },
});

/** A compliant stack: a domain, a daily policy kept 14 days, its repository, a bucket replicated to another region. */
export function compliant(): TestResource[] {
    return [
        domain(),
        smPolicy(),
        repository(),
        bucket("search-snapshots", "us-west-2"),
        bucket("search-snapshots-dr", "us-east-1"),
        replication("search-snapshots", "search-snapshots-dr"),
        template({ number_of_shards: 3, number_of_replicas: 1 }),
    ];
}
export const without = (rs: TestResource[], name: string) => rs.filter((r) => r.name !== name);

/** What `read` makes of a stack's resources, as a stack policy is handed them. */
export async function seen<T>(rs: TestResource[], read: (resources: PolicyResource[]) => T): Promise<T> {
    const found: T[] = [];
    const probe: StackValidationPolicy = {
        name: "probe",
        description: "reads the stack",
        enforcementLevel: "advisory",
        validateStack: (args) => void found.push(read(args.resources)),
    };
    await checkStack(probe, rs);
    return found[0];
}
/** domainSnapshots of the domain named `name`, each policy and bucket by name. */
export const snapshotsOf = (rs: TestResource[], name = "search") =>
    seen(rs, (resources) =>
        domainSnapshots(
            resources.find((r) => r.name === name)!,
            resources,
        ).map((s) => ({
            policy: s.policy.name,
            everyHours: s.everyHours,
            keptDays: s.keptDays,
            bucket: s.bucket === UNKNOWN_AT_PREVIEW ? UNKNOWN_AT_PREVIEW : s.bucket?.name,
        })),
    );

export const NO_CONNECTION = "no accepted cross-cluster connection links it to a domain in another region";
/** The message for a domain that nothing copies to another region; `found` replaces the connection clause. */
export const noCopy = (name: string, region = "us-west-2", found = NO_CONNECTION) =>
    `The OpenSearch domain '${name}' has no copy in another region: no snapshot-management policy of the stack runs on it, ${found}, ` +
    `its automated snapshots stay in ${region}, and AWS Backup does not back up OpenSearch domains. Declare either a snapshot-management policy ` +
    "(an opensearch.SmPolicy of the opensearch provider, or a policy sent to _plugins/_sm/policies through a dynamic provider) writing to a snapshot repository " +
    "(opensearch.SnapshotRepository, or _snapshot through a dynamic provider) whose S3 bucket is replicated to another region, " +
    "or an aws.opensearch.OutboundConnection between it and a domain in another region, accepted by acceptConnection or an aws.opensearch.InboundConnectionAccepter, " +
    "with replication started on the follower through its REST API.";

export const AWS_PROVIDER = (region: string) => ({ type: "pulumi:providers:aws", name: `default_${region}`, props: { region } });
export const OS_PROVIDER = (url: unknown) => ({ type: "pulumi:providers:opensearch", name: "default_2_3_1", props: { url } });
export const ENDPOINT = "https://search-logs-x1y2z3.us-east-1.es.amazonaws.com";
/** aws.opensearch.Domain as a team writes it: a name, an engine, a cluster; the region from the provider. */
export const logs = (props: Props = {}, name = "logs", region = "us-east-1"): TestResource => ({
    type: "aws:opensearch/domain:Domain",
    name,
    props: {
        domainName: name,
        engineVersion: "OpenSearch_2.11",
        clusterConfig: { instanceType: "r6g.large.search", instanceCount: 3, zoneAwarenessEnabled: true },
        ebsOptions: { ebsEnabled: true, volumeSize: 10 },
        ...props,
    },
    provider: AWS_PROVIDER(region),
});
export const legacy = (props: Props = {}): TestResource => ({
    type: "aws:elasticsearch/domain:Domain",
    name: "legacy",
    props: { domainName: "legacy", clusterConfig: { instanceType: "r5.large.elasticsearch" }, ...props },
    provider: AWS_PROVIDER("us-east-1"),
});
export const smBody = (maxAge: string, repository = "logs-repo") =>
    JSON.stringify({
        enabled: true,
        creation: { schedule: { cron: { expression: "0 0 * * *", timezone: "UTC" } }, time_limit: "1h" },
        deletion: {
            schedule: { cron: { expression: "0 1 * * *", timezone: "UTC" } },
            condition: { max_age: maxAge, min_count: 1 },
        },
        snapshot_config: { indices: "*", repository },
    });
/** opensearch.SmPolicy of the opensearch provider: policyName and a JSON body; linked by its provider's url. */
export const providerPolicy = (body: unknown, url: unknown = ENDPOINT): TestResource => ({
    type: "opensearch:index/smPolicy:SmPolicy",
    name: "logs-snapshots",
    props: { policyName: "logs-daily", body },
    provider: OS_PROVIDER(url),
});
export const providerRepo = (bucket: unknown = "logs-snapshots", url: unknown = ENDPOINT): TestResource => ({
    type: "opensearch:index/snapshotRepository:SnapshotRepository",
    name: "logs-repo",
    props: {
        name: "logs-repo",
        type: "s3",
        settings: { bucket, region: "us-east-1", role_arn: "arn:aws:iam::123456789012:role/snapshots" },
    },
    provider: OS_PROVIDER(url),
});
export const plainBucket = (name: string, region: string): TestResource => ({
    type: "aws:s3/bucket:Bucket",
    name,
    props: { bucket: name },
    provider: AWS_PROVIDER(region),
});
export const follower = () => logs({}, "logs-dr", "us-west-2");
/** The follower's outbound connection to its leader 'logs', as the pulumi-aws example declares it. */
export const connection = (props: Props = {}, remoteRegion: unknown = "us-east-1"): TestResource => ({
    type: "aws:opensearch/outboundConnection:OutboundConnection",
    name: "logs-ccr",
    props: {
        connectionAlias: "logs-leader",
        connectionMode: "DIRECT",
        localDomainInfo: { ownerId: "123456789012", region: "us-west-2", domainName: "logs-dr" },
        remoteDomainInfo: { ownerId: "123456789012", region: remoteRegion, domainName: "logs" },
        ...props,
    },
    propertyDependencies: { localDomainInfo: [urnOf(follower())], remoteDomainInfo: [urnOf(logs())] },
    provider: AWS_PROVIDER("us-west-2"),
});
export const accepter = (): TestResource => ({
    type: "aws:opensearch/inboundConnectionAccepter:InboundConnectionAccepter",
    name: "logs-ccr-accept",
    props: { connectionId: UNKNOWN },
    propertyDependencies: { connectionId: [urnOf(connection())] },
    provider: AWS_PROVIDER("us-east-1"),
});
export const exemptTags = { "continuity-dr": "none", "continuity-dr-reason": "a cache of the orders table, rebuilt in an hour" };
export const reasonless = (policy: string, name = "logs") =>
    `The exemption from '${policy}' for type aws:opensearch/domain:Domain, name ${name} gives no reason; an exemption needs one, so this one exempts nothing.`;
export const automated = (name: string, every: string, required: string) =>
    `The OpenSearch domain '${name}' has no snapshot-management policy, and AWS takes its automated snapshots ${every} and keeps them 14 days, which no setting changes; ${required}. ` +
    "Declare a snapshot-management policy on the domain that does (an opensearch.SmPolicy of the opensearch provider, or a policy sent to _plugins/_sm/policies through a dynamic provider).";
export const strict = "this environment requires a snapshot at least every 24 hours, kept at least 30 days";
