// MongoDB Atlas: replica sets with enough electable nodes, cloud backup on a schedule frequent and
// long enough, every snapshot copied to another region, and a Backup Compliance Policy where required.
//
// Unknown values at preview. Resource policies read the values they judge straight from the
// resource; when one is unknown the SDK skips the policy with an advisory note, and the policy runs
// at `pulumi up`, when the engine sends the value. Stack policies link resources through
// dependencies or through names known at preview; a link value that is unknown means "may be linked",
// so the stack policy does not fail a preview on a guess (each policy says so next to it).
//
// Exemptions. Every rule here honours the tag exemption (`continuity-dr = none` with a reason in
// `continuity-dr-reason`; tagsOf reads Atlas's `tags: [{ key, value }]`) and its own `exemptions`
// setting, as every data rule of the pack does. Resource policies see one resource: a cluster rule
// reads the cluster's own tags and the entries that name it; a backup-schedule rule cannot see its
// cluster's tags, so a schedule is exempted by an entry of the setting that names the schedule. The
// stack policies leave out the schedules of exempt clusters too. A reasonless entry of the setting is
// the policy's violation: reported once by a stack policy, and by a resource policy on each resource
// the entry names.
// Atlas resource tags allow only letters, digits, spaces and `; @ _ - . +` in keys and values
// (MongoDB Atlas docs, "Resource Tags"), which is why the exemption keys are spelt with a hyphen
// (`continuity-dr`, valid on AWS and Atlas alike) and a reason on an Atlas cluster avoids `:` and `/`.//
// The readers of these resources (topology, policy items, which schedule is whose) are in
// ./atlas/readers.ts; other modules import them from here.
import {
    ReportViolation,
    ResourceValidation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    StackValidationPolicy,
    validateResourceOfType,
} from "@pulumi/policy";
import { ConfiguredExemption, exemptionOf, exemptionsSetting, resourceExempted, storesInScope } from "./scope";
import { PolicyReference, resourceType } from "./types";
import { known, plural, retentionDays, settingsOf, settingsSchema, UNKNOWN } from "./util";
import {
    AdvancedClusterProps,
    AtlasTypes,
    CloudBackupScheduleProps,
    ClusterProps,
    clusterTopology,
    COPY_FREQUENCY,
    governs,
    itemHours,
    ofType,
    scheduleItems,
    scheduleLinksOf,
} from "./atlas/readers";

// Other modules read these from here.
export {
    type AdvancedClusterProps,
    AtlasTypes,
    type CloudBackupScheduleProps,
    type ClusterProps,
    clusterTopology,
    FREQUENCY_HOURS,
    governs,
    itemHours,
    scheduleItems,
    scheduleOf,
} from "./atlas/readers";

const AdvancedCluster = resourceType<AdvancedClusterProps>(AtlasTypes.advancedCluster);
const Cluster = resourceType<ClusterProps>(AtlasTypes.cluster);
const CloudBackupSchedule = resourceType<CloudBackupScheduleProps>(AtlasTypes.backupSchedule);

/** One check over both cluster resource types. */
function forClusters(
    check: (cluster: AdvancedClusterProps | ClusterProps, type: string, args: ResourceValidationArgs, report: ReportViolation) => void,
): ResourceValidation[] {
    return [
        validateResourceOfType(AdvancedCluster, (c, args, report) => check(c, AtlasTypes.advancedCluster, args, report)),
        validateResourceOfType(Cluster, (c, args, report) => check(c, AtlasTypes.cluster, args, report)),
    ];
}

type Exemptions = { exemptions: ConfiguredExemption[] };

// ---------------------------------------------------------------------------------------------

const electableSchema = settingsSchema({
    properties: { minElectableNodes: { type: "integer" as const, minimum: 1, default: 3 }, ...exemptionsSetting },
});

/** Unknown node count: skipped at preview by the SDK, judged at `pulumi up`. */
export const atlasClusterMinElectableNodes: ResourceValidationPolicy = {
    name: "atlas-cluster-min-electable-nodes",
    description: "Every Atlas cluster runs replica sets with at least the required number of electable nodes per shard.",
    enforcementLevel: "mandatory",
    configSchema: electableSchema,
    validateResource: forClusters((cluster, type, args, report) => {
        const { minElectableNodes, exemptions } = settingsOf<{ minElectableNodes: number } & Exemptions>(electableSchema, args.getConfig());
        if (resourceExempted(args, report, "atlas-cluster-min-electable-nodes", exemptions)) return;
        const { electable } = clusterTopology(type, cluster);
        electable.forEach((count, shard) => {
            if (count < minElectableNodes) {
                const subject =
                    electable.length > 1 ? `Shard ${shard + 1} of the Atlas cluster '${args.name}'` : `The Atlas cluster '${args.name}'`;
                report(
                    `${subject} has ${plural(count, "electable node")}; this environment requires at least ${minElectableNodes} so that losing a node keeps a majority.`,
                );
            }
        });
    }),
};

const backupSchema = settingsSchema({ properties: { ...exemptionsSetting } });
const backupExempted = (args: ResourceValidationArgs, report: ReportViolation) =>
    resourceExempted(args, report, "atlas-cloud-backup-enabled", settingsOf<Exemptions>(backupSchema, args.getConfig()).exemptions);

/** Unknown flag: skipped at preview by the SDK, judged at `pulumi up`. */
export const atlasCloudBackupEnabled: ResourceValidationPolicy = {
    name: "atlas-cloud-backup-enabled",
    description: "Every Atlas cluster takes cloud backups.",
    enforcementLevel: "mandatory",
    configSchema: backupSchema,
    validateResource: [
        validateResourceOfType(AdvancedCluster, (cluster, args, report) => {
            if (backupExempted(args, report)) return;
            if (cluster.backupEnabled !== true) {
                report(
                    `The Atlas cluster '${args.name}' has cloud backup off (backupEnabled is not true); every cluster must take cloud backups.`,
                );
            }
        }),
        validateResourceOfType(Cluster, (cluster, args, report) => {
            if (backupExempted(args, report)) return;
            if (cluster.cloudBackup !== true) {
                report(
                    `The Atlas cluster '${args.name}' has cloud backup off (cloudBackup is not true); every cluster must take cloud backups.`,
                );
            }
        }),
    ],
};

const pitSchema = settingsSchema({ properties: { required: { type: "boolean" as const, default: true }, ...exemptionsSetting } });

/** Unknown flag: skipped at preview by the SDK, judged at `pulumi up`. */
export const atlasPointInTimeRestore: ResourceValidationPolicy = {
    name: "atlas-point-in-time-restore",
    description: "Atlas clusters keep continuous cloud backup (point-in-time restore) where the environment requires it.",
    enforcementLevel: "mandatory",
    configSchema: pitSchema,
    validateResource: forClusters((cluster, _type, args, report) => {
        const { required, exemptions } = settingsOf<{ required: boolean } & Exemptions>(pitSchema, args.getConfig());
        if (resourceExempted(args, report, "atlas-point-in-time-restore", exemptions)) return;
        if (required && cluster.pitEnabled !== true) {
            report(
                `The Atlas cluster '${args.name}' has point-in-time restore off (pitEnabled is not true); this environment requires continuous cloud backup.`,
            );
        }
    }),
};

const intervalSchema = settingsSchema({
    properties: { maxSnapshotIntervalHours: { type: "integer" as const, minimum: 1, default: 6 }, ...exemptionsSetting },
});

/** Unknown policy items: skipped at preview by the SDK, judged at `pulumi up`. */
export const atlasSnapshotInterval: ResourceValidationPolicy = {
    name: "atlas-snapshot-interval",
    description: "Atlas backup schedules take a snapshot at least every N hours.",
    enforcementLevel: "mandatory",
    configSchema: intervalSchema,
    validateResource: validateResourceOfType(CloudBackupSchedule, (schedule, args, report) => {
        const { maxSnapshotIntervalHours: max, exemptions } = settingsOf<{ maxSnapshotIntervalHours: number } & Exemptions>(
            intervalSchema,
            args.getConfig(),
        );
        if (resourceExempted(args, report, "atlas-snapshot-interval", exemptions)) return;
        const items = scheduleItems(schedule);
        if (items.length === 0) {
            report(
                `The Atlas backup schedule '${args.name}' has no policy items, so it takes no snapshots; this environment requires one at least every ${plural(max, "hour")}.`,
            );
            return;
        }
        const every = Math.min(...items.map(itemHours));
        if (every > max) {
            report(
                `The Atlas backup schedule '${args.name}' takes a snapshot every ${plural(every, "hour")} at best; this environment requires one at least every ${plural(max, "hour")}.`,
            );
        }
    }),
};

const retentionSchema = settingsSchema({
    properties: { minRetentionDays: { type: "integer" as const, minimum: 1, default: 7 }, ...exemptionsSetting },
});

/** Unknown policy items: skipped at preview by the SDK, judged at `pulumi up`. */
export const atlasSnapshotRetention: ResourceValidationPolicy = {
    name: "atlas-snapshot-retention",
    description: "Atlas backup schedules keep every snapshot, and every copy of one in another region, at least N days.",
    enforcementLevel: "mandatory",
    configSchema: retentionSchema,
    validateResource: validateResourceOfType(CloudBackupSchedule, (schedule, args, report) => {
        const { minRetentionDays: min, exemptions } = settingsOf<{ minRetentionDays: number } & Exemptions>(
            retentionSchema,
            args.getConfig(),
        );
        if (resourceExempted(args, report, "atlas-snapshot-retention", exemptions)) return;
        const kept = (unit: string, value: number) => {
            const days = retentionDays(unit, value);
            return { days, words: unit === "days" ? plural(value, "day") : `${value} ${unit} (${plural(days, "day")})` };
        };
        for (const item of scheduleItems(schedule)) {
            const { days, words } = kept(item.retentionUnit, item.retentionValue);
            if (!(days >= min)) {
                report(
                    `The Atlas backup schedule '${args.name}' keeps ${item.frequency} snapshots ${words}; this environment requires at least ${plural(min, "day")}.`,
                );
            }
        }
        for (const copy of schedule.copySettings ?? []) {
            for (const item of schedule.copyPolicyItemsEnabled ? (copy.copyPolicyItems ?? []) : []) {
                if (item.retentionUnit === undefined || item.retentionValue === undefined) continue;
                const { days, words } = kept(item.retentionUnit, item.retentionValue);
                if (!(days >= min)) {
                    report(
                        `The Atlas backup schedule '${args.name}' keeps its ${item.frequencyType} copies in ${copy.regionName} ${words}; this environment requires at least ${plural(min, "day")}.`,
                    );
                }
            }
        }
    }),
};

const weeklySchema = settingsSchema({
    properties: {
        required: { type: "boolean" as const, default: true },
        minRetentionWeeks: { type: "integer" as const, minimum: 1, default: 4 },
        ...exemptionsSetting,
    },
});

/** Unknown policy items: skipped at preview by the SDK, judged at `pulumi up`. */
export const atlasWeeklySnapshot: ResourceValidationPolicy = {
    name: "atlas-weekly-snapshot",
    description: "Atlas backup schedules include a weekly snapshot kept at least N weeks where the environment requires one.",
    enforcementLevel: "mandatory",
    configSchema: weeklySchema,
    validateResource: validateResourceOfType(CloudBackupSchedule, (schedule, args, report) => {
        const {
            required,
            minRetentionWeeks: min,
            exemptions,
        } = settingsOf<{ required: boolean; minRetentionWeeks: number } & Exemptions>(weeklySchema, args.getConfig());
        if (!required || resourceExempted(args, report, "atlas-weekly-snapshot", exemptions)) return;
        const weekly = scheduleItems(schedule).filter((i) => i.frequency === "weekly");
        if (weekly.length === 0) {
            report(
                `The Atlas backup schedule '${args.name}' has no weekly snapshot; this environment requires one kept at least ${plural(min, "week")}.`,
            );
            return;
        }
        const longest = Math.max(...weekly.map((i) => retentionDays(i.retentionUnit, i.retentionValue)));
        if (!(longest >= min * 7)) {
            report(
                `The Atlas backup schedule '${args.name}' keeps weekly snapshots ${plural(longest, "day")}; this environment requires at least ${plural(min, "week")} (${min * 7} days).`,
            );
        }
    }),
};

// --- stack policies ----------------------------------------------------------------------------

const hasScheduleSchema = settingsSchema({ properties: { ...exemptionsSetting } });

/** A cluster without a schedule; a schedule whose cluster name is unknown may be its own, so it passes. */
export const atlasClusterHasBackupSchedule: StackValidationPolicy = {
    name: "atlas-cluster-has-backup-schedule",
    description: "Every Atlas cluster has a cloud backup schedule in the same stack.",
    enforcementLevel: "mandatory",
    configSchema: hasScheduleSchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<Exemptions>(hasScheduleSchema, args.getConfig());
        const links = scheduleLinksOf(args.resources);
        for (const cluster of storesInScope(args, report, "atlas-cluster-has-backup-schedule", ["atlasCluster"], exemptions)) {
            if (!links.mayHaveSchedule(cluster)) {
                report(
                    `The Atlas cluster '${cluster.name}' has no backup schedule (mongodbatlas.CloudBackupSchedule) in this stack; every cluster needs one that sets its snapshots and their copies in another region.`,
                    cluster.urn,
                );
            }
        }
    },
};

const copySchema = settingsSchema({ properties: { requireOplogs: { type: "boolean" as const, default: true }, ...exemptionsSetting } });

/**
 * Unknown copy region: that copy may be elsewhere, so it counts as one (judged again at `pulumi up`).
 * A schedule whose cluster is not in the stack is compared with no region: any copy counts.
 */
export const atlasBackupCopyToOtherRegion: StackValidationPolicy = {
    name: "atlas-backup-copy-to-other-region",
    description:
        "Every Atlas backup schedule copies each of its policy items to a region other than its cluster's, with the oplogs where point-in-time restore is on.",
    enforcementLevel: "mandatory",
    configSchema: copySchema,
    validateStack: (args, report) => {
        const { requireOplogs, exemptions } = settingsOf<{ requireOplogs: boolean } & Exemptions>(copySchema, args.getConfig());
        const schedules = args.resources.filter(ofType(AtlasTypes.backupSchedule));
        const judged = new Set(storesInScope(args, report, "atlas-backup-copy-to-other-region", ["atlasCluster"], exemptions));
        const links = scheduleLinksOf(args.resources);
        for (const schedule of schedules) {
            const cluster = links.clusterOf(schedule);
            // The schedule of an exempt cluster, or a schedule the setting names, is left alone.
            if ((cluster && !judged.has(cluster)) || exemptionOf(schedule, exemptions)) continue;
            const home = cluster
                ? known(() => clusterTopology(cluster.type, cluster.props as AdvancedClusterProps | ClusterProps).regions)
                : [];
            const homeRegions = home === UNKNOWN ? [] : home;
            const copies = known(() => (schedule.props as CloudBackupScheduleProps).copySettings ?? []);
            if (copies === UNKNOWN) continue;
            const elsewhere = copies.filter((c) => {
                const region = known(() => c.regionName as string);
                return region === UNKNOWN || (region !== undefined && !homeRegions.includes(region));
            });
            const own = homeRegions.length > 0 ? ` (${homeRegions.join(", ")})` : "";
            if (elsewhere.length === 0) {
                report(
                    `The Atlas backup schedule '${schedule.name}' copies no snapshots to a region other than its cluster's${own}; every snapshot needs a copy in another region.`,
                    schedule.urn,
                );
                continue;
            }
            const itemsPolicy = known(() => schedule.props.copyPolicyItemsEnabled === true);
            const covered = new Set<string>();
            for (const c of elsewhere) {
                const frequencies = known(() =>
                    itemsPolicy === true
                        ? ((c.copyPolicyItems ?? []) as any[]).map((i) => i.frequencyType as string)
                        : ((c.frequencies ?? []) as string[]).map((f) => COPY_FREQUENCY[f] ?? f.toLowerCase()),
                );
                if (frequencies === UNKNOWN || itemsPolicy === UNKNOWN) {
                    Object.values(COPY_FREQUENCY).forEach((f) => covered.add(f));
                } else {
                    frequencies.forEach((f) => covered.add(f));
                }
            }
            const items = known(() => scheduleItems(schedule.props));
            const needed = items === UNKNOWN ? [] : [...new Set(items.map((i) => i.frequency))];
            const regionsList = elsewhere
                .map((c) => known(() => c.regionName as string))
                .map((r) => (r === UNKNOWN ? "an unknown region" : r));
            for (const frequency of needed.filter((f) => !covered.has(f))) {
                report(
                    `The Atlas backup schedule '${schedule.name}' does not copy its ${frequency} snapshots to another region; every policy item needs a copy (its copies to ${regionsList.join(", ")} cover ${[...covered].join(", ") || "nothing"}).`,
                    schedule.urn,
                );
            }
            const pit = cluster ? known(() => cluster.props.pitEnabled === true) : false;
            if (requireOplogs && pit === true) {
                const oplogs = elsewhere.some((c) => {
                    const copied = known(() => c.shouldCopyOplogs);
                    return copied === true || copied === UNKNOWN;
                });
                if (!oplogs) {
                    report(
                        `The Atlas backup schedule '${schedule.name}' copies no oplogs to another region although its cluster has point-in-time restore on; set shouldCopyOplogs on its copy to ${regionsList.join(", ")}.`,
                        schedule.urn,
                    );
                }
            }
        }
    },
};

const complianceSchema = settingsSchema({
    properties: {
        required: { type: "boolean" as const, default: true },
        requireCopyProtection: { type: "boolean" as const, default: true },
        ...exemptionsSetting,
    },
});

export const atlasBackupCompliancePolicy: StackValidationPolicy = {
    name: "atlas-backup-compliance-policy",
    description:
        "Where the environment requires it, the project of every Atlas cluster has a Backup Compliance Policy that protects snapshot copies.",
    enforcementLevel: "mandatory",
    configSchema: complianceSchema,
    validateStack: (args, report) => {
        const { required, requireCopyProtection, exemptions } = settingsOf<
            { required: boolean; requireCopyProtection: boolean } & Exemptions
        >(complianceSchema, args.getConfig());
        const judged = storesInScope(args, report, "atlas-backup-compliance-policy", ["atlasCluster"], exemptions);
        const policies = args.resources.filter(ofType(AtlasTypes.compliancePolicy));
        if (requireCopyProtection) {
            for (const policy of policies) {
                const protectedCopies = known(() => policy.props.copyProtectionEnabled);
                if (protectedCopies !== true && protectedCopies !== UNKNOWN) {
                    report(
                        `The Backup Compliance Policy '${policy.name}' does not protect snapshot copies (copyProtectionEnabled is not true); this environment requires it so that the copies in other regions cannot be deleted.`,
                        policy.urn,
                    );
                }
            }
        }
        if (!required) return;
        for (const cluster of judged) {
            if (!policies.some((p) => governs(p, cluster))) {
                report(
                    `The Atlas project of cluster '${cluster.name}' has no Backup Compliance Policy in this stack; this environment requires one so that no one can shorten or delete its backups.`,
                    cluster.urn,
                );
            }
        }
    },
};

export const atlasPolicies = [
    atlasClusterMinElectableNodes,
    atlasCloudBackupEnabled,
    atlasPointInTimeRestore,
    atlasSnapshotInterval,
    atlasSnapshotRetention,
    atlasWeeklySnapshot,
    atlasClusterHasBackupSchedule,
    atlasBackupCopyToOtherRegion,
    atlasBackupCompliancePolicy,
];

const SKIPPED = "skipped by the SDK with an advisory note; judged at `pulumi up`";
const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";
const EXEMPT = "an unknown tag is no exemption";
const CLUSTERS = [AtlasTypes.advancedCluster, AtlasTypes.cluster];
const NO_ANCHOR = "none: AWS Config and Checkov do not read Atlas";

export const atlasReference: Record<string, PolicyReference> = {
    "atlas-cluster-min-electable-nodes": { resources: CLUSTERS, unknown: `${SKIPPED}; ${EXEMPT}`, protectsData: true, anchors: NO_ANCHOR },
    "atlas-cloud-backup-enabled": { resources: CLUSTERS, unknown: `${SKIPPED}; ${EXEMPT}`, protectsData: true, anchors: NO_ANCHOR },
    "atlas-point-in-time-restore": { resources: CLUSTERS, unknown: `${SKIPPED}; ${EXEMPT}`, protectsData: true, anchors: NO_ANCHOR },
    "atlas-snapshot-interval": { resources: [AtlasTypes.backupSchedule], unknown: SKIPPED, protectsData: true, anchors: NO_ANCHOR },
    "atlas-snapshot-retention": { resources: [AtlasTypes.backupSchedule], unknown: SKIPPED, protectsData: true, anchors: NO_ANCHOR },
    "atlas-weekly-snapshot": { resources: [AtlasTypes.backupSchedule], unknown: SKIPPED, protectsData: true, anchors: NO_ANCHOR },
    "atlas-cluster-has-backup-schedule": {
        resources: [...CLUSTERS, AtlasTypes.backupSchedule],
        unknown: `a schedule whose cluster name is unknown may be the cluster's: ${FAVOUR}; ${EXEMPT}`,
        protectsData: true,
        anchors: NO_ANCHOR,
    },
    "atlas-backup-copy-to-other-region": {
        resources: [...CLUSTERS, AtlasTypes.backupSchedule],
        unknown: `an unknown copy region may be another region: ${FAVOUR}; ${EXEMPT}`,
        protectsData: true,
        anchors: NO_ANCHOR,
    },
    "atlas-backup-compliance-policy": {
        resources: [...CLUSTERS, AtlasTypes.compliancePolicy],
        unknown: `a policy whose project id is unknown may be the cluster's project's: ${FAVOUR}; ${EXEMPT}`,
        protectsData: true,
        anchors: NO_ANCHOR,
    },
};
