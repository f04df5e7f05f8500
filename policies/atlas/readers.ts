// Readers of MongoDB Atlas resources, for the Atlas policies (../atlas.ts) and the resilience model: the
// resource types and the properties the policies read, a cluster's electable nodes and regions, a
// backup schedule's policy items and their intervals, which schedule belongs to which cluster (indexed,
// for stacks of thousands of clusters), and which compliance policy governs a cluster's project. A link
// unknown at preview is UNKNOWN here (or counts as a link, where a function says so).
import { PolicyResource } from "@pulumi/policy";
import { dependsOn, known, Maybe, perStack, shareSource, UNKNOWN } from "../util";

export const AtlasTypes = {
    cluster: "mongodbatlas:index/cluster:Cluster",
    advancedCluster: "mongodbatlas:index/advancedCluster:AdvancedCluster",
    backupSchedule: "mongodbatlas:index/cloudBackupSchedule:CloudBackupSchedule",
    compliancePolicy: "mongodbatlas:index/backupCompliancePolicy:BackupCompliancePolicy",
} as const;

export const CLUSTER_TYPES: readonly string[] = [AtlasTypes.cluster, AtlasTypes.advancedCluster];

export interface PolicyItemProps {
    frequencyInterval: number;
    retentionUnit: string;
    retentionValue: number;
}

/** AdvancedCluster, as far as the policies read it. */
export interface AdvancedClusterProps {
    name?: string;
    projectId: string;
    backupEnabled?: boolean;
    pitEnabled?: boolean;
    replicationSpecs?: { regionConfigs?: { regionName?: string; electableSpecs?: { nodeCount?: number } }[] }[];
}

/** mongodbatlas.Cluster (the legacy resource), as far as the policies read it. */
export interface ClusterProps {
    name?: string;
    projectId: string;
    cloudBackup?: boolean;
    pitEnabled?: boolean;
    providerRegionName?: string;
    replicationFactor?: number;
    replicationSpecs?: { regionsConfigs?: { regionName?: string; electableNodes?: number }[] }[];
}

/** mongodbatlas.CloudBackupSchedule, as far as the policies read it. */
export interface CloudBackupScheduleProps {
    projectId: string;
    clusterName: string;
    policyItemHourly?: PolicyItemProps;
    policyItemDaily?: PolicyItemProps;
    policyItemWeeklies?: PolicyItemProps[];
    policyItemMonthlies?: PolicyItemProps[];
    policyItemYearlies?: PolicyItemProps[];
    copyPolicyItemsEnabled?: boolean;
    copySettings?: {
        regionName?: string;
        shouldCopyOplogs?: boolean;
        frequencies?: string[];
        copyPolicyItems?: { frequencyType: string; retentionUnit?: string; retentionValue?: number }[];
    }[];
}

export type Frequency = "hourly" | "daily" | "weekly" | "monthly" | "yearly";
/** Hours between snapshots of each Atlas frequency at most (a month of 31 days, a leap year). */
export const FREQUENCY_HOURS: Record<Frequency, number> = { hourly: 1, daily: 24, weekly: 24 * 7, monthly: 24 * 31, yearly: 24 * 366 };

/** Hours between two snapshots of one policy item: an hourly item's interval, else its frequency's. */
export const itemHours = (i: { frequency: Frequency; frequencyInterval: number }) =>
    i.frequency === "hourly" ? i.frequencyInterval : FREQUENCY_HOURS[i.frequency];

export interface ScheduleItem {
    frequency: Frequency;
    frequencyInterval: number;
    retentionUnit: string;
    retentionValue: number;
}

export type ScheduleProps = Record<string, any>;

/** The policy items of a backup schedule (or of a compliance policy), most frequent first. */
export function scheduleItems(props: ScheduleProps): ScheduleItem[] {
    const item = (frequency: Frequency, i: any): ScheduleItem => ({
        frequency,
        frequencyInterval: i.frequencyInterval,
        retentionUnit: i.retentionUnit,
        retentionValue: i.retentionValue,
    });
    const many = (frequency: Frequency, list: any[] | undefined) => (list ?? []).map((i) => item(frequency, i));
    return [
        ...(props.policyItemHourly ? [item("hourly", props.policyItemHourly)] : []),
        ...(props.policyItemDaily ? [item("daily", props.policyItemDaily)] : []),
        ...many("weekly", props.policyItemWeeklies),
        ...many("monthly", props.policyItemMonthlies),
        ...many("yearly", props.policyItemYearlies),
    ];
}

/** The electable nodes per shard and the regions of a cluster, for both cluster resource types. */
export function clusterTopology(type: string, props: AdvancedClusterProps | ClusterProps): { electable: number[]; regions: string[] } {
    if (type === AtlasTypes.advancedCluster) {
        // Without a replication spec (a required input; an empty list reaches Atlas) it has no node.
        const specs = (props as AdvancedClusterProps).replicationSpecs ?? [];
        return {
            electable:
                specs.length === 0
                    ? [0]
                    : specs.map((s) => (s.regionConfigs ?? []).reduce((n, r) => n + (r.electableSpecs?.nodeCount ?? 0), 0)),
            regions: specs.flatMap((s) => (s.regionConfigs ?? []).flatMap((r) => (r.regionName ? [r.regionName] : []))),
        };
    }
    const legacy = props as ClusterProps;
    const specs = legacy.replicationSpecs ?? [];
    if (specs.length === 0) {
        // A legacy single-region cluster: Atlas's default replication factor is 3.
        return { electable: [legacy.replicationFactor ?? 3], regions: legacy.providerRegionName ? [legacy.providerRegionName] : [] };
    }
    return {
        electable: specs.map((s) => (s.regionsConfigs ?? []).reduce((n, r) => n + (r.electableNodes ?? 0), 0)),
        regions: specs.flatMap((s) => (s.regionsConfigs ?? []).flatMap((r) => (r.regionName ? [r.regionName] : []))),
    };
}

/** The frequencies copy settings name (`frequencies`), as the policy items call them. */
export const COPY_FREQUENCY: Record<string, Frequency> = {
    HOURLY: "hourly",
    DAILY: "daily",
    WEEKLY: "weekly",
    MONTHLY: "monthly",
    YEARLY: "yearly",
};

export const isCluster = (r: PolicyResource) => CLUSTER_TYPES.includes(r.type);
export const ofType = (type: string) => (r: PolicyResource) => r.type === type;

/**
 * Whether `schedule` belongs to `cluster`: built from its name output, or naming it (a name known at
 * preview) in the same project. UNKNOWN when the schedule's cluster name is unknown and no
 * dependency tells.
 */
export function scheduleOf(schedule: PolicyResource, cluster: PolicyResource): Maybe<boolean> {
    if (dependsOn(schedule, cluster, "clusterName")) return true;
    const clusterName = known(() => schedule.props.clusterName as string);
    const name = known(() => cluster.props.name as string);
    if (clusterName === UNKNOWN || name === UNKNOWN) return UNKNOWN;
    if (clusterName !== name) return false;
    const a = known(() => schedule.props.projectId as string);
    const b = known(() => cluster.props.projectId as string);
    return a === UNKNOWN || b === UNKNOWN || a === b || shareSource(schedule, cluster, "projectId");
}

/** The resources a resource took values from: through one property, and anywhere. */
function sources(r: PolicyResource, property: string): Set<string> {
    return new Set([...(r.propertyDependencies[property] ?? []), ...r.dependencies].map((d) => d.urn));
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
    const list = map.get(key);
    if (list) list.push(value);
    else map.set(key, [value]);
}

/**
 * Schedules and clusters indexed by the links scheduleOf follows, so that a stack of thousands of
 * clusters is judged in linear time: scheduleOf only runs on the pairs an index proposes, and every
 * pair left out is one scheduleOf would answer `false` for.
 */
export class ScheduleLinks {
    private readonly schedulesByDependency = new Map<string, PolicyResource[]>();
    private readonly schedulesByName = new Map<string, PolicyResource[]>();
    private readonly schedulesOfUnknownCluster: PolicyResource[] = [];
    private readonly clustersByUrn = new Map<string, PolicyResource>();
    private readonly clustersByName = new Map<string, PolicyResource[]>();
    private readonly order = new Map<PolicyResource, number>();

    constructor(
        private readonly schedules: PolicyResource[],
        clusters: PolicyResource[],
    ) {
        schedules.forEach((s, i) => {
            this.order.set(s, i);
            sources(s, "clusterName").forEach((urn) => push(this.schedulesByDependency, urn, s));
            const name = known(() => s.props.clusterName as string);
            if (name === UNKNOWN) this.schedulesOfUnknownCluster.push(s);
            else push(this.schedulesByName, name, s);
        });
        clusters.forEach((c, i) => {
            this.order.set(c, i);
            this.clustersByUrn.set(c.urn, c);
            const name = known(() => c.props.name as string);
            if (name !== UNKNOWN) push(this.clustersByName, name, c);
        });
    }

    private sorted(list: Iterable<PolicyResource>): PolicyResource[] {
        return [...new Set(list)].sort((a, b) => this.order.get(a)! - this.order.get(b)!);
    }

    /** The schedules that may belong to `cluster`: every other one is a schedule scheduleOf answers `false` for. */
    private candidatesOf(cluster: PolicyResource): PolicyResource[] {
        const name = known(() => cluster.props.name as string);
        return name === UNKNOWN
            ? this.schedules
            : [
                  ...(this.schedulesByDependency.get(cluster.urn) ?? []),
                  ...(this.schedulesByName.get(name) ?? []),
                  ...this.schedulesOfUnknownCluster,
              ];
    }

    /** Whether some schedule may belong to `cluster` (scheduleOf is not `false` for it). */
    mayHaveSchedule(cluster: PolicyResource): boolean {
        return this.candidatesOf(cluster).some((s) => scheduleOf(s, cluster) !== false);
    }

    /** The schedules that may belong to `cluster` (scheduleOf is not `false`), in stack order. */
    schedulesOf(cluster: PolicyResource): PolicyResource[] {
        return this.sorted(this.candidatesOf(cluster)).filter((s) => scheduleOf(s, cluster) !== false);
    }

    /** The first cluster (in stack order) that `schedule` surely belongs to. */
    clusterOf(schedule: PolicyResource): PolicyResource | undefined {
        const name = known(() => schedule.props.clusterName as string);
        const candidates = this.sorted([
            ...[...sources(schedule, "clusterName")].flatMap((urn) => this.clustersByUrn.get(urn) ?? []),
            ...(name === UNKNOWN ? [] : (this.clustersByName.get(name) ?? [])),
        ]);
        return candidates.find((c) => scheduleOf(schedule, c) === true);
    }
}

/**
 * The stack's schedules and clusters in a ScheduleLinks, built once per stack: the Atlas rules and the
 * resilience model ask it of every cluster or schedule (pairing them directly took 2.3 s of the pack at
 * 1,667 clusters, the 5,000-resource synthetic program).
 */
export const scheduleLinksOf = perStack(
    (resources) => new ScheduleLinks(resources.filter(ofType(AtlasTypes.backupSchedule)), resources.filter(isCluster)),
);

/**
 * Whether `policy` governs the project of `cluster`. A policy whose project id is unknown and shares
 * no source with the cluster's may still be its project's: it counts (judged again at `pulumi up`).
 */
export function governs(policy: PolicyResource, cluster: PolicyResource): boolean {
    if (shareSource(policy, cluster, "projectId")) return true;
    const a = known(() => policy.props.projectId as string);
    const b = known(() => cluster.props.projectId as string);
    return a === UNKNOWN || (b !== UNKNOWN && a === b);
}
