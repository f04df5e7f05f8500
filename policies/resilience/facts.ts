// What the graph says about each data store, for the resilience model: where it lives, who takes
// over when a node or a zone is lost, and every protection — recovery points and copies, in its region
// and elsewhere — with their schedule, transfer lag, retention, immutability and the restore path.
//
// Facts are read with the policies' own readers (storage.ts, atlas.ts, search.ts, scope.ts), so the
// model and the guard agree on what copies what. Values unknown at preview are taken in the stack's
// favour and named in `dependsOn`. S3, Atlas and OpenSearch are read here; the other AWS kinds in
// ./facts-aws.ts; AWS Backup, which serves many kinds, in `backupProtections`.
import { PolicyResource } from "@pulumi/policy";
import { AdvancedClusterProps, AtlasTypes, ClusterProps, clusterTopology, FREQUENCY_HOURS, governs, itemHours, scheduleItems, scheduleOf } from "../atlas";
import { backupRulesOf, otherRegion, regionOf, StoreKindName, storeKindOf } from "../scope";
import { AUTOMATED_SNAPSHOT_DAYS, automatedSnapshotHours, crossRegionConnection, domainSnapshots, replicasOf, SearchTypes } from "../search";
import { bucketOf, bucketRoles, Copy, copiesBySource, StorageTypes } from "../storage";
import { is, known, known0, longestGapHours, Maybe, retentionDays, UNKNOWN } from "../util";
import { C, Constant } from "./constants";
import { awsFacts } from "./facts-aws";
import { Protection, Redundancy, RestorePath } from "./types";

/** A size the resource itself states (a disk, a volume), used when neither tags nor settings give one. */
export interface SizeHint {
    readonly gib: number;
    readonly source: string;
}

/** What a kind's reader returns for one store. */
export interface KindFacts {
    readonly region: string | undefined;
    readonly redundancy: Redundancy;
    readonly protections: Protection[];
    readonly notes: string[];
    readonly sizeHint?: SizeHint;
}

/** Shared, computed once per stack: the readers that look at the whole graph. */
export interface FactsContext {
    readonly resources: PolicyResource[];
    readonly copies: ReturnType<typeof copiesBySource>;
    readonly roles: ReturnType<typeof bucketRoles>;
}

export const hoursOf = (c: Constant) => (c.unit === "seconds" ? c.value / 3600 : c.value);
export const regionText = (r: string | undefined) => r ?? "an unknown region";

/** A store's region as text (Atlas writes US_WEST_2: shown as us-west-2). */
export function awsRegionName(atlas: string): string {
    return /^[A-Z]{2}_[A-Z]+_\d+$/.test(atlas) ? atlas.toLowerCase().replace(/_/g, "-") : atlas;
}

export function regionOfStore(store: PolicyResource): string | undefined {
    const r = regionOf(store);
    return typeof r === "string" ? r : undefined;
}

/** Where a copy lives relative to its store: true, false, or "unknown" (a region unknown at preview). */
export function elsewhere(home: string | undefined, region: Maybe<string | undefined>): boolean | "unknown" {
    if (region === UNKNOWN || region === undefined || home === undefined) return "unknown";
    return otherRegion(region, home) ? true : false;
}

// --- AWS Backup --------------------------------------------------------------------------------

/** The recovery points AWS Backup keeps of a store, and their copies in other regions. */
export function backupProtections(store: PolicyResource, resources: PolicyResource[], home: string | undefined, restore: RestorePath): Protection[] {
    const result: Protection[] = [];
    for (const rule of backupRulesOf(store, resources)) {
        if (rule === UNKNOWN) {
            result.push({
                mechanism: "aws-backup",
                what: "an AWS Backup plan whose rules are unknown at preview",
                via: [],
                kind: "points",
                region: home,
                elsewhere: "unknown",
                everyHours: 24,
                lagHours: 0,
                immutable: false,
                restore,
                dependsOn: ["the Backup plan's rules"],
            });
            continue;
        }
        const dependsOn: string[] = [];
        const schedule = rule.schedule;
        let every = 24; // AWS Backup runs a rule without a schedule daily, cron(0 5 ? * * *)
        if (rule.continuous === true) every = 0;
        else if (schedule === UNKNOWN) dependsOn.push(`the schedule of rule '${rule.name}'`);
        else if (schedule !== undefined) every = longestGapHours(schedule) ?? every;
        const retention = known0(rule.retentionDays);
        const points: Protection = {
            mechanism: "aws-backup",
            what: `AWS Backup plan '${rule.plan.name}' rule '${rule.name}'${every === 0 ? " (continuous)" : ""}`,
            via: [rule.plan.urn],
            kind: "points",
            region: home,
            elsewhere: false,
            everyHours: every,
            lagHours: 0,
            retentionDays: retention,
            immutable: false,
            restore,
            dependsOn,
        };
        result.push(points);
        for (const copy of rule.copies) {
            const region = known0(copy.region);
            result.push({
                ...points,
                mechanism: "aws-backup-copy",
                what: `AWS Backup copy of rule '${rule.name}' to ${regionText(region)}`,
                via: [rule.plan.urn, ...(copy.vault ? [copy.vault.urn] : [])],
                region,
                elsewhere: elsewhere(home, copy.region),
                everyHours: every === 0 ? 24 : every, // continuous backups are copied as snapshots
                lagHours: hoursOf(C.awsBackupCopyHours),
                lagWhy: C.awsBackupCopyHours.source,
                retentionDays: known0(copy.retentionDays),
                dependsOn: [...dependsOn, ...(copy.region === UNKNOWN ? ["the copy's destination vault"] : [])],
            });
        }
    }
    return result;
}

/** How AWS restores a service's snapshot or backup into a new resource. */
export const awsRestore = (what: string): RestorePath => ({
    fixedHours: hoursOf(C.awsRestoreFixedHours),
    fixedWhy: `a new ${what} from the recovery point`,
    retrievalHours: 0,
    gibPerHour: C.awsRestoreGibPerHour.value,
    rateWhy: C.awsRestoreGibPerHour.source,
});

// --- S3 ------------------------------------------------------------------------------------------

const RETRIEVAL: Record<string, Constant | undefined> = { DEEP_ARCHIVE: C.deepArchiveStandardHours, GLACIER: C.glacierStandardHours };

/** The wait before an archived copy can be read: its class's standard retrieval, or none. */
function retrievalOf(storageClass: string | undefined): Pick<RestorePath, "retrievalHours" | "retrievalWhy"> {
    const retrieval = storageClass ? RETRIEVAL[storageClass] : undefined;
    return { retrievalHours: retrieval ? retrieval.value : 0, retrievalWhy: retrieval ? `${storageClass} standard retrieval` : undefined };
}

function s3Restore(storageClass: string | undefined): RestorePath {
    return { fixedHours: 0, fixedWhy: "", ...retrievalOf(storageClass), gibPerHour: C.s3CopyGibPerHour.value, rateWhy: C.s3CopyGibPerHour.source };
}

/** Where an S3 copy lands, as far as preview tells: the destination bucket of the stack, its region (UNKNOWN: cannot tell), the class. */
function landing(copy: Copy): { destination?: PolicyResource; region: Maybe<string | undefined>; storageClass?: string } {
    const destination = copy.destination === UNKNOWN || copy.destination === undefined ? undefined : copy.destination;
    return { destination, region: destination ? regionOf(destination) : UNKNOWN, storageClass: known0(copy.storageClass) };
}

/** How long a replicated version takes to reach its copy: 15 minutes with Replication Time Control. */
const replicationLag = (copy: Copy) => (rtc(copy) ? C.s3ReplicationRtcHours : C.s3ReplicationHours);

/** Days after which noncurrent versions expire (the shortest rule), from the bucket's lifecycle; undefined: never. */
function noncurrentDays(bucket: PolicyResource, resources: PolicyResource[]): number | undefined {
    let days: number | undefined;
    for (const lc of resources.filter(is(...StorageTypes.lifecycle))) {
        if (bucketOf(lc, "bucket", [bucket]) !== bucket) continue;
        const rules = known(() => (lc.props.rules ?? []) as Record<string, any>[]);
        if (rules === UNKNOWN) continue;
        for (const rule of rules) {
            const d = known(() => (rule.status === "Disabled" ? undefined : (rule.noncurrentVersionExpiration?.noncurrentDays as number | undefined)));
            if (typeof d === "number") days = days === undefined ? d : Math.min(days, d);
        }
    }
    return days;
}

function versioned(bucket: PolicyResource, resources: PolicyResource[]): Maybe<boolean> {
    let result: Maybe<boolean> = false;
    for (const v of resources.filter(is(...StorageTypes.versioning))) {
        if (bucketOf(v, "bucket", [bucket]) !== bucket) continue;
        const status = known(() => (v.props.versioningConfiguration as { status?: string } | undefined)?.status);
        if (status === "Enabled") return true;
        if (status === UNKNOWN) result = UNKNOWN;
    }
    const legacy = known(() => (bucket.props.versioning as { enabled?: boolean } | undefined)?.enabled === true);
    return legacy === true ? true : legacy === UNKNOWN ? UNKNOWN : result;
}

function locked(bucket: PolicyResource, resources: PolicyResource[]): Maybe<boolean> {
    const enabled = known(() => bucket.props.objectLockEnabled === true);
    if (enabled !== true) return enabled;
    const locks = resources.filter(is(...StorageTypes.objectLock)).filter((l) => bucketOf(l, "bucket", [bucket]) === bucket);
    return locks.length > 0;
}

function rtc(copy: Copy): boolean {
    const rules = known(() => (copy.via.props.rules ?? copy.via.props.replicationConfiguration?.rules ?? []) as Record<string, any>[]);
    if (rules === UNKNOWN) return false;
    return rules.some((r) => known(() => r.destination?.replicationTime?.status === "Enabled") === true);
}

function bucketFacts(bucket: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(bucket);
    const protections: Protection[] = [];
    const notes: string[] = [];
    const v = versioned(bucket, ctx.resources);
    if (v !== false) {
        const days = noncurrentDays(bucket, ctx.resources);
        protections.push({
            mechanism: "s3-versioning",
            what: "S3 versioning",
            via: [bucket.urn],
            kind: "points",
            region: home,
            elsewhere: false,
            everyHours: 0,
            lagHours: 0,
            retentionDays: days,
            immutable: false,
            restore: { fixedHours: 0, fixedWhy: "", retrievalHours: 0, gibPerHour: C.s3CopyGibPerHour.value, rateWhy: C.s3CopyGibPerHour.source },
            dependsOn: v === UNKNOWN ? ["the bucket's versioning status"] : [],
        });
    } else {
        notes.push("versioning is off: an overwritten or deleted object is gone");
    }
    for (const copy of [...(ctx.copies.get(bucket) ?? []), ...(ctx.copies.get("?") ?? [])]) {
        if (copy.partial) {
            notes.push(`replication rule ${copy.partial.rule} copies only ${copy.partial.filter}`);
            continue;
        }
        const mine = (ctx.copies.get(bucket) ?? []).includes(copy);
        const { destination, region, storageClass } = landing(copy);
        const dependsOn = [
            ...(mine ? [] : ["which bucket a copy unknown at preview copies"]),
            ...(region === UNKNOWN ? ["the copy's destination bucket"] : []),
            ...(copy.storageClass === UNKNOWN ? ["the copy's storage class"] : []),
        ];
        const immutable = destination ? locked(destination, ctx.resources) : UNKNOWN;
        const retention = destination ? noncurrentDays(destination, ctx.resources) : undefined;
        const lag = copy.kind === "replication" ? replicationLag(copy) : undefined;
        let every = 0;
        if (copy.kind === "datasync") {
            if (copy.schedule === UNKNOWN) dependsOn.push("the DataSync task's schedule");
            else every = copy.schedule ? longestGapHours(copy.schedule) ?? 24 * 7 : 24 * 7;
        }
        const into = `${storageClass ?? "an unknown class"} in ${regionText(known0(region))}`;
        protections.push({
            mechanism: copy.kind === "replication" ? "s3-replication" : "datasync",
            what: copy.kind === "replication" ? `S3 replication into ${into}${lag === C.s3ReplicationRtcHours ? " with Replication Time Control" : ""}` : `DataSync task '${copy.via.name}' into ${into}`,
            via: [copy.via.urn, ...(destination ? [destination.urn] : [])],
            kind: "points",
            region: known0(region),
            elsewhere: elsewhere(home, region),
            everyHours: every,
            lagHours: lag ? lag.value : 0,
            lagWhy: lag?.source,
            retentionDays: retention,
            immutable: immutable === true || immutable === UNKNOWN,
            storageClass,
            restore: s3Restore(storageClass),
            dependsOn,
        });
    }
    protections.push(...backupProtections(bucket, ctx.resources, home, s3Restore(undefined)));
    return {
        region: home,
        redundancy: { nodes: "managed", zones: "managed", failoverSeconds: 0, what: "S3 keeps every object in at least three availability zones", source: C.managedSeconds.source },
        protections,
        notes,
    };
}

// --- Atlas ---------------------------------------------------------------------------------------

const atlasRestore = (newCluster: boolean): RestorePath => ({
    fixedHours: newCluster ? C.atlasNewClusterHours.value : 0,
    fixedWhy: newCluster ? "a new cluster in the copy region" : "",
    retrievalHours: 0,
    gibPerHour: C.atlasRestoreGibPerHour.value,
    rateWhy: C.atlasRestoreGibPerHour.source,
});

/** Hours between copies of a frequency named in copy settings ("HOURLY", "weekly"); a name Atlas does not know: daily. */
const copyHours = (name: string) => FREQUENCY_HOURS[name.toLowerCase() as keyof typeof FREQUENCY_HOURS] ?? 24;

function clusterFacts(cluster: PolicyResource, ctx: FactsContext): KindFacts {
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
    const sizeHint = sizes !== UNKNOWN && sizes.length > 0 ? { gib: Math.max(...sizes), source: "the cluster's disk size (diskSizeGb), an upper bound" } : undefined;
    const pit = known(() => cluster.props.pitEnabled === true);
    const compliance = ctx.resources.filter(is(AtlasTypes.compliancePolicy)).some((p) => governs(p, cluster));
    const schedules = ctx.resources.filter(is(AtlasTypes.backupSchedule)).filter((s) => scheduleOf(s, cluster) !== false);
    if (schedules.length === 0 && known(() => cluster.props.cloudBackup ?? cluster.props.backupEnabled) !== true) {
        notes.push("no cloud backup schedule in the stack");
    }
    for (const schedule of schedules) {
        const sure = scheduleOf(schedule, cluster) === true;
        const items = known(() => scheduleItems(schedule.props));
        const deps = [...dependsOn, ...(sure ? [] : ["which cluster the schedule belongs to"]), ...(items === UNKNOWN ? ["the schedule's policy items"] : [])];
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
                    ? ((c.copyPolicyItems ?? []) as any[]).map((i) => ({ h: copyHours(String(i.frequencyType)), days: retentionDays(i.retentionUnit, i.retentionValue) }))
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
                dependsOn: [...deps, ...(region === UNKNOWN ? ["the copy region"] : []), ...(copied === UNKNOWN ? ["the copied policy items"] : [])],
            });
        }
    }
    return { region: home ? awsRegionName(home) : undefined, redundancy, protections, notes, sizeHint };
}

// --- OpenSearch ----------------------------------------------------------------------------------

const searchRestore = (newDomain: boolean, storageClass?: string): RestorePath => ({
    fixedHours: newDomain ? C.openSearchNewDomainHours.value : 0,
    fixedWhy: newDomain ? "a new domain in the DR region with the repository registered" : "",
    ...retrievalOf(storageClass),
    gibPerHour: C.openSearchRestoreGibPerHour.value,
    rateWhy: C.openSearchRestoreGibPerHour.source,
});

/** The index templates of the stack say how many replicas indices get; OpenSearch's default is 1. */
function replicaCount(domain: PolicyResource, ctx: FactsContext): number {
    const templates = ctx.resources.filter(is(...SearchTypes.indexTemplate));
    const counts = templates.map((t) => known(() => replicasOf((t.props.body as any)?.template?.settings ?? (t.props.body as any)?.settings))).filter((n): n is number => typeof n === "number");
    return counts.length > 0 ? Math.min(...counts) : 1;
}

function domainFacts(domain: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(domain);
    const cluster = known(() => (domain.props.clusterConfig ?? {}) as Record<string, any>);
    const nodes = cluster === UNKNOWN ? 3 : known(() => (cluster.instanceCount as number | undefined) ?? 1);
    const zoneAware = cluster === UNKNOWN ? true : known(() => cluster.zoneAwarenessEnabled === true);
    const zones = zoneAware === true || zoneAware === UNKNOWN ? (cluster === UNKNOWN ? 3 : known(() => cluster.zoneAwarenessConfig?.availabilityZoneCount ?? 2)) : 1;
    const replicas = replicaCount(domain, ctx);
    const n = nodes === UNKNOWN ? 3 : nodes;
    const copiesPerShard = Math.min(n, replicas + 1);
    const z = zones === UNKNOWN ? 3 : zones;
    const redundancy: Redundancy = {
        nodes: copiesPerShard,
        zones: Math.min(z, copiesPerShard),
        failoverSeconds: hoursOf(C.openSearchShardPromotionSeconds) * 3600,
        what: `${n} data node${n === 1 ? "" : "s"} over ${z} zone${z === 1 ? "" : "s"}, ${replicas} replica${replicas === 1 ? "" : "s"} per shard`,
        source: C.openSearchShardPromotionSeconds.source,
        dependsOn: [...(cluster === UNKNOWN || nodes === UNKNOWN ? ["the domain's data nodes"] : []), ...(zones === UNKNOWN || zoneAware === UNKNOWN ? ["the domain's zones"] : [])],
    };
    const ebs = known(() => (domain.props.ebsOptions?.volumeSize as number | undefined) ?? undefined);
    const sizeHint = typeof ebs === "number" ? { gib: (ebs * n) / (replicas + 1), source: `the domain's EBS volumes (${n} × ${ebs} GiB ÷ ${replicas + 1} copies per shard), an upper bound` } : undefined;
    const protections: Protection[] = [];
    const automated = automatedSnapshotHours(domain);
    protections.push({
        mechanism: "opensearch-snapshots",
        what: `automated snapshots every ${automated} h (kept ${AUTOMATED_SNAPSHOT_DAYS} days in ${regionText(home)})`,
        via: [domain.urn],
        kind: "points",
        region: home,
        elsewhere: false,
        everyHours: automated,
        lagHours: 0,
        retentionDays: AUTOMATED_SNAPSHOT_DAYS,
        immutable: false,
        restore: searchRestore(false),
    });
    for (const s of domainSnapshots(domain, ctx.resources)) {
        const dependsOn = [...(s.everyHours === UNKNOWN ? [`the schedule of '${s.policy.name}'`] : []), ...(s.bucket === UNKNOWN ? [`the repository of '${s.policy.name}'`] : [])];
        if (s.everyHours === undefined) continue;
        const every = s.everyHours === UNKNOWN ? 24 : s.everyHours;
        const kept = s.keptDays === UNKNOWN || s.keptDays === undefined || !Number.isFinite(s.keptDays) ? undefined : s.keptDays;
        const bucket = s.bucket === UNKNOWN ? undefined : s.bucket;
        const bucketRegion = bucket ? regionOfStore(bucket) : home;
        protections.push({
            mechanism: "opensearch-snapshots",
            what: `snapshot policy '${s.policy.name}' every ${every} h${bucket ? ` into bucket '${bucket.name}'` : ""}`,
            via: [s.policy.urn, ...(bucket ? [bucket.urn] : [])],
            kind: "points",
            region: bucketRegion,
            elsewhere: elsewhere(home, bucketRegion),
            everyHours: every,
            lagHours: 0,
            retentionDays: kept,
            immutable: false,
            restore: searchRestore(false),
            dependsOn,
        });
        if (!bucket) continue;
        for (const copy of ctx.copies.get(bucket) ?? []) {
            if (copy.partial) continue;
            const { destination, region, storageClass } = landing(copy);
            const lag = copy.kind === "replication" ? replicationLag(copy) : C.s3ReplicationHours;
            protections.push({
                mechanism: "opensearch-snapshot-copy",
                what: `snapshots of '${s.policy.name}' copied by ${copy.kind === "replication" ? "S3 replication" : "DataSync"} into ${storageClass ?? "?"} in ${regionText(known0(region))}`,
                via: [s.policy.urn, copy.via.urn, ...(destination ? [destination.urn] : [])],
                kind: "points",
                region: known0(region),
                elsewhere: elsewhere(home, region),
                everyHours: copy.kind === "datasync" && typeof copy.schedule === "string" ? Math.max(every, longestGapHours(copy.schedule) ?? every) : every,
                lagHours: lag.value,
                lagWhy: lag.source,
                retentionDays: destination ? noncurrentDays(destination, ctx.resources) ?? kept : kept,
                immutable: destination ? locked(destination, ctx.resources) !== false : false,
                storageClass,
                restore: searchRestore(true, storageClass),
                dependsOn: [...dependsOn, ...(region === UNKNOWN ? ["the copy's destination bucket"] : [])],
            });
        }
    }
    const connection = crossRegionConnection(domain, ctx.resources);
    if (connection.connected && ctx.resources.some(is(...SearchTypes.outboundConnection))) {
        protections.push({
            mechanism: "opensearch-cross-cluster",
            what: "cross-cluster replication to a domain in another region",
            via: ctx.resources.filter(is(...SearchTypes.outboundConnection)).map((c) => c.urn),
            kind: "replica",
            region: undefined,
            elsewhere: true,
            everyHours: 0,
            lagHours: C.liveReplicaLagHours.value,
            lagWhy: C.liveReplicaLagHours.source,
            immutable: false,
            restore: { fixedHours: C.promoteReplicaHours.value, fixedWhy: "stopping replication and pointing clients at the follower", retrievalHours: 0 },
        });
    }
    return { region: home, redundancy, protections, notes: [], sizeHint };
}

// ---------------------------------------------------------------------------------------------

const READERS: Partial<Record<StoreKindName, (store: PolicyResource, ctx: FactsContext) => KindFacts>> = {
    s3Bucket: bucketFacts,
    atlasCluster: clusterFacts,
    searchDomain: domainFacts,
};

/** The stores the model estimates (data buckets, not copies or logs), and a reader of each one's facts. */
export function factsOf(resources: PolicyResource[]): { stores: PolicyResource[]; factsFor(store: PolicyResource): KindFacts } {
    const ctx: FactsContext = { resources, copies: copiesBySource(resources), roles: bucketRoles(resources) };
    const stores = resources.filter((r) => {
        const kind = storeKindOf(r);
        if (!kind) return false;
        return kind !== "s3Bucket" || ctx.roles.get(r) === "data";
    });
    return {
        stores,
        factsFor: (store) => {
            const kind = storeKindOf(store) as StoreKindName;
            const reader = READERS[kind];
            return reader ? reader(store, ctx) : awsFacts(store, kind, ctx);
        },
    };
}
