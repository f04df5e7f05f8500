import * as pulumi from "@pulumi/pulumi";
import { ContinuityConfig } from "../config";
import { continuityTags, sizeTags } from "../tags";
import { Alerting } from "./alerting";
import { DrillReminder } from "./drills";
import { MongoCluster } from "./atlas";
import { SearchDomain } from "./search";
import { WebService } from "./service";
import { BucketBackup } from "./storage";
import { RecoveryPointWatch } from "./watch";

/**
 * The whole DR topology of one environment, built from its validated configuration. Each tier is a
 * child component; later tiers route their alarms to `alerting`.
 */
export class Continuity extends pulumi.ComponentResource {
    readonly alerting: Alerting;
    readonly atlas: MongoCluster;
    readonly buckets: BucketBackup[];
    readonly search: SearchDomain;
    readonly service: WebService;
    /** The notice, twice a year, that a DR drill is due. */
    readonly drills: DrillReminder;
    /** The hourly reading of each store's newest copy in the DR region, with an alarm past its RPO target. */
    readonly watch: RecoveryPointWatch;
    /** The alert channel in us-east-1, where Route 53 health-check alarms must live (the primary one when that is us-east-1). */
    readonly uptimeAlerting: Alerting;

    constructor(name: string, config: ContinuityConfig, opts?: pulumi.ComponentResourceOptions) {
        super("continuity:index:Continuity", name, {}, opts);
        const environment = config.environment;
        const production = environment === "production";

        this.alerting = new Alerting(
            `${name}-alerts`,
            {
                region: config.regions.primary,
                emails: config.alerting.emails,
                webhookUrl: config.alerting.webhookUrl,
                tags: continuityTags({ environment, tier: "alerting", role: "alert-channel" }),
            },
            { parent: this },
        );

        this.drills = new DrillReminder(
            `${name}-drills`,
            {
                region: config.regions.primary,
                months: config.drills.months,
                last: config.drills.last,
                project: config.project,
                stack: config.stack,
                alertTopicArn: this.alerting.topicArn,
                tags: continuityTags({ environment, tier: "alerting", role: "alert-channel" }),
            },
            { parent: this },
        );

        const atlas = config.atlas;
        this.atlas = new MongoCluster(
            `${name}-atlas`,
            {
                ...atlas,
                alerts: this.alerting,
                tags: continuityTags({ environment, tier: "database", role: "primary", dataset: atlas.clusterName }),
                clusterTags: sizeTags(atlas),
                protect: production,
            },
            { parent: this },
        );

        const storage = config.storage;
        this.buckets = storage.buckets.map(
            (b) =>
                new BucketBackup(
                    `${name}-${b.dataset}`,
                    {
                        bucketName: b.name,
                        adopt: b.adopt,
                        region: config.regions.primary,
                        drBucketName: b.drName,
                        drRegion: config.regions.dr,
                        strategy: b.copy,
                        lock: storage.lock,
                        noncurrentVersionDays: storage.noncurrentVersionDays,
                        replicationTimeControl: storage.replicationTimeControl,
                        alertTopicArn: this.alerting.topicArn,
                        tags: continuityTags({ environment, tier: "storage", role: "primary", dataset: b.dataset }),
                        sourceTags: sizeTags(b),
                        protect: production,
                    },
                    { parent: this },
                ),
        );

        this.search = new SearchDomain(
            `${name}-search`,
            {
                ...config.search,
                region: config.regions.primary,
                drRegion: config.regions.dr,
                lock: storage.lock,
                noncurrentVersionDays: storage.noncurrentVersionDays,
                alertTopicArn: this.alerting.topicArn,
                tags: continuityTags({ environment, tier: "search", role: "primary", dataset: config.search.domainName }),
                protect: production,
            },
            { parent: this },
        );

        this.watch = new RecoveryPointWatch(
            `${name}-watch`,
            {
                region: config.regions.primary,
                environment,
                schedule: config.watch.schedule,
                atlasKeySecretArn: config.watch.atlasKeySecretArn,
                targets: config.watch.targets,
                stores: [
                    {
                        kind: "atlas",
                        store: atlas.clusterName,
                        resource: this.atlas.cluster,
                        projectId: this.atlas.projectId,
                        clusterName: atlas.clusterName,
                        copyRegion: atlas.backup.copyRegion,
                    },
                    ...storage.buckets.map((b, i) => ({
                        kind: "s3" as const,
                        store: b.name,
                        sourceBucket: b.name,
                        sourceKeyArn: this.buckets[i].sourceKey.arn,
                        copyBucket: b.drName,
                        copyKeyArn: this.buckets[i].drKey.arn,
                        copyRegion: config.regions.dr,
                    })),
                    {
                        // Named after its snapshot bucket: a domain may share its name with the Atlas cluster.
                        kind: "opensearch",
                        store: config.search.snapshots.bucket,
                        resource: this.search.domain,
                        copyBucket: config.search.snapshots.drBucket,
                        copyKeyArn: this.search.snapshots.drKey.arn,
                        copyRegion: config.regions.dr,
                    },
                ],
                alertTopicArn: this.alerting.topicArn,
                tags: continuityTags({ environment, tier: "alerting", role: "alert-channel" }),
            },
            { parent: this },
        );

        this.uptimeAlerting =
            config.regions.primary === "us-east-1"
                ? this.alerting
                : new Alerting(
                      `${name}-uptime-alerts`,
                      {
                          region: "us-east-1",
                          emails: config.alerting.emails,
                          webhookUrl: config.alerting.webhookUrl,
                          tags: continuityTags({ environment, tier: "alerting", role: "alert-channel" }),
                      },
                      { parent: this },
                  );
        this.service = new WebService(
            `${name}-${config.service.name}`,
            {
                ...config.service,
                region: config.regions.primary,
                environment,
                alertTopicArn: this.alerting.topicArn,
                uptimeTopicArn: this.uptimeAlerting.topicArn,
                tags: continuityTags({ environment, tier: "service", role: "primary", dataset: config.service.name }),
                protect: production,
            },
            { parent: this },
        );

        this.registerOutputs({});
    }
}
