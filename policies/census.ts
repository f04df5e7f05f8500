// What a run of the pack judged, computed once for whoever shows it (the offline check, the DR
// report): the stack's data stores by kind, the role of each bucket, every exemption used (by tag or
// by a policy's `exemptions` setting, with its reason), per policy the resources in scope, per
// data-holding type the policies that judged it — and the data that no enabled data rule judges.
//
// Also here: how a pack config weakens the data rules below the production config (a rule disabled or
// advisory, a `min…` setting lower, a `max…` setting higher, a `require…` setting false, a list that
// allows more). Neither is a verdict: the check shows them next to the pack's verdict.
//
// The input is what the pack's stack policies see (PolicyResource, unknown values included) and the
// pack's reconciled config (the level and settings of every policy after the config file).
import { PolicyResource } from "@pulumi/policy";
import { TagKeys } from "../infra/tags";
import { dataExemptionReasons } from "./exemptions";
import { reference as packReference } from "./pack";
import { ConfiguredExemption, exemptionMatches, StoreKindName, StoreKinds, storeKindOf, tagExemption } from "./scope";
import * as storage from "./storage";
import { PolicyReference } from "./types";
import { plural } from "./util";

export type BucketRole = "data" | "copy" | "logs";

/** One policy's level and settings, as the pack was configured (the CLI's reconciled config). */
export interface ConfiguredPolicy {
    readonly enforcementLevel: string;
    readonly properties?: Record<string, unknown>;
}
export type PackSettings = Record<string, ConfiguredPolicy>;

/** What the census needs to know of each policy: the types it reads and whether it guards data. */
export type CensusReference = Record<string, Pick<PolicyReference, "resources" | "protectsData">>;

export interface StoreCount {
    readonly kind: StoreKindName;
    /** "S3 bucket". */
    readonly label: string;
    readonly count: number;
}

export interface CensusStore {
    readonly urn: string;
    readonly name: string;
    readonly type: string;
    readonly kind: StoreKindName;
    /** Buckets only. */
    readonly role?: BucketRole;
    /** Whether an enabled data rule (other than the exemption rule) lists the store's type. */
    readonly judged: boolean;
}

export interface ExemptionUsed {
    readonly urn: string;
    readonly name: string;
    readonly type: string;
    /** "S3 bucket". */
    readonly label: string;
    /** The tag `continuity-dr = none` (every data rule), or one policy's `exemptions` setting. */
    readonly by: "tag" | "config";
    /** The policy whose config entry exempts the store; absent for the tag. */
    readonly policy?: string;
    readonly reason: string;
}

export interface PolicyScope {
    readonly name: string;
    readonly enforcementLevel: string;
    readonly protectsData: boolean;
    /** Resources of the stack whose type the policy reads, minus the data stores exempted from it. */
    readonly inScope: number;
    /** Data stores among those in scope. */
    readonly stores: number;
    /** Data stores of a type it reads that are exempted from it (by tag or its own config). */
    readonly exempted: number;
}

export interface DataType {
    readonly type: string;
    readonly label: string;
    readonly count: number;
    /** The enabled policies whose reference lists the type. */
    readonly policies: readonly string[];
    /** No enabled data rule lists the type: the stack holds data of this type that nothing judges. */
    readonly unjudged: boolean;
}

export interface Census {
    /** Every data store of the stack, by kind; the list in StoreKinds order, then by name. */
    readonly stores: { readonly total: number; readonly byKind: readonly StoreCount[]; readonly list: readonly CensusStore[] };
    /** Data stores some enabled data rule judges, by kind (what "judged N data stores" counts). */
    readonly judged: { readonly total: number; readonly byKind: readonly StoreCount[] };
    readonly bucketRoles: Record<BucketRole, number>;
    readonly exemptions: readonly ExemptionUsed[];
    /** Distinct stores with at least one exemption used. */
    readonly exempted: number;
    readonly policies: readonly PolicyScope[];
    /** Per data-holding type present in the stack. */
    readonly types: readonly DataType[];
    /** The data-holding types present that no enabled data rule judges. */
    readonly unjudged: readonly DataType[];
}

export interface CensusOptions {
    /** Default: the pack's own reference (policies/pack.ts). */
    reference?: CensusReference;
    /** Default: policies/storage.ts's `bucketRoles`, or every bucket "data" while it has none. */
    bucketRoles?: (resources: PolicyResource[]) => Map<PolicyResource, BucketRole>;
}

// The storage rules say which buckets are copies and which receive logs; until that module tells,
// every bucket counts as a data bucket (the strictest reading).
const storageBucketRoles = (storage as { bucketRoles?: (resources: PolicyResource[]) => Map<PolicyResource, BucketRole> }).bucketRoles;

const enabled = (c: ConfiguredPolicy | undefined) => c !== undefined && c.enforcementLevel !== "disabled";

const hasReason = (reason: unknown): reason is string => typeof reason === "string" && reason.trim().length > 0;

/** A policy's configured exemptions, the reasonless ones left out (they exempt nothing). */
function configuredExemptions(c: ConfiguredPolicy | undefined): ConfiguredExemption[] {
    const list = c?.properties?.exemptions;
    return Array.isArray(list)
        ? (list as ConfiguredExemption[]).filter((e) => e !== null && typeof e === "object" && hasReason(e.reason))
        : [];
}

/**
 * Whether exemptions leave a store out of a policy: every data rule honours them, except the rule
 * that judges the exemptions themselves.
 */
const honoursExemptions = (policy: string, ref: CensusReference) =>
    ref[policy]?.protectsData === true && policy !== dataExemptionReasons.name;

/**
 * The rules that protect data: enabled data rules, the exemption rule left out — it reads every
 * data-holding type, but only to see that an exemption gives its reason, which protects no data.
 */
const protectsData = (policy: string, settings: PackSettings, ref: CensusReference) =>
    enabled(settings[policy]) && honoursExemptions(policy, ref);

function byKind(stores: readonly CensusStore[]): StoreCount[] {
    return (Object.keys(StoreKinds) as StoreKindName[]).flatMap((kind) => {
        const count = stores.filter((s) => s.kind === kind).length;
        return count > 0 ? [{ kind, label: StoreKinds[kind].label, count }] : [];
    });
}

export function census(resources: PolicyResource[], settings: PackSettings, opts: CensusOptions = {}): Census {
    const ref = opts.reference ?? packReference;
    const names = Object.keys(settings).filter((n) => n !== "all");
    const enabledData = names.filter((n) => protectsData(n, settings, ref));
    const roleOf = (opts.bucketRoles ?? storageBucketRoles)?.(resources) ?? new Map<PolicyResource, BucketRole>();

    // In the order of StoreKinds, then by name: a program registers its resources in no fixed order.
    const kinds = Object.keys(StoreKinds);
    const stores = resources
        .flatMap((r) => {
            const kind = storeKindOf(r);
            return kind ? [{ r, kind }] : [];
        })
        .sort(
            (a, b) =>
                kinds.indexOf(a.kind) - kinds.indexOf(b.kind) ||
                a.r.type.localeCompare(b.r.type) ||
                a.r.name.localeCompare(b.r.name) ||
                a.r.urn.localeCompare(b.r.urn),
        );

    // Exemptions used: the tag (with its reason) for every data rule; else each enabled data rule's
    // own config entry that names the store, for a rule that reads the store's type.
    const exemptions: ExemptionUsed[] = [];
    const exemptFrom = new Map<PolicyResource, Set<string> | "all">();
    for (const { r, kind } of stores) {
        const label = StoreKinds[kind].label;
        const tag = tagExemption(r);
        if (tag?.reason) {
            exemptions.push({ urn: r.urn, name: r.name, type: r.type, label, by: "tag", reason: tag.reason });
            exemptFrom.set(r, "all");
            continue;
        }
        for (const policy of enabledData) {
            if (!ref[policy].resources.includes(r.type)) continue;
            const entry = configuredExemptions(settings[policy]).find((e) => exemptionMatches(e, r));
            if (!entry) continue;
            exemptions.push({ urn: r.urn, name: r.name, type: r.type, label, by: "config", policy, reason: entry.reason!.trim() });
            const set = exemptFrom.get(r);
            exemptFrom.set(r, set instanceof Set ? set.add(policy) : new Set([policy]));
        }
    }
    const isExempt = (r: PolicyResource, policy: string) => {
        if (!honoursExemptions(policy, ref)) return false;
        const from = exemptFrom.get(r);
        return from === "all" || (from instanceof Set && from.has(policy));
    };

    const list: CensusStore[] = stores.map(({ r, kind }) => ({
        urn: r.urn,
        name: r.name,
        type: r.type,
        kind,
        ...(kind === "s3Bucket" ? { role: roleOf.get(r) ?? "data" } : {}),
        judged: enabledData.some((p) => ref[p].resources.includes(r.type)),
    }));

    const policies: PolicyScope[] = names
        .filter((n) => ref[n] !== undefined)
        .map((name) => {
            const types = ref[name].resources;
            const read = resources.filter((r) => types.includes(r.type));
            const exempted = read.filter((r) => storeKindOf(r) !== undefined && isExempt(r, name)).length;
            return {
                name,
                enforcementLevel: settings[name].enforcementLevel,
                protectsData: ref[name].protectsData,
                inScope: read.length - exempted,
                stores: read.filter((r) => storeKindOf(r) !== undefined).length - exempted,
                exempted,
            };
        });

    const types: DataType[] = [...new Set(stores.map((s) => s.r.type))].map((type) => {
        const listing = names.filter((n) => enabled(settings[n]) && ref[n]?.resources.includes(type));
        return {
            type,
            label: StoreKinds[storeKindOf({ type })!].label,
            count: stores.filter((s) => s.r.type === type).length,
            policies: listing,
            unjudged: !listing.some((n) => enabledData.includes(n)),
        };
    });

    const judged = list.filter((s) => s.judged);
    return {
        stores: { total: list.length, byKind: byKind(list), list },
        judged: { total: judged.length, byKind: byKind(judged) },
        bucketRoles: {
            data: list.filter((s) => s.role === "data").length,
            copy: list.filter((s) => s.role === "copy").length,
            logs: list.filter((s) => s.role === "logs").length,
        },
        exemptions,
        exempted: exemptFrom.size,
        policies,
        types,
        unjudged: types.filter((t) => t.unjudged),
    };
}

// --- what a run shows of it -------------------------------------------------------------------

const ROLE_WORDS: Record<Exclude<BucketRole, "data">, [string, string]> = {
    copy: ["DR copy", "DR copies"],
    logs: ["log bucket", "log buckets"],
};

/**
 * The one line of the census: "judged 7 data stores: 3 S3 buckets (1 DR copy), 1 RDS instance, …;
 * 1 exempted". Buckets that are copies or receive logs are counted in parentheses.
 */
export function censusLine(c: Census): string {
    const kinds = c.judged.byKind.map(({ kind, label, count }) => {
        const text = plural(count, label);
        if (kind !== "s3Bucket") return text;
        const roles = (["copy", "logs"] as const).flatMap((role) => {
            const n = c.stores.list.filter((s) => s.judged && s.role === role).length;
            return n > 0 ? [`${n} ${ROLE_WORDS[role][n === 1 ? 0 : 1]}`] : [];
        });
        return roles.length > 0 ? `${text} (${roles.join(", ")})` : text;
    });
    return `judged ${plural(c.judged.total, "data store")}${kinds.length > 0 ? `: ${kinds.join(", ")}` : ""}; ${c.exempted} exempted`;
}

/** One line per exemption used: the store, by what, and the reason. */
export function exemptionLines(c: Census): string[] {
    return c.exemptions.map((e) =>
        e.by === "tag"
            ? `exempted: the ${e.label} '${e.name}' from every data rule, by its tag ${TagKeys.dr} = none: ${e.reason}`
            : `exempted: the ${e.label} '${e.name}' from ${e.policy}, by that policy's exemptions setting: ${e.reason}`,
    );
}

/** One line per data-holding type that no enabled data rule judges. */
export function unjudgedLines(c: Census): string[] {
    return c.unjudged.map(
        (t) =>
            `warning: no enabled data rule judges the stack's ${plural(t.count, t.label)} (${t.type})` +
            (t.policies.length > 0 ? `; only ${t.policies.join(", ")} read${t.policies.length === 1 ? "s" : ""} that type` : ""),
    );
}

// --- weakened data rules ----------------------------------------------------------------------

export interface Weakening {
    readonly policy: string;
    /** "enforcementLevel", or the setting's name. */
    readonly setting: string;
    readonly found: unknown;
    readonly production: unknown;
    /** The config file's `"all"` entry set the level, or the policy's own entry did. */
    readonly via: "all" | "policy";
}

const LEVEL_RANK: Record<string, number> = { disabled: 0, advisory: 1, mandatory: 2, remediate: 2 };

const isPrimitive = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";

/** Whether `found` is weaker than `production` for a setting of this name (settings of other names are not compared). */
function weakerSetting(name: string, found: unknown, production: unknown): boolean {
    if (found === undefined || production === undefined) return false;
    if (/^min[A-Z]/.test(name) && typeof found === "number" && typeof production === "number") return found < production;
    if (/^(max[A-Z]|rpoHours$|rtoHours$)/.test(name) && typeof found === "number" && typeof production === "number")
        return found > production;
    if (/^require([A-Z]|d$)/.test(name) && typeof found === "boolean" && typeof production === "boolean") return production && !found;
    // A list of allowed values (storage classes, TLS policies) that allows one production does not.
    // `exemptions` is not weighed here: each one used is listed, with its reason.
    if (name !== "exemptions" && Array.isArray(found) && Array.isArray(production) && [...found, ...production].every(isPrimitive)) {
        return found.some((v) => !production.includes(v));
    }
    return false;
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A setting and, for an object (the RPO/RTO targets), each value under it that production also sets, by dotted path. */
function leaves(
    name: string,
    found: unknown,
    production: unknown,
    path = name,
): { name: string; path: string; found: unknown; production: unknown }[] {
    if (!isObject(found) || !isObject(production)) return [{ name, path, found, production }];
    return Object.keys(found).flatMap((k) => leaves(k, found[k], production[k], `${path}.${k}`));
}

/**
 * The data rules a config leaves weaker than production: one entry per rule and setting, in the
 * pack's policy order. `all` is the level of the config's `"all"` entry, when it has one: a rule at
 * that level whose own entry sets no level got it from there.
 */
export function weakenings(
    settings: PackSettings,
    production: PackSettings,
    opts: { reference?: CensusReference; ownLevels?: ReadonlySet<string> } = {},
): Weakening[] {
    const ref = opts.reference ?? packReference;
    const all = settings.all?.enforcementLevel;
    const out: Weakening[] = [];
    for (const [policy, entry] of Object.entries(settings)) {
        const prod = production[policy];
        if (policy === "all" || !ref[policy]?.protectsData || prod === undefined) continue;
        if ((LEVEL_RANK[entry.enforcementLevel] ?? 0) < (LEVEL_RANK[prod.enforcementLevel] ?? 0)) {
            const via = all === entry.enforcementLevel && !opts.ownLevels?.has(policy) ? "all" : "policy";
            out.push({ policy, setting: "enforcementLevel", found: entry.enforcementLevel, production: prod.enforcementLevel, via });
        }
        for (const [name, found] of Object.entries(entry.properties ?? {})) {
            for (const leaf of leaves(name, found, prod.properties?.[name])) {
                if (weakerSetting(leaf.name, leaf.found, leaf.production)) {
                    out.push({ policy, setting: leaf.path, found: leaf.found, production: leaf.production, via: "policy" });
                }
            }
        }
    }
    return out;
}

/**
 * One warning line per weakened setting; the rules `"all"` weakened share one line (every data rule
 * of the pack would otherwise fill the screen).
 */
export function weakeningLines(ws: readonly Weakening[]): string[] {
    const show = (v: unknown) => JSON.stringify(v);
    const lines: string[] = [];
    const byAll = ws.filter((w) => w.via === "all");
    if (byAll.length > 0) {
        const levels = [...new Set(byAll.map((w) => show(w.production)))].join(" or ");
        lines.push(
            `warning: "all": ${show(byAll[0].found)} makes ${plural(byAll.length, "data rule")} weaker than production: enforcementLevel ${show(byAll[0].found)} (production: ${levels})`,
        );
    }
    for (const w of ws.filter((x) => x.via === "policy")) {
        lines.push(
            `warning: data rule ${w.policy} weaker than production: ${w.setting} ${show(w.found)} (production: ${show(w.production)})`,
        );
    }
    return lines;
}
