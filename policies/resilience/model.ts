// The resilience model: for every data store of a stack (as ../scope.ts defines them), its facts from
// the graph (./facts.ts) and, for each disruption, the RPO and RTO they allow, with the reasoning in
// words. Pure arithmetic over the facts; every constant is in ./constants.ts with its source.
//
//   node, zone   a takeover inside the region when the store has copies on other nodes / in other
//                zones (or the service stores redundantly); otherwise a restore from recovery points.
//   region       the best protection outside the store's region: a live replica (RPO its lag, RTO a
//                promotion) or recovery points (RPO interval + transfer lag, RTO a restore there).
//   corruption   the best recovery points anywhere (a live replica copies the damage): RPO their
//                interval, RTO a restore — provided the damage is found within their retention.
//
// The best protection has the smallest RPO, then the smallest RTO. A restore takes its fixed part
// (creating the target), the archive retrieval, then the store's size at the restore rate.
// Values unknown at preview are taken in the stack's favour, and each estimate lists them.
import { PolicyResource } from "@pulumi/policy";
import picomatch from "picomatch";
import { TagKeys } from "../../infra/tags";
import { StoreKindName, StoreKinds, storeKindOf, tagsOf } from "../scope";
import { plural } from "../util";
import { C } from "./constants";
import { factsOf, SizeHint } from "./facts";
import {
    DISRUPTIONS,
    Disruption,
    Estimate,
    Protection,
    Redundancy,
    RestorePath,
    Size,
    STORE_CLASS,
    StoreClass,
    StoreResilience,
} from "./types";

/** Tags that give a store's size (the program sets them from its stack config). */
export const SizeTags = { gib: TagKeys.sizeGib, dailyChangeGib: TagKeys.dailyChangeGib } as const;

export interface SizeSetting {
    /** A store's name or URN, a picomatch glob ('*' crosses '/' and '::'). */
    readonly name: string;
    /** Only stores of this type token. */
    readonly type?: string;
    readonly sizeGiB: number;
    readonly dailyChangeGiB?: number;
}

export interface ModelSettings {
    /** Sizes by store name or URN, first match wins (after the store's own tags). */
    readonly sizes?: readonly SizeSetting[];
}

const matches = (glob: string, r: { name: string; urn: string }) => {
    const m = picomatch(glob, { dot: true, nobrace: false, bash: true });
    return m(r.name) || m(r.urn);
};

const positive = (v: string | undefined): number | undefined => {
    if (v === undefined || !/^\d+(\.\d+)?$/.test(v.trim())) return undefined;
    const n = Number(v);
    return Number.isFinite(n) ? n : undefined;
};

/** The store's size: its tags, then the `sizes` setting, then what the resource says, then a default. */
export function sizeOf(store: PolicyResource, storeClass: StoreClass, hint: SizeHint | undefined, settings: ModelSettings): Size {
    const share = C.defaultDailyChangeShare.value;
    const tags = tagsOf(store);
    const tagged = positive(tags[SizeTags.gib]);
    const taggedChange = positive(tags[SizeTags.dailyChangeGib]);
    if (tagged !== undefined) {
        return { gib: tagged, dailyChangeGib: taggedChange ?? tagged * share, source: `tag ${SizeTags.gib}` };
    }
    const i = (settings.sizes ?? []).findIndex((s) => (s.type === undefined || s.type === store.type) && matches(s.name, store));
    if (i >= 0) {
        const s = settings.sizes![i];
        return { gib: s.sizeGiB, dailyChangeGib: s.dailyChangeGiB ?? s.sizeGiB * share, source: `setting sizes[${i}] (${s.name})` };
    }
    if (hint) return { gib: hint.gib, dailyChangeGib: taggedChange ?? hint.gib * share, source: hint.source };
    const d = C.defaultGib[storeClass];
    return {
        gib: d.value,
        dailyChangeGib: taggedChange ?? d.value * share,
        source: `default for ${storeClass} (${d.value} GiB; ${d.source})`,
    };
}

// ---------------------------------------------------------------------------------------------

const round = (h: number) => (h >= 100 ? Math.round(h) : Math.round(h * 10) / 10);

/** "0", "12 s", "15 min", "2.5 h", "168 h"; "∞" for null. */
export function hours(h: number | null): string {
    if (h === null) return "∞";
    if (h === 0) return "0";
    if (h * 3600 < 59.5) return `${Math.round(h * 3600)} s`;
    if (h < 1) return `${Math.max(1, Math.round(h * 60))} min`;
    return `${round(h)} h`;
}

/** How long a restore takes for `gib` of data, and the arithmetic in words. */
export function restoreHours(path: RestorePath, gib: number): { hours: number; why: string } {
    const parts: string[] = [];
    let total = path.fixedHours;
    if (path.fixedHours > 0) parts.push(`${path.fixedWhy} ${hours(path.fixedHours)}`);
    if (path.retrievalHours > 0) {
        total += path.retrievalHours;
        parts.push(`${path.retrievalWhy ?? "archive retrieval"} ${hours(path.retrievalHours)}`);
    }
    if (path.gibPerHour !== undefined && path.gibPerHour > 0) {
        const copy = gib / path.gibPerHour;
        total += copy;
        parts.push(`${gib} GiB at ${path.gibPerHour} GiB/h ${hours(copy)}`);
    }
    return { hours: total, why: parts.length > 0 ? parts.join(" + ") : "nothing to restore" };
}

const lost = (h: number) => (h === 0 ? "nothing lost" : `up to ${hours(h)} lost`);

interface Candidate {
    rpo: number;
    rto: number;
    via: Protection;
    reasoning: string;
}

function candidate(p: Protection, size: Size, disruption: Disruption): Candidate {
    const restore = restoreHours(p.restore, size.gib);
    if (p.kind === "replica") {
        const lag = p.lagHours;
        return {
            rpo: lag,
            rto: restore.hours,
            via: p,
            reasoning: `${p.what} → ${lost(lag)}; ${restore.why} → RTO ≈ ${hours(restore.hours)}`,
        };
    }
    const rpo = disruption === "corruption" ? p.everyHours : p.everyHours + p.lagHours;
    const interval = p.everyHours === 0 ? "continuous" : `a point every ${hours(p.everyHours)}`;
    const lag = disruption !== "corruption" && p.lagHours > 0 ? ` + ${hours(p.lagHours)} to arrive` : "";
    const kept =
        disruption === "corruption" && p.retentionDays !== undefined
            ? `; only if the damage is found within ${plural(Math.round(p.retentionDays * 100) / 100, "day")}`
            : "";
    return {
        rpo,
        rto: restore.hours,
        via: p,
        reasoning: `${p.what}: ${interval}${lag} → ${lost(rpo)}${kept}; ${restore.why} → RTO ≈ ${hours(restore.hours)}`,
    };
}

const best = (cs: Candidate[]): Candidate | undefined => [...cs].sort((a, b) => a.rpo - b.rpo || a.rto - b.rto)[0];

function takeover(r: Redundancy): { rpo: number; rto: number; reasoning: string } {
    return {
        rpo: 0,
        rto: r.failoverSeconds / 3600,
        reasoning: `${r.what} → nothing lost; ${r.failoverSeconds === 0 ? "no takeover needed" : `takeover in ≈ ${hours(r.failoverSeconds / 3600)}`}`,
    };
}

const redundant = (n: number | "managed", min: number) => n === "managed" || n >= min;

/** RPO and RTO of one store for one disruption. */
export function estimate(
    facts: { region: string | undefined; size: Size; redundancy: Redundancy; protections: readonly Protection[] },
    disruption: Disruption,
): Estimate {
    const { redundancy, size } = facts;
    const dependsOn = new Set<string>();
    const note = (p?: { dependsOn?: readonly string[] }) => p?.dependsOn?.forEach((d) => dependsOn.add(d));

    if ((disruption === "node" && redundant(redundancy.nodes, 2)) || (disruption === "zone" && redundant(redundancy.zones, 2))) {
        note(redundancy);
        const t = takeover(redundancy);
        return { disruption, rpoHours: t.rpo, rtoHours: t.rto, via: redundancy, reasoning: t.reasoning, dependsOn: [...dependsOn] };
    }
    const usable = facts.protections.filter((p) => {
        if (disruption === "region") return p.elsewhere !== false;
        if (disruption === "corruption") return p.kind === "points";
        return true; // a lost node or zone: any copy serves, in the region or elsewhere
    });
    const chosen = best(usable.map((p) => candidate(p, size, disruption)));
    const lead =
        disruption === "node" || disruption === "zone"
            ? `no ${disruption === "node" ? "second node" : "second zone"} takes over (${redundancy.what}); `
            : "";
    if (!chosen) {
        const none =
            disruption === "region"
                ? `no copy outside ${facts.region ?? "its region"}: the data is lost with the region`
                : disruption === "corruption"
                  ? "no recovery points (snapshots, versions, point-in-time restore): a deletion or corruption is final"
                  : "no copy to restore from: the data is lost with the node";
        return { disruption, rpoHours: null, rtoHours: null, reasoning: `${lead}${none}`, dependsOn: [] };
    }
    note(chosen.via);
    return {
        disruption,
        rpoHours: chosen.rpo,
        rtoHours: chosen.rto,
        via: chosen.via,
        reasoning: `${lead}${chosen.reasoning}`,
        dependsOn: [...dependsOn],
    };
}

/** Every data store of the stack with its facts and its estimates. Copy and log buckets are protections, not stores. */
export function resilienceOf(resources: PolicyResource[], settings: ModelSettings = {}): StoreResilience[] {
    const context = factsOf(resources);
    const all = context.stores.map((store) => ({ store, facts: context.factsFor(store) }));
    // A store that another store lists among its protections (a read replica, a global secondary, a
    // replication destination) is that store's copy, not a store of its own — unless each lists the other.
    const lists = (a: { facts: { protections: readonly Protection[] } }, urn: string) =>
        a.facts.protections.some((p) => p.via.includes(urn));
    const copies = new Set(
        all.filter((x) => all.some((y) => y !== x && lists(y, x.store.urn) && !lists(x, y.store.urn))).map((x) => x.store.urn),
    );
    const result: StoreResilience[] = [];
    for (const { store, facts } of all) {
        if (copies.has(store.urn)) continue;
        const kind = storeKindOf(store) as StoreKindName;
        const storeClass = STORE_CLASS[kind];
        const size = sizeOf(store, storeClass, facts.sizeHint, settings);
        const base = {
            urn: store.urn,
            name: store.name,
            type: store.type,
            kind,
            label: StoreKinds[kind].label,
            storeClass,
            region: facts.region,
            size,
            redundancy: facts.redundancy,
            protections: facts.protections,
            notes: facts.notes,
        };
        result.push({ ...base, estimates: DISRUPTIONS.map((d) => estimate(base, d)) });
    }
    return result;
}
