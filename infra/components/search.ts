import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SearchSettings } from "../config/search";
import { IndexTemplate, NotificationChannel, SnapshotPolicy, SnapshotRepository } from "../providers/opensearch";
import { AwsRegion } from "../regions";
import { TagKeys } from "../tags";
import { topicAlarm } from "./alarms";
import { assumedBy } from "./iam";
import { BucketBackup } from "./storage";

export interface SearchDomainArgs extends SearchSettings {
    readonly region: AwsRegion;
    /** Where the snapshot repository's copy lives. */
    readonly drRegion: AwsRegion;
    /** Object Lock and expiry of the copied snapshots (the storage tier's settings). */
    readonly lock: { readonly mode: "governance" | "compliance"; readonly days: number };
    readonly noncurrentVersionDays: number;
    /** Where alarms and a failed snapshot copy are reported. */
    readonly alertTopicArn: pulumi.Input<string>;
    readonly tags: Record<string, string>;
    readonly protect?: boolean;
}

/** The TLS policy of the HTTPS endpoint: TLS 1.2 or later with forward secrecy. */
export const TLS_POLICY = "Policy-Min-TLS-1-2-PFS-2023-10";

/** The cron expression (OpenSearch's 5 fields, UTC) of the daily snapshot. */
export function dailyCron(hourUtc: number): string {
    return `0 ${hourUtc} * * *`;
}

/**
 * The snapshot-management policy: a snapshot every day at `hourUtc`, deleted after `retentionDays`,
 * but never below one snapshot per day of retention, so a run of failures does not delete the last
 * good ones. Deletion runs an hour after creation, away from it.
 */
export function snapshotPolicyBody(domainName: string, repository: string, hourUtc: number, retentionDays: number, channelId?: string) {
    return {
        description: `continuity: daily snapshot of ${domainName} into ${repository}, kept ${retentionDays} days`,
        enabled: true,
        creation: { schedule: { cron: { expression: dailyCron(hourUtc), timezone: "UTC" } }, time_limit: "1h" },
        deletion: {
            schedule: { cron: { expression: dailyCron((hourUtc + 1) % 24), timezone: "UTC" } },
            condition: { max_age: `${retentionDays}d`, min_count: retentionDays },
            time_limit: "1h",
        },
        snapshot_config: {
            repository,
            indices: "*",
            // Cluster state holds the security index and settings the DR domain sets up itself.
            include_global_state: false,
            partial: false,
            ignore_unavailable: true,
            date_format: "yyyy-MM-dd-HH:mm",
            timezone: "UTC",
        },
        // A failed or overrunning snapshot is reported; successes are not news.
        notification: channelId
            ? { channel: { id: channelId }, conditions: { creation: false, deletion: false, failure: true, time_limit_exceeded: true } }
            : undefined,
    };
}

/**
 * A search cluster that survives a node or a zone (data nodes over 2 or 3 zones, a replica of every
 * shard, dedicated masters where required) and the loss of its region (a daily snapshot into an S3
 * repository copied to the DR region). The domain is Amazon OpenSearch Service; the snapshot
 * repository, the snapshot-management policy and the index templates are REST objects managed by the
 * dynamic provider in infra/providers/opensearch.ts.
 */
export class SearchDomain extends pulumi.ComponentResource {
    readonly domain: aws.opensearch.Domain;
    readonly endpoint: pulumi.Output<string>;
    readonly snapshots: BucketBackup;
    readonly snapshotRole: aws.iam.Role;
    readonly repository: SnapshotRepository;
    readonly snapshotPolicy: SnapshotPolicy;
    readonly alertChannel: NotificationChannel;
    readonly templates: IndexTemplate[];
    readonly alarms: aws.cloudwatch.MetricAlarm[];

    constructor(name: string, args: SearchDomainArgs, opts?: pulumi.ComponentResourceOptions) {
        super("continuity:search:SearchDomain", name, {}, opts);
        if (args.dataNodes.count < args.zones) {
            throw new Error(`SearchDomain '${name}': dataNodes.count (${args.dataNodes.count}) must be at least zones (${args.zones}).`);
        }
        if (args.vpc && args.vpc.subnetIds.length < args.zones) {
            const n = args.vpc.subnetIds.length;
            throw new Error(
                `SearchDomain '${name}': vpc.subnetIds lists ${n} subnet${n === 1 ? "" : "s"} for ${args.zones} zones; give one per zone.`,
            );
        }
        const protect = args.protect ?? false;
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const tags = (role: string) => ({ ...args.tags, [TagKeys.role]: role });

        // Snapshots must be readable as they are in the DR region, so the copy is replicated (minutes
        // behind) into an instantly readable class rather than Deep Archive.
        this.snapshots = new BucketBackup(
            `${name}-snapshots`,
            {
                bucketName: args.snapshots.bucket,
                region: args.region,
                drBucketName: args.snapshots.drBucket,
                drRegion: args.drRegion,
                strategy: "replication",
                copyStorageClass: args.snapshots.copyStorageClass,
                sourceRole: "snapshot-repository",
                lock: args.lock,
                noncurrentVersionDays: args.noncurrentVersionDays,
                alertTopicArn: args.alertTopicArn,
                tags: args.tags,
                protect,
            },
            { parent: this },
        );

        // The domain assumes this role to write snapshots; it may touch the repository bucket only.
        this.snapshotRole = new aws.iam.Role(
            `${name}-snapshot-role`,
            {
                assumeRolePolicy: assumedBy("es.amazonaws.com"),
                tags: args.tags,
            },
            { parent: this },
        );
        const bucketArn = this.snapshots.bucketArn;
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-snapshot-role`,
            {
                role: this.snapshotRole.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Action: ["s3:ListBucket"], Resource: bucketArn },
                        {
                            Effect: "Allow",
                            Action: ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"],
                            Resource: pulumi.interpolate`${bucketArn}/*`,
                        },
                        {
                            Effect: "Allow",
                            Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"],
                            Resource: this.snapshots.sourceKey.arn,
                        },
                    ],
                }),
            },
            { parent: this },
        );

        const masters = args.dedicatedMasters.count;
        const principals = args.accessRoleArns.length > 0 ? [...args.accessRoleArns] : [pulumi.interpolate`arn:aws:iam::${account}:root`];
        this.domain = new aws.opensearch.Domain(
            `${name}-domain`,
            {
                region: args.region,
                domainName: args.domainName,
                engineVersion: args.engineVersion,
                clusterConfig: {
                    instanceType: args.dataNodes.instanceType,
                    instanceCount: args.dataNodes.count,
                    zoneAwarenessEnabled: true,
                    zoneAwarenessConfig: { availabilityZoneCount: args.zones },
                    dedicatedMasterEnabled: masters > 0,
                    dedicatedMasterType: masters > 0 ? args.dedicatedMasters.instanceType : undefined,
                    dedicatedMasterCount: masters > 0 ? masters : undefined,
                },
                ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: args.volumeGiB },
                encryptAtRest: { enabled: true },
                nodeToNodeEncryption: { enabled: true },
                domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: TLS_POLICY },
                vpcOptions: args.vpc ? { subnetIds: [...args.vpc.subnetIds], securityGroupIds: [...args.vpc.securityGroupIds] } : undefined,
                // Requests are signed with IAM credentials; only these principals of the account may call the API.
                accessPolicies: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { AWS: principals },
                            Action: "es:ESHttp*",
                            Resource: pulumi.interpolate`arn:aws:es:${args.region}:${account}:domain/${args.domainName}/*`,
                        },
                    ],
                }),
                tags: tags("primary"),
            },
            { parent: this, protect },
        );
        this.endpoint = pulumi.interpolate`https://${this.domain.endpoint}`;

        const rest = { endpoint: this.endpoint, region: args.region };
        this.repository = new SnapshotRepository(
            `${name}-snapshot-repository`,
            {
                ...rest,
                name: args.snapshots.repository,
                // No server_side_encryption: it would ask S3 for SSE-S3 and override the bucket's KMS key.
                body: { type: "s3", settings: { bucket: args.snapshots.bucket, region: args.region, role_arn: this.snapshotRole.arn } },
            },
            { parent: this, dependsOn: [this.snapshots, rolePolicy] },
        );
        // Snapshot management reports through a Notifications channel: SNS to the alert topic, published
        // with a role the domain assumes that may publish there and nowhere else.
        const notifier = new aws.iam.Role(
            `${name}-notifications`,
            {
                assumeRolePolicy: assumedBy("es.amazonaws.com"),
                tags: args.tags,
            },
            { parent: this },
        );
        const notifierPolicy = new aws.iam.RolePolicy(
            `${name}-notifications`,
            {
                role: notifier.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Action: "sns:Publish", Resource: args.alertTopicArn }],
                }),
            },
            { parent: this },
        );
        const channelId = `${args.domainName}-alerts`;
        this.alertChannel = new NotificationChannel(
            `${name}-alert-channel`,
            {
                ...rest,
                name: channelId,
                body: {
                    name: `${args.domainName} alerts`,
                    description: "continuity: snapshot failures of this domain, to the alert topic",
                    config_type: "sns",
                    is_enabled: true,
                    sns: { topic_arn: args.alertTopicArn, role_arn: notifier.arn },
                },
            },
            { parent: this, dependsOn: [notifierPolicy] },
        );
        this.snapshotPolicy = new SnapshotPolicy(
            `${name}-snapshot-policy`,
            {
                ...rest,
                name: `${args.domainName}-daily`,
                body: snapshotPolicyBody(
                    args.domainName,
                    args.snapshots.repository,
                    args.snapshots.hourUtc,
                    args.snapshots.retentionDays,
                    channelId,
                ),
            },
            { parent: this, dependsOn: [this.repository, this.alertChannel] },
        );
        this.templates = args.indexTemplates.map(
            (t) =>
                new IndexTemplate(
                    `${name}-template-${t.name}`,
                    {
                        ...rest,
                        name: t.name,
                        body: {
                            index_patterns: [...t.patterns],
                            priority: t.priority,
                            template: { settings: { number_of_shards: t.shards, number_of_replicas: t.replicas } },
                        },
                    },
                    { parent: this },
                ),
        );

        this.alarms = this.monitor(name, args, account);
        this.registerOutputs({ endpoint: this.endpoint, snapshotBucket: this.snapshots.bucketName });
    }

    /** The alarms AWS recommends for a domain, each to the alert topic. */
    private monitor(name: string, args: SearchDomainArgs, account: pulumi.Output<string>): aws.cloudwatch.MetricAlarm[] {
        // FreeStorageSpace is in MiB per node: alert at a quarter of a node's volume.
        const lowStorageMiB = Math.floor(args.volumeGiB * 1024 * 0.25);
        const alarms: {
            part: string;
            metric: string;
            statistic: "Maximum" | "Minimum";
            operator: string;
            threshold: number;
            period: number;
            periods: number;
            what: string;
        }[] = [
            {
                part: "red",
                metric: "ClusterStatus.red",
                statistic: "Maximum",
                operator: "GreaterThanOrEqualToThreshold",
                threshold: 1,
                period: 60,
                periods: 1,
                what: "a primary shard is unassigned: data is unavailable",
            },
            {
                part: "yellow",
                metric: "ClusterStatus.yellow",
                statistic: "Maximum",
                operator: "GreaterThanOrEqualToThreshold",
                threshold: 1,
                period: 60,
                periods: 5,
                what: "a replica shard is unassigned: one more failure loses data",
            },
            {
                part: "snapshot-failed",
                metric: "AutomatedSnapshotFailure",
                statistic: "Maximum",
                operator: "GreaterThanOrEqualToThreshold",
                threshold: 1,
                period: 60,
                periods: 1,
                what: "an automated snapshot failed",
            },
            {
                part: "low-storage",
                metric: "FreeStorageSpace",
                statistic: "Minimum",
                operator: "LessThanOrEqualToThreshold",
                threshold: lowStorageMiB,
                period: 60,
                periods: 1,
                what: `a node has ${lowStorageMiB} MiB or less free (a quarter of its volume)`,
            },
            {
                part: "writes-blocked",
                metric: "ClusterIndexWritesBlocked",
                statistic: "Maximum",
                operator: "GreaterThanOrEqualToThreshold",
                threshold: 1,
                period: 300,
                periods: 1,
                what: "the cluster blocks writes",
            },
            {
                part: "master-unreachable",
                metric: "MasterReachableFromNode",
                statistic: "Maximum",
                operator: "LessThanThreshold",
                threshold: 1,
                period: 60,
                periods: 5,
                what: "the master node is unreachable",
            },
        ];
        return alarms.map((a) =>
            topicAlarm(
                `${name}-${a.part}`,
                {
                    region: args.region,
                    alarmDescription: `OpenSearch domain ${args.domainName}: ${a.what}`,
                    namespace: "AWS/ES",
                    metricName: a.metric,
                    dimensions: { DomainName: this.domain.domainName, ClientId: account },
                    statistic: a.statistic,
                    period: a.period,
                    evaluationPeriods: a.periods,
                    threshold: a.threshold,
                    comparisonOperator: a.operator,
                    treatMissingData: "missing",
                    topicArn: args.alertTopicArn,
                    tags: args.tags,
                },
                { parent: this },
            ),
        );
    }
}
