// RPO and RTO targets: per store class and disruption, overridable per named store, compared with the
// model's estimates. The defaults are production's, derived from the company's continuity plan:
//
//   database  the plan snapshots MongoDB every 6 hours and copies the snapshots to another region;
//             a copy arrives within an allowance of 2 hours → region RPO 8 h. Corruption: a snapshot
//             every 6 hours → 6 h. "Automated failover" for a lost node or zone → RPO 0, RTO 15 min / 1 h.
//             Region RTO 24 h: a new cluster plus a restore, within a day.
//   objects   the plan's weekly deep-freeze copy of S3 → region RPO 7 days; Deep Archive standard
//             retrieval (12 h) plus copying back → RTO 72 h. Corruption: versions → 24 h.
//   search    the plan's daily snapshots, copied with a 2 h allowance → region RPO 26 h, RTO 24 h.
//   files     as databases that are backed up daily: RPO 26 h, RTO 24 h.
//   cache     rebuilt from its sources: region RPO 26 h, RTO 24 h.
// Staging keeps production's targets (the plan gives staging the same schedules) except the time to
// recover from a lost region, twice production's: no customer waits on staging (policies/config/staging.json).
import picomatch from "picomatch";
import { DISRUPTIONS, Disruption, STORE_CLASSES, StoreClass, StoreResilience, Target, Targets } from "./types";

const t = (rpoHours: number, rtoHours: number): Target => ({ rpoHours, rtoHours });
const inRegion = { node: t(0, 0.25), zone: t(0, 1) };

export const DEFAULT_TARGETS: Record<StoreClass, Targets> = {
    database: { ...inRegion, region: t(8, 24), corruption: t(6, 24) },
    objects: { ...inRegion, region: t(168, 72), corruption: t(24, 72) },
    search: { ...inRegion, region: t(26, 24), corruption: t(24, 24) },
    files: { ...inRegion, region: t(26, 24), corruption: t(24, 24) },
    cache: { ...inRegion, region: t(26, 24), corruption: t(24, 24) },
};

/** Targets for one named store (a name or URN glob, optionally one type), over its class's targets. */
export interface StoreTargets {
    readonly name: string;
    readonly type?: string;
    readonly targets: Targets;
}

export interface TargetSettings {
    /** Per class: the classes given replace the defaults per disruption; the others keep them. */
    readonly targets?: Partial<Record<StoreClass, Targets>>;
    readonly stores?: readonly StoreTargets[];
}

const matches = (glob: string, r: { name: string; urn: string }) => {
    const m = picomatch(glob, { dot: true, bash: true });
    return m(r.name) || m(r.urn);
};

/** The targets that apply to a store: its class's (defaults, then the setting), then the first matching `stores` entry. */
export function targetsFor(store: { name: string; urn: string; type: string; storeClass: StoreClass }, settings: TargetSettings): Targets {
    const byClass = { ...DEFAULT_TARGETS[store.storeClass], ...(settings.targets?.[store.storeClass] ?? {}) };
    const own = (settings.stores ?? []).find((s) => (s.type === undefined || s.type === store.type) && matches(s.name, store));
    return own ? { ...byClass, ...own.targets } : byClass;
}

/** One estimate above its target. */
export interface Miss {
    readonly disruption: Disruption;
    readonly measure: "RPO" | "RTO";
    /** null: unbounded (everything lost / never back). */
    readonly estimate: number | null;
    readonly target: number;
    readonly reasoning: string;
}

/**
 * The estimates of a store that exceed its targets. Values unknown at preview enter the estimates in
 * the stack's favour (the model's rule), so an estimate that misses its target even so is a miss.
 */
export function missesOf(store: StoreResilience, targets: Targets): Miss[] {
    const misses: Miss[] = [];
    for (const d of DISRUPTIONS) {
        const target = targets[d];
        const e = store.estimates.find((x) => x.disruption === d);
        if (!target || !e) continue;
        if (e.rpoHours === null || e.rpoHours > target.rpoHours)
            misses.push({ disruption: d, measure: "RPO", estimate: e.rpoHours, target: target.rpoHours, reasoning: e.reasoning });
        if (e.rtoHours === null || e.rtoHours > target.rtoHours)
            misses.push({ disruption: d, measure: "RTO", estimate: e.rtoHours, target: target.rtoHours, reasoning: e.reasoning });
    }
    return misses;
}

export { STORE_CLASSES };
