// continuity:regions — where the primary resources live and where their DR copies go.
import { z } from "zod";
import { region, report, settings, tier, whenValid } from "./rules";

export const regionsSchema = settings(
    {
        primary: region().meta({ allowed: "an AWS region where Atlas runs" }),
        dr: region().meta({ allowed: "an AWS region ≠ primary" }),
    },
    "primary and dr AWS regions",
).superRefine((regions, ctx) => {
    if (regions.dr === regions.primary) report(ctx, ["dr"], `must differ from continuity:regions.primary (${regions.primary})`, regions.dr);
}, whenValid);

export type RegionSettings = z.output<typeof regionsSchema>;

export const regionsTier = tier({ key: "regions", schema: () => regionsSchema, absent: "undefined" });
