import * as pulumi from "@pulumi/pulumi";
import { ContinuityConfig } from "../config";
import { continuityTags } from "../tags";
import { Alerting } from "./alerting";
import { MongoCluster } from "./atlas";
import { BucketBackup } from "./storage";

/**
 * The whole DR topology of one environment, built from its validated configuration. Each tier is a
 * child component; later tiers route their alarms to `alerting`.
 */
export class Continuity extends pulumi.ComponentResource {
    readonly alerting: Alerting;
    readonly atlas: MongoCluster;
    readonly buckets: BucketBackup[];

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

        const atlas = config.atlas;
        this.atlas = new MongoCluster(
            `${name}-atlas`,
            {
                ...atlas,
                alerts: this.alerting,
                tags: continuityTags({ environment, tier: "database", role: "primary", dataset: atlas.clusterName }),
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
                        weekly: storage.weekly,
                        replicationTimeControl: b.copy === "replication" ? storage.replicationTimeControl : undefined,
                        alertTopicArn: this.alerting.topicArn,
                        tags: continuityTags({ environment, tier: "storage", role: "primary", dataset: b.dataset }),
                        protect: production,
                    },
                    { parent: this },
                ),
        );

        this.registerOutputs({});
    }
}
