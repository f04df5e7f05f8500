// Facts of MongoDB Atlas clusters, for the resilience model (./facts.ts): electable nodes and regions,
// the cloud backup schedules with point-in-time restore, and their copies to other regions, read with the
// Atlas policies' readers (../atlas.ts).
import { PolicyResource } from "@pulumi/policy";
import {
    AdvancedClusterProps,
    AtlasTypes,
    ClusterProps,
    clusterTopology,
    FREQUENCY_HOURS,
    governs,
    itemHours,
    scheduleItems,
    scheduleOf,
} from "../atlas";
import { scheduleLinksOf } from "../atlas/readers";
import { is, known, retentionDays, UNKNOWN } from "../util";
import { C } from "./constants";
import { awsRegionName, FactsContext, KindFacts, regionText } from "./facts";
import { Protection, Redundancy, RestorePath } from "./types";

const atlasRestore = (newCluster: boolean): RestorePath => ({
    fixedHours: newCluster ? C.atlasNewClusterHours.value : 0,
    fixedWhy: newCluster ? "a new cluster in the copy region" : "",
    retrievalHours: 0,
    gibPerHour: C.atlasRestoreGibPerHour.value,
    rateWhy: C.atlasRestoreGibPerHour.source,
});

/** Hours between copies of a frequency named in copy settings ("HOURLY", "weekly"); a name Atlas does not know: daily. */
const copyHours = (name: string) => FREQUENCY_HOURS[name.toLowerCase() as keyof typeof FREQUENCY_HOURS] ?? 24;

export function clusterFacts(cluster: PolicyResource, ctx: FactsContext): KindFacts {
    const topology = known(() => clusterTopology(cluster.type, cluster.props as AdvancedClusterProps | ClusterProps));
    const regions = topology === UNKNOWN ? [] : [...new Set(topology.regions)];
    const home = regions[0];
    const electable = topology === UNKNOWN ? 3 : Math.min(...topology.electable);
    const notes: string[] = [];
    const protections: Protection[] = [];
    const dependsOn = topology === UNKNOWN ? ["the cluster's replication specs"] : [];
    // Atlas spreads a region's electable nodes over its availability zones (three where it has three).
    const redundancy: Redundancy = {
        nodes: electable,
        zones: Math.min(electable, 3),
        failoverSeconds: C.atlasElectionSeconds.value,
        what: `${electable} electable node${electable === 1 ? "" : "s"} per shard, spread over availability zones`,
        source: C.atlasElectionSeconds.source,
        dependsOn,
    };
    if (regions.length > 1) {
        protections.push({
            mechanism: "atlas-multi-region",
            what: `electable nodes in ${regions.map(awsRegionName).join(", ")}`,
            via: [cluster.urn],
            kind: "replica",
            region: awsRegionName(regions[1]),
            elsewhere: true,
            everyHours: 0,
            lagHours: C.liveReplicaLagHours.value,
            lagWhy: C.liveReplicaLagHours.source,
            immutable: false,
            restore: { fixedHours: C.promoteReplicaHours.value, fixedWhy: "an election in the other region", retrievalHours: 0 },
            dependsOn,
        });
    }
    const sizes = known(() => {
        const specs = (cluster.props.replicationSpecs ?? []) as any[];
        const advanced = specs.flatMap((s) => (s.regionConfigs ?? []).map((r: any) => r.electableSpecs?.diskSizeGb as number | undefined));
        return [cluster.props.diskSizeGb as number | undefined, ...advanced].filter((n): n is number => typeof n === "number" && n > 0);
    });
    const sizeHint =
        sizes !== UNKNOWN && sizes.length > 0
            ? { gib: Math.max(...sizes), source: "the cluster's disk size (diskSizeGb), an upper bound" }
            : undefined;
    const pit = known(() => cluster.props.pitEnabled === true);
    const compliance = ctx.resources.filter(is(AtlasTypes.compliancePolicy)).some((p) => governs(p, cluster));
    const schedules = scheduleLinksOf(ctx.resources).schedulesOf(cluster);
    if (schedules.length === 0 && known(() => cluster.props.cloudBackup ?? cluster.props.backupEnabled) !== true) {
        notes.push("no cloud backup schedule in the stack");
    }
    for (const schedule of schedules) {
        const sure = scheduleOf(schedule, cluster) === true;
        const items = known(() => scheduleItems(schedule.props));
        const deps = [
            ...dependsOn,
            ...(sure ? [] : ["which cluster the schedule belongs to"]),
            ...(items === UNKNOWN ? ["the schedule's policy items"] : []),
        ];
        const list = items === UNKNOWN ? [] : items;
        const every = list.length > 0 ? Math.min(...list.map(itemHours)) : 24;
        const first = list.find((i) => itemHours(i) === every);
        const kept = list.length > 0 ? Math.max(...list.map((i) => retentionDays(i.retentionUnit, i.retentionValue))) : undefined;
        const window = known(() => schedule.props.restoreWindowDays as number | undefined);
        protections.push({
            mechanism: "atlas-snapshots",
            what: `Atlas snapshots (${schedule.name}) every ${every} h`,
            via: [schedule.urn],
            kind: "points",
            region: home ? awsRegionName(home) : undefined,
            elsewhere: false,
            everyHours: every,
            lagHours: 0,
            retentionDays: first ? retentionDays(first.retentionUnit, first.retentionValue) : kept,
            immutable: compliance,
            restore: atlasRestore(false),
            dependsOn: deps,
        });
        if (pit === true || pit === UNKNOWN) {
            protections.push({
                mechanism: "point-in-time",
                what: "Atlas continuous cloud backup (point-in-time restore)",
                via: [cluster.urn, schedule.urn],
                kind: "points",
                region: home ? awsRegionName(home) : undefined,
                elsewhere: false,
                everyHours: 0,
                lagHours: 0,
                retentionDays: typeof window === "number" ? window : 2,
                immutable: compliance,
                restore: atlasRestore(false),
                dependsOn: [...deps, ...(pit === UNKNOWN ? ["whether point-in-time restore is on"] : [])],
            });
        }
        const copies = known(() => (schedule.props.copySettings ?? []) as Record<string, any>[]);
        if (copies === UNKNOWN) continue;
        for (const c of copies) {
            const region = known(() => c.regionName as string | undefined);
            const where = typeof region === "string" ? awsRegionName(region) : undefined;
            const away = region === UNKNOWN || region === undefined ? "unknown" : regions.includes(region) ? false : true;
            const oplogs = known(() => c.shouldCopyOplogs === true);
            const continuous = (pit === true || pit === UNKNOWN) && (oplogs === true || oplogs === UNKNOWN);
            // Copied items: copyPolicyItems (frequencyType and their own retention) when the schedule
            // says so, else the older `frequencies` list; neither: every item is copied.
            const itemsPolicy = known(() => schedule.props.copyPolicyItemsEnabled === true);
            const copied = known(() =>
                itemsPolicy === true || (c.copyPolicyItems ?? []).length > 0
                    ? ((c.copyPolicyItems ?? []) as any[]).map((i) => ({
                          h: copyHours(String(i.frequencyType)),
                          days: retentionDays(i.retentionUnit, i.retentionValue),
                      }))
                    : ((c.frequencies ?? []) as string[]).map((f) => ({ h: copyHours(f), days: undefined as number | undefined })),
            );
            const list2 = copied === UNKNOWN ? [] : copied;
            const copyEvery = list2.length === 0 ? every : Math.min(...list2.map((i) => Math.max(i.h, every)));
            const copyKept = list2.some((i) => i.days !== undefined) ? Math.max(...list2.map((i) => i.days ?? 0)) : kept;
            const lag = continuous ? C.atlasOplogCopyHours : C.atlasSnapshotCopyHours;
            protections.push({
                mechanism: "atlas-snapshot-copy",
                what: `Atlas snapshot copies${continuous ? " with oplogs" : ""} in ${regionText(where)}`,
                via: [schedule.urn],
                kind: "points",
                region: where,
                elsewhere: away,
                everyHours: continuous ? 0 : copyEvery,
                lagHours: lag.value,
                lagWhy: lag.source,
                retentionDays: copyKept,
                immutable: compliance,
                restore: atlasRestore(true),
                dependsOn: [
                    ...deps,
                    ...(region === UNKNOWN ? ["the copy region"] : []),
                    ...(copied === UNKNOWN ? ["the copied policy items"] : []),
                ],
            });
        }
    }
    return { region: home ? awsRegionName(home) : undefined, redundancy, protections, notes, sizeHint };
}
