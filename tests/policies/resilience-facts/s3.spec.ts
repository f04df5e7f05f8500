import * as assert from "assert";
import { C } from "../../../policies/resilience/constants";
import { awsRegionName } from "../../../policies/resilience/facts";
import { TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { h } from "../../helpers/resilience-facts";
import { Props, bucket, objectLock, replication, Fields, expected, stores, reasoning } from "./fixtures";

/** new aws.s3.BucketVersioningV2(`${b}-versioning`, { bucket: b.id, versioningConfiguration: { status: "Enabled" } }) */
const versioning = (of: TestResource, status: unknown = "Enabled"): TestResource => ({
    type: "aws:s3/bucketVersioningV2:BucketVersioningV2",
    name: `${of.name}-versioning`,
    props: { bucket: UNKNOWN, versioningConfiguration: { status } },
    propertyDependencies: { bucket: [urnOf(of)] },
});
const lifecycle = (of: TestResource, noncurrentDays: number, id = "expire"): TestResource => ({
    type: "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    name: `${of.name}-lifecycle-${id}`,
    props: { bucket: UNKNOWN, rules: [{ id, status: "Enabled", noncurrentVersionExpiration: { noncurrentDays } }] },
    propertyDependencies: { bucket: [urnOf(of)] },
});
/** A DataSync task with its two S3 locations, linked as a program links them. */
function datasync(from: TestResource, to: TestResource, task: Props = {}): TestResource[] {
    const src: TestResource = {
        type: "aws:datasync/s3Location:S3Location",
        name: `${from.name}-src`,
        props: { s3BucketArn: UNKNOWN },
        propertyDependencies: { s3BucketArn: [urnOf(from)] },
    };
    const dst: TestResource = {
        type: "aws:datasync/s3Location:S3Location",
        name: `${from.name}-dst`,
        props: { s3BucketArn: UNKNOWN, s3StorageClass: "DEEP_ARCHIVE" },
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

const S3_RATE = C.s3CopyGibPerHour.value;
const OBJECTS_GIB = C.defaultGib.objects.value;
const S3_REDUNDANCY = {
    nodes: "managed",
    zones: "managed",
    failoverSeconds: 0,
    what: "S3 keeps every object in at least three availability zones",
    source: C.managedSeconds.source,
};

describe("resilience facts of S3, Atlas and OpenSearch (policies/resilience/facts.ts)", () => {
    it("awsRegionName writes Atlas region names as AWS does and leaves others alone", () => {
        assert.strictEqual(awsRegionName("US_WEST_2"), "us-west-2");
        assert.strictEqual(awsRegionName("AP_SOUTHEAST_2"), "ap-southeast-2");
        assert.strictEqual(awsRegionName("eu-central-1"), "eu-central-1");
        assert.strictEqual(awsRegionName("CENTRAL_US"), "CENTRAL_US");
        assert.strictEqual(awsRegionName("us_west_2"), "us_west_2");
    });

    describe("S3", () => {
        const data = bucket("data", "us-west-2");
        const dr = bucket("data-dr", "us-east-1", { objectLockEnabled: true });

        it("versioning kept for the shortest noncurrent expiration, replication into a locked bucket in another region", async () => {
            const rs = [
                ...[data, versioning(data), lifecycle(data, 30), lifecycle(data, 90, "long")],
                ...[dr, versioning(dr), lifecycle(dr, 60), objectLock(dr), replication(data, "data-dr")],
            ];
            const [s] = await stores(rs);
            assert.strictEqual(s.name, "data");
            assert.deepStrictEqual(s.redundancy, S3_REDUNDANCY);
            assert.deepStrictEqual(s.fields, [
                expected("s3-versioning", "S3 versioning", "us-west-2", { retentionDays: 30 }),
                expected("s3-replication", "S3 replication into GLACIER in us-east-1", "us-east-1", {
                    elsewhere: true,
                    lagHours: h(C.s3ReplicationHours),
                    retentionDays: 60,
                    immutable: true,
                    storageClass: "GLACIER",
                }),
            ]);
            assert.strictEqual(s.protections[1].lagWhy, C.s3ReplicationHours.source);
            assert.deepStrictEqual(s.protections[1].restore, {
                fixedHours: 0,
                fixedWhy: "",
                retrievalHours: C.glacierStandardHours.value,
                retrievalWhy: "GLACIER standard retrieval",
                gibPerHour: S3_RATE,
                rateWhy: C.s3CopyGibPerHour.source,
            });
            assert.deepStrictEqual(s.notes, []);
            assert.strictEqual(
                reasoning(s, "region"),
                `S3 replication into GLACIER in us-east-1: continuous + ${h(C.s3ReplicationHours)} h to arrive → ` +
                    `up to ${h(C.s3ReplicationHours)} h lost; GLACIER standard retrieval ${C.glacierStandardHours.value} h + ` +
                    `${OBJECTS_GIB} GiB at ${S3_RATE} GiB/h 30 min → RTO ≈ 5.5 h`,
            );
            assert.strictEqual(
                reasoning(s, "corruption"),
                "S3 versioning: continuous → nothing lost; only if the damage is found within 30 days; " +
                    `${OBJECTS_GIB} GiB at ${S3_RATE} GiB/h 30 min → RTO ≈ 30 min`,
            );
        });

        it("Replication Time Control shortens the lag; a destination without a lock configuration is not immutable", async () => {
            const rtc = {
                replicationTime: { status: "Enabled", time: { minutes: 15 } },
                metrics: { status: "Enabled", eventThreshold: { minutes: 15 } },
            };
            const [s] = await stores([data, versioning(data), dr, versioning(dr), replication(data, "data-dr", {}, rtc)]);
            assert.deepStrictEqual(s.fields, [
                expected("s3-versioning", "S3 versioning", "us-west-2"),
                expected("s3-replication", "S3 replication into GLACIER in us-east-1 with Replication Time Control", "us-east-1", {
                    elsewhere: true,
                    lagHours: C.s3ReplicationRtcHours.value,
                    storageClass: "GLACIER",
                }),
            ]);
            assert.strictEqual(s.protections[1].lagWhy, C.s3ReplicationRtcHours.source);
            const disabled = { replicationTime: { status: "Disabled", time: { minutes: 15 } } };
            const [off] = await stores([data, dr, objectLock(dr), replication(data, "data-dr", {}, disabled)]);
            assert.deepStrictEqual(off.fields, [
                expected("s3-replication", "S3 replication into GLACIER in us-east-1", "us-east-1", {
                    elsewhere: true,
                    lagHours: h(C.s3ReplicationHours),
                    immutable: true,
                    storageClass: "GLACIER",
                }),
            ]);
            assert.deepStrictEqual(off.notes, ["versioning is off: an overwritten or deleted object is gone"]);
        });

        it("a prefix-filtered replication rule is noted, not counted", async () => {
            const [s] = await stores([data, dr, replication(data, "data-dr", { filter: { prefix: "logs/" } })]);
            assert.deepStrictEqual(s.fields, []);
            assert.deepStrictEqual(s.notes, [
                "versioning is off: an overwritten or deleted object is gone",
                "replication rule dr copies only prefix 'logs/'",
            ]);
            assert.strictEqual(reasoning(s, "region"), "no copy outside us-west-2: the data is lost with the region");
        });

        it("a weekly DataSync task into DEEP_ARCHIVE; versioning unknown at preview counts and is named", async () => {
            const [s] = await stores([data, versioning(data, UNKNOWN), dr, ...datasync(data, dr)]);
            assert.deepStrictEqual(s.fields, [
                expected("s3-versioning", "S3 versioning", "us-west-2", { dependsOn: ["the bucket's versioning status"] }),
                expected("datasync", "DataSync task 'data-task' into DEEP_ARCHIVE in us-east-1", "us-east-1", {
                    elsewhere: true,
                    everyHours: 24 * 7,
                    immutable: false,
                    storageClass: "DEEP_ARCHIVE",
                }),
            ]);
            assert.strictEqual(s.protections[1].restore.retrievalHours, C.deepArchiveStandardHours.value);
            assert.strictEqual(
                reasoning(s, "region"),
                `DataSync task 'data-task' into DEEP_ARCHIVE in us-east-1: a point every 168 h → up to 168 h lost; ` +
                    `DEEP_ARCHIVE standard retrieval ${C.deepArchiveStandardHours.value} h + ` +
                    `${OBJECTS_GIB} GiB at ${S3_RATE} GiB/h 30 min → RTO ≈ 12.5 h`,
            );
        });

        it("a DataSync task without a schedule counts weekly; one unknown at preview counts as continuous and is named", async () => {
            const dr = bucket("data-dr", "us-east-1");
            const copy = (more: Partial<Fields>) =>
                expected("datasync", "DataSync task 'data-task' into DEEP_ARCHIVE in us-east-1", "us-east-1", {
                    elsewhere: true,
                    storageClass: "DEEP_ARCHIVE",
                    ...more,
                });
            const [manual] = await stores([data, dr, ...datasync(data, dr, { schedule: undefined })]);
            assert.deepStrictEqual(manual.fields, [copy({ everyHours: 168 })]);
            assert.deepStrictEqual((await stores([data, dr, ...datasync(data, dr, { schedule: UNKNOWN })]))[0].fields, [
                copy({ dependsOn: ["the DataSync task's schedule"] }),
            ]);
        });

        it("a replication destination unknown at preview counts in the stack's favour and is named", async () => {
            const unknownDestination: TestResource = {
                ...replication(data, "x"),
                props: {
                    bucket: "data",
                    role: "r",
                    rules: [{ id: "dr", status: "Enabled", destination: { bucket: UNKNOWN, storageClass: "GLACIER" } }],
                },
            };
            const [s] = await stores([data, unknownDestination]);
            assert.deepStrictEqual(s.fields, [
                expected("s3-replication", "S3 replication into GLACIER in an unknown region", undefined, {
                    elsewhere: "unknown",
                    lagHours: h(C.s3ReplicationHours),
                    immutable: true,
                    storageClass: "GLACIER",
                    dependsOn: ["the copy's destination bucket"],
                }),
            ]);
        });
    });
});
