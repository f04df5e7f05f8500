import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { CopyStrategy } from "../config/storage";
import { AwsRegion } from "../regions";
import { Role, TagKeys } from "../tags";
import { topicAlarm } from "./alarms";
import { assumedBy } from "./iam";

export interface BucketBackupArgs {
    /** The data bucket: created here, or adopted by name when `adopt` is set. */
    readonly bucketName: string;
    readonly adopt?: boolean;
    readonly region: AwsRegion;
    /** The DR copy: a bucket of this name in the DR region. */
    readonly drBucketName: string;
    readonly drRegion: AwsRegion;
    /** How the copy is made: `replication` (the default and only one), S3 replication into the copy's storage class. */
    readonly strategy?: CopyStrategy;
    /** Object Lock default retention of the DR bucket. */
    readonly lock: { readonly mode: "governance" | "compliance"; readonly days: number };
    /** Noncurrent versions of the DR bucket expire after this many days (≥ lock.days). */
    readonly noncurrentVersionDays: number;
    /** S3 Replication Time Control: 99.99 % of new objects replicated within 15 minutes. */
    readonly replicationTimeControl?: boolean;
    /**
     * The storage class of the copy: Deep Archive (default) for data, an instantly readable class where the copy must be
     * usable as it is.
     */
    readonly copyStorageClass?: string;
    /** The role tag of the source bucket: "primary" (default) for a data bucket, or e.g. "snapshot-repository". */
    readonly sourceRole?: Role;
    /** Where a failed copy is reported. */
    readonly alertTopicArn: pulumi.Input<string>;
    /** Tags shared by the source and the copy; the role tag is set here. */
    readonly tags: Record<string, string>;
    /** Tags of the source bucket alone (its size, for the DR plan). */
    readonly sourceTags?: Record<string, string>;
    readonly protect?: boolean;
}

const defaultStorageClass = (args: BucketBackupArgs) => args.copyStorageClass ?? "DEEP_ARCHIVE";

/**
 * A data bucket made recoverable after the loss of its region or a malicious delete: versioned,
 * KMS-encrypted and private, with a copy in the DR region whose bucket keeps every version under
 * Object Lock. The copy is S3 replication of every new version, within minutes, into Glacier Deep
 * Archive (the plan's "weekly backup in a deep freeze state", made continuously); a failed replication
 * alerts. A copy that must be readable as it is (a snapshot repository) takes another storage class.
 *
 * Why replication only: S3 accepts an upload into a bucket with an Object Lock default retention only
 * with a Content-MD5 or x-amz-checksum-* header (Amazon S3 User Guide, "Object Lock considerations";
 * S3 API Reference, PutObject). Replication into such a bucket is documented (same guide, "Using
 * Object Lock with S3 Replication"); DataSync's documentation says neither that it sends either
 * header nor that it supports a locked destination, so a DataSync copy is not offered (README, "Why
 * replication").
 */
export class BucketBackup extends pulumi.ComponentResource {
    readonly bucketName: pulumi.Output<string>;
    readonly bucketArn: pulumi.Output<string>;
    readonly drBucket: aws.s3.Bucket;
    readonly sourceKey: aws.kms.Key;
    readonly drKey: aws.kms.Key;
    readonly replication: aws.s3.BucketReplicationConfig;
    /**
     * An adopted bucket copied by replication: the AWS CLI command that copies, once, the objects that
     * were there before replication was configured (an S3 Batch Replication job run with `batchRole`).
     */
    readonly copyExistingCommand?: pulumi.Output<string>;
    readonly batchRole?: aws.iam.Role;

    constructor(name: string, args: BucketBackupArgs, opts?: pulumi.ComponentResourceOptions) {
        super("continuity:storage:BucketBackup", name, {}, opts);
        // A program may build this component without infra/config (it is exported, the search tier does):
        // what would leave the copy useless is refused here too; the config reports it first, by key.
        if (args.drRegion === args.region) {
            throw new Error(
                `BucketBackup '${name}': drRegion must differ from region (both ${args.region}); a copy in the same region does not survive its loss.`,
            );
        }
        if (args.noncurrentVersionDays < args.lock.days) {
            throw new Error(
                `BucketBackup '${name}': noncurrentVersionDays (${args.noncurrentVersionDays}) must be at least lock.days (${args.lock.days}); Object Lock keeps versions that long.`,
            );
        }
        // A caller without the types (plain JavaScript, a transpile-only run) could still pass the weekly
        // DataSync copy this component no longer makes: refused, not silently replaced.
        const strategy: unknown = args.strategy;
        if (strategy !== undefined && strategy !== "replication") {
            throw new Error(
                `BucketBackup '${name}': strategy ${JSON.stringify(strategy)} is not offered; the only one is "replication" ` +
                    "(S3 replication into the copy under Object Lock): DataSync is not documented to write into a bucket " +
                    "under an Object Lock default retention.",
            );
        }
        const child = { parent: this, protect: args.protect ?? false };
        const primaryTags = { ...args.tags, ...args.sourceTags, [TagKeys.role]: args.sourceRole ?? "primary" };
        const copyTags = { ...args.tags, [TagKeys.role]: "dr-copy" };

        // Each region's data is encrypted by a key of that region: the copy must not depend on the lost one.
        const key = (part: string, region: AwsRegion, tags: Record<string, string>) =>
            new aws.kms.Key(
                `${name}-${part}`,
                {
                    region,
                    description: `continuity: ${part} of bucket ${args.bucketName}`,
                    enableKeyRotation: true,
                    deletionWindowInDays: 30,
                    tags,
                },
                child,
            );
        this.sourceKey = key("key", args.region, primaryTags);
        this.drKey = key("dr-key", args.drRegion, copyTags);

        let source: pulumi.Output<string>;
        if (args.adopt) {
            // An existing bucket: only its protections are managed here, never the bucket itself.
            source = pulumi.output(args.bucketName);
        } else {
            source = new aws.s3.Bucket(`${name}-bucket`, { region: args.region, bucket: args.bucketName, tags: primaryTags }, child).bucket;
        }
        this.bucketName = source;
        this.bucketArn = source.apply((b) => `arn:aws:s3:::${b}`);
        const sourceVersioning = this.protectBucket(`${name}-bucket`, source, args.region, this.sourceKey, child);

        this.drBucket = new aws.s3.Bucket(
            `${name}-dr-bucket`,
            { region: args.drRegion, bucket: args.drBucketName, objectLockEnabled: true, tags: copyTags },
            child,
        );
        const drVersioning = this.protectBucket(`${name}-dr-bucket`, this.drBucket.bucket, args.drRegion, this.drKey, child);
        new aws.s3.BucketObjectLockConfiguration(
            `${name}-dr-bucket-lock`,
            {
                region: args.drRegion,
                bucket: this.drBucket.bucket,
                rule: { defaultRetention: { mode: args.lock.mode.toUpperCase(), days: args.lock.days } },
            },
            { ...child, dependsOn: [drVersioning] },
        );
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-dr-bucket-lifecycle`,
            {
                region: args.drRegion,
                bucket: this.drBucket.bucket,
                rules: [
                    {
                        id: "expire-noncurrent-versions",
                        status: "Enabled",
                        filter: {},
                        noncurrentVersionExpiration: { noncurrentDays: args.noncurrentVersionDays },
                    },
                ],
            },
            { ...child, dependsOn: [drVersioning] },
        );

        this.replication = this.replicate(name, args, source, [sourceVersioning, drVersioning]);
        if (args.adopt) {
            [this.batchRole, this.copyExistingCommand] = this.copyExisting(name, args);
        }

        this.registerOutputs({
            bucketName: this.bucketName,
            drBucketName: this.drBucket.bucket,
            copyExistingCommand: this.copyExistingCommand,
        });
    }

    /** A role the service assumes, with one inline policy of these statements. */
    private role(name: string, service: string, statements: unknown[], tags: Record<string, string>): aws.iam.Role {
        const role = new aws.iam.Role(name, { assumeRolePolicy: assumedBy(service), tags }, { parent: this });
        new aws.iam.RolePolicy(
            name,
            { role: role.id, policy: pulumi.jsonStringify({ Version: "2012-10-17", Statement: statements }) },
            { parent: this },
        );
        return role;
    }

    /** Versioning, default KMS encryption, public access blocked, object ownership enforced. */
    private protectBucket(
        name: string,
        bucket: pulumi.Input<string>,
        region: AwsRegion,
        key: aws.kms.Key,
        opts: pulumi.CustomResourceOptions,
    ): aws.s3.BucketVersioning {
        const versioning = new aws.s3.BucketVersioning(
            `${name}-versioning`,
            { region, bucket, versioningConfiguration: { status: "Enabled" } },
            opts,
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-encryption`,
            {
                region,
                bucket,
                rules: [
                    { applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: key.arn }, bucketKeyEnabled: true },
                ],
            },
            opts,
        );
        new aws.s3.BucketPublicAccessBlock(
            `${name}-public-access-block`,
            { region, bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            opts,
        );
        new aws.s3.BucketOwnershipControls(`${name}-ownership`, { region, bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
        return versioning;
    }

    /**
     * Live replication copies only versions written after it is configured ("What isn't replicated":
     * objects that existed before), so an adopted bucket needs its existing objects copied once: an
     * S3 Batch Replication job whose manifest S3 generates from the bucket, limited to versions never
     * (or unsuccessfully) replicated. @pulumi/aws has no resource for a Batch Operations job, so the
     * stack declares the job's role and the exact command; the README's failover step runs it once
     * after `pulumi up`. Role permissions: Amazon S3 User Guide, "Replicating existing objects with
     * Batch Replication" (s3:InitiateReplication on the objects; s3:GetReplicationConfiguration and
     * s3:PutInventoryConfiguration on the bucket for the generated manifest); no report is written.
     */
    private copyExisting(name: string, args: BucketBackupArgs): [aws.iam.Role, pulumi.Output<string>] {
        const sourceArn = this.bucketArn;
        const role = this.role(
            `${name}-batch-replication`,
            "batchoperations.s3.amazonaws.com",
            [
                { Effect: "Allow", Action: ["s3:InitiateReplication"], Resource: pulumi.interpolate`${sourceArn}/*` },
                { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:PutInventoryConfiguration"], Resource: sourceArn },
            ],
            args.tags,
        );
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        const command = pulumi.all([account, sourceArn, role.arn]).apply(([accountId, bucketArn, roleArn]) =>
            [
                `aws s3control create-job --region ${args.region} --account-id ${accountId} --no-confirmation-required --priority 10`,
                `--role-arn ${roleArn}`,
                `--operation '{"S3ReplicateObject":{}}'`,
                `--report '{"Enabled":false}'`,
                `--manifest-generator '${JSON.stringify({
                    S3JobManifestGenerator: {
                        ExpectedBucketOwner: accountId,
                        SourceBucket: bucketArn,
                        EnableManifestOutput: false,
                        Filter: { EligibleForReplication: true, ObjectReplicationStatuses: ["NONE", "FAILED"] },
                    },
                })}'`,
            ].join(" "),
        );
        return [role, command];
    }

    /** S3 replication of every new version into the DR bucket, in the copy's storage class; deletes stay at the source. */
    private replicate(
        name: string,
        args: BucketBackupArgs,
        source: pulumi.Output<string>,
        after: pulumi.Resource[],
    ): aws.s3.BucketReplicationConfig {
        const opts = { parent: this };
        const drArn = this.drBucket.arn;
        const sourceArn = this.bucketArn;
        const role = this.role(
            `${name}-replication`,
            "s3.amazonaws.com",
            [
                { Effect: "Allow", Action: ["s3:GetReplicationConfiguration", "s3:ListBucket"], Resource: sourceArn },
                {
                    Effect: "Allow",
                    // The copy is under Object Lock: S3 reads each version's retention and legal hold to
                    // replicate them (Amazon S3 User Guide, "Object Lock considerations", "Using Object
                    // Lock with S3 Replication": s3:GetObjectRetention and s3:GetObjectLegalHold).
                    Action: [
                        "s3:GetObjectVersionForReplication",
                        "s3:GetObjectVersionAcl",
                        "s3:GetObjectVersionTagging",
                        "s3:GetObjectRetention",
                        "s3:GetObjectLegalHold",
                    ],
                    Resource: pulumi.interpolate`${sourceArn}/*`,
                },
                { Effect: "Allow", Action: ["s3:ReplicateObject", "s3:ReplicateTags"], Resource: pulumi.interpolate`${drArn}/*` },
                { Effect: "Allow", Action: ["kms:Decrypt"], Resource: this.sourceKey.arn },
                { Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: this.drKey.arn },
            ],
            args.tags,
        );
        const rtc = args.replicationTimeControl ?? false;
        const replication = new aws.s3.BucketReplicationConfig(
            `${name}-replication`,
            {
                region: args.region,
                bucket: source,
                role: role.arn,
                rules: [
                    {
                        id: "dr-copy",
                        status: "Enabled",
                        priority: 1,
                        filter: {},
                        // A delete at the source must not reach the copy.
                        deleteMarkerReplication: { status: "Disabled" },
                        sourceSelectionCriteria: { sseKmsEncryptedObjects: { status: "Enabled" } },
                        destination: {
                            bucket: drArn,
                            storageClass: defaultStorageClass(args),
                            encryptionConfiguration: { replicaKmsKeyId: this.drKey.arn },
                            // The event threshold is RTC's (s3:Replication:OperationMissedThreshold): S3 refuses
                            // it without Replication Time Control ("Metrics cannot contain an event threshold
                            // when ReplicationTime is not specified or Disabled"; S3 API Reference, Metrics).
                            metrics: rtc ? { status: "Enabled", eventThreshold: { minutes: 15 } } : { status: "Enabled" },
                            replicationTime: rtc ? { status: "Enabled", time: { minutes: 15 } } : undefined,
                        },
                    },
                ],
            },
            { ...opts, dependsOn: after },
        );

        topicAlarm(
            `${name}-replication-failed`,
            {
                region: args.region,
                alarmDescription: `Objects of ${args.bucketName} failed to replicate to its DR copy`,
                namespace: "AWS/S3",
                metricName: "OperationsFailedReplication",
                dimensions: { SourceBucket: source, DestinationBucket: this.drBucket.bucket, RuleId: "dr-copy" },
                statistic: "Sum",
                period: 300,
                evaluationPeriods: 1,
                threshold: 0,
                comparisonOperator: "GreaterThanThreshold",
                treatMissingData: "notBreaching",
                topicArn: args.alertTopicArn,
                notifyOk: false,
                tags: args.tags,
            },
            { ...opts, dependsOn: [replication] },
        );
        return replication;
    }
}
