// Small pieces the readers of the AWS kinds share (./facts-aws-*.ts): where a copy lives relative to its
// store, and the shape of a live replica's or a recovery point's protection.
import { PolicyResource } from "@pulumi/policy";
import { regionOf } from "../scope";
import { known0, Maybe, UNKNOWN } from "../util";
import { C, Constant } from "./constants";
import { elsewhere, hoursOf } from "./facts";
import { MechanismKind, Protection, RestorePath } from "./types";

/** Where a copy lives: its region when known, whether that is outside the store's, and what that depends on. */
export interface Place {
    readonly region: string | undefined;
    readonly elsewhere: boolean | "unknown";
    readonly dependsOn: string[];
}

export { known0 };

/** A value as a message shows it: "unset", "unknown at preview", or the value. */
export const shown = (v: unknown): string => (v === UNKNOWN ? "unknown at preview" : v === undefined ? "unset" : String(v));

/**
 * Where a copy made by another resource lives: both regions known, or both unset with the same provider
 * (the same region); anything else may be another region, and the estimate names the value it waits for.
 */
export function placeOf(store: PolicyResource, copy: PolicyResource, copyLabel: string): Place {
    const [home, there] = [regionOf(store), regionOf(copy)];
    if (typeof home === "string" && typeof there === "string") return { region: there, elsewhere: home !== there, dependsOn: [] };
    if (home === undefined && there === undefined && store.provider?.urn === copy.provider?.urn) {
        return { region: undefined, elsewhere: false, dependsOn: [] };
    }
    return { region: typeof there === "string" ? there : undefined, elsewhere: "unknown", dependsOn: [`the region of ${copyLabel}`] };
}

/** Where a copy lives when a property names its region (a destination region, a replica's regionName). */
export function placeIn(home: string | undefined, region: Maybe<string | undefined>, what: string): Place {
    const away = elsewhere(home, region);
    return { region: known0(region), elsewhere: away, dependsOn: away === "unknown" ? [what] : [] };
}

/** A live copy that takes over when promoted: it carries every change, corruption included. */
export function replicaProtection(p: {
    what: string;
    via: string[];
    place: Place;
    lag: Constant;
    promote: string;
    dependsOn?: string[];
    mechanism?: MechanismKind;
}): Protection {
    return {
        mechanism: p.mechanism ?? "cross-region-replica",
        what: p.what,
        via: p.via,
        kind: "replica",
        region: p.place.region,
        elsewhere: p.place.elsewhere,
        everyHours: 0,
        lagHours: hoursOf(p.lag),
        lagWhy: p.lag.source,
        immutable: false,
        restore: { fixedHours: hoursOf(C.promoteReplicaHours), fixedWhy: p.promote, retrievalHours: 0 },
        dependsOn: [...p.place.dependsOn, ...(p.dependsOn ?? [])],
    };
}

/** Recovery points: older states, usable after a corruption within their retention. */
export function pointsProtection(p: {
    mechanism: MechanismKind;
    what: string;
    via: string[];
    place: Place;
    everyHours: number;
    lag?: Constant;
    retentionDays: number | undefined;
    restore: RestorePath;
    dependsOn?: string[];
}): Protection {
    return {
        mechanism: p.mechanism,
        what: p.what,
        via: p.via,
        kind: "points",
        region: p.place.region,
        elsewhere: p.place.elsewhere,
        everyHours: p.everyHours,
        lagHours: p.lag ? hoursOf(p.lag) : 0,
        lagWhy: p.lag?.source,
        retentionDays: p.retentionDays,
        immutable: false,
        restore: p.restore,
        dependsOn: [...p.place.dependsOn, ...(p.dependsOn ?? [])],
    };
}

/** The store's own region, for the points it keeps there. */
export const atHome = (home: string | undefined): Place => ({ region: home, elsewhere: false, dependsOn: [] });
