import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { TargetSettings, targetsFor } from "../../policies/resilience/targets";
import type { StoreClass } from "../../policies/resilience/types";
import { RECOVERY_WATCH_HANDLER, recoveryWatchArchive } from "../functions/recovery-watch/archive";
import { atlasRegionName, AwsRegion } from "../regions";

export const METRIC_NAMESPACE = "Continuity/RecoveryPoints";
export const METRIC_NAME = "RecoveryPointAgeHours";
export const DEFAULT_HEARTBEAT_KEY = ".continuity/heartbeat";
const DEFAULT_LOG_RETENTION_DAYS = 30;

interface StoreBase {
    /**
     * The name the store goes by: the bucket's, the Atlas cluster's, for OpenSearch its snapshot
     * repository's bucket (a domain often shares its name with the cluster). The metric's `Store`
     * dimension, by which the pack's monitoring-recovery-point-watch rule finds the alarm.
     */
    readonly store: string;
    /**
     * The store's resource in this stack (the bucket, the cluster, the domain), when there is one: its
     * logical name and URN pick its RPO target among the `stores` entries of the pack's targets, as the
     * pack and the DR report pick them, and the alarm's dimension is built from it (a dependency the
     * pack reads).
     */
    readonly resource?: pulumi.Resource;
}

/** An Atlas cluster whose cloud backup snapshots are copied to another region. */
export interface WatchedAtlasCluster extends StoreBase {
    readonly kind: "atlas";
    readonly projectId: pulumi.Input<string>;
    readonly clusterName: string;
    /** The AWS region of the copies (their Atlas name, US_EAST_1, is derived). */
    readonly copyRegion: AwsRegion;
}

/** A bucket replicated into a DR copy: the watch writes a heartbeat into it and reads the replica's age. */
export interface WatchedBucket extends StoreBase {
    readonly kind: "s3";
    readonly sourceBucket: string;
    /** The source bucket's default SSE-KMS key, when it has one: writing the heartbeat needs a data key. */
    readonly sourceKeyArn?: pulumi.Input<string>;
    readonly copyBucket: string;
    /** The copy's SSE-KMS key, when it has one (see watchStatements). */
    readonly copyKeyArn?: pulumi.Input<string>;
    readonly copyRegion: AwsRegion;
    readonly heartbeatKey?: string;
}

/** An OpenSearch snapshot repository replicated into a bucket of the DR region. */
export interface WatchedSnapshotRepository extends StoreBase {
    readonly kind: "opensearch";
    readonly copyBucket: string;
    /** The copy's SSE-KMS key, when it has one: reading the repository's files decrypts them. */
    readonly copyKeyArn?: pulumi.Input<string>;
    readonly copyRegion: AwsRegion;
    /** The repository's base_path in the bucket; "" (the default) for the bucket's root. */
    readonly basePath?: string;
}

export type WatchedStore = WatchedAtlasCluster | WatchedBucket | WatchedSnapshotRepository;

export interface RecoveryPointWatchArgs {
    /** The primary region: the function, its schedule, the metrics and the alarms live there. */
    readonly region: AwsRegion;
    readonly environment: string;
    /** An EventBridge rate expression that runs at least hourly (infra/config/watch.ts checks it). */
    readonly schedule: string;
    readonly stores: readonly WatchedStore[];
    /** The pack's RPO/RTO target settings for this stack (recoveryTargets in infra/config/watch.ts). */
    readonly targets: TargetSettings;
    /**
     * The secret with the Atlas API keys, {"publicKey","privateKey"}, in `region`. Without it, a stack with an
     * Atlas store gets an empty secret of its own (`atlasKeys`) to put the keys in; until then the Atlas alarm
     * fires, as for any store the watch cannot read.
     */
    readonly atlasKeySecretArn?: string;
    readonly atlasApiUrl?: string;
    readonly alertTopicArn: pulumi.Input<string>;
    readonly metricNamespace?: string;
    readonly logRetentionDays?: number;
    readonly tags?: Record<string, string>;
}

const STORE_CLASS: Record<WatchedStore["kind"], StoreClass> = { atlas: "database", s3: "objects", opensearch: "search" };

/** A resource's logical name and type token, from its URN (`urn:pulumi:stack::project::parent$type::name`). */
function urnParts(urn: string): { name: string; type: string } {
    const parts = urn.split("::");
    return { name: parts.slice(3).join("::"), type: parts[2].split("$").pop()! };
}

/**
 * The store's RPO target for the loss of its region: how old its newest copy there may be. The same
 * lookup as the pack's dr-recovery-objectives and the DR report: class defaults, the class setting,
 * then the first `stores` entry that names the store's resource.
 */
export function rpoTargetHours(
    store: { kind: WatchedStore["kind"]; store: string },
    targets: TargetSettings,
    resource?: { name: string; urn: string; type: string },
): number {
    const storeClass = STORE_CLASS[store.kind];
    const target = targetsFor(
        { name: resource?.name ?? store.store, urn: resource?.urn ?? "", type: resource?.type ?? "", storeClass },
        targets,
    ).region;
    if (!target)
        throw new Error(`RecoveryPointWatch: store '${store.store}' has no RPO target for the loss of its region (${storeClass} targets).`);
    return target.rpoHours;
}

/** What the function reads for one store (the contract of infra/functions/recovery-watch). */
function storeEntry(s: WatchedStore, rpoHours: pulumi.Input<number>): Record<string, pulumi.Input<string | number>> {
    const base = { store: s.store, kind: s.kind, rpoHours };
    switch (s.kind) {
        case "atlas":
            return { ...base, projectId: s.projectId, clusterName: s.clusterName, copyRegion: atlasRegionName(s.copyRegion) };
        case "s3":
            return {
                ...base,
                sourceBucket: s.sourceBucket,
                copyBucket: s.copyBucket,
                copyRegion: s.copyRegion,
                heartbeatKey: s.heartbeatKey ?? DEFAULT_HEARTBEAT_KEY,
            };
        case "opensearch":
            return { ...base, copyBucket: s.copyBucket, copyRegion: s.copyRegion, basePath: s.basePath ?? "" };
    }
}

const objectArn = (bucket: string, key: string) => `arn:aws:s3:::${bucket}/${key}`;

/**
 * The function's permissions, each on the one thing it needs. HeadObject is authorized by s3:GetObject
 * (S3 API Reference, HeadObject: "you must have the s3:GetObject permission"); on the heartbeat's key
 * only, the watch can read the replica's metadata and never a byte of replicated data.
 */
export function watchStatements(
    args: Pick<RecoveryPointWatchArgs, "stores"> & { readonly atlasKeySecretArn?: pulumi.Input<string> },
    namespace: string,
    logGroupArn: pulumi.Input<string>,
): unknown[] {
    const statements: unknown[] = [
        {
            Sid: "Logs",
            Effect: "Allow",
            Action: ["logs:CreateLogStream", "logs:PutLogEvents"],
            Resource: pulumi.interpolate`${logGroupArn}:*`,
        },
        {
            Sid: "Metrics",
            Effect: "Allow",
            Action: "cloudwatch:PutMetricData",
            // PutMetricData takes no resource; the namespace condition keeps the watch to its own metrics.
            Resource: "*",
            Condition: { StringEquals: { "cloudwatch:namespace": namespace } },
        },
    ];
    const buckets = args.stores.filter((s): s is WatchedBucket => s.kind === "s3");
    if (buckets.length > 0) {
        const key = (b: WatchedBucket) => b.heartbeatKey ?? DEFAULT_HEARTBEAT_KEY;
        statements.push(
            {
                Sid: "WriteHeartbeats",
                Effect: "Allow",
                Action: "s3:PutObject",
                Resource: buckets.map((b) => objectArn(b.sourceBucket, key(b))),
            },
            {
                Sid: "ReadReplicatedHeartbeats",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: buckets.map((b) => objectArn(b.copyBucket, key(b))),
            },
        );
        const keys = buckets.flatMap((b) => (b.sourceKeyArn ? [b.sourceKeyArn] : []));
        // PutObject into a bucket whose default encryption is SSE-KMS asks KMS for a data key as the caller.
        if (keys.length > 0) statements.push({ Sid: "EncryptHeartbeats", Effect: "Allow", Action: "kms:GenerateDataKey", Resource: keys });
        // Reading the replica's metadata needs no key as far as the S3 documentation says; granted through S3
        // only, in case it does: with s3:GetObject on the heartbeat alone, it opens no replicated data.
        for (const b of buckets.filter((x) => x.copyKeyArn)) {
            statements.push({
                Sid: `ReadHeartbeatKey${buckets.indexOf(b)}`,
                Effect: "Allow",
                Action: "kms:Decrypt",
                Resource: b.copyKeyArn,
                Condition: { StringEquals: { "kms:ViaService": `s3.${b.copyRegion}.amazonaws.com` } },
            });
        }
    }
    const repositories = args.stores.filter((s): s is WatchedSnapshotRepository => s.kind === "opensearch");
    if (repositories.length > 0) {
        statements.push(
            {
                Sid: "ReadSnapshotRepositories",
                Effect: "Allow",
                Action: "s3:GetObject",
                Resource: repositories.map((r) => objectArn(r.copyBucket, `${r.basePath ? `${r.basePath.replace(/\/$/, "")}/` : ""}*`)),
            },
            {
                Sid: "ListSnapshotRepositories",
                Effect: "Allow",
                Action: "s3:ListBucket",
                Resource: repositories.map((r) => `arn:aws:s3:::${r.copyBucket}`),
            },
        );
        const keys = repositories.flatMap((r) => (r.copyKeyArn ? [r.copyKeyArn] : []));
        if (keys.length > 0)
            statements.push({ Sid: "DecryptSnapshotRepositories", Effect: "Allow", Action: "kms:Decrypt", Resource: keys });
    }
    if (args.atlasKeySecretArn) {
        statements.push({
            Sid: "AtlasApiKeys",
            Effect: "Allow",
            Action: "secretsmanager:GetSecretValue",
            Resource: args.atlasKeySecretArn,
        });
    }
    return statements;
}

/**
 * The recovery-point watch: a function, run on a schedule in the primary region, that reads for every
 * store the age of its newest copy in the DR region (Atlas snapshot copies through the Atlas API, each
 * replicated bucket through a heartbeat object, each replicated OpenSearch repository through its own
 * files) and publishes it as `RecoveryPointAgeHours` with the `Store` dimension. One alarm per store
 * fires when the age exceeds the store's RPO target for a lost region, or when no reading arrives for
 * an hour (missing data is breaching: a watch that cannot read is itself an alarm).
 *
 * Heartbeat cost, per replicated bucket: one object version an hour replicated into the DR copy in
 * S3 Glacier Deep Archive under Object Lock (kept at least the lock's days; no one can delete it
 * sooner). Deep Archive bills every object at least 180 days (an earlier expiry is charged the rest)
 * and 40 KB of overhead each (8 KB at S3 Standard rates, 32 KB at Deep Archive rates; Amazon S3
 * pricing): 8,760 versions a year, about 4,300 billed at any time, some 170 MB of overhead, about a
 * cent a year. The replication PUT requests into Deep Archive cost more: 8,760 × $0.05 per 1,000 ≈
 * $0.44 a year per bucket (us-east-1 list prices), plus ≈ $0.04 for the heartbeat PUTs at the source,
 * whose versions (≈ 30 bytes each) stay until the source's own lifecycle expires them.
 */
export class RecoveryPointWatch extends pulumi.ComponentResource {
    readonly function: aws.lambda.Function;
    readonly role: aws.iam.Role;
    readonly logGroup: aws.cloudwatch.LogGroup;
    readonly rule: aws.cloudwatch.EventRule;
    /** One alarm per store, in the order of `stores`. */
    readonly alarms: aws.cloudwatch.MetricAlarm[];
    readonly namespace: string;
    /** The secret the stack created for the Atlas API keys, when none was given; empty until someone puts them. */
    readonly atlasKeys?: aws.secretsmanager.Secret;
    /** The secret the function reads the Atlas API keys from; undefined without an Atlas store. */
    readonly atlasKeySecretArn?: pulumi.Output<string>;

    constructor(name: string, args: RecoveryPointWatchArgs, opts?: pulumi.ComponentResourceOptions) {
        super("continuity:watch:RecoveryPointWatch", name, {}, opts);
        validate(name, args);
        const namespace = args.metricNamespace ?? METRIC_NAMESPACE;
        this.namespace = namespace;
        const child = { parent: this };
        const region = args.region;
        const tags = args.tags;

        this.logGroup = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { region, name: `/continuity/${name}`, retentionInDays: args.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS, tags },
            child,
        );
        // The keys never pass through config or code: either the team's own secret, or one created here, empty, for
        // `aws secretsmanager put-secret-value --secret-id <arn> --secret-string '{"publicKey":"…","privateKey":"…"}'`.
        if (args.stores.some((s) => s.kind === "atlas")) {
            if (args.atlasKeySecretArn) {
                this.atlasKeySecretArn = pulumi.output(args.atlasKeySecretArn);
            } else {
                this.atlasKeys = new aws.secretsmanager.Secret(
                    `${name}-atlas-keys`,
                    {
                        region,
                        description:
                            `continuity (${args.environment}): the Atlas API key pair the recovery-point watch reads, ` +
                            'SecretString {"publicKey": "…", "privateKey": "…"} (a Project Read Only key suffices)',
                        tags,
                    },
                    child,
                );
                this.atlasKeySecretArn = this.atlasKeys.arn;
            }
        }
        const secretArn = this.atlasKeySecretArn;

        this.role = new aws.iam.Role(
            `${name}-role`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "lambda.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
                tags,
            },
            child,
        );
        const policy = new aws.iam.RolePolicy(
            `${name}-role`,
            {
                role: this.role.id,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: watchStatements({ stores: args.stores, atlasKeySecretArn: secretArn }, namespace, this.logGroup.arn),
                }),
            },
            child,
        );

        const rpo = args.stores.map((s) => {
            const resource = s.resource;
            return resource
                ? resource.urn.apply((urn) => rpoTargetHours(s, args.targets, { urn, ...urnParts(urn) }))
                : pulumi.output(rpoTargetHours(s, args.targets));
        });
        const stores = pulumi.output(args.stores.map((s, i) => storeEntry(s, rpo[i])));
        this.function = new aws.lambda.Function(
            `${name}-function`,
            {
                region,
                description: `continuity: the age of each store's newest copy in the DR region (${args.environment})`,
                // Node.js 24, supported until April 2028: Lambda blocks creating functions on a deprecated runtime (Lambda
                // Developer Guide, "Runtime deprecation"); nodejs20.x is deprecated and nodejs22.x is deprecated in April 2027.
                // The handler is async (no callbacks, which nodejs24.x drops) and needs only the SDK v3 clients the runtime ships.
                runtime: aws.lambda.Runtime.NodeJS24dX,
                handler: RECOVERY_WATCH_HANDLER,
                code: recoveryWatchArchive(),
                role: this.role.arn,
                timeout: 120,
                memorySize: 256,
                loggingConfig: { logFormat: "Text", logGroup: this.logGroup.name },
                environment: {
                    variables: {
                        WATCH_STORES: pulumi.jsonStringify(stores),
                        METRIC_NAMESPACE: namespace,
                        ENVIRONMENT: args.environment,
                        ...(secretArn ? { ATLAS_SECRET_ARN: secretArn } : {}),
                        ...(args.atlasApiUrl ? { ATLAS_API_URL: args.atlasApiUrl } : {}),
                    },
                },
                tags,
            },
            { ...child, dependsOn: [policy] },
        );

        this.rule = new aws.cloudwatch.EventRule(
            `${name}-schedule`,
            {
                region,
                description: `continuity: run the recovery-point watch (${args.environment})`,
                scheduleExpression: args.schedule,
                tags,
            },
            child,
        );
        new aws.lambda.Permission(
            `${name}-invoke`,
            {
                region,
                action: "lambda:InvokeFunction",
                function: this.function.arn,
                principal: "events.amazonaws.com",
                sourceArn: this.rule.arn,
            },
            child,
        );
        new aws.cloudwatch.EventTarget(`${name}-target`, { region, rule: this.rule.name, arn: this.function.arn }, child);

        this.alarms = args.stores.map(
            (s, i) =>
                new aws.cloudwatch.MetricAlarm(
                    `${name}-${s.store}`,
                    {
                        region,
                        alarmDescription: pulumi.concat(
                            `The newest copy of ${s.store} in ${s.copyRegion} is older than its RPO target (`,
                            rpo[i],
                            " h), or the watch could not read it",
                        ),
                        namespace,
                        metricName: METRIC_NAME,
                        // Built from the store's resource when there is one: the alarm's dependency names the store
                        // to the pack even where two stores share a name (monitoring-recovery-point-watch).
                        dimensions: { Store: s.resource ? s.resource.urn.apply(() => s.store) : s.store },
                        statistic: "Maximum",
                        period: 3600,
                        evaluationPeriods: 1,
                        threshold: rpo[i],
                        comparisonOperator: "GreaterThanThreshold",
                        treatMissingData: "breaching",
                        alarmActions: [args.alertTopicArn],
                        okActions: [args.alertTopicArn],
                        tags,
                    },
                    child,
                ),
        );

        this.registerOutputs({ functionName: this.function.name, namespace });
    }
}

/** Refuses what cannot work, before any resource is declared. */
function validate(name: string, args: RecoveryPointWatchArgs): void {
    if (args.stores.length === 0) {
        throw new Error(`RecoveryPointWatch '${name}': stores must list at least one store; a watch of nothing is silence.`);
    }
    const seen = new Set<string>();
    for (const s of args.stores) {
        if (seen.has(s.store))
            throw new Error(`RecoveryPointWatch '${name}': store '${s.store}' appears twice in stores; each store needs its own name.`);
        seen.add(s.store);
        if (s.copyRegion === args.region) {
            throw new Error(
                `RecoveryPointWatch '${name}': store '${s.store}' has its copy in ${s.copyRegion}, the region itself; ` +
                    "a DR copy lives elsewhere.",
            );
        }
    }
    const secretRegion = args.atlasKeySecretArn?.split(":")[3];
    if (secretRegion !== undefined && secretRegion !== args.region) {
        throw new Error(
            `RecoveryPointWatch '${name}': atlasKeySecretArn is a secret of ${secretRegion}; ` +
                `region is ${args.region}, where the function reads it.`,
        );
    }
}
