import { bucketRoles, storagePolicies } from "../../../policies/storage";
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";

export type Props = Record<string, unknown>;
export const KEY = "arn:aws:kms:us-west-2:123456789012:key/k";

export const bucket = (name: string, props: Props = {}): TestResource => ({
    type: "aws:s3/bucket:Bucket",
    name,
    props: { bucket: name, region: "us-west-2", ...props },
});
export const data = (name: string, props: Props = {}) => bucket(name, { tags: { tier: "storage", role: "primary" }, ...props });
export const copyBucket = (name: string, props: Props = {}) =>
    bucket(name, { region: "us-east-1", objectLockEnabled: true, tags: { role: "dr-copy" }, ...props });

/** Versioning, KMS and (for copies) a lock for a bucket, linked by its name. */
export const settings = (b: TestResource, lock?: Props): TestResource[] => [
    {
        type: "aws:s3/bucketVersioning:BucketVersioning",
        name: `${b.name}-v`,
        props: { bucket: b.props.bucket, versioningConfiguration: { status: "Enabled" } },
    },
    {
        type: "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
        name: `${b.name}-e`,
        props: {
            bucket: b.props.bucket,
            rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms", kmsMasterKeyId: KEY } }],
        },
    },
    ...(lock
        ? [
              {
                  type: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
                  name: `${b.name}-l`,
                  props: { bucket: b.props.bucket, rule: { defaultRetention: lock } },
              },
          ]
        : []),
];

export const replication = (from: TestResource, to: TestResource, rule: Props = {}): TestResource => ({
    type: "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
    name: `${from.name}-replication`,
    props: {
        bucket: from.props.bucket,
        role: "arn:aws:iam::123456789012:role/r",
        rules: [
            {
                id: "dr",
                status: "Enabled",
                deleteMarkerReplication: { status: "Disabled" },
                destination: { bucket: `arn:aws:s3:::${to.props.bucket}`, storageClass: "DEEP_ARCHIVE" },
                ...rule,
            },
        ],
    },
});

/** A DataSync task with its two locations, linked by dependencies as a program links them. */
export function datasync(from: TestResource, to: TestResource, task: Props = {}, dest: Props = {}): TestResource[] {
    const src: TestResource = {
        type: "aws:datasync/s3Location:S3Location",
        name: `${from.name}-src`,
        props: { s3BucketArn: UNKNOWN },
        propertyDependencies: { s3BucketArn: [urnOf(from)] },
    };
    const dst: TestResource = {
        type: "aws:datasync/s3Location:S3Location",
        name: `${from.name}-dst`,
        props: { s3BucketArn: UNKNOWN, s3StorageClass: "DEEP_ARCHIVE", ...dest },
        propertyDependencies: { s3BucketArn: [urnOf(to)] },
    };
    const t: TestResource = {
        type: "aws:datasync/task:Task",
        name: `${from.name}-task`,
        props: {
            sourceLocationArn: UNKNOWN,
            destinationLocationArn: UNKNOWN,
            schedule: { scheduleExpression: "cron(0 4 ? * SAT *)" },
            ...task,
        },
        propertyDependencies: { sourceLocationArn: [urnOf(src)], destinationLocationArn: [urnOf(dst)] },
    };
    return [src, dst, t];
}

export const noCopy = (name: string) =>
    `The data bucket '${name}' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.`;
export const LOCK = { mode: "COMPLIANCE", days: 30 };
/** A compliant stack: a data bucket copied weekly by DataSync into a locked copy in another region. */
export function compliant(): TestResource[] {
    const src = data("uploads");
    const dst = copyBucket("uploads-dr");
    return [src, dst, ...settings(src), ...settings(dst, LOCK), ...datasync(src, dst)];
}
export const without = (rs: TestResource[], name: string) => rs.filter((r) => r.name !== name);
export const VERSIONING = "aws:s3/bucketVersioning:BucketVersioning";
/** A resource that is neither a bucket nor a setting: something a property of a setting may also depend on. */
export const role: TestResource = { type: "aws:iam/role:Role", name: "replication-role", props: { name: "replication-role" } };
/** `r` with its props changed. */
export const withProps = (r: TestResource, props: Props): TestResource => ({ ...r, props: { ...r.props, ...props } });
/** `rs` with the resource named `name` given these props. */
export const patch = (rs: TestResource[], name: string, props: Props) => rs.map((r) => (r.name === name ? withProps(r, props) : r));

/**
 * The engine hands a policy each resource's provider; the test helper links none, so this wrapper links
 * them by URN before the policy runs (`links`: resource URN -> provider URN).
 */
export function withProviders(policy: StackValidationPolicy, links: Record<string, string>): StackValidationPolicy {
    return {
        ...policy,
        validateStack: (args, report) => {
            for (const r of args.resources) {
                const provider = args.resources.find((p) => p.urn === links[r.urn]);
                if (provider) (r as { provider?: PolicyResource }).provider = provider;
            }
            return policy.validateStack(args, report);
        },
    };
}
export const provider = (name: string, region: string): TestResource => ({ type: "pulumi:providers:aws", name, props: { region } });

export const v2 = (name: string, props: Props = {}): TestResource => ({
    type: "aws:s3/bucketV2:BucketV2",
    name,
    props: { region: "us-east-1", ...props },
});
export const on = (type: string, name: string, props: Props, links: Record<string, TestResource[]>): TestResource => ({
    type,
    name,
    props,
    propertyDependencies: Object.fromEntries(Object.entries(links).map(([k, rs]) => [k, rs.map(urnOf)])),
});
export const versioning = (b: TestResource) =>
    on(
        "aws:s3/bucketVersioningV2:BucketVersioningV2",
        `${b.name}-versioning`,
        { bucket: UNKNOWN, versioningConfiguration: { status: "Enabled" } },
        { bucket: [b] },
    );
export const kms = (b: TestResource) =>
    on(
        "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
        `${b.name}-sse`,
        { bucket: UNKNOWN, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "aws:kms" } }] },
        { bucket: [b] },
    );
export const lock = (b: TestResource) =>
    on(
        "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2",
        `${b.name}-lock`,
        { bucket: UNKNOWN, rule: { defaultRetention: { mode: "COMPLIANCE", days: 30 } } },
        { bucket: [b] },
    );
/** aws.s3.BucketReplicationConfig with these rules, source and destinations linked by dependency. */
export const replicate = (from: TestResource, to: TestResource[], rules: Props[]) =>
    on(
        "aws:s3/bucketReplicationConfig:BucketReplicationConfig",
        `${from.name}-replication`,
        { bucket: UNKNOWN, role: UNKNOWN, rules },
        { bucket: [from], rules: to },
    );
export const rule = (extra: Props = {}): Props => ({
    id: "all",
    status: "Enabled",
    filter: {},
    deleteMarkerReplication: { status: "Disabled" },
    destination: { bucket: UNKNOWN, storageClass: "GLACIER" },
    ...extra,
});
export const uploads = v2("uploads");
export const replica = v2("uploads-replica", { region: "eu-west-1", objectLockEnabled: true });
/** A bucket replicated whole to a locked, versioned, KMS-encrypted replica in another region. */
export const replicated = () => [
    uploads,
    replica,
    versioning(uploads),
    kms(uploads),
    versioning(replica),
    kms(replica),
    lock(replica),
    replicate(uploads, [replica], [rule()]),
];
export const stackPolicies = storagePolicies.filter((p): p is StackValidationPolicy => "validateStack" in p);
export const run = async (rs: TestResource[], config: Record<string, unknown> = {}) => {
    const found: string[] = [];
    for (const p of stackPolicies) found.push(...messages(await checkStack(p, rs, config)).map((m) => `${p.name}: ${m}`));
    return found;
};
/** What bucketRoles makes of each bucket, by name. */
export const rolesOf = async (rs: TestResource[]) => {
    const seen: StackValidationPolicy = {
        name: "roles-seen",
        description: "test",
        validateStack: (args, report) => {
            for (const [b, role] of bucketRoles(args.resources)) report(`${b.name}: ${role}`);
        },
    };
    return messages(await checkStack(seen, rs));
};
