import * as aws from "@pulumi/aws";
import * as mongodbatlas from "@pulumi/mongodbatlas";
import * as pulumi from "@pulumi/pulumi";
import { atlasCopyRegion, DrillAtlasStore, DrillBucketStore, DrillConfig, DrillSearchStore } from "../config/drill";
import { SnapshotRestore } from "../providers/opensearch-restore";
import { SnapshotRepository } from "../providers/opensearch";
import { ObjectRestore } from "../providers/s3-restore";
import { atlasRegionName } from "../regions";
import { MANAGED_BY, TagKeys, Tier } from "../tags";
import { TLS_POLICY } from "./search";

/** What `npm run drill:verify` reads: the stack output `drill`. */
export interface DrillOutput {
    environment: string;
    source: string;
    stack: string;
    region: string;
    stores: Record<string, unknown>[];
}

/** Why every drill resource is exempt from the pack's data rules: it is a throw-away restore, not data. */
export const DRILL_EXEMPTION = "a DR drill restore deleted with the drill stack";

/**
 * The drill's resources carry no `role`: they are neither primary nor copy. They are exempted from the
 * data rules (a drill cluster needs no backup of its own) with the reason in the tag, and named as the
 * drill stack's by `continuity-drill`.
 */
export function drillTags(config: DrillConfig, tier: Tier, dataset: string): Record<string, string> {
    return {
        [TagKeys.environment]: config.environment,
        [TagKeys.tier]: tier,
        [TagKeys.dataset]: dataset,
        [TagKeys.managedBy]: MANAGED_BY,
        [TagKeys.dr]: "none",
        [TagKeys.drReason]: DRILL_EXEMPTION,
        "continuity-drill": config.stack,
    };
}

/** The newest completed snapshot of a list as getCloudBackupSnapshots answers it; a clear error when there is none. */
export function newestCompletedSnapshot(
    results: readonly { id: string; createdAt: string; status: string }[],
    store: DrillAtlasStore,
): { id: string; createdAt: string } {
    const completed = results.filter((s) => s.status === "completed" && !Number.isNaN(Date.parse(s.createdAt)));
    if (completed.length === 0) {
        const seen = results.map((s) => `${s.id} ${s.status}`).join(", ") || "none";
        throw new Error(
            `Drill store 'atlas': the source cluster '${store.sourceCluster}' has no completed snapshot to restore (snapshots: ${seen}); ` +
                "nothing was created. Check its backup schedule in the source stack.",
        );
    }
    return completed.reduce((a, b) => (Date.parse(b.createdAt) > Date.parse(a.createdAt) ? b : a));
}

/**
 * A DR drill: the source stack's copies restored in its DR region, exactly as the failover runbook
 * would, into resources of their own (a drill Atlas cluster, a drill OpenSearch domain, a drill bucket).
 * The source is only read, through data sources; nothing here is protected, so `pulumi destroy` of the
 * drill stack removes the drill resources and leaves every copy as it was.
 */
export class Drill extends pulumi.ComponentResource {
    readonly output: pulumi.Output<DrillOutput>;
    atlasCluster?: mongodbatlas.AdvancedCluster;
    atlasRestore?: mongodbatlas.CloudBackupSnapshotRestoreJob;
    searchDomain?: aws.opensearch.Domain;
    searchRepository?: SnapshotRepository;
    searchRestore?: SnapshotRestore;
    readonly drillBuckets: aws.s3.Bucket[] = [];
    readonly objectRestores: ObjectRestore[] = [];

    constructor(name: string, config: DrillConfig, opts?: pulumi.ComponentResourceOptions) {
        super("continuity:drill:Drill", name, {}, opts);
        const stores: pulumi.Output<unknown>[] = [];
        if (config.atlas) stores.push(this.atlas(name, config, config.atlas));
        for (const b of config.buckets) stores.push(this.objects(name, config, b));
        if (config.search) stores.push(this.search(name, config, config.search));
        this.output = pulumi.output({
            environment: config.environment,
            source: config.source,
            stack: config.stack,
            region: config.region,
            stores,
        }) as unknown as pulumi.Output<DrillOutput>;
        this.registerOutputs({ drill: this.output });
    }

    private atlas(name: string, config: DrillConfig, a: DrillAtlasStore): pulumi.Output<unknown> {
        if (a.drillCluster === a.sourceCluster) {
            throw new Error(
                `Drill '${name}': the drill cluster's name must differ from the source cluster '${a.sourceCluster}': a restore job ` +
                    `replaces all data of its target.`,
            );
        }
        const project = mongodbatlas.getProjectOutput(a.projectId !== undefined ? { projectId: a.projectId } : { name: a.projectName }, {
            parent: this,
        });
        const projectId = project.id;
        const snapshots = mongodbatlas.getCloudBackupSnapshotsOutput(
            { projectId, clusterName: a.sourceCluster, itemsPerPage: 500 },
            { parent: this },
        );
        const snapshot = snapshots.results.apply((r) => newestCompletedSnapshot(r ?? [], a));

        // In the source's project and in the region its snapshots are copied to: Atlas then restores from
        // the copy there ("Configure Atlas to Automatically Copy Snapshots to Other Regions": Atlas decides
        // between the original and a copy, and uses copied snapshots for a cluster in the same project and
        // region as the copy, and the copy when the original's region is down).
        this.atlasCluster = new mongodbatlas.AdvancedCluster(
            `${name}-atlas-cluster`,
            {
                projectId,
                name: a.drillCluster,
                clusterType: "REPLICASET",
                // An automated restore needs a target running the snapshot's MongoDB version.
                mongoDbMajorVersion: a.mongoDbMajorVersion,
                backupEnabled: false,
                terminationProtectionEnabled: false,
                replicationSpecs: [
                    {
                        regionConfigs: [
                            {
                                providerName: "AWS",
                                regionName: atlasRegionName(a.copyRegion),
                                priority: 7,
                                electableSpecs: { instanceSize: a.instanceSize, nodeCount: 3 },
                            },
                        ],
                    },
                ],
                tags: drillTags(config, "database", a.sourceCluster),
            },
            { parent: this },
        );
        // Atlas removes all data of the target before an automated restore: the target is the drill
        // cluster, never the source. Destroying this resource deletes nothing in Atlas (the provider only
        // forgets the job; mongodbatlas.CloudBackupSnapshotRestoreJob documentation).
        this.atlasRestore = new mongodbatlas.CloudBackupSnapshotRestoreJob(
            `${name}-atlas-restore`,
            {
                projectId,
                clusterName: a.sourceCluster,
                snapshotId: snapshot.id,
                deliveryTypeConfig: { automated: true, targetClusterName: this.atlasCluster.name, targetProjectId: projectId },
            },
            { parent: this, dependsOn: [this.atlasCluster] },
        );
        return pulumi.output({
            store: a.store,
            kind: "atlas",
            projectId,
            sourceCluster: a.sourceCluster,
            drillCluster: this.atlasCluster.name,
            snapshotId: snapshot.id,
            snapshotCreatedAt: snapshot.createdAt,
            restoreJobId: this.atlasRestore.snapshotRestoreJobId,
            copyRegion: atlasCopyRegion(a),
        });
    }

    private objects(name: string, config: DrillConfig, b: DrillBucketStore): pulumi.Output<unknown> {
        const bucket = new aws.s3.Bucket(
            `${name}-${b.store}-drill-bucket`,
            // The drill's restored objects only: emptied and deleted with the drill stack.
            { region: config.region, bucket: b.drillBucket, forceDestroy: true, tags: drillTags(config, "storage", b.store) },
            { parent: this },
        );
        new aws.s3.BucketPublicAccessBlock(
            `${name}-${b.store}-drill-bucket`,
            {
                region: config.region,
                bucket: bucket.bucket,
                blockPublicAcls: true,
                blockPublicPolicy: true,
                ignorePublicAcls: true,
                restrictPublicBuckets: true,
            },
            { parent: this },
        );
        this.drillBuckets.push(bucket);
        const sample = "keys" in b.sample ? { keys: [...b.sample.keys] } : { prefix: b.sample.prefix, count: b.sample.count };
        const restore = new ObjectRestore(
            `${name}-${b.store}-restore`,
            { store: b.store, bucket: b.copyBucket, region: config.region, ...sample, tier: b.tier, days: b.restoreDays },
            { parent: this },
        );
        this.objectRestores.push(restore);
        return pulumi.output({
            store: b.store,
            kind: "s3",
            sourceBucket: b.sourceBucket,
            copyBucket: b.copyBucket,
            drillBucket: bucket.bucket,
            keys: restore.keys,
            tier: b.tier,
            restoreDays: b.restoreDays,
            requestedAt: restore.requestedAt,
        });
    }

    private search(name: string, config: DrillConfig, s: DrillSearchStore): pulumi.Output<unknown> {
        const account = aws.getCallerIdentityOutput({}, { parent: this }).accountId;
        // Read only: the source domain's endpoint, for drill:verify's document counts.
        const source = aws.opensearch.getDomainOutput({ domainName: s.sourceDomain, region: config.sourceRegion }, { parent: this });
        const tags = drillTags(config, "search", s.sourceDomain);

        // The drill domain reads the replicated repository with this role; it may read that bucket, never write it.
        const role = new aws.iam.Role(
            `${name}-search-repository-role`,
            {
                assumeRolePolicy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [{ Effect: "Allow", Principal: { Service: "es.amazonaws.com" }, Action: "sts:AssumeRole" }],
                }),
                tags,
            },
            { parent: this },
        );
        const copyArn = `arn:aws:s3:::${s.copyBucket}`;
        const rolePolicy = new aws.iam.RolePolicy(
            `${name}-search-repository-role`,
            {
                role: role.id,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        { Effect: "Allow", Action: ["s3:ListBucket"], Resource: copyArn },
                        { Effect: "Allow", Action: ["s3:GetObject"], Resource: `${copyArn}/*` },
                        // The copy's KMS key, used through S3 in the drill region only.
                        {
                            Effect: "Allow",
                            Action: ["kms:Decrypt"],
                            Resource: "*",
                            Condition: { StringEquals: { "kms:ViaService": `s3.${config.region}.amazonaws.com` } },
                        },
                    ],
                }),
            },
            { parent: this },
        );

        this.searchDomain = new aws.opensearch.Domain(
            `${name}-search-domain`,
            {
                region: config.region,
                domainName: s.drillDomain,
                engineVersion: s.engineVersion,
                clusterConfig: {
                    instanceType: s.instanceType,
                    instanceCount: s.instanceCount,
                    zoneAwarenessEnabled: false,
                    dedicatedMasterEnabled: false,
                },
                ebsOptions: { ebsEnabled: true, volumeType: "gp3", volumeSize: s.volumeGiB },
                encryptAtRest: { enabled: true },
                nodeToNodeEncryption: { enabled: true },
                domainEndpointOptions: { enforceHttps: true, tlsSecurityPolicy: TLS_POLICY },
                accessPolicies: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: [
                        {
                            Effect: "Allow",
                            Principal: { AWS: [pulumi.interpolate`arn:aws:iam::${account}:root`] },
                            Action: "es:ESHttp*",
                            Resource: pulumi.interpolate`arn:aws:es:${config.region}:${account}:domain/${s.drillDomain}/*`,
                        },
                    ],
                }),
                tags,
            },
            { parent: this },
        );
        const endpoint = pulumi.interpolate`https://${this.searchDomain.endpoint}`;
        // Read-only: the drill domain never writes into the DR copy (OpenSearch, "Register repository":
        // `readonly`), so a drill cannot damage the snapshots it restores from.
        const repositoryBody = {
            type: "s3" as const,
            settings: { bucket: s.copyBucket, region: config.region, role_arn: role.arn, readonly: true },
        };
        this.searchRepository = new SnapshotRepository(
            `${name}-search-repository`,
            { endpoint, region: config.region, name: s.repository, body: repositoryBody },
            { parent: this, dependsOn: [rolePolicy] },
        );
        this.searchRestore = new SnapshotRestore(
            `${name}-search-restore`,
            {
                store: s.store,
                endpoint,
                region: config.region,
                repository: s.repository,
                indices: [...s.indices],
                timeoutMinutes: s.timeoutMinutes,
            },
            { parent: this, dependsOn: [this.searchRepository] },
        );
        return pulumi.output({
            store: s.store,
            kind: "opensearch",
            sourceEndpoint: pulumi.interpolate`https://${source.endpoint}`,
            drillEndpoint: endpoint,
            repository: s.repository,
            copyBucket: s.copyBucket,
            snapshot: this.searchRestore.snapshot,
            snapshotEndTime: this.searchRestore.snapshotEndTime,
            indices: [...s.indices],
            restoredIndices: this.searchRestore.restoredIndices,
            restoreStartedAt: this.searchRestore.restoreStartedAt,
            restoreFinishedAt: this.searchRestore.restoreFinishedAt,
        });
    }
}
