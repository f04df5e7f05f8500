// continuity:drills — the DR drills the plan asks for twice a year: when the last one was, in which
// months they are due.
import { z } from "zod";
import { int, settings, tier } from "./rules";

export const drillsSchema = settings(
    {
        last: z
            .string({ error: "must be a date written YYYY-MM-DD" })
            .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "must be a date written YYYY-MM-DD" })
            .refine((v) => !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) && new Date(`${v}T00:00:00Z`).toISOString().startsWith(v), {
                error: "must be a date written YYYY-MM-DD",
            })
            .optional()
            .meta({ allowed: "the last drill's date, YYYY-MM-DD" }),
        months: z
            .array(int(1, 12), { error: "must be a list of months, 1 (January) to 12 (December)" })
            .min(1, { error: "must name at least one month: the plan tests the DR plan twice a year" })
            .refine((m) => new Set(m).size === m.length, { error: "must not name a month twice" })
            .default([4, 10])
            .meta({ allowed: "months 1–12, each once (≥ 1)" }),
    },
    "last and months",
)
    .prefault({})
    .transform((drills) => ({ ...(drills.last ? { last: drills.last } : {}), months: drills.months }));

export type DrillsSettings = z.output<typeof drillsSchema>;

export const drillsTier = tier({ key: "drills", schema: () => drillsSchema });
