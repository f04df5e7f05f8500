import * as mongodbatlas from "@pulumi/mongodbatlas";
import * as pulumi from "@pulumi/pulumi";
import { atlasWeekDay, BackupSettings, CompliancePolicySettings } from "../config/atlas";
import { atlasRegionName, AwsRegion } from "../regions";

/** Where alerts go: the Alerting component satisfies it. */
export interface AlertChannel {
    readonly emails: readonly string[];
    readonly webhookUrl?: pulumi.Input<string>;
}

export interface MongoClusterArgs {
    /** An existing Atlas project. Conflicts with orgId. */
    readonly projectId?: pulumi.Input<string>;
    /** The organization to create the project in. Conflicts with projectId. */
    readonly orgId?: pulumi.Input<string>;
    /** Name of the project created under orgId; defaults to the cluster name. */
    readonly projectName?: string;
    readonly clusterName: string;
    /** AWS region of the cluster; the DR copies go to backup.copyRegion. */
    readonly region: AwsRegion;
    /** Defaults to M10, the smallest tier with cloud backup copies. */
    readonly instanceSize?: string;
    /** Electable nodes of the replica set; at least 3, defaults to 3. */
    readonly electableNodes?: number;
    readonly mongoDbMajorVersion?: string;
    readonly terminationProtection?: boolean;
    /** Continuous cloud backup; its oplogs are copied with the snapshots. */
    readonly pointInTimeRestore?: boolean;
    /** Days back a point-in-time restore can reach; defaults to 2. */
    readonly restoreWindowDays?: number;
    readonly backup: BackupSettings;
    readonly compliancePolicy?: CompliancePolicySettings;
    readonly alerts: AlertChannel;
    readonly tags?: Record<string, string>;
    /** Tags of the cluster alone (its size, for the DR plan). */
    readonly clusterTags?: Record<string, string>;
    /** The Pulumi `protect` option for the project, cluster and schedule. */
    readonly protect?: boolean;
}

type RetentionUnit = "days" | "weeks" | "months";

/** One item of the Atlas backup policy, in the shape both the schedule and the compliance policy take. */
interface PolicyItem {
    readonly frequencyType: "hourly" | "daily" | "weekly" | "monthly";
    readonly frequencyInterval: number;
    readonly retentionUnit: RetentionUnit;
    readonly retentionValue: number;
}

export function backupPolicyItems(backup: BackupSettings): PolicyItem[] {
    const items: PolicyItem[] = [
        {
            frequencyType: "hourly",
            frequencyInterval: backup.snapshotIntervalHours,
            retentionUnit: "days",
            retentionValue: backup.retentionDays,
        },
    ];
    if (backup.daily) {
        items.push({ frequencyType: "daily", frequencyInterval: 1, retentionUnit: "days", retentionValue: backup.daily.retentionDays });
    }
    if (backup.weekly) {
        items.push({
            frequencyType: "weekly",
            frequencyInterval: atlasWeekDay(backup.weekly.day),
            retentionUnit: "weeks",
            retentionValue: backup.weekly.retentionWeeks,
        });
    }
    if (backup.monthly) {
        items.push({
            frequencyType: "monthly",
            // Atlas spells "last day of the month" as 40.
            frequencyInterval: backup.monthly.dayOfMonth === "last" ? 40 : backup.monthly.dayOfMonth,
            retentionUnit: "months",
            retentionValue: backup.monthly.retentionMonths,
        });
    }
    return items;
}

/** The schedule in words, for stack outputs and the README. */
export function describeSchedule(backup: BackupSettings, pointInTimeRestore: boolean): string {
    const unit = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;
    const parts = [`every ${unit(backup.snapshotIntervalHours, "hour")} kept ${unit(backup.retentionDays, "day")}`];
    if (backup.daily) parts.push(`daily kept ${unit(backup.daily.retentionDays, "day")}`);
    if (backup.weekly) parts.push(`weekly on ${backup.weekly.day} kept ${unit(backup.weekly.retentionWeeks, "week")}`);
    if (backup.monthly) {
        const day = backup.monthly.dayOfMonth === "last" ? "the last day" : `day ${backup.monthly.dayOfMonth}`;
        parts.push(`monthly on ${day} kept ${unit(backup.monthly.retentionMonths, "month")}`);
    }
    const oplogs = pointInTimeRestore ? " with oplogs (point-in-time restore)" : "";
    return `${parts.join("; ")}; all copied to ${backup.copyRegion}${oplogs}`;
}

const defaultInstanceSize = (args: MongoClusterArgs) => args.instanceSize ?? "M10";
const defaultElectableNodes = (args: MongoClusterArgs) => args.electableNodes ?? 3;
const defaultRestoreWindow = (args: MongoClusterArgs) => args.restoreWindowDays ?? 2;

/** One alert configuration of a cluster's project. */
export interface AtlasAlert {
    readonly part: string;
    readonly eventType: string;
    /** Only for events of a replica set: the alert is limited to this cluster. */
    readonly matchCluster?: boolean;
    readonly threshold?: { readonly operator: "GREATER_THAN"; readonly threshold: number; readonly units: "MINUTES" | "HOURS" };
    readonly metric?: {
        readonly metricName: string;
        readonly operator: string;
        readonly threshold: number;
        readonly units: string;
        readonly mode: string;
    };
}

/** Continuous backup oplogs more than this far behind the cluster: an hour of point-in-time restore lost. */
export const OPLOG_BEHIND_MINUTES = 60;

/**
 * The alert configurations every cluster gets: a snapshot that fails, falls behind or fails over to
 * its fallback, a copy to the DR region that fails, oplogs that fall behind (point-in-time restore
 * only), a failed restore, replication lag and elections.
 *
 * Event type names and fields are those of the Atlas Administration API v2 (createAlertConfiguration,
 * the request body's oneOf): CPS_SNAPSHOT_FAILED, CPS_SNAPSHOT_FALLBACK_FAILED, CPS_COPY_SNAPSHOT_FAILED
 * and CPS_RESTORE_FAILED are "Cps Backup Event Types" and take no threshold; CPS_SNAPSHOT_BEHIND and
 * CPS_OPLOG_BEHIND are the "Cps Backup Threshold Alert Configuration", whose `threshold` is a
 * "Greater Than Time Threshold" (operator GREATER_THAN, an integer, time units) and which Atlas
 * refuses (400) without one; in the provider it is `thresholdConfig`.
 */
export function atlasAlerts(backup: BackupSettings, pointInTimeRestore: boolean): AtlasAlert[] {
    return [
        // Behind by more than one snapshot interval: one scheduled snapshot has not been taken.
        {
            part: "snapshot-behind",
            eventType: "CPS_SNAPSHOT_BEHIND",
            threshold: { operator: "GREATER_THAN", threshold: backup.snapshotIntervalHours, units: "HOURS" },
        },
        { part: "snapshot-failed", eventType: "CPS_SNAPSHOT_FAILED" },
        { part: "snapshot-fallback-failed", eventType: "CPS_SNAPSHOT_FALLBACK_FAILED" },
        // A snapshot that did not reach the DR region is no DR copy.
        { part: "copy-snapshot-failed", eventType: "CPS_COPY_SNAPSHOT_FAILED" },
        ...(pointInTimeRestore
            ? [
                  {
                      part: "oplog-behind",
                      eventType: "CPS_OPLOG_BEHIND",
                      threshold: { operator: "GREATER_THAN" as const, threshold: OPLOG_BEHIND_MINUTES, units: "MINUTES" as const },
                  },
              ]
            : []),
        { part: "restore-failed", eventType: "CPS_RESTORE_FAILED" },
        { part: "primary-elected", eventType: "PRIMARY_ELECTED", matchCluster: true },
        { part: "no-primary", eventType: "NO_PRIMARY", matchCluster: true },
        {
            part: "replication-lag",
            eventType: "OUTSIDE_METRIC_THRESHOLD",
            // A secondary more than a minute behind would lose that minute in a failover.
            metric: {
                metricName: "OPLOG_SLAVE_LAG_MASTER_TIME",
                operator: "GREATER_THAN",
                threshold: 60,
                units: "SECONDS",
                mode: "AVERAGE",
            },
        },
    ];
}

/**
 * A MongoDB Atlas replica set with its DR: cloud backup on a schedule whose every item is copied to
 * another region, an optional Backup Compliance Policy that keeps anyone from weakening it, and
 * alerts for failed or late snapshots, failed copies, late oplogs, replication lag and elections.
 */
export class MongoCluster extends pulumi.ComponentResource {
    readonly projectId: pulumi.Output<string>;
    readonly cluster: mongodbatlas.AdvancedCluster;
    readonly clusterName: pulumi.Output<string>;
    readonly backupSchedule: mongodbatlas.CloudBackupSchedule;
    readonly compliancePolicy?: mongodbatlas.BackupCompliancePolicy;
    readonly alertConfigurations: mongodbatlas.AlertConfiguration[];
    readonly scheduleDescription: string;

    constructor(name: string, args: MongoClusterArgs, opts?: pulumi.ComponentResourceOptions) {
        super("continuity:atlas:MongoCluster", name, {}, opts);
        validate(name, args);

        const pit = args.pointInTimeRestore ?? false;
        const protect = args.protect ?? false;
        const child = { parent: this, protect };

        this.projectId =
            args.projectId !== undefined
                ? pulumi.output(args.projectId)
                : new mongodbatlas.Project(
                      `${name}-project`,
                      { orgId: args.orgId!, name: args.projectName ?? args.clusterName, tags: args.tags },
                      child,
                  ).id;

        this.cluster = new mongodbatlas.AdvancedCluster(
            `${name}-cluster`,
            {
                projectId: this.projectId,
                name: args.clusterName,
                clusterType: "REPLICASET",
                mongoDbMajorVersion: args.mongoDbMajorVersion,
                backupEnabled: true,
                pitEnabled: pit,
                terminationProtectionEnabled: args.terminationProtection ?? false,
                // Snapshots outlive an accidental delete of the cluster.
                retainBackupsEnabled: true,
                replicationSpecs: [
                    {
                        regionConfigs: [
                            {
                                providerName: "AWS",
                                regionName: atlasRegionName(args.region),
                                priority: 7,
                                electableSpecs: {
                                    instanceSize: defaultInstanceSize(args),
                                    nodeCount: defaultElectableNodes(args),
                                },
                            },
                        ],
                    },
                ],
                tags: { ...args.tags, ...args.clusterTags },
            },
            child,
        );
        this.clusterName = this.cluster.name;

        const items = backupPolicyItems(args.backup);
        // Absent rather than empty when not configured, so the provider sees no list to diff.
        const item = (type: PolicyItem["frequencyType"]) => {
            const list = items.filter((i) => i.frequencyType === type).map(scheduleItem);
            return list.length > 0 ? list : undefined;
        };
        this.backupSchedule = new mongodbatlas.CloudBackupSchedule(
            `${name}-backup-schedule`,
            {
                projectId: this.projectId,
                clusterName: this.cluster.name,
                referenceHourOfDay: args.backup.referenceHourOfDay,
                referenceMinuteOfHour: args.backup.referenceMinuteOfHour,
                restoreWindowDays: pit ? defaultRestoreWindow(args) : undefined,
                policyItemHourly: item("hourly")?.[0],
                policyItemDaily: item("daily")?.[0],
                policyItemWeeklies: item("weekly"),
                policyItemMonthlies: item("monthly"),
                // Copy-policy items (not the deprecated `frequencies`) keep each copied item as long as the original.
                copyPolicyItemsEnabled: true,
                copySettings: [
                    {
                        cloudProvider: "AWS",
                        regionName: atlasRegionName(args.backup.copyRegion),
                        zoneId: this.cluster.replicationSpecs.apply((specs) => specs?.[0]?.zoneId),
                        shouldCopyOplogs: pit,
                        copyPolicyItems: items.map((i) => ({
                            frequencyType: i.frequencyType,
                            retentionUnit: i.retentionUnit,
                            retentionValue: i.retentionValue,
                        })),
                    },
                ],
            },
            child,
        );

        const cp = args.compliancePolicy;
        if (cp?.enabled) {
            // The compliance policy states the minimum the project's schedules may never go below: ours.
            this.compliancePolicy = new mongodbatlas.BackupCompliancePolicy(
                `${name}-compliance-policy`,
                {
                    projectId: this.projectId,
                    authorizedEmail: cp.authorizedEmail,
                    authorizedUserFirstName: cp.authorizedUserFirstName,
                    authorizedUserLastName: cp.authorizedUserLastName,
                    copyProtectionEnabled: cp.copyProtection,
                    encryptionAtRestEnabled: false,
                    pitEnabled: pit,
                    restoreWindowDays: pit ? defaultRestoreWindow(args) : undefined,
                    onDemandPolicyItem: {
                        frequencyInterval: 0,
                        retentionUnit: "days",
                        retentionValue: args.backup.retentionDays,
                    },
                    policyItemHourly: item("hourly")?.[0],
                    policyItemDaily: item("daily")?.[0],
                    policyItemWeeklies: item("weekly"),
                    policyItemMonthlies: item("monthly"),
                },
                { ...child, dependsOn: [this.backupSchedule] },
            );
        }

        const notifications = alertNotifications(args.alerts);
        this.alertConfigurations = atlasAlerts(args.backup, pit).map(
            (alert) =>
                new mongodbatlas.AlertConfiguration(
                    `${name}-alert-${alert.part}`,
                    {
                        projectId: this.projectId,
                        eventType: alert.eventType,
                        enabled: true,
                        matchers: alert.matchCluster
                            ? [{ fieldName: "CLUSTER_NAME", operator: "EQUALS", value: this.cluster.name }]
                            : undefined,
                        metricThresholdConfig: alert.metric ? { ...alert.metric } : undefined,
                        thresholdConfig: alert.threshold ? { ...alert.threshold } : undefined,
                        notifications,
                    },
                    { parent: this, dependsOn: [this.cluster] },
                ),
        );

        this.scheduleDescription = describeSchedule(args.backup, pit);
        this.registerOutputs({
            projectId: this.projectId,
            clusterName: this.clusterName,
            scheduleDescription: this.scheduleDescription,
        });
    }
}

function scheduleItem(i: PolicyItem) {
    return { frequencyInterval: i.frequencyInterval, retentionUnit: i.retentionUnit, retentionValue: i.retentionValue };
}

function alertNotifications(channel: AlertChannel): mongodbatlas.types.input.AlertConfigurationNotification[] {
    const notifications: mongodbatlas.types.input.AlertConfigurationNotification[] = channel.emails.map((emailAddress) => ({
        typeName: "EMAIL",
        emailAddress,
        delayMin: 0,
        intervalMin: 60,
    }));
    if (channel.webhookUrl !== undefined) {
        notifications.push({ typeName: "WEBHOOK", webhookUrl: channel.webhookUrl, delayMin: 0, intervalMin: 60 });
    }
    return notifications;
}

/** Rejects arguments Atlas would refuse halfway through an update, before anything is declared. */
function validate(name: string, args: MongoClusterArgs): void {
    if (args.projectId !== undefined && args.orgId !== undefined) {
        throw new Error(`MongoCluster '${name}': projectId and orgId conflict; give projectId to use a project, or orgId to create one.`);
    }
    if (args.projectId === undefined && args.orgId === undefined) {
        throw new Error(`MongoCluster '${name}': one of projectId or orgId is required.`);
    }
    const nodes = defaultElectableNodes(args);
    if (nodes < 3 || nodes % 2 === 0) {
        throw new Error(`MongoCluster '${name}': electableNodes must be an odd number of at least 3 (got ${nodes}).`);
    }
    if (args.backup.copyRegion === args.region) {
        throw new Error(
            `MongoCluster '${name}': backup.copyRegion must differ from region (both ${args.region}); a copy in the cluster's own region does not survive its loss.`,
        );
    }
    if (args.alerts.emails.length === 0 && args.alerts.webhookUrl === undefined) {
        throw new Error(`MongoCluster '${name}': alerts must name at least one e-mail address or a webhook.`);
    }
}
