// Volumes: every EFS file system and every EBS volume — whoever wrote the program — has a copy in
// another region, and EBS snapshots are kept long enough.
//
// EFS: an aws.efs.ReplicationConfiguration whose destination is in another region, or an AWS Backup
// plan whose rule copies the file system's recovery points to a vault in another region. Automatic
// backups (aws.efs.BackupPolicy, status ENABLED) are AWS Backup's default EFS plan in the same region,
// which copies nothing elsewhere: they count for nothing here, and the message says so. The
// destination of a replication is a copy, not asked for a copy of its own.
// EBS: an enabled aws.dlm.LifecyclePolicy that targets the volume (its targetTags match the volume's
// tags for resource type VOLUME, or the tags of an instance the volume is attached to for INSTANCE)
// with a schedule whose cross-Region copy rule names another region, or an AWS Backup copy as above.
// A volume that only holds a stateless cache is exempted with the tags continuity-dr = none and
// continuity-dr-reason, or in the policy's `exemptions` setting; the message says how.
//
// Links at preview: a replication, backup policy or volume attachment is tied to its file system,
// volume or instance through property dependencies (IDs are unknown until the resources exist), or
// through a known ID; a DLM policy through tags, known at preview. AWS Backup coverage comes from
// scope.ts (selections and plans).
//
// Unknown at preview: an unknown region, tag, link, schedule, copy rule or retention counts in the
// stack's favour and is judged again at `pulumi up`. Values are read inside known(), so an unknown
// one never makes the SDK skip the whole stack policy.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { TagKeys } from "../infra/tags";
import {
    backupCopyToOtherRegion,
    backupRulesOf,
    ConfiguredExemption,
    exemptionsSetting,
    otherRegion,
    regionOf,
    StoreKinds,
    storesInScope,
} from "./scope";
import { PolicyReference } from "./types";
import { is, known, Maybe, plural, retentionDays, settingsOf, settingsSchema, UNKNOWN } from "./util";

export const VolumeTypes = {
    fileSystem: "aws:efs/fileSystem:FileSystem",
    replication: "aws:efs/replicationConfiguration:ReplicationConfiguration",
    backupPolicy: "aws:efs/backupPolicy:BackupPolicy",
    volume: "aws:ebs/volume:Volume",
    lifecyclePolicy: "aws:dlm/lifecyclePolicy:LifecyclePolicy",
    attachment: "aws:ec2/volumeAttachment:VolumeAttachment",
    instance: "aws:ec2/instance:Instance",
} as const;

const EFS = StoreKinds.efsFileSystem.label;
const EBS = StoreKinds.ebsVolume.label;
const where = (region: Maybe<string | undefined>) => (typeof region === "string" ? ` in ${region}` : "");

/**
 * Whether `r` refers through `property` (an ID) to `target`: by property dependency, or by a known ID.
 * UNKNOWN when the ID is unknown and no dependency on a resource of `candidates` tells.
 */
export function refersTo(
    r: PolicyResource,
    property: string,
    target: PolicyResource,
    candidates: PolicyResource[],
): boolean | typeof UNKNOWN {
    const linked = (r.propertyDependencies[property] ?? []).filter((d) => candidates.includes(d));
    if (linked.length > 0) return linked.includes(target);
    const id = known(() => r.props[property] as string | undefined);
    if (id === UNKNOWN) return UNKNOWN;
    return typeof id === "string" && id === known(() => target.props.id);
}

// --- EFS ----------------------------------------------------------------------------------------

/** The file system a replication copies into, when the stack holds it. */
export function replicaFileSystem(replication: PolicyResource, fileSystems: PolicyResource[]): PolicyResource | undefined {
    const linked = (replication.propertyDependencies.destination ?? []).find((d) => fileSystems.includes(d));
    if (linked) return linked;
    const id = known(() => (replication.props.destination as { fileSystemId?: string } | undefined)?.fileSystemId);
    return typeof id === "string" ? fileSystems.find((f) => known(() => f.props.id) === id) : undefined;
}

/**
 * The region a replication copies into. Without `destination.region`, an existing destination file
 * system of the stack tells; otherwise EFS replicates within the source's region
 * (https://docs.aws.amazon.com/efs/latest/ug/API_DestinationToCreate.html: Region is the destination's).
 */
function replicaRegion(replication: PolicyResource, source: PolicyResource, fileSystems: PolicyResource[]): Maybe<string | undefined> {
    const region = known(() => (replication.props.destination as { region?: string } | undefined)?.region);
    if (region !== undefined) return region;
    const destination = replicaFileSystem(replication, fileSystems);
    return destination ? regionOf(destination) : regionOf(source);
}

const efsSchema = settingsSchema({ properties: { ...exemptionsSetting } });

/** An unknown source, destination or region counts in the stack's favour, judged again at `pulumi up`. */
export const efsCrossRegionCopy: StackValidationPolicy = {
    name: "efs-cross-region-copy",
    description:
        "Every EFS file system has a copy in another region: an aws.efs.ReplicationConfiguration to another region, or an AWS Backup plan with a copy action to a vault in another region.",
    enforcementLevel: "mandatory",
    configSchema: efsSchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(efsSchema, args.getConfig());
        const fileSystems = args.resources.filter(is(VolumeTypes.fileSystem));
        const replications = args.resources.filter(is(VolumeTypes.replication));
        const replicas = new Set(replications.map((r) => replicaFileSystem(r, fileSystems)).filter((f) => f !== undefined));
        for (const fs of storesInScope(args, report, "efs-cross-region-copy", ["efsFileSystem"], exemptions)) {
            if (replicas.has(fs)) continue; // a replica is a copy
            const home = regionOf(fs);
            const mine = replications.filter((r) => refersTo(r, "sourceFileSystemId", fs, fileSystems) !== false);
            const elsewhere = (r: PolicyResource) => {
                const region = replicaRegion(r, fs, fileSystems);
                return region === UNKNOWN || (region !== undefined && otherRegion(region, home));
            };
            if (mine.some(elsewhere)) continue;
            const backup = backupCopyToOtherRegion(fs, args.resources);
            if (backup.copied) continue;
            const reasons = [
                mine.length > 0
                    ? `its replication ${mine.map((r) => `'${r.name}'`).join(", ")} copies it within ${String(home ?? "its own region")}`
                    : "no aws.efs.ReplicationConfiguration replicates it to another region",
            ];
            const automatic = args.resources
                .filter(is(VolumeTypes.backupPolicy))
                .filter((b) => refersTo(b, "fileSystemId", fs, fileSystems) === true)
                .filter((b) => known(() => (b.props.backupPolicy as { status?: string } | undefined)?.status) === "ENABLED");
            if (automatic.length > 0) {
                // https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html: the default EFS plan backs up
                // daily, keeps 35 days, in a default vault of the same region.
                reasons.push(
                    `its automatic backups (aws.efs.BackupPolicy '${automatic[0].name}') go to AWS Backup's default EFS plan in the same region, which copies nothing to another region`,
                );
            }
            reasons.push(backup.found);
            report(
                `The ${EFS} '${fs.name}'${where(home)} has no copy in another region: ${reasons.join("; ")}; this environment requires a replication to another region or an AWS Backup copy to a vault in another region.`,
                fs.urn,
            );
        }
    },
};

// --- EBS ----------------------------------------------------------------------------------------

/** The region of a volume: its own `region`, else its availability zone's, else its provider's. */
export function volumeRegion(volume: PolicyResource): Maybe<string | undefined> {
    const own = known(() => volume.props.region as string | undefined);
    if (own !== undefined) return own;
    const zone = known(() => volume.props.availabilityZone as string | undefined);
    const m = typeof zone === "string" ? /^([a-z]{2}(?:-gov)?-[a-z]+-\d+)/.exec(zone) : null;
    return m ? m[1] : regionOf(volume);
}

/** Whether a resource carries any of these tags (DLM targets resources with ANY of its target tags). */
function hasAnyTag(r: PolicyResource, wanted: Maybe<Record<string, unknown> | undefined>): boolean | typeof UNKNOWN {
    if (wanted === UNKNOWN) return UNKNOWN;
    if (!wanted) return false;
    const tags = known(() => r.props.tags as Record<string, unknown> | undefined);
    if (tags === UNKNOWN) return UNKNOWN;
    let maybe = false;
    for (const key of Object.keys(wanted)) {
        const value = known(() => wanted[key]);
        const have = tags && Object.keys(tags).includes(key) ? known(() => tags[key]) : undefined;
        if (value === UNKNOWN || have === UNKNOWN) maybe = true;
        else if (have !== undefined && have === value) return true;
    }
    return maybe ? UNKNOWN : false;
}

type Details = Record<string, any>;

/** The instances a volume is attached to, through aws.ec2.VolumeAttachment dependencies. */
function instancesOf(volume: PolicyResource, resources: PolicyResource[]): PolicyResource[] {
    return resources
        .filter(is(VolumeTypes.attachment))
        .filter((a) => (a.propertyDependencies.volumeId ?? []).some((d) => d.urn === volume.urn))
        .flatMap((a) => (a.propertyDependencies.instanceId ?? []).filter(is(VolumeTypes.instance)));
}

/**
 * Whether a custom (not default) DLM policy snapshots a volume: enabled, in the volume's region, of
 * type EBS_SNAPSHOT_MANAGEMENT or IMAGE_MANAGEMENT, and targeting the volume (VOLUME) or an instance
 * it is attached to (INSTANCE, minus excludeDataVolumeTags). Yes, no, or unknown (counts as yes).
 */
export function dlmTargets(policy: PolicyResource, volume: PolicyResource, resources: PolicyResource[]): boolean | typeof UNKNOWN {
    if (known(() => policy.props.state) === "DISABLED") return false;
    const [a, b] = [regionOf(policy), volumeRegion(volume)];
    if (typeof a === "string" && typeof b === "string" && a !== b) return false;
    const details = known(() => policy.props.policyDetails as Details | undefined);
    if (details === UNKNOWN) return UNKNOWN;
    if (!details) return false;
    const type = known(() => (details.policyType as string | undefined) ?? "EBS_SNAPSHOT_MANAGEMENT");
    if (type === UNKNOWN) return UNKNOWN;
    if (type !== "EBS_SNAPSHOT_MANAGEMENT" && type !== "IMAGE_MANAGEMENT") return false;
    const types = known(() => (details.resourceTypes ?? []).map((t: unknown) => known(() => t)) as Maybe<string>[]);
    if (types === UNKNOWN) return UNKNOWN;
    const targets = known(() => details.targetTags as Record<string, unknown> | undefined);
    const verdicts: (boolean | typeof UNKNOWN)[] = [];
    if (types.includes("VOLUME") || types.includes(UNKNOWN)) verdicts.push(hasAnyTag(volume, targets));
    if (types.includes("INSTANCE") || types.includes(UNKNOWN)) {
        const excluded = hasAnyTag(
            volume,
            known(() => details.parameters?.excludeDataVolumeTags as Record<string, unknown> | undefined),
        );
        if (excluded !== true) for (const instance of instancesOf(volume, resources)) verdicts.push(hasAnyTag(instance, targets));
    }
    return verdicts.includes(true) ? true : verdicts.includes(UNKNOWN) ? UNKNOWN : false;
}

/** The custom DLM policies that (may) snapshot a volume. */
export function dlmPoliciesOf(volume: PolicyResource, resources: PolicyResource[]): PolicyResource[] {
    return resources
        .filter(is(VolumeTypes.lifecyclePolicy))
        .filter((p) => known(() => p.props.defaultPolicy) === undefined)
        .filter((p) => dlmTargets(p, volume, resources) !== false);
}

interface CopyRule {
    readonly schedule: string;
    /** Days the copies are kept; undefined: no retain rule; UNKNOWN at preview. */
    readonly days: Maybe<number | undefined>;
}

/** The cross-Region copy rules of a DLM policy that leave the volume's region (UNKNOWN: may be some). */
function dlmCopiesElsewhere(policy: PolicyResource, volume: PolicyResource): CopyRule[] | typeof UNKNOWN {
    const home = volumeRegion(volume);
    const schedules = known(() => ((policy.props.policyDetails as Details).schedules ?? []) as Details[]);
    if (schedules === UNKNOWN) return UNKNOWN;
    const found: CopyRule[] = [];
    for (let i = 0; i < schedules.length; i++) {
        const schedule = known(() => schedules[i]);
        if (schedule === UNKNOWN) return UNKNOWN;
        const name = known(() => schedule.name as string | undefined);
        const rules = known(() => (schedule.crossRegionCopyRules ?? []) as Details[]);
        if (rules === UNKNOWN) return UNKNOWN;
        for (let j = 0; j < rules.length; j++) {
            const target = known(() => (rules[j].target ?? rules[j].targetRegion) as string | undefined);
            if (target === UNKNOWN) return UNKNOWN;
            // A target ARN is an Outpost, not another region.
            if (typeof target !== "string" || target.startsWith("arn:") || !otherRegion(target, home)) continue;
            const retain = known(() => {
                const r = rules[j].retainRule as { interval?: number; intervalUnit?: string } | undefined;
                return r && typeof r.interval === "number" && typeof r.intervalUnit === "string"
                    ? retentionDays(r.intervalUnit.toLowerCase(), r.interval)
                    : undefined;
            });
            found.push({ schedule: typeof name === "string" ? name : `schedule ${i + 1}`, days: retain });
        }
    }
    return found;
}

const ebsCopySchema = settingsSchema({ properties: { ...exemptionsSetting } });

const EXEMPT_HOW = `If it only holds a stateless cache, exempt it with the tags ${TagKeys.dr} = none and ${TagKeys.drReason}, or in this policy's exemptions setting.`;

/** An unknown tag, region, schedule or copy rule counts in the stack's favour, judged again at `pulumi up`. */
export const ebsCrossRegionCopy: StackValidationPolicy = {
    name: "ebs-cross-region-copy",
    description:
        "Every EBS volume has snapshot copies in another region: a DLM lifecycle policy that targets it with a cross-Region copy rule, or an AWS Backup plan with a copy action to a vault in another region.",
    enforcementLevel: "mandatory",
    configSchema: ebsCopySchema,
    validateStack: (args, report) => {
        const { exemptions } = settingsOf<{ exemptions: ConfiguredExemption[] }>(ebsCopySchema, args.getConfig());
        for (const volume of storesInScope(args, report, "ebs-cross-region-copy", ["ebsVolume"], exemptions)) {
            const policies = dlmPoliciesOf(volume, args.resources);
            if (
                policies.some((p) => {
                    const copies = dlmCopiesElsewhere(p, volume);
                    return copies === UNKNOWN || copies.length > 0;
                })
            )
                continue;
            const backup = backupCopyToOtherRegion(volume, args.resources);
            if (backup.copied) continue;
            const dlm =
                policies.length === 0
                    ? "no enabled DLM lifecycle policy (aws.dlm.LifecyclePolicy) targets it by its tags"
                    : `the DLM lifecycle policy ${policies.map((p) => `'${p.name}'`).join(", ")} that targets it copies no snapshots to another region`;
            report(
                `The ${EBS} '${volume.name}'${where(volumeRegion(volume))} has no snapshot copy in another region: ${dlm}, and ${backup.found}; this environment requires one. ${EXEMPT_HOW}`,
                volume.urn,
            );
        }
    },
};

const retentionSchema = settingsSchema({
    properties: {
        minRetentionDays: {
            type: "integer" as const,
            minimum: 1,
            default: 7,
            description: "The fewest days an EBS volume's snapshots, and their copies in another region, are kept.",
        },
        ...exemptionsSetting,
    },
});

/** The days a DLM schedule keeps its snapshots: by age, or by count times the interval between runs. */
export function scheduleDays(schedule: Details): Maybe<number | undefined> {
    return known(() => {
        const retain = (schedule.retainRule ?? {}) as { count?: number; interval?: number; intervalUnit?: string };
        if (typeof retain.interval === "number" && typeof retain.intervalUnit === "string")
            return retentionDays(retain.intervalUnit.toLowerCase(), retain.interval);
        if (typeof retain.count !== "number") return undefined;
        const create = (schedule.createRule ?? {}) as { interval?: number; intervalUnit?: string; cronExpression?: string };
        if (typeof create.interval === "number") return (retain.count * create.interval) / 24; // DLM's only interval unit is HOURS
        // A cron expression that runs once a day at a fixed time: the count is that many days.
        if (typeof create.cronExpression === "string" && /^cron\(\d+ \d+ [*?] \* [*?] \*\)$/.test(create.cronExpression.trim()))
            return retain.count;
        return undefined;
    });
}

const days = (n: number) => plural(Math.round(n * 100) / 100, "day");

/**
 * Judges what exists: the longest retention among the DLM schedules and AWS Backup rules that snapshot
 * the volume, and among their copies in another region (a volume with neither is ebs-cross-region-copy's
 * to report). Unknown retention counts in the stack's favour, judged again at `pulumi up`.
 */
export const ebsSnapshotRetention: StackValidationPolicy = {
    name: "ebs-snapshot-retention",
    description:
        "Every EBS volume's snapshots (DLM lifecycle policy or AWS Backup) are kept at least N days, and so are their copies in another region.",
    enforcementLevel: "mandatory",
    configSchema: retentionSchema,
    validateStack: (args, report) => {
        const { minRetentionDays: min, exemptions } = settingsOf<{ minRetentionDays: number; exemptions: ConfiguredExemption[] }>(
            retentionSchema,
            args.getConfig(),
        );
        for (const volume of storesInScope(args, report, "ebs-snapshot-retention", ["ebsVolume"], exemptions)) {
            const home = volumeRegion(volume);
            // Each entry: where the number comes from, and the days (Infinity: kept until deleted by hand).
            const local: { by: string; days: Maybe<number | undefined> }[] = [];
            const copies: { by: string; days: Maybe<number | undefined> }[] = [];
            for (const policy of dlmPoliciesOf(volume, args.resources)) {
                const schedules = known(() => ((policy.props.policyDetails as Details).schedules ?? []) as Details[]);
                if (schedules === UNKNOWN) {
                    local.push({ by: "", days: UNKNOWN });
                    continue;
                }
                for (let i = 0; i < schedules.length; i++) {
                    const s = known(() => schedules[i]);
                    local.push({ by: `DLM lifecycle policy '${policy.name}'`, days: s === UNKNOWN ? UNKNOWN : scheduleDays(s) });
                }
                const elsewhere = dlmCopiesElsewhere(policy, volume);
                if (elsewhere === UNKNOWN) copies.push({ by: "", days: UNKNOWN });
                else for (const c of elsewhere) copies.push({ by: `DLM lifecycle policy '${policy.name}'`, days: c.days });
            }
            for (const rule of backupRulesOf(volume, args.resources)) {
                if (rule === UNKNOWN) {
                    local.push({ by: "", days: UNKNOWN });
                    copies.push({ by: "", days: UNKNOWN });
                    continue;
                }
                const by = `AWS Backup plan '${rule.plan.name}'`;
                local.push({ by, days: rule.retentionDays === undefined ? Infinity : rule.retentionDays });
                for (const c of rule.copies) {
                    if (c.region === UNKNOWN) copies.push({ by, days: UNKNOWN });
                    else if (otherRegion(c.region, home))
                        copies.push({ by, days: c.retentionDays === undefined ? Infinity : c.retentionDays });
                }
            }
            const judge = (entries: typeof local, what: string) => {
                if (entries.length === 0 || entries.some((e) => e.days === UNKNOWN)) return;
                const known_ = entries.filter((e): e is { by: string; days: number } => typeof e.days === "number");
                const best = known_.length > 0 ? known_.reduce((a, b) => (b.days > a.days ? b : a)) : undefined;
                if (best && best.days >= min) return;
                const kept = best
                    ? `keeps ${what} ${days(best.days)} (${best.by})`
                    : `keeps ${what} for a time this guard cannot read (${entries[0].by}: give its retain rule an interval and unit)`;
                report(`The ${EBS} '${volume.name}' ${kept}; this environment requires at least ${min}.`, volume.urn);
            };
            judge(local, "its snapshots");
            judge(copies, "its snapshot copies in another region");
        }
    },
};

export const volumePolicies = [efsCrossRegionCopy, ebsCrossRegionCopy, ebsSnapshotRetention];

const BACKUP = ["aws:backup/plan:Plan", "aws:backup/selection:Selection", "aws:backup/vault:Vault"];
const FAVOUR = "counts in the stack's favour; judged again at `pulumi up`";

export const volumeReference: Record<string, PolicyReference> = {
    "efs-cross-region-copy": {
        resources: [VolumeTypes.fileSystem, VolumeTypes.replication, VolumeTypes.backupPolicy, ...BACKUP],
        unknown: `an unknown replication source, destination or region, or an unknown Backup rule, ${FAVOUR}`,
        protectsData: true,
        anchors:
            "AWS Config efs-in-backup-plan, efs-resources-protected-by-backup-plan (with crossRegionList), Checkov CKV2_AWS_18; goes beyond them by requiring the copy in another region and by accepting EFS replication",
    },
    "ebs-cross-region-copy": {
        resources: [VolumeTypes.volume, VolumeTypes.lifecyclePolicy, VolumeTypes.attachment, VolumeTypes.instance, ...BACKUP],
        unknown: `an unknown tag, region, schedule, copy target or Backup rule ${FAVOUR}`,
        protectsData: true,
        anchors:
            "AWS Config ebs-in-backup-plan, ebs-resources-protected-by-backup-plan (with crossRegionList), Checkov CKV2_AWS_9; goes beyond them by requiring the copy in another region and by accepting DLM cross-Region copy rules",
    },
    "ebs-snapshot-retention": {
        resources: [VolumeTypes.volume, VolumeTypes.lifecyclePolicy, VolumeTypes.attachment, VolumeTypes.instance, ...BACKUP],
        unknown: `an unknown retain rule, schedule or Backup lifecycle ${FAVOUR}`,
        protectsData: true,
        anchors: "none: the anchors do not judge how long DLM keeps EBS snapshots or their cross-Region copies",
    },
};
