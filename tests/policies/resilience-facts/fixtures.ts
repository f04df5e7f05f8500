import { TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { modelled } from "../../helpers/resilience-facts";
import { Protection } from "../../../policies/resilience/types";

// Another team's S3 buckets, Atlas clusters and OpenSearch domains, written with plain @pulumi/aws and
// @pulumi/mongodbatlas resources and sent as the engine sends them at preview, read by the resilience
// model: each store's redundancy, every protection (schedule, lag, retention, immutability, region) and
// a few of the estimates' reasoning. Expected figures come from the model's constants.
export type Props = Record<string, unknown>;

// --- S3 -------------------------------------------------------------------------------------------

export const bucket = (name: string, region: string, props: Props = {}): TestResource => ({
    type: "aws:s3/bucketV2:BucketV2",
    name,
    props: { bucket: name, region, ...props },
});
export const objectLock = (of: TestResource): TestResource => ({
    type: "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
    name: `${of.name}-lock`,
    props: { bucket: UNKNOWN, rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } } },
    propertyDependencies: { bucket: [urnOf(of)] },
});
const arnOf = (name: string) => `arn:aws:s3:::${name}`;
export const replication = (from: TestResource, to: string, rule: Props = {}, destination: Props = {}): TestResource => ({
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    name: `${from.name}-replication`,
    props: {
        bucket: from.props.bucket,
        role: "arn:aws:iam::123456789012:role/replication",
        rules: [{ id: "dr", status: "Enabled", destination: { bucket: arnOf(to), storageClass: "GLACIER", ...destination }, ...rule }],
    },
});

// --- expected ------------------------------------------------------------------------------------

type Shown = "mechanism" | "what" | "region" | "elsewhere" | "everyHours" | "lagHours" | "retentionDays" | "immutable" | "storageClass";
export type Fields = Pick<Protection, Shown> & {
    dependsOn: readonly string[];
};
const fields = (p: Protection): Fields => ({
    mechanism: p.mechanism,
    what: p.what,
    region: p.region,
    elsewhere: p.elsewhere,
    everyHours: p.everyHours,
    lagHours: p.lagHours,
    retentionDays: p.retentionDays,
    immutable: p.immutable,
    storageClass: p.storageClass,
    dependsOn: p.dependsOn ?? [],
});
/** A protection as expected: in its region, continuous, no lag, kept forever, mutable, unless said. */
export const expected = (
    mechanism: Protection["mechanism"],
    what: string,
    region: string | undefined,
    more: Partial<Fields> = {},
): Fields => ({
    mechanism,
    what,
    region,
    elsewhere: false,
    everyHours: 0,
    lagHours: 0,
    retentionDays: undefined,
    immutable: false,
    storageClass: undefined,
    dependsOn: [],
    ...more,
});
export async function stores(resources: TestResource[]) {
    return (await modelled(resources)).map((s) => ({ ...s, fields: s.protections.map(fields) }));
}
export const reasoning = (s: { estimates: readonly { disruption: string; reasoning: string }[] }, d: string) =>
    s.estimates.find((e) => e.disruption === d)?.reasoning;
