// The DR drill record of a stack: the stack config key `continuity:drills`, shaped
// `{ last?: "YYYY-MM-DD", months?: [4, 10] }` — the date of the last drill and the months drills are
// held in (the company's plan: twice a year). Absent: no drill recorded, April and October. The next
// drill is the first listed month after the last one; it is computed from the config alone, so the
// generated plan stays the same until the record changes.
// The drill records `npm run drill:verify` writes (docs/drills/<date>-<environment>.md, see
// tools/drill/record.ts) count too: the newest one of the stack's environment gives the last drill when it
// is later than `last`, its result, and the restore times it measured.
import * as path from "path";
import { z } from "zod";
import { readStackConfig } from "../check/stackConfig";
import { DrillRecord, DrillRecordError, newestRecord } from "../drill/record";

export const DRILLS_KEY = "continuity:drills";
export const DEFAULT_DRILL_MONTHS = [4, 10] as const;

export const MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

export class DrillsConfigError extends Error {
    constructor(message: string) {
        super(message);
        this.name = "DrillsConfigError";
    }
}

export interface Drills {
    /** The last drill's date, YYYY-MM-DD; undefined: none recorded. */
    readonly last?: string;
    /** Months (1–12, ascending) drills are held in. */
    readonly months: readonly number[];
    /** Whether `months` came from the config or the default. */
    readonly monthsFrom: "config" | "default";
    /** The newest drill record of the environment in docs/drills/, and its file name; absent: none. */
    readonly record?: { readonly file: string; readonly record: DrillRecord };
}

/** The last drill's date: the config's `last` or the newest record's date, whichever is later. */
export function lastDrill(d: Drills): string | undefined {
    const recorded = d.record?.record.date;
    return recorded !== undefined && (d.last === undefined || recorded > d.last) ? recorded : d.last;
}

const realDay = (s: string) => {
    const d = new Date(`${s}T00:00:00Z`);
    return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
};

const schema = z.strictObject({
    last: z
        .string()
        .regex(/^\d{4}-\d{2}-\d{2}$/)
        .refine(realDay)
        .optional(),
    months: z
        .array(z.int().min(1).max(12))
        .min(1)
        .refine((ms) => new Set(ms).size === ms.length)
        .optional(),
});

const found = (v: unknown) => (typeof v === "string" ? `'${v}'` : JSON.stringify(v));

/** The record from the key's value (a JSON object, as the stack config hands structured values over). */
export function parseDrills(raw: string | undefined, where: string): Drills {
    if (raw === undefined) return { months: [...DEFAULT_DRILL_MONTHS], monthsFrom: "default" };
    let value: unknown = raw;
    try {
        value = JSON.parse(raw);
    } catch {
        // A scalar: shown as written.
    }
    const result = schema.safeParse(value);
    if (!result.success) {
        const issue = result.error.issues[0];
        const at = issue.path[0];
        const shape = `an object with 'last' (the last drill, YYYY-MM-DD) and 'months' (the months drills are held in, e.g. [4, 10])`;
        if (issue.code === "unrecognized_keys") {
            throw new DrillsConfigError(`${where}: ${DRILLS_KEY} has no setting '${issue.keys[0]}'; its settings are last and months.`);
        }
        if (at === "last") {
            const v = (value as Record<string, unknown>).last;
            throw new DrillsConfigError(
                `${where}: ${DRILLS_KEY}.last must be the date of the last drill, a real day written YYYY-MM-DD, found ${found(v)}.`,
            );
        }
        if (at === "months") {
            const v = (value as Record<string, unknown>).months;
            throw new DrillsConfigError(
                `${where}: ${DRILLS_KEY}.months must be a list of month numbers from 1 to 12, each at most once (e.g. [4, 10]), found ` +
                    `${found(v)}.`,
            );
        }
        throw new DrillsConfigError(`${where}: ${DRILLS_KEY} must be ${shape}, found ${found(value)}.`);
    }
    const { last, months } = result.data;
    return {
        ...(last ? { last } : {}),
        months: [...(months ?? DEFAULT_DRILL_MONTHS)].sort((a, b) => a - b),
        monthsFrom: months ? "config" : "default",
    };
}

export const DRILL_RECORDS_DIR = path.join("docs", "drills");

/**
 * The drill record of a stack, from its Pulumi.<stack>.yaml, with the newest record in docs/drills/ of its
 * environment (`continuity:environment`, else the stack's name).
 */
export function readDrills(projectDir: string, stack: string): Drills {
    const config = readStackConfig(projectDir, stack);
    const drills = parseDrills(config.config[DRILLS_KEY], `Pulumi.${stack}.yaml`);
    const environment = config.config["continuity:environment"] ?? stack;
    try {
        const record = newestRecord(path.join(projectDir, DRILL_RECORDS_DIR), environment);
        return record ? { ...drills, record } : drills;
    } catch (e) {
        if (e instanceof DrillRecordError) throw new DrillsConfigError(e.message);
        throw e;
    }
}

/** "April 2026": the first listed month after the last drill's month; undefined without a last drill. */
export function nextDrill(d: Drills): { year: number; month: number } | undefined {
    const last = lastDrill(d);
    if (!last) return undefined;
    const year = Number(last.slice(0, 4));
    const month = Number(last.slice(5, 7));
    const later = d.months.find((m) => m > month);
    return later !== undefined ? { year, month: later } : { year: year + 1, month: d.months[0] };
}

export const monthList = (months: readonly number[], conjunction = "and") => {
    const names = months.map((m) => MONTHS[m - 1]);
    return names.length <= 1 ? names.join("") : `${names.slice(0, -1).join(", ")} ${conjunction} ${names[names.length - 1]}`;
};
