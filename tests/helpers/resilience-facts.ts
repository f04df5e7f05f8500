// Runs the resilience model over a stack as the pack does, and shows each store's facts and estimates in a
// compact form that tests compare whole; the figures they expect come from the model's constants, which name
// their sources (policies/resilience/constants.ts).
import * as assert from "assert";
import { C, Constant } from "../../policies/resilience/constants";
import { hours, resilienceOf } from "../../policies/resilience/model";
import { StoreResilience } from "../../policies/resilience/types";
import { checkStack, TestResource } from "./policy";

/** Runs the model inside a stack policy, as the pack does: an unknown value read outside known() would skip it. */
export async function modelled(resources: TestResource[]): Promise<StoreResilience[]> {
    let result: StoreResilience[] = [];
    const outcome = await checkStack(
        {
            name: "resilience-probe",
            description: "runs the model",
            enforcementLevel: "advisory",
            validateStack: (args) => void (result = resilienceOf(args.resources)),
        },
        resources,
    );
    assert.strictEqual(outcome.skipped, undefined);
    return result;
}

const deps = (d: readonly string[] | undefined) => (d && d.length > 0 ? ` [depends on ${d.join("; ")}]` : "");

/** A store's facts and estimates, compact enough to compare whole. */
export function view(s: StoreResilience) {
    const r = s.redundancy;
    return {
        store: `${s.label} '${s.name}' in ${s.region ?? "?"}, ${s.size.gib} GiB (${s.size.source})`,
        redundancy: `nodes ${r.nodes}, zones ${r.zones}, ${r.failoverSeconds} s: ${r.what}${deps(r.dependsOn)}`,
        protections: s.protections.map(
            (p) =>
                `${p.kind} ${p.mechanism} in ${p.region ?? "?"} (elsewhere ${p.elsewhere}) every ${p.everyHours} h, lag ${p.lagHours} h, ` +
                `kept ${p.retentionDays ?? "-"} d: ${p.what}${deps(p.dependsOn)}`,
        ),
        notes: s.notes,
        estimates: s.estimates.map((e) => `${e.disruption}: RPO ${e.rpoHours} h, RTO ${e.rtoHours} h: ${e.reasoning}${deps(e.dependsOn)}`),
    };
}

export async function views(resources: TestResource[]) {
    return (await modelled(resources)).map(view);
}

export const aws = (region: string, name = region) => ({ type: "pulumi:providers:aws", name, props: { region } });

// --- expected figures ------------------------------------------------------------------------------

export const h = (c: Constant) => (c.unit === "seconds" ? c.value / 3600 : c.value);
export const fmt = (c: Constant) => hours(h(c));
export const RATE = C.awsRestoreGibPerHour.value;
/** Hours to restore `gib` into a new resource from an AWS recovery point. */
export const restoreHours = (gib: number) => h(C.awsRestoreFixedHours) + gib / RATE;
/** The model's words for that restore. */
export const restore = (what: string, gib: number) =>
    `a new ${what} from the recovery point ${fmt(C.awsRestoreFixedHours)} + ${gib} GiB at ${RATE} GiB/h ${hours(gib / RATE)} → RTO ≈ ` +
    `${hours(restoreHours(gib))}`;
export const PITR_LAG = h(C.rdsLatestRestorableHours);
export const CLUSTER_LAG = h(C.clusterLatestRestorableHours);
export const LIVE = h(C.liveReplicaLagHours);
export const PROMOTE = h(C.promoteReplicaHours);
export const SNAPSHOT_COPY = h(C.serviceSnapshotCopyHours);
export const DB_GIB = C.defaultGib.database.value;
export const DB_SIZE = `${DB_GIB} GiB (default for database (${DB_GIB} GiB; ${C.defaultGib.database.source}))`;
export const CACHE_GIB = C.defaultGib.cache.value;
export const CACHE_SIZE = `${CACHE_GIB} GiB (default for cache (${CACHE_GIB} GiB; ${C.defaultGib.cache.source}))`;
export const FILES_GIB = C.defaultGib.files.value;
export const FILES_SIZE = `${FILES_GIB} GiB (default for files (${FILES_GIB} GiB; ${C.defaultGib.files.source}))`;
export const takeover = (what: string, c: Constant) => `${what} → nothing lost; takeover in ≈ ${fmt(c)}`;
export const pitr = (days: number, extra = "") =>
    `automated backups with point-in-time restore, kept ${days} day${days === 1 ? "" : "s"}${extra}`;
