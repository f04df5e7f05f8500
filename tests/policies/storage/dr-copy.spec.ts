import * as assert from "assert";
import { longestGapDays, storageDrCopy } from "../../../policies/storage";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import {
    bucket,
    data,
    copyBucket,
    settings,
    replication,
    datasync,
    noCopy,
    compliant,
    role,
    withProps,
    withProviders,
    provider,
} from "./fixtures";

describe("storage policies (policies/storage.ts)", () => {
    describe("storage-dr-copy", () => {
        const noUploadsCopy = noCopy("uploads");
        it("counts a replication whose rules are unknown at preview as a possible copy", async () => {
            const src = data("uploads");
            const unknownRules = {
                ...replication(src, copyBucket("x")),
                props: { ...replication(src, copyBucket("x")).props, rules: UNKNOWN },
            };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), unknownRules])), []);
            const otherSource = { ...unknownRules, props: { ...unknownRules.props, bucket: "logs" } };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), bucket("logs"), otherSource])), [
                noUploadsCopy,
            ]);
        });
        it("takes a DataSync task from an EFS or NFS location for no copy of a bucket, and one from an unknown location for a possible one", async () => {
            const src = data("uploads");
            const [, dst, task] = datasync(src, copyBucket("uploads-dr"));
            for (const type of [
                "aws:datasync/efsLocation:EfsLocation",
                "aws:datasync/nfsLocation:NfsLocation",
                "aws:datasync/locationSmb:LocationSmb",
            ]) {
                const other: TestResource = { type, name: "files", props: {} };
                const fromFiles = { ...task, propertyDependencies: { ...task.propertyDependencies, sourceLocationArn: [urnOf(other)] } };
                assert.deepStrictEqual(
                    messages(await checkStack(storageDrCopy, [src, ...settings(src), other, dst, fromFiles])),
                    [noUploadsCopy],
                    type,
                );
            }
            const fromRole = { ...task, propertyDependencies: { ...task.propertyDependencies, sourceLocationArn: [urnOf(role)] } };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src), role, dst, fromRole])), []);
        });
        it("rejects a data bucket without any copy", async () => {
            const src = data("uploads");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, ...settings(src)])), [
                "The data bucket 'uploads' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });
        it("rejects a copy into the bucket's own region", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr", { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, dst)])), [
                "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
            ]);
        });
        it("rejects STANDARD storage, and takes the allowed classes from config", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            const standard = [
                src,
                dst,
                replication(src, dst, { destination: { bucket: "arn:aws:s3:::uploads-dr", storageClass: "STANDARD" } }),
            ];
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, standard)), [
                "The DR copy of data bucket 'uploads' by 'uploads-replication' is stored as STANDARD; this environment requires one of DEEP_ARCHIVE, GLACIER.",
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(storageDrCopy, standard, { storageClasses: ["STANDARD", "DEEP_ARCHIVE"] })),
                [],
            );
        });
        it("rejects a monthly DataSync schedule, and a task without one", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageDrCopy, [
                        src,
                        dst,
                        ...datasync(src, dst, { schedule: { scheduleExpression: "cron(0 4 1 * ? *)" } }),
                    ]),
                ),
                [
                    "The DataSync task 'uploads-task' copying data bucket 'uploads' runs cron(0 4 1 * ? *), up to 31 days apart; this environment requires a copy at least every 7 days.",
                ],
            );
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, { schedule: undefined })])), [
                "The DataSync task 'uploads-task' copying data bucket 'uploads' has no schedule, so it only runs by hand; this environment requires a copy at least every 7 days.",
            ]);
        });
        it("takes the longest interval from config", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, compliant(), { maxCopyIntervalDays: 1 })), [
                "The DataSync task 'uploads-task' copying data bucket 'uploads' runs cron(0 4 ? * SAT *), up to 7 days apart; this environment requires a copy at least every 1 day.",
            ]);
        });
        it("counts unknown destinations, storage classes and sources in the stack's favour at preview", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            const unknownClass = [src, dst, ...datasync(src, dst, {}, { s3StorageClass: UNKNOWN })];
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, unknownClass)), []);
            const unknownSource: TestResource = { ...replication(src, dst), props: { ...replication(src, dst).props, bucket: UNKNOWN } };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, unknownSource])), []);
        });
        it("reads schedules: rates, weekdays, ranges", () => {
            assert.strictEqual(longestGapDays("rate(1 day)"), 1);
            assert.strictEqual(longestGapDays("rate(12 hours)"), 0.5);
            assert.strictEqual(longestGapDays("at(2030-01-01T00:00:00)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT *)"), 7);
            // The second Friday, the last Friday: monthly, up to five weeks apart; a day's full name is no AWS cron.
            for (const monthly of ["FRI#2", "FRIL", "6#2", "6L"])
                assert.strictEqual(longestGapDays(`cron(0 4 ? * ${monthly} *)`), 35, monthly);
            assert.strictEqual(longestGapDays("cron(0 4 ? * FRIDAY *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON,THU *)"), 4);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON-FRI *)"), 3);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 7 *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 * * ? *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 1 * ? *)"), 31);
            // Every day of the month is daily (once read as one run every 31 days).
            assert.strictEqual(longestGapDays("cron(0 4 1-31 * ? *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 1-31/2 * ? *)"), 2);
            assert.strictEqual(longestGapDays("every saturday"), undefined);
        });
        it("reads rates in minutes, hours and days, in either number, around spaces", () => {
            assert.strictEqual(longestGapDays("rate(1 minute)"), 1 / 1440);
            assert.strictEqual(longestGapDays("rate(720 minutes)"), 0.5);
            assert.strictEqual(longestGapDays("rate(1 hour)"), 1 / 24);
            assert.strictEqual(longestGapDays("rate(6 hours)"), 0.25);
            assert.strictEqual(longestGapDays("rate(10 days)"), 10);
            assert.strictEqual(longestGapDays("rate(2  days)"), 2);
            assert.strictEqual(longestGapDays(" rate(1 day) "), 1);
            assert.strictEqual(longestGapDays("rate(1day)"), undefined);
            assert.strictEqual(longestGapDays("rate(day)"), undefined);
            assert.strictEqual(longestGapDays("rate(1 week)"), undefined);
            assert.strictEqual(longestGapDays("xrate(1 day)"), undefined);
            assert.strictEqual(longestGapDays("rate(1 day)x"), undefined);
        });
        it("reads cron expressions: six fields only, yearly months, every day, spacing", () => {
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT * *)"), undefined);
            assert.strictEqual(longestGapDays("cron()"), undefined);
            assert.strictEqual(longestGapDays("xcron(0 4 ? * SAT *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT *)x"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 1 1 ? *)"), 366);
            assert.strictEqual(longestGapDays("cron(0 4 ? 1-12 MON *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 ? 1,7 MON *)"), 161); // 29 July 2030 to 6 January 2031
            assert.strictEqual(longestGapDays("cron(0 4 ? * * *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 ? * ? *)"), undefined); // AWS wants `?` in one day field, not both
            assert.strictEqual(longestGapDays("cron(0 4 L * ? *)"), 31);
            assert.strictEqual(longestGapDays(" cron( 0  4 ?  * SAT * ) "), 7);
        });
        it("reads weekdays: names, numbers, lower case, ranges, and gives up on unknown days and wrapping ranges", () => {
            assert.strictEqual(longestGapDays("cron(0 4 ? * SUN *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 ? * mon,thu *)"), 4);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON,FRI,WED *)"), 3);
            // A range that wraps past Saturday is not read (the cron parser does not), so it is reported as unreadable.
            assert.strictEqual(longestGapDays("cron(0 4 ? * FRI-MON *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SAT-SUN *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * SUN-SAT *)"), 1);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 2-4 *)"), 5);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 1,4 *)"), 4);
            assert.strictEqual(longestGapDays("cron(0 4 ? * TUE *)"), 7);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 7,MON *)"), 5);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 2,WED *)"), 5);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 0 *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 8 *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * 17 *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * XYZ *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * MON-XYZ *)"), undefined);
            assert.strictEqual(longestGapDays("cron(0 4 ? * XYZ-MON *)"), undefined);
        });
        it("rejects a DataSync schedule it cannot read", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageDrCopy, [
                        src,
                        dst,
                        ...datasync(src, dst, { schedule: { scheduleExpression: "cron(0 4 ? * SAT)" } }),
                    ]),
                ),
                [
                    "The DataSync task 'uploads-task' copying data bucket 'uploads' runs cron(0 4 ? * SAT), on a schedule this guard cannot read; this environment requires a copy at least every 7 days.",
                ],
            );
        });
        it("counts a DataSync schedule unknown at preview in the stack's favour, and lets a daily rate through", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(
                messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, { schedule: { scheduleExpression: UNKNOWN } })])),
                [],
            );
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, { schedule: UNKNOWN })])), []);
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, { schedule: { scheduleExpression: "rate(1 day)" } })]),
                ),
                [],
            );
        });
        it("rejects a DataSync copy into the bucket's own region", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr", { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst)])), [
                "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
            ]);
        });
        it("links DataSync locations by a bucket ARN known at preview", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr", { region: "us-west-2" });
            const rs = datasync(src, dst).map((r) =>
                r.type === "aws:datasync/s3Location:S3Location"
                    ? {
                          ...withProps(r, { s3BucketArn: `arn:aws:s3:::${r.name === "uploads-src" ? "uploads" : "uploads-dr"}` }),
                          propertyDependencies: {},
                      }
                    : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...rs])), [
                "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
            ]);
        });
        it("takes a DataSync location without a storage class as STANDARD", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(
                messages(await checkStack(storageDrCopy, [src, dst, ...datasync(src, dst, {}, { s3StorageClass: undefined })])),
                [
                    "The DR copy of data bucket 'uploads' by 'uploads-task' is stored as STANDARD; this environment requires one of DEEP_ARCHIVE, GLACIER.",
                ],
            );
        });
        it("takes a replication rule without a storage class as STANDARD", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageDrCopy, [
                        src,
                        dst,
                        replication(src, dst, { destination: { bucket: "arn:aws:s3:::uploads-dr" } }),
                    ]),
                ),
                [
                    "The DR copy of data bucket 'uploads' by 'uploads-replication' is stored as STANDARD; this environment requires one of DEEP_ARCHIVE, GLACIER.",
                ],
            );
        });
        it("still judges the schedule of a DataSync task whose destination location is not linked", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            const rs = datasync(src, dst, { schedule: { scheduleExpression: "cron(0 4 1 * ? *)" } }).map((r) =>
                r.type === "aws:datasync/task:Task"
                    ? { ...r, propertyDependencies: { sourceLocationArn: r.propertyDependencies!.sourceLocationArn } }
                    : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, ...rs])), [
                "The DataSync task 'uploads-task' copying data bucket 'uploads' runs cron(0 4 1 * ? *), up to 31 days apart; this environment requires a copy at least every 7 days.",
            ]);
        });
        it("counts a DataSync task whose source location is not linked as a possible copy of every data bucket", async () => {
            const src = data("uploads");
            const other = data("reports");
            const dst = copyBucket("uploads-dr");
            const rs = datasync(src, dst).map((r) =>
                r.type === "aws:datasync/task:Task"
                    ? { ...r, propertyDependencies: { destinationLocationArn: r.propertyDependencies!.destinationLocationArn } }
                    : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, other, dst, ...rs])), []);
        });
        it("does not count a disabled replication rule as a copy", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, dst, { status: "Disabled" })])), [
                "The data bucket 'uploads' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });
        it("does not count a replication without rules as a copy", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(
                messages(await checkStack(storageDrCopy, [src, dst, withProps(replication(src, dst), { rules: undefined })])),
                [
                    "The data bucket 'uploads' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
                ],
            );
        });
        it("follows a replication destination unknown at preview through the one bucket its rules depend on", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr", { region: "us-west-2" });
            const r = (deps: string[]): TestResource => ({
                ...replication(src, dst, { destination: { bucket: UNKNOWN, storageClass: "DEEP_ARCHIVE" } }),
                propertyDependencies: { rules: deps },
            });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [role, src, dst, r([urnOf(role), urnOf(dst)])])), [
                "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
            ]);
            // No dependency, or two buckets: the destination stays unknown, in the stack's favour.
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, r([])])), []);
            const second = copyBucket("uploads-dr2", { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, second, r([urnOf(dst), urnOf(second)])])), []);
            const noDeps = replication(src, dst, { destination: { bucket: UNKNOWN, storageClass: "DEEP_ARCHIVE" } });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, noDeps])), []);
        });
        it("counts a replication into a bucket outside the stack, or to no named bucket, as leaving the region", async () => {
            const src = data("uploads");
            const dst = copyBucket("uploads-dr", { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, bucket("elsewhere"))])), []);
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageDrCopy, [src, dst, replication(src, dst, { destination: { storageClass: "DEEP_ARCHIVE" } })]),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(storageDrCopy, [src, dst, replication(src, dst, { destination: undefined })])),
                [
                    "The DR copy of data bucket 'uploads' by 'uploads-replication' is stored as STANDARD; this environment requires one of DEEP_ARCHIVE, GLACIER.",
                ],
            );
        });
        it("counts regions unknown at preview, or not set anywhere, as different", async () => {
            const src = data("uploads", { region: UNKNOWN });
            const dst = copyBucket("uploads-dr", { region: UNKNOWN });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dst, replication(src, dst)])), []);
            const srcNone = data("uploads", { region: undefined });
            const dstNone = copyBucket("uploads-dr", { region: undefined });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [srcNone, dstNone, replication(srcNone, dstNone)])), []);
            const dstWest = copyBucket("uploads-dr", { region: "us-west-2" });
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, dstWest, replication(src, dstWest)])), []);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [srcNone, dstWest, replication(srcNone, dstWest)])), []);
        });
        it("takes a bucket's region from its provider when the bucket sets none", async () => {
            const west = provider("west", "us-west-2");
            const east = provider("east", "us-east-1");
            const src = data("uploads", { region: undefined });
            const dst = copyBucket("uploads-dr", { region: undefined });
            const rs = [west, east, src, dst, replication(src, dst)];
            assert.deepStrictEqual(
                messages(await checkStack(withProviders(storageDrCopy, { [urnOf(src)]: urnOf(west), [urnOf(dst)]: urnOf(west) }), rs)),
                [
                    "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-west-2, the bucket's own region; the copy must be in another region.",
                ],
            );
            assert.deepStrictEqual(
                messages(await checkStack(withProviders(storageDrCopy, { [urnOf(src)]: urnOf(west), [urnOf(dst)]: urnOf(east) }), rs)),
                [],
            );
            // The bucket's own region wins over its provider's.
            const own = [west, east, withProps(src, { region: "us-east-1" }), dst, replication(src, dst)];
            assert.deepStrictEqual(
                messages(await checkStack(withProviders(storageDrCopy, { [urnOf(src)]: urnOf(west), [urnOf(dst)]: urnOf(east) }), own)),
                [
                    "The DR copy of data bucket 'uploads' goes to 'uploads-dr' in us-east-1, the bucket's own region; the copy must be in another region.",
                ],
            );
        });
        it("judges only the copies that leave the region once one does", async () => {
            const src = data("uploads");
            const near = copyBucket("uploads-near", { region: "us-west-2" });
            const far = copyBucket("uploads-dr");
            const nearCopy = {
                ...replication(src, near, { destination: { bucket: "arn:aws:s3:::uploads-near", storageClass: "STANDARD" } }),
                name: "near-replication",
            };
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, near, far, nearCopy, ...datasync(src, far)])), []);
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageDrCopy, [
                        src,
                        near,
                        far,
                        nearCopy,
                        ...datasync(src, far, {}, { s3StorageClass: "GLACIER_IR" }),
                    ]),
                ),
                [
                    "The DR copy of data bucket 'uploads' by 'uploads-task' is stored as GLACIER_IR; this environment requires one of DEEP_ARCHIVE, GLACIER.",
                ],
            );
        });
        it("knows V2 data buckets, and judges each data bucket on its own copies", async () => {
            const src: TestResource = { ...data("uploads"), type: "aws:s3/bucketV2:BucketV2" };
            const other = data("reports");
            const dst = copyBucket("uploads-dr");
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src, other, dst, replication(src, dst)])), [
                "The data bucket 'reports' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(storageDrCopy, [src])), [
                "The data bucket 'uploads' has no copy in another region (S3 replication, a DataSync task or an AWS Backup copy action): no AWS Backup plan of the stack selects it; this environment requires one.",
            ]);
        });
    });
});
