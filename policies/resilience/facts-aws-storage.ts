// Facts of DynamoDB tables, EFS file systems and EBS volumes. Links between resources are the guard's own
// (../dynamodb.ts, ../volumes.ts): a table replica by its table's ARN or dependency, an EFS replication or
// backup policy by its file system's ID or dependency, a DLM policy by the tags it targets.
import { PolicyResource } from "@pulumi/policy";
import { DynamodbTypes, globalTableOf, PITR_MAX_DAYS, replicaOf } from "../dynamodb";
import { StoreKinds } from "../scope";
import { is, known, longestGapHours, Maybe, plural, retentionDays, UNKNOWN } from "../util";
import { dlmPoliciesOf, dlmTargets, refersTo, replicaFileSystem, scheduleDays, VolumeTypes, volumeRegion } from "../volumes";
import { C } from "./constants";
import { awsRestore, backupProtections, FactsContext, KindFacts, regionOfStore, regionText } from "./facts";
import { atHome, known0, Place, placeIn, placeOf, pointsProtection, replicaProtection, shown } from "./facts-aws-common";
import { Protection, Redundancy } from "./types";

// --- DynamoDB ------------------------------------------------------------------------------------

const promoteTable = "pointing clients at the replica (every replica of a global table takes writes)";

export function tableFacts(table: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(table);
    const label = StoreKinds.dynamodbTable.label;
    const notes: string[] = [];
    const protections: Protection[] = [];
    const pitr = known(() => table.props.pointInTimeRecovery as { enabled?: boolean; recoveryPeriodInDays?: number } | undefined);
    const enabled = pitr === UNKNOWN ? UNKNOWN : known(() => pitr?.enabled);
    const period = pitr === UNKNOWN ? UNKNOWN : known(() => pitr?.recoveryPeriodInDays);
    if (enabled === true || enabled === UNKNOWN) {
        // The recovery period is 35 days when unset (../dynamodb.ts, PointInTimeRecoverySpecification).
        const days = period === UNKNOWN ? undefined : (period ?? PITR_MAX_DAYS);
        protections.push(
            pointsProtection({
                mechanism: "point-in-time",
                what: `point-in-time recovery${days === undefined ? "" : `, kept ${plural(days, "day")}`}`,
                via: [table.urn],
                place: atHome(home),
                everyHours: 0,
                lag: C.dynamodbLatestRestorableHours,
                retentionDays: days,
                restore: awsRestore(label),
                dependsOn: [
                    ...(enabled === UNKNOWN ? ["whether point-in-time recovery is on (pointInTimeRecovery.enabled)"] : []),
                    ...(period === UNKNOWN ? ["the recovery period (pointInTimeRecovery.recoveryPeriodInDays)"] : []),
                ],
            }),
        );
    } else {
        notes.push(`point-in-time recovery is off (pointInTimeRecovery.enabled ${shown(enabled)})`);
    }
    const replicas = known(() => (table.props.replicas ?? []) as { regionName?: string }[]);
    if (replicas === UNKNOWN) {
        const place: Place = { region: undefined, elsewhere: "unknown", dependsOn: ["the table's replicas (replicas)"] };
        const what = "global table replicas unknown at preview";
        protections.push(replicaProtection({ what, via: [table.urn], place, lag: C.liveReplicaLagHours, promote: promoteTable }));
    } else {
        for (let i = 0; i < replicas.length; i++) {
            const region = known(() => replicas[i].regionName);
            const place = placeIn(home, region, `the region of replicas[${i}] (regionName)`);
            const what = `global table replica in ${regionText(place.region)}`;
            protections.push(replicaProtection({ what, via: [table.urn], place, lag: C.liveReplicaLagHours, promote: promoteTable }));
        }
    }
    const tables = ctx.resources.filter(is(DynamodbTypes.table));
    for (const r of ctx.resources.filter(is(DynamodbTypes.tableReplica))) {
        const link = replicaOf(r, table, tables);
        if (link === false) continue;
        const place = placeOf(table, r, `table replica '${r.name}'`);
        protections.push(
            replicaProtection({
                what: `table replica '${r.name}' in ${regionText(place.region)}`,
                via: [r.urn],
                place,
                lag: C.liveReplicaLagHours,
                promote: promoteTable,
                dependsOn: link === UNKNOWN ? [`which table '${r.name}' replicates (globalTableArn)`] : [],
            }),
        );
    }
    for (const g of ctx.resources.filter(is(DynamodbTypes.globalTable))) {
        const link = globalTableOf(g, table);
        if (link === false) continue;
        const regions = known(() => ((g.props.replicas ?? []) as { regionName?: string }[]).map((r) => known(() => r.regionName)));
        const list: Maybe<string | undefined>[] = regions === UNKNOWN ? [UNKNOWN] : regions;
        for (const region of list.filter((r) => r === UNKNOWN || r !== home)) {
            const place = placeIn(home, region, `the regions of global table '${g.name}' (replicas)`);
            protections.push(
                replicaProtection({
                    what: `global table '${g.name}' (version 2017.11.29) in ${regionText(place.region)}`,
                    via: [g.urn],
                    place,
                    lag: C.liveReplicaLagHours,
                    promote: promoteTable,
                    dependsOn: link === UNKNOWN ? [`whether global table '${g.name}' groups the table (name)`] : [],
                }),
            );
        }
    }
    protections.push(...backupProtections(table, ctx.resources, home, awsRestore(label)));
    return {
        region: home,
        redundancy: {
            nodes: "managed",
            zones: "managed",
            failoverSeconds: 0,
            what: "DynamoDB stores the table in several availability zones",
            source: C.managedSeconds.source,
        },
        protections,
        notes,
    };
}

// --- EFS -----------------------------------------------------------------------------------------

/** Where an EFS replication copies to: its destination region, else its destination file system's, else the source's own. */
function replicationPlace(replication: PolicyResource, fs: PolicyResource, fileSystems: PolicyResource[], home: string | undefined): Place {
    const region = known(() => (replication.props.destination as { region?: string } | undefined)?.region);
    if (region !== undefined) {
        return placeIn(home, region, `the destination region of replication '${replication.name}' (destination.region)`);
    }
    const destination = replicaFileSystem(replication, fileSystems);
    // Without a region EFS replicates within the source's region (EFS API, DestinationToCreate Region).
    return destination ? placeOf(fs, destination, `file system '${destination.name}'`) : atHome(home);
}

export function fileSystemFacts(fs: PolicyResource, ctx: FactsContext): KindFacts {
    const home = regionOfStore(fs);
    const label = StoreKinds.efsFileSystem.label;
    const notes: string[] = [];
    const protections: Protection[] = [];
    const fileSystems = ctx.resources.filter(is(VolumeTypes.fileSystem));
    const replications = ctx.resources.filter(is(VolumeTypes.replication));
    const zone = known(() => fs.props.availabilityZoneName as string | undefined);
    // EFS Regional stores data in several zones; One Zone redundantly within one (Amazon EFS FAQ, durability).
    const redundancy: Redundancy =
        typeof zone === "string"
            ? {
                  nodes: "managed",
                  zones: 1,
                  failoverSeconds: 0,
                  what: `EFS One Zone in ${zone}, stored redundantly within that availability zone only`,
              }
            : {
                  nodes: "managed",
                  zones: "managed",
                  failoverSeconds: 0,
                  what: "EFS Regional, stored in several availability zones",
                  source: C.managedSeconds.source,
                  dependsOn: zone === UNKNOWN ? ["whether the file system is One Zone (availabilityZoneName)"] : [],
              };
    for (const r of replications.filter((r) => replicaFileSystem(r, fileSystems) === fs)) {
        notes.push(`the destination of replication '${r.name}': a read-only copy of another file system`);
    }
    for (const r of replications) {
        const link = refersTo(r, "sourceFileSystemId", fs, fileSystems);
        if (link === false) continue;
        const place = replicationPlace(r, fs, fileSystems, home);
        protections.push(
            replicaProtection({
                what: `EFS replication '${r.name}' to ${regionText(place.region)}`,
                via: [r.urn],
                place,
                lag: C.efsReplicationRpoHours,
                promote: "deleting the replication configuration, which makes the replica writable, and pointing clients at it",
                dependsOn: link === UNKNOWN ? [`which file system '${r.name}' replicates (sourceFileSystemId)`] : [],
            }),
        );
    }
    for (const b of ctx.resources.filter(is(VolumeTypes.backupPolicy))) {
        const link = refersTo(b, "fileSystemId", fs, fileSystems);
        const status = known(() => (b.props.backupPolicy as { status?: string } | undefined)?.status);
        if (link === false || (status !== "ENABLED" && status !== UNKNOWN)) continue;
        // Automatic backups: AWS Backup's default EFS plan, daily, kept 35 days, in the same region
        // (https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html).
        protections.push(
            pointsProtection({
                mechanism: "aws-backup",
                what: `automatic backups ('${b.name}'): AWS Backup's default EFS plan, daily, kept 35 days`,
                via: [b.urn],
                place: atHome(home),
                everyHours: 24,
                retentionDays: 35,
                restore: awsRestore(label),
                dependsOn: [
                    ...(link === UNKNOWN ? [`which file system '${b.name}' configures (fileSystemId)`] : []),
                    ...(status === UNKNOWN ? [`the status of '${b.name}' (backupPolicy.status)`] : []),
                ],
            }),
        );
    }
    protections.push(...backupProtections(fs, ctx.resources, home, awsRestore(label)));
    return { region: home, redundancy, protections, notes };
}

// --- EBS -----------------------------------------------------------------------------------------

type Details = Record<string, any>;

/** Hours between a DLM schedule's snapshots: its interval (DLM's only unit is HOURS) or its cron expression. */
function scheduleEvery(schedule: Details): Maybe<number | undefined> {
    return known(() => {
        const create = (schedule.createRule ?? {}) as { interval?: number; cronExpression?: string };
        if (typeof create.interval === "number") return create.interval;
        return typeof create.cronExpression === "string" ? longestGapHours(create.cronExpression) : undefined;
    });
}

/** The snapshots one DLM policy takes of a volume, and their copies in other regions. */
function dlmProtections(policy: PolicyResource, volume: PolicyResource, home: string | undefined, ctx: FactsContext): Protection[] {
    const label = StoreKinds.ebsVolume.label;
    const targets = dlmTargets(policy, volume, ctx.resources);
    const linkDeps = targets === UNKNOWN ? [`whether DLM policy '${policy.name}' targets the volume (targetTags)`] : [];
    const schedules = known(() => ((policy.props.policyDetails as Details).schedules ?? []) as Details[]);
    const result: Protection[] = [];
    const unread = (why: string) =>
        pointsProtection({
            mechanism: "service-snapshots",
            what: `DLM policy '${policy.name}', whose schedules are unknown at preview`,
            via: [policy.urn],
            place: atHome(home),
            everyHours: 24,
            retentionDays: undefined,
            restore: awsRestore(label),
            dependsOn: [...linkDeps, why],
        });
    if (schedules === UNKNOWN) return [unread(`the schedules of DLM policy '${policy.name}'`)];
    for (let i = 0; i < schedules.length; i++) {
        const schedule = known(() => schedules[i]);
        if (schedule === UNKNOWN) {
            result.push(unread(`schedule ${i + 1} of DLM policy '${policy.name}'`));
            continue;
        }
        const name = known(() => schedule.name as string | undefined);
        const title = `DLM policy '${policy.name}' schedule '${typeof name === "string" ? name : i + 1}'`;
        const gap = scheduleEvery(schedule);
        const every = typeof gap === "number" ? gap : 24;
        const deps = [...linkDeps, ...(gap === UNKNOWN ? [`the create rule of ${title}`] : [])];
        if (gap === undefined) deps.push(`a create rule of ${title} this model cannot read (taken as daily)`);
        const days = scheduleDays(schedule);
        result.push(
            pointsProtection({
                mechanism: "service-snapshots",
                what: `${title}, a snapshot every ${every} h`,
                via: [policy.urn],
                place: atHome(home),
                everyHours: every,
                retentionDays: known0(days),
                restore: awsRestore(label),
                dependsOn: deps,
            }),
        );
        const rules = known(() => (schedule.crossRegionCopyRules ?? []) as Details[]);
        const count = rules === UNKNOWN ? 1 : rules.length;
        for (let j = 0; j < count; j++) {
            const target = rules === UNKNOWN ? UNKNOWN : known(() => (rules[j].target ?? rules[j].targetRegion) as string | undefined);
            if (typeof target === "string" && target.startsWith("arn:")) continue; // an Outpost, not a region
            const place = placeIn(home, target, `the target region of ${title}, copy rule ${j + 1}`);
            const kept =
                rules === UNKNOWN
                    ? undefined
                    : known(() => {
                          const r = rules[j].retainRule as { interval?: number; intervalUnit?: string } | undefined;
                          const readable = r && typeof r.interval === "number" && typeof r.intervalUnit === "string";
                          return readable ? retentionDays(r.intervalUnit!.toLowerCase(), r.interval!) : undefined;
                      });
            result.push(
                pointsProtection({
                    mechanism: "service-snapshot-copy",
                    what: `${title}, copied to ${regionText(place.region)}`,
                    via: [policy.urn],
                    place,
                    everyHours: every,
                    lag: C.serviceSnapshotCopyHours,
                    retentionDays: known0(kept),
                    restore: awsRestore(`${label} in ${regionText(place.region)}`),
                    dependsOn: deps,
                }),
            );
        }
    }
    return result;
}

export function volumeFacts(volume: PolicyResource, ctx: FactsContext): KindFacts {
    const region = volumeRegion(volume);
    const home = typeof region === "string" ? region : undefined;
    const label = StoreKinds.ebsVolume.label;
    const protections = dlmPoliciesOf(volume, ctx.resources).flatMap((p) => dlmProtections(p, volume, home, ctx));
    protections.push(...backupProtections(volume, ctx.resources, home, awsRestore(label)));
    const size = known(() => volume.props.size as number | undefined);
    return {
        region: home,
        // "EBS volume data is replicated across multiple servers in a single Availability Zone" (AWS
        // whitepaper, Overview of AWS storage services, Amazon EBS durability and availability).
        redundancy: { nodes: 1, zones: 1, failoverSeconds: 0, what: "an EBS volume, replicated within its availability zone only" },
        protections,
        notes: [],
        sizeHint: typeof size === "number" && size > 0 ? { gib: size, source: "the volume's size (size)" } : undefined,
    };
}
