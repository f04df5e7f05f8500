// What a snapshot-management (SM) policy's body says, for the search policies (../search.ts) and the
// resilience model: the body itself (ours an object, the opensearch provider's a JSON string), when its
// OpenSearch cron expression runs, the longest gap between two runs, how long each snapshot is kept at
// least, and what keeps a policy from meeting a schedule.
import { PolicyResource } from "@pulumi/policy";
import { CronDate, CronExpression, CronExpressionParser } from "cron-parser";
import { CRON_MONTHS_AND_DAYS, known, Maybe, plural, UNKNOWN } from "../util";

/**
 * When an SM policy's schedule runs, over the eight years from 2024 to 2031 (leap years, every weekday
 * of every month, two daylight-saving changes a year): the first run of each day it runs on, as
 * instants (ms), and the wall-clock offsets (ms) of that day's runs from its first, ascending.
 */
export interface Runs {
    days: number[];
    offsets: number[];
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const [FROM, TO] = [Date.UTC(2024, 0, 1), Date.UTC(2032, 0, 1)];
/** OpenSearch's names of months and days of the week (OpenSearch docs, "Cron expressions"). */
const CRON_NAMES = new Set(CRON_MONTHS_AND_DAYS);
const runDays = new Map<string, number[] | undefined>();

/**
 * The runs of an OpenSearch cron expression in a time zone; undefined if unreadable, or if it runs on
 * fewer than two days of the eight years. OpenSearch takes standard UNIX cron, five fields (minute,
 * hour, day of month, month, day of week) of numbers, `*`, `,`, `-`, `/` and three-letter names of
 * months and days; where day of month and day of week are both restricted, a day matching either
 * runs (OpenSearch docs, "Cron expressions"; SM API: `creation.schedule.cron.expression` and
 * `timezone`). cron-parser reads that dialect and more (a sixth field of seconds, `?`, `L`, `#`, `H`),
 * so what OpenSearch does not take is refused first. The library finds each day's first run, with
 * the time zone's daylight saving; the rest of that day's runs follow at the hours and minutes it
 * parsed, at their wall-clock spacing.
 */
export function cronRuns(expression: string, timezone = "UTC"): Runs | undefined {
    const fields = expression.trim().split(/\s+/);
    if (fields.length !== 5 || fields.some((f) => !/^[0-9A-Za-z*,/-]+$/.test(f)) || /[a-z]/i.test(fields.slice(0, 3).join("")))
        return undefined;
    if ([...fields[3].matchAll(/[a-z]+/gi), ...fields[4].matchAll(/[a-z]+/gi)].some((m) => !CRON_NAMES.has(m[0].toUpperCase())))
        return undefined;
    let parsed: CronExpression;
    try {
        parsed = CronExpressionParser.parse(fields.join(" "), { tz: timezone });
    } catch {
        return undefined; // refused by the library
    }
    const times = parsed.fields.hour.values
        .flatMap((h) => parsed.fields.minute.values.map((m) => Number(h) * 60 + Number(m)))
        .sort((a, b) => a - b);
    const offsets = times.map((t) => (t - times[0]) * MINUTE);
    // Laying the days out takes the library a step per day of the eight years: once per schedule.
    const key = `${fields.join(" ")}\n${timezone}`;
    if (!runDays.has(key)) runDays.set(key, firstRunOfEachDay(parsed, timezone));
    const days = runDays.get(key);
    return days === undefined ? undefined : { days, offsets };
}

/** The first run of each day the schedule runs on, as instants (ms); undefined when fewer than two. */
function firstRunOfEachDay(parsed: CronExpression, timezone: string): number[] | undefined {
    try {
        // The window starts at the zone's first midnight from FROM on, so every day counted is whole.
        const start = new CronDate(new Date(FROM - 1), timezone);
        start.addDay();
        const days: number[] = [];
        for (let from = start; ;) {
            parsed.reset(new Date(from.getTime() - 1000));
            const run = parsed.next();
            if (run.getTime() >= TO) break;
            days.push(run.getTime());
            from = new CronDate(run, timezone);
            from.addDay();
        }
        return days.length < 2 ? undefined : days;
    } catch {
        return undefined; // an unknown time zone, or a schedule that never runs
    }
}

/** The longest time, in hours, between two runs. */
export function longestGapHours({ days, offsets }: Runs): number {
    const last = offsets[offsets.length - 1];
    const within = Math.max(0, ...offsets.slice(1).map((o, i) => o - offsets[i]));
    const between = Math.max(...days.slice(1).map((d, i) => d - (days[i] + last)));
    return Math.max(within, between) / HOUR;
}

/**
 * The shortest time, in hours, from a run to the `n`th run after it: how long a snapshot lives when
 * `n` newer ones make it go. A schedule that bunches its runs keeps them for less than `n` times its
 * longest gap. Infinity when no run has `n` runs after it within the eight years.
 */
export function spanHours({ days, offsets }: Runs, n: number): number {
    const k = offsets.length;
    // From the j-th run of a day, the n-th run after it is on the q-th run day after, q = ⌊(j + n) / k⌋:
    // one of two values of q, each at the closest pair of run days q apart.
    const closest = new Map<number, number>();
    const dayGap = (q: number) => {
        if (!closest.has(q)) closest.set(q, Math.min(...days.slice(q).map((d, i) => d - days[i])));
        return closest.get(q)!;
    };
    let shortest = Number.POSITIVE_INFINITY;
    for (let j = 0; j < k; j++) shortest = Math.min(shortest, dayGap(Math.floor((j + n) / k)) + offsets[(j + n) % k] - offsets[j]);
    return shortest / HOUR;
}

/** The longest gap, in hours, between two runs of an OpenSearch cron expression; undefined if unreadable. */
export function cronGapHours(expression: string, timezone?: string): number | undefined {
    const runs = cronRuns(expression, timezone);
    return runs === undefined ? undefined : longestGapHours(runs);
}

/** An OpenSearch time value in days ("14d", "336h"); undefined if unreadable. */
export function timeValueDays(value: string): number | undefined {
    const m = /^(\d+)(d|h|m|s)$/.exec(value.trim());
    if (!m) return undefined;
    return Number(m[1]) / { d: 1, h: 24, m: 1440, s: 86400 }[m[2] as "d" | "h" | "m" | "s"];
}

export interface SnapshotPolicyBody {
    enabled?: boolean;
    creation?: { schedule?: { cron?: { expression?: string; timezone?: string } } };
    deletion?: { condition?: { max_age?: string; max_count?: number; min_count?: number } };
    snapshot_config?: { repository?: string };
}

/**
 * How long a snapshot policy keeps every snapshot at least, in days: deletion removes what is older
 * than max_age or beyond max_count, but always keeps min_count; a count lasts as long as the runs
 * that replace it, at their most frequent. Infinity without deletion; undefined if unreadable.
 */
export function keptDays(body: SnapshotPolicyBody, runs: Runs): number | undefined {
    const condition = body.deletion?.condition;
    if (!body.deletion || !condition) return Number.POSITIVE_INFINITY;
    const byAge = condition.max_age === undefined ? Number.POSITIVE_INFINITY : timeValueDays(condition.max_age);
    if (byAge === undefined) return undefined;
    const byCount = condition.max_count === undefined ? Number.POSITIVE_INFINITY : spanHours(runs, condition.max_count) / 24;
    const floor = spanHours(runs, condition.min_count ?? 1) / 24;
    return Math.max(Math.min(byAge, byCount), floor);
}

/** A policy body that is not a JSON object (the opensearch provider takes it as a JSON string). */
export const UNREADABLE = "unreadable" as const;

/** The body of a snapshot-management policy, as an object: ours is one, the opensearch provider's a JSON string. */
export function bodyOf(r: PolicyResource): Maybe<SnapshotPolicyBody | undefined | typeof UNREADABLE> {
    const body = known(() => r.props.body as unknown);
    if (typeof body !== "string") return (body ?? undefined) as Maybe<SnapshotPolicyBody | undefined>;
    try {
        const parsed = JSON.parse(body) as unknown;
        return typeof parsed === "object" && parsed !== null && !Array.isArray(parsed) ? (parsed as SnapshotPolicyBody) : UNREADABLE;
    } catch {
        return UNREADABLE;
    }
}

/** What keeps this policy from meeting the schedule, or undefined when it meets it (or may, being unknown). */
export function scheduleProblem(policy: PolicyResource, maxIntervalHours: number, minRetentionDays: number): string | undefined {
    const body = bodyOf(policy);
    if (body === UNKNOWN) return undefined;
    if (body === undefined) return "has no body";
    if (body === UNREADABLE) return "has a body that is not a JSON object";
    const enabled = known(() => body.enabled);
    if (enabled === false) return "is disabled";
    const expression = known(() => body.creation?.schedule?.cron?.expression);
    if (expression === UNKNOWN) return undefined;
    if (expression === undefined) return "has no creation schedule";
    const timezone = known(() => body.creation?.schedule?.cron?.timezone);
    if (timezone === UNKNOWN) return undefined;
    const schedule = timezone === undefined || timezone === "UTC" ? `"${expression}"` : `"${expression}" in time zone "${timezone}"`;
    const runs = cronRuns(expression, timezone);
    if (runs === undefined) return `runs on ${schedule}, a schedule this guard cannot read`;
    const gap = longestGapHours(runs);
    if (gap > maxIntervalHours) return `runs on ${schedule}, up to ${plural(gap, "hour")} apart`;
    const kept = known(() => keptDays(body, runs));
    if (kept === UNKNOWN) return undefined;
    if (kept === undefined) return `keeps snapshots for "${body.deletion?.condition?.max_age}", a time this guard cannot read`;
    if (kept < minRetentionDays) return `keeps snapshots ${plural(Math.round(kept * 100) / 100, "day")}`;
    return undefined;
}
