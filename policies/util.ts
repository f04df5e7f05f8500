// Shared by every policy module: settings with their schema defaults, values that are unknown at
// preview, retention arithmetic and links between resources of a stack.
import { PolicyConfigSchema, PolicyResource } from "@pulumi/policy";
import awsCron = require("aws-cron-parser");

// The SDK throws this when a policy reads a value the engine marked unknown; it is not exported in
// the SDK's typings, but the pack and the SDK share one module instance.
const { UnknownValueError } = require("@pulumi/policy/proxy") as { UnknownValueError: new (...args: never[]) => Error };

export const UNKNOWN: unique symbol = Symbol("unknown until the resource exists");
export type Maybe<T> = T | typeof UNKNOWN;

/** Reads a value that may be unknown at preview, where a policy wants to decide itself what that means. */
export function known<T>(read: () => T): Maybe<T> {
    try {
        return read();
    } catch (e) {
        if (e instanceof UnknownValueError) return UNKNOWN;
        throw e;
    }
}

/**
 * `compute` of a stack's resources, once per stack: the SDK hands every stack policy of one
 * AnalyzeStack the same array, so what several resources of a rule need of the whole stack (an index,
 * the facts of a kind) is worked out once instead of once per resource.
 */
export function perStack<T>(compute: (resources: PolicyResource[]) => T): (resources: PolicyResource[]) => T {
    const done = new WeakMap<PolicyResource[], T>();
    return (resources) => {
        if (!done.has(resources)) done.set(resources, compute(resources));
        return done.get(resources)!;
    };
}

/** What `f` reads of a resource's properties, UNKNOWN where that is unknown at preview. */
export function readProps<T = unknown>(r: PolicyResource, f: (props: Record<string, any>) => T): Maybe<T> {
    return known(() => f(r.props as Record<string, any>));
}

/** A value read with known(), UNKNOWN taken as undefined (for facts that say elsewhere what they depend on). */
export const known0 = <T>(v: Maybe<T>): T | undefined => (v === UNKNOWN ? undefined : v);

/**
 * A policy's configSchema: its settings and no others. The CLI validates a policy's settings against
 * `properties` and `required` only (pulumi pkg/resource/analyzer/config.go, convertSchema: the
 * Analyzer protocol's PolicyConfigSchema carries nothing else), so `additionalProperties: false` here
 * is enforced by settingsOf, when the policy runs.
 */
export function settingsSchema<S extends PolicyConfigSchema>(schema: S): S & { additionalProperties: false } {
    return { ...schema, additionalProperties: false };
}

/**
 * A policy's settings: what the --policy-pack-config file gives, over the defaults its schema
 * declares. The CLI fills defaults in too, but a pack run without a config file must not depend on it.
 * A setting the schema does not declare is refused (a misspelled one would otherwise leave the default
 * in force without a word), in the wording of the CLI's validator for a nested object.
 */
export function settingsOf<T>(schema: PolicyConfigSchema, given: Record<string, unknown>): T {
    if ((schema as { additionalProperties?: unknown }).additionalProperties === false) {
        const unknown = Object.keys(given).filter((k) => !Object.prototype.hasOwnProperty.call(schema.properties, k));
        if (unknown.length > 0) {
            throw new Error(
                `${unknown.map((k) => `Additional property ${k} is not allowed`).join("; ")} (the settings of this policy: ${Object.keys(schema.properties).join(", ")})`,
            );
        }
    }
    const defaults = Object.fromEntries(
        Object.entries(schema.properties)
            .filter(([, p]) => (p as { default?: unknown }).default !== undefined)
            .map(([k, p]) => [k, (p as { default?: unknown }).default]),
    );
    return { ...defaults, ...given } as T;
}

/** A lower bound in days: a month counts 28 days and a year 365, so a rule never passes by rounding. */
export function retentionDays(unit: string, value: number): number {
    const perUnit: Record<string, number> = { days: 1, weeks: 7, months: 28, years: 365 };
    return (perUnit[unit] ?? Number.NaN) * value;
}

export function plural(n: number, word: string): string {
    return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** A filter for resources of these type tokens. */
export const is =
    (...types: readonly string[]) =>
    (r: PolicyResource): boolean =>
        types.includes(r.type);

/** Whether `from` was built from `to`'s outputs: through one property, or anywhere. */
export function dependsOn(from: PolicyResource, to: PolicyResource, property?: string): boolean {
    const via = property === undefined ? undefined : from.propertyDependencies[property];
    return (via ?? []).some((d) => d.urn === to.urn) || from.dependencies.some((d) => d.urn === to.urn);
}

/** Whether two resources took a property from the same resource (e.g. one created project's id). */
export function shareSource(a: PolicyResource, b: PolicyResource, property: string): boolean {
    const sources = new Set((a.propertyDependencies[property] ?? []).map((d) => d.urn));
    return (b.propertyDependencies[property] ?? []).some((d) => sources.has(d.urn));
}

// AWS's cron (EventBridge, DataSync, AWS Backup): six fields, `?`, `L`, `W`, `#`, names and years,
// read by a maintained parser of that dialect instead of by hand.
/** The names of months and days of the week that cron dialects (AWS's, OpenSearch's) accept. */
export const CRON_MONTHS_AND_DAYS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"].concat([
    "SUN",
    "MON",
    "TUE",
    "WED",
    "THU",
    "FRI",
    "SAT",
]);
const CRON_NAMES = new Set([...CRON_MONTHS_AND_DAYS, "L"]);
const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The longest time, in hours, between two runs of an AWS schedule expression: `rate(n unit)` or
 * `cron(min hour day-of-month month day-of-week year)`. Undefined when it cannot be read, or when the
 * schedule stops within the eight years it is laid out over (2024–2031: leap years, every weekday of
 * every month). Times are UTC; a schedule time zone's daylight-saving hour is not counted.
 * AWS requires `?` in one of the two day fields (EventBridge, "Cron expressions reference").
 */
export function longestGapHours(expression: string): number | undefined {
    const text = expression.trim();
    const rate = /^rate\(\s*(\d+)\s+(minute|minutes|hour|hours|day|days)\s*\)$/.exec(text);
    if (rate) {
        const n = Number(rate[1]);
        if (n < 1) return undefined;
        return rate[2].startsWith("day") ? n * 24 : rate[2].startsWith("hour") ? n : n / 60;
    }
    const cron = /^cron\((.+)\)$/.exec(text);
    if (!cron) return undefined;
    const fields = cron[1].trim().split(/\s+/);
    if (fields.length !== 6 || (fields[2] !== "?" && fields[4] !== "?")) return undefined;
    // Names are three letters (JAN, FRI); the parser would read a longer word by its first three.
    const words = [...fields[3].matchAll(/[a-z]+/gi), ...fields[4].matchAll(/[a-z]+/gi)].map((m) =>
        m[0].toUpperCase().replace(/^(\w{3})L$/, "$1"),
    );
    if (words.some((w) => !CRON_NAMES.has(w))) return undefined;
    let parsed: ReturnType<typeof awsCron.parse>;
    try {
        parsed = awsCron.parse(fields.join(" "));
    } catch {
        return undefined;
    }
    // Every run day has the same times of day: the gaps within a day, then between run days.
    const times = [...new Set(parsed.hours.flatMap((h) => parsed.minutes.map((m) => Number(h) * 60 + Number(m))))].sort((a, b) => a - b);
    // The parser checks each number's range; `L`, `W` or `#` in the minute or hour field give no number.
    if (times.length === 0 || times.some((t) => !Number.isInteger(t))) return undefined;
    let longest = Math.max(0, ...times.slice(1).map((t, i) => t - times[i]));
    const [start, end] = [Date.UTC(2024, 0, 1), Date.UTC(2032, 0, 1)];
    let from = new Date(start - 1);
    let previousLast: number | undefined;
    for (;;) {
        let run: Date | null;
        try {
            run = awsCron.next(parsed, from);
        } catch {
            return undefined; // e.g. `?` in both day fields, which AWS refuses too
        }
        if (run === null) return undefined; // the schedule stops: no copy after that
        // The gap across the window's end counts too: a schedule that runs once in 2026, then in 2032, runs every 6 years.
        if (run.getTime() >= end) {
            const firstThatDay = Math.floor(run.getTime() / DAY) * DAY + times[0] * MINUTE;
            if (previousLast !== undefined) longest = Math.max(longest, (firstThatDay - previousLast) / MINUTE);
            break;
        }
        const day = Math.floor(run.getTime() / DAY) * DAY;
        // Before the first run nothing is copied either: from the window's start (for a periodic schedule, within one period).
        longest = Math.max(longest, (day + times[0] * MINUTE - (previousLast ?? start)) / MINUTE);
        previousLast = day + times[times.length - 1] * MINUTE;
        from = new Date(day + DAY - 1);
    }
    return previousLast === undefined ? undefined : longest / 60;
}
