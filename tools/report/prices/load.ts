// The price table for the cost of the DR copies: a dated JSON file in this folder (one per refresh), and
// a user's file of the same shape, possibly partial, deep-merged over it. Both are validated with zod;
// every problem names the file, the key, the value found and what is allowed, so the report can stop
// with exit code 2 and a message the user can act on.
import * as fs from "fs";
import * as path from "path";
import { z } from "zod";

/** The table the report uses unless told otherwise; a refresh adds a new file and points here. */
export const PRICE_TABLE = path.join(__dirname, "aws-2025-12.json");

export const S3_CLASSES = [
    "STANDARD",
    "STANDARD_IA",
    "ONEZONE_IA",
    "GLACIER_IR",
    "GLACIER",
    "DEEP_ARCHIVE",
    "INTELLIGENT_TIERING",
] as const;
export type S3Class = (typeof S3_CLASSES)[number];
/** Classes a lifecycle rule moves objects into (nothing transitions into STANDARD). */
export const TRANSITION_CLASSES = ["STANDARD_IA", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE", "INTELLIGENT_TIERING"] as const;
/** Snapshot storage of AWS services other than S3 and EFS (those are AWS Backup warm storage). */
export const SNAPSHOT_FAMILIES = ["rds", "cluster", "ebs", "dynamodb", "elasticache", "memorydb", "redshift"] as const;
export type SnapshotFamily = (typeof SNAPSHOT_FAMILIES)[number];

export interface PriceLine {
    readonly price: number;
    /** The pricing page and section; "override (<file>)" for a price a user's file gives without one. */
    readonly source: string;
}

/** Prices of one region. Storage per GB-month, requests per 1,000, transfer and copies per GB. */
export interface RegionPrices {
    readonly s3: {
        readonly storage: Readonly<Record<S3Class, PriceLine>>;
        /** PUT, COPY, POST, LIST requests per 1,000, by the class written into. */
        readonly put: Readonly<Record<S3Class, PriceLine>>;
        /** Lifecycle transition requests per 1,000, by destination class. */
        readonly transition: Readonly<Record<(typeof TRANSITION_CLASSES)[number], PriceLine>>;
        /** S3 Replication Time Control, per GB replicated. */
        readonly rtc: PriceLine;
    };
    /** Data transfer out of this region to another AWS region, per GB. */
    readonly transfer: { readonly interRegion: PriceLine };
    readonly datasync: { readonly copied: PriceLine };
    readonly awsBackup: { readonly warmStorage: PriceLine; readonly crossRegionTransfer: PriceLine };
    readonly snapshots: Readonly<Record<SnapshotFamily, PriceLine>>;
    readonly atlas: { readonly snapshotStorage: PriceLine; readonly copyTransfer: PriceLine };
}

type DeepPartial<T> = { readonly [K in keyof T]?: T[K] extends PriceLine ? PriceLine : DeepPartial<T[K]> };
export type PartialRegionPrices = DeepPartial<RegionPrices>;

export interface Prices {
    /** The day the prices were read, YYYY-MM-DD. */
    readonly asOf: string;
    /** ISO 4217 code of every price. */
    readonly currency: string;
    readonly notes: readonly string[];
    readonly assumptions: { readonly averageObjectMiB: number };
    /** By AWS region code; `default` is complete and serves any price a region does not give. */
    readonly regions: { readonly default: RegionPrices } & { readonly [region: string]: PartialRegionPrices };
    /** The files read, as shown to the user: the table, then the override file if any. */
    readonly files: readonly string[];
}

export class PriceFileError extends Error {
    constructor(
        message: string,
        readonly file: string,
        readonly problems: readonly string[] = [],
    ) {
        super(message);
        this.name = "PriceFileError";
    }
}

// --- Shape -------------------------------------------------------------------------------------

const LEAF = "price" as const;
type Shape = { readonly [key: string]: Shape | typeof LEAF };
const leaves = (keys: readonly string[]): Shape => Object.fromEntries(keys.map((k) => [k, LEAF]));

export const REGION_SHAPE: Shape = {
    s3: { storage: leaves(S3_CLASSES), put: leaves(S3_CLASSES), transition: leaves(TRANSITION_CLASSES), rtc: LEAF },
    transfer: { interRegion: LEAF },
    datasync: { copied: LEAF },
    awsBackup: { warmStorage: LEAF, crossRegionTransfer: LEAF },
    snapshots: leaves(SNAPSHOT_FAMILIES),
    atlas: { snapshotStorage: LEAF, copyTransfer: LEAF },
};

const REGION_KEY = /^(default|[a-z]{2}(-gov|-iso[a-z]?)?-[a-z]+-\d{1,2})$/;
const PRICE_RULE = "must be a number ≥ 0";
const LINE_RULE = 'must be a price: a number ≥ 0, or {"price": number ≥ 0, "source": "where it comes from"}';
const list = (keys: readonly string[]) => keys.join(", ");
const unknownKey = (keys: readonly string[]) => `is not a known key here; allowed: ${list(keys)}`;

const line = z.unknown().superRefine((v, ctx) => {
    if (typeof v === "number") {
        if (!(v >= 0) || !Number.isFinite(v)) ctx.addIssue({ code: "custom", message: PRICE_RULE });
        return;
    }
    if (v === null || typeof v !== "object" || Array.isArray(v)) {
        ctx.addIssue({ code: "custom", message: LINE_RULE });
        return;
    }
    const o = v as Record<string, unknown>;
    for (const k of Object.keys(o)) {
        if (k !== "price" && k !== "source") ctx.addIssue({ code: "custom", path: [k], message: unknownKey(["price", "source"]) });
    }
    if (typeof o.price !== "number" || !(o.price >= 0) || !Number.isFinite(o.price)) {
        ctx.addIssue({ code: "custom", path: ["price"], message: PRICE_RULE });
    }
    if (o.source !== undefined && (typeof o.source !== "string" || o.source.trim() === "")) {
        ctx.addIssue({ code: "custom", path: ["source"], message: "must be a text naming where the price comes from" });
    }
});

function schemaOf(shape: Shape): z.ZodType {
    const keys = Object.keys(shape);
    return z
        .strictObject(Object.fromEntries(keys.map((k) => [k, shape[k] === LEAF ? line : schemaOf(shape[k] as Shape)])), {
            error: (issue) => (issue.code === "unrecognized_keys" ? unknownKey(keys) : `must be an object with the keys ${list(keys)}`),
        })
        .partial();
}

const TOP_KEYS = ["asOf", "currency", "notes", "assumptions", "regions"];
const MIB_RULE = "must be a number of MiB > 0";
const fileSchema = z
    .strictObject(
        {
            asOf: z
                .string({ error: "must be a date YYYY-MM-DD" })
                .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date YYYY-MM-DD" })
                .refine((s) => !Number.isNaN(Date.parse(s)), { error: "must be a date YYYY-MM-DD" }),
            currency: z
                .string({ error: "must be a currency code such as USD" })
                .regex(/^[A-Z]{3}$/, { error: "must be a currency code such as USD" }),
            notes: z.array(z.string({ error: "must be a text" }), { error: "must be a list of texts" }),
            assumptions: z
                .strictObject(
                    { averageObjectMiB: z.number({ error: MIB_RULE }).positive({ error: MIB_RULE }) },
                    {
                        error: (i) =>
                            i.code === "unrecognized_keys"
                                ? unknownKey(["averageObjectMiB"])
                                : "must be an object with the key averageObjectMiB",
                    },
                )
                .partial(),
            regions: z.record(z.string().regex(REGION_KEY), schemaOf(REGION_SHAPE), { error: "must be an object of regions" }),
        },
        { error: (i) => (i.code === "unrecognized_keys" ? unknownKey(TOP_KEYS) : `must be an object with the keys ${list(TOP_KEYS)}`) },
    )
    .partial();

// --- Messages ----------------------------------------------------------------------------------

const keyPart = (k: PropertyKey) =>
    typeof k === "number" ? `[${k}]` : /^[A-Za-z0-9_-]+$/.test(String(k)) ? String(k) : JSON.stringify(String(k));
const keyName = (p: readonly PropertyKey[]) => p.map(keyPart).join(".").replace(/\.\[/g, "[");

function valueAt(root: unknown, p: readonly PropertyKey[]): unknown {
    let v = root;
    for (const k of p) {
        if (v === null || typeof v !== "object") return undefined;
        v = (v as Record<PropertyKey, unknown>)[k];
    }
    return v;
}

const got = (v: unknown) => (v === undefined ? "nothing" : JSON.stringify(v));

function problemsOf(error: z.ZodError, input: unknown): string[] {
    return error.issues.flatMap((issue) => {
        if (issue.code === "unrecognized_keys") {
            const where = valueAt(input, issue.path) as Record<string, unknown>;
            return issue.keys.map((k) => `${keyName([...issue.path, k])} ${issue.message} (got ${got(where[k])})`);
        }
        if (issue.code === "invalid_key") {
            return [`${keyName(issue.path)} is not a region: a region key is an AWS region code such as eu-west-1, or "default"`];
        }
        return [`${keyName(issue.path)} ${issue.message} (got ${got(valueAt(input, issue.path))})`];
    });
}

const invalid = (file: string, problems: string[]) =>
    new PriceFileError(`The price file ${file} is not valid:\n${problems.map((p) => `  ${p}`).join("\n")}`, file, problems);

// --- Reading and merging -----------------------------------------------------------------------

interface RawFile {
    asOf?: string;
    currency?: string;
    notes?: string[];
    assumptions?: { averageObjectMiB?: number };
    regions?: Record<string, unknown>;
}

/** Reads and parses a price file; `file` is shown as given. */
export function readPriceFile(file: string, fullPath = file): unknown {
    let text: string;
    try {
        text = fs.readFileSync(fullPath, "utf8");
    } catch (e) {
        const code = (e as NodeJS.ErrnoException).code;
        const why: Record<string, string> = { ENOENT: "it does not exist", EISDIR: "it is a directory", EACCES: "permission denied" };
        throw new PriceFileError(`The price file ${file} cannot be read: ${why[code ?? ""] ?? String(code ?? e)}.`, file);
    }
    try {
        return JSON.parse(text) as unknown;
    } catch (e) {
        throw new PriceFileError(`The price file ${file} is not valid JSON: ${(e as Error).message}`, file);
    }
}

function validate(input: unknown, file: string): RawFile {
    const parsed = fileSchema.safeParse(input);
    if (!parsed.success) throw invalid(file, problemsOf(parsed.error, input));
    return input as RawFile;
}

const toLine = (v: unknown, fallbackSource: string): PriceLine => {
    if (typeof v === "number") return { price: v, source: fallbackSource };
    const l = v as Partial<PriceLine>;
    return { price: l.price!, source: l.source ?? fallbackSource };
};

/** Every price a table file gives without a source, and every price `default` lacks. */
function tableProblems(table: RawFile): string[] {
    const problems: string[] = [];
    if (table.asOf === undefined) problems.push("asOf is missing; it must be the date the prices were read, YYYY-MM-DD");
    if (table.currency === undefined) problems.push("currency is missing; it must be a currency code such as USD");
    if (table.assumptions?.averageObjectMiB === undefined) problems.push(`assumptions.averageObjectMiB is missing; it ${MIB_RULE}`);
    const walk = (v: unknown, shape: Shape, at: string[], complete: boolean) => {
        for (const [k, sub] of Object.entries(shape)) {
            const child = (v as Record<string, unknown> | undefined)?.[k];
            const p = [...at, k];
            if (child === undefined) {
                if (complete) problems.push(`${keyName(p)} is missing; the default block must give every price`);
            } else if (sub === LEAF) {
                if (typeof child === "number" || (child as Partial<PriceLine>).source === undefined) {
                    const rule = '{"price": …, "source": "the pricing page and section"}';
                    problems.push(`${keyName(p)} needs a source: ${rule} (got ${got(child)})`);
                }
            } else walk(child, sub, p, complete);
        }
    };
    const regions = table.regions ?? {};
    if (regions.default === undefined) {
        problems.push("regions.default is missing; it must give every price, for regions the table does not list");
    }
    for (const [region, block] of Object.entries(regions)) walk(block, REGION_SHAPE, ["regions", region], region === "default");
    return problems;
}

/** `over` merged into `base`, key by key; a price of `over` replaces the base's line. */
function merge(base: unknown, over: unknown, shape: Shape, source: string): unknown {
    const out: Record<string, unknown> = { ...(base as Record<string, unknown> | undefined) };
    for (const [k, v] of Object.entries((over ?? {}) as Record<string, unknown>)) {
        out[k] = shape[k] === LEAF ? toLine(v, source) : merge(out[k], v, shape[k] as Shape, source);
    }
    return out;
}

/**
 * Prices from a table (complete, every price with its source) and an optional override of the same
 * shape: partial, a price given as a number or as {price, source}.
 */
export function pricesFrom(
    table: unknown,
    override?: unknown,
    names: { readonly table: string; readonly override?: string } = { table: "the price table" },
): Prices {
    const t = validate(table, names.table);
    const problems = tableProblems(t);
    if (problems.length > 0) throw invalid(names.table, problems);
    const o = override === undefined ? {} : validate(override, names.override ?? "the override");
    const from = `override (${names.override ?? "the override"})`;
    const regions: Record<string, unknown> = {};
    for (const r of new Set([...Object.keys(t.regions ?? {}), ...Object.keys(o.regions ?? {})])) {
        regions[r] = merge(merge(undefined, t.regions?.[r], REGION_SHAPE, names.table), o.regions?.[r], REGION_SHAPE, from);
    }
    return {
        asOf: o.asOf ?? t.asOf!,
        currency: o.currency ?? t.currency!,
        notes: [...(t.notes ?? []), ...(o.notes ?? [])],
        assumptions: { averageObjectMiB: o.assumptions?.averageObjectMiB ?? t.assumptions!.averageObjectMiB! },
        regions: regions as Prices["regions"],
        files: override === undefined ? [names.table] : [names.table, names.override ?? "the override"],
    };
}

/** How a file of the repository is named to the user: relative to the repository, never this machine's path. */
const shown = (full: string) => {
    const rel = path.relative(path.resolve(__dirname, "..", "..", ".."), full);
    return rel.startsWith("..") || path.isAbsolute(rel) ? full : rel.split(path.sep).join("/");
};

/** The price table (by default the repository's), merged with a user's override file when given. */
export function loadPrices(file?: string, table: string = PRICE_TABLE): Prices {
    const tableName = shown(path.resolve(table));
    const base = readPriceFile(tableName, table);
    return pricesFrom(base, file === undefined ? undefined : readPriceFile(file), { table: tableName, override: file });
}
