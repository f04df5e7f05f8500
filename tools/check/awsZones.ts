// The local answer to aws.getAvailabilityZones (invokes.ts): the zones of 15 Regions, filtered as
// terraform-provider-aws v6 and EC2's DescribeAvailabilityZones filter them.
import { callRegion } from "./awsRegions";
import { Args, has, InvokeContext, isPlainObject, optString, refuse, stringList } from "./invokeCall";

/**
 * The Availability Zones (not Local or Wavelength Zones) of a Region as DescribeAvailabilityZones lists them for an
 * account that opted in to no zone group: zone name → AZ ID.
 *
 * AZ IDs: AWS, "AWS Availability Zones" (docs.aws.amazon.com/global-infrastructure/latest/regions/
 * aws-availability-zones.html), the zones open to every account (us-east-1's use1-az3 is constrained but listed;
 * us-west-1 and ap-northeast-1 list two and three of their zones to accounts created since).
 *
 * Names: Regions opened after November 2012 map zone names to AZ IDs the same way in every account, and those
 * mappings are real (as describe-availability-zones prints them, e.g. eu-central-1a = euc1-az2). In the oldest
 * Regions (AWS, "AZ IDs", Regions with independently mapped Availability Zones: us-east-1, us-west-1, us-west-2,
 * eu-west-1, ap-southeast-1, ap-southeast-2, ap-northeast-1, sa-east-1) each account created before November 2025
 * has its own mapping; for those the check uses one FIXED mapping, the zone letters in order against the AZ IDs in
 * ascending order. It is documented here, not your account's: read zone IDs, not names, when the difference
 * matters, or answer the call in the answers file.
 */
const AVAILABILITY_ZONES: Record<string, Record<string, string>> = {
    // Independently mapped: fixed mapping, letters in order ↔ AZ IDs ascending.
    "us-east-1": {
        "us-east-1a": "use1-az1",
        "us-east-1b": "use1-az2",
        "us-east-1c": "use1-az3",
        "us-east-1d": "use1-az4",
        "us-east-1e": "use1-az5",
        "us-east-1f": "use1-az6",
    },
    "us-west-1": { "us-west-1a": "usw1-az1", "us-west-1c": "usw1-az3" },
    "us-west-2": { "us-west-2a": "usw2-az1", "us-west-2b": "usw2-az2", "us-west-2c": "usw2-az3", "us-west-2d": "usw2-az4" },
    "eu-west-1": { "eu-west-1a": "euw1-az1", "eu-west-1b": "euw1-az2", "eu-west-1c": "euw1-az3" },
    "ap-southeast-1": { "ap-southeast-1a": "apse1-az1", "ap-southeast-1b": "apse1-az2", "ap-southeast-1c": "apse1-az3" },
    "ap-southeast-2": { "ap-southeast-2a": "apse2-az1", "ap-southeast-2b": "apse2-az2", "ap-southeast-2c": "apse2-az3" },
    "ap-northeast-1": { "ap-northeast-1a": "apne1-az1", "ap-northeast-1c": "apne1-az2", "ap-northeast-1d": "apne1-az4" },
    "sa-east-1": { "sa-east-1a": "sae1-az1", "sa-east-1b": "sae1-az2", "sa-east-1c": "sae1-az3" },
    // Uniformly mapped: the real mapping of every account.
    "us-east-2": { "us-east-2a": "use2-az1", "us-east-2b": "use2-az2", "us-east-2c": "use2-az3" },
    "ca-central-1": { "ca-central-1a": "cac1-az1", "ca-central-1b": "cac1-az2", "ca-central-1d": "cac1-az4" },
    "eu-west-2": { "eu-west-2a": "euw2-az2", "eu-west-2b": "euw2-az3", "eu-west-2c": "euw2-az1" },
    "eu-west-3": { "eu-west-3a": "euw3-az1", "eu-west-3b": "euw3-az2", "eu-west-3c": "euw3-az3" },
    "eu-central-1": { "eu-central-1a": "euc1-az2", "eu-central-1b": "euc1-az3", "eu-central-1c": "euc1-az1" },
    "eu-north-1": { "eu-north-1a": "eun1-az1", "eu-north-1b": "eun1-az2", "eu-north-1c": "eun1-az3" },
    "ap-south-1": { "ap-south-1a": "aps1-az1", "ap-south-1b": "aps1-az3", "ap-south-1c": "aps1-az2" },
};

// The values of EC2's AvailabilityZoneState (aws-sdk-go-v2 service/ec2/types), which the data source's `state`
// is validated against (enum.Validate[awstypes.AvailabilityZoneState]).
const ZONE_STATES = ["available", "information", "impaired", "unavailable", "constrained"];

/** What DescribeAvailabilityZones' filters see of a zone (EC2 API reference, DescribeAvailabilityZones, Filter.N). */
function zoneAttributes(region: string, name: string, id: string): Record<string, string | undefined> {
    return {
        // AvailabilityZone.GroupName: "us-east-1-zg-1" for an Availability Zone (EC2 API reference, AvailabilityZone).
        "group-name": `${region}-zg-1`,
        message: undefined,
        "opt-in-status": "opt-in-not-required",
        "parent-zone-id": undefined,
        "parent-zone-name": undefined,
        "region-name": region,
        state: "available",
        "zone-id": id,
        "zone-name": name,
        "zone-type": "availability-zone",
    };
}

/** An EC2 filter value: `*` any run of characters, `?` one, a backslash escapes (EC2 API reference, Filter). */
function ec2FilterMatches(pattern: string, value: string): boolean {
    let re = "";
    for (let i = 0; i < pattern.length; i++) {
        const c = pattern[i];
        if (c === "\\" && i + 1 < pattern.length) re += escapeRegExp(pattern[++i]);
        else if (c === "*") re += "[\\s\\S]*";
        else if (c === "?") re += "[\\s\\S]";
        else re += escapeRegExp(c);
    }
    return new RegExp(`^${re}$`).test(value);
}

function escapeRegExp(s: string): string {
    return s.replace(/[.*+?^${}()|[\]\\/]/g, "\\$&");
}

// terraform-provider-aws v6, internal/service/ec2/ec2_availability_zones_data_source.go (Read): `state` becomes
// the filter state=<state>, `filter` blocks are added to it, `all_availability_zones` asks for every zone type;
// the zones come back sorted by name; exclude_names / exclude_zone_ids drop zones; names and zone_ids keep that
// order; group_names is the set of their group names; the id is the Region.
export function getAvailabilityZones(args: Args, ctx: InvokeContext): Record<string, unknown> {
    const region = callRegion(args, ctx);
    const zones = has(AVAILABILITY_ZONES, region) ? AVAILABILITY_ZONES[region] : undefined;
    if (!zones) {
        refuse(`the check knows the Availability Zones of ${Object.keys(AVAILABILITY_ZONES).sort().join(", ")} only, not of '${region}'.`);
    }
    const state = optString(args.state, "state");
    if (state !== undefined && !ZONE_STATES.includes(state)) {
        refuse(
            `'state' must be one of ${ZONE_STATES.join(", ")} (the provider: expected state to be one of ${JSON.stringify(ZONE_STATES)}, got ${state}).`,
        );
    }
    const filters: { name: string; values: string[] }[] = [];
    if (state !== undefined && state !== "") filters.push({ name: "state", values: [state] });
    const given = args.filters;
    if (given !== undefined && given !== null) {
        if (!Array.isArray(given)) refuse(`'filters' must be a list of { name, values }.`);
        given.forEach((f, i) => {
            if (!isPlainObject(f) || typeof f.name !== "string") refuse(`filters[${i}] must be { name: string, values: string[] }.`);
            filters.push({ name: f.name, values: stringList(f.values, `filters[${i}].values`) });
        });
    }
    for (const f of filters) {
        if (!has(zoneAttributes(region, "", ""), f.name)) {
            refuse(
                `EC2 has no Availability Zone filter '${f.name}' (DescribeAvailabilityZones answers InvalidParameterValue); its filters are ${Object.keys(zoneAttributes(region, "", "")).join(", ")}.`,
            );
        }
    }
    if (args.allAvailabilityZones === true) {
        // Only a zone-type filter that admits no Local or Wavelength Zone keeps the answer to the zones the check knows.
        const onlyAzs = filters.some(
            (f) =>
                f.name === "zone-type" &&
                !f.values.some((v) => ec2FilterMatches(v, "local-zone") || ec2FilterMatches(v, "wavelength-zone")),
        );
        if (!onlyAzs) {
            refuse(
                `allAvailabilityZones also lists the Local Zones and Wavelength Zones of ${region}, which the check does not know; add the filter { name: "zone-type", values: ["availability-zone"] } to list only its Availability Zones.`,
            );
        }
    }
    const excludeNames = stringList(args.excludeNames, "excludeNames");
    const excludeZoneIds = stringList(args.excludeZoneIds, "excludeZoneIds");
    const names: string[] = [];
    const zoneIds: string[] = [];
    const groupNames: string[] = [];
    for (const name of Object.keys(zones).sort()) {
        const id = zones[name];
        const attrs = zoneAttributes(region, name, id);
        const kept = filters.every((f) => {
            const value = attrs[f.name];
            return value !== undefined && f.values.some((v) => ec2FilterMatches(v, value));
        });
        if (!kept || excludeNames.includes(name) || excludeZoneIds.includes(id)) continue;
        if (!groupNames.includes(attrs["group-name"]!)) groupNames.push(attrs["group-name"]!);
        names.push(name);
        zoneIds.push(id);
    }
    const result: Record<string, unknown> = { groupNames, id: region, names, region, zoneIds };
    for (const k of ["allAvailabilityZones", "excludeNames", "excludeZoneIds", "filters", "state"]) {
        if (args[k] !== undefined && args[k] !== null) result[k] = args[k];
    }
    return result;
}
