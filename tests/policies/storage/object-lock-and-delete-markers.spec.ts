import * as assert from "assert";
import { storageDrObjectLock, storagePolicies, storageReplicationNoDeleteMarkers } from "../../../policies/storage";
import * as path from "path";
import { checkResource, checkStack, fromRecorded, messages, runPolicies, UNKNOWN, urnOf } from "../../helpers/policy";
import { ROOT, runStack } from "../../helpers/program";
import { Props, bucket, data, copyBucket, settings, replication, LOCK, compliant, without, withProps, patch } from "./fixtures";

describe("storage policies (policies/storage.ts)", () => {
    describe("storage-dr-object-lock", () => {
        it("judges every lock configuration of a copy bucket, whichever comes first", async () => {
            const weak = {
                type: "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
                name: "uploads-dr-weak",
                props: { bucket: "uploads-dr", rule: { defaultRetention: { mode: "GOVERNANCE", days: 1 } } },
            };
            const expected = [
                "The DR copy bucket 'uploads-dr' locks objects 1 day; this environment requires at least 30 days.",
                "The DR copy bucket 'uploads-dr' locks objects in GOVERNANCE mode; this environment requires COMPLIANCE mode, which not even the account root can lift.",
            ];
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, [...compliant(), weak])), expected);
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, [weak, ...compliant()])), expected);
        });
        it("counts a copy bucket whose retention is unknown at preview in favour, and still judges the other copies", async () => {
            const other = copyBucket("exports-dr");
            const rs = [
                ...compliant().map((r) =>
                    r.name === "uploads-dr-l"
                        ? { ...r, props: { ...r.props, rule: { defaultRetention: { mode: "COMPLIANCE", days: UNKNOWN } } } }
                        : r,
                ),
                other,
                ...settings(other, { mode: "COMPLIANCE", days: 7 }),
                data("exports"),
                replication(data("exports"), other),
            ];
            assert.deepStrictEqual(await checkStack(storageDrObjectLock, rs), {
                violations: [
                    {
                        message: "The DR copy bucket 'exports-dr' locks objects 7 days; this environment requires at least 30 days.",
                        urn: urnOf(other),
                    },
                ],
            });
        });
        it("rejects a copy bucket without Object Lock", async () => {
            const rs = compliant().map((r) => (r.name === "uploads-dr" ? { ...r, props: { ...r.props, objectLockEnabled: false } } : r));
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), [
                "The DR copy bucket 'uploads-dr' has no Object Lock (objectLockEnabled is not true); this environment requires it so that no one can delete the copies early.",
            ]);
        });
        it("rejects a short or governance-mode retention where compliance is required, and follows the config", async () => {
            const rs = compliant().map((r) =>
                r.name === "uploads-dr-l"
                    ? { ...r, props: { ...r.props, rule: { defaultRetention: { mode: "GOVERNANCE", days: 7 } } } }
                    : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), [
                "The DR copy bucket 'uploads-dr' locks objects 7 days; this environment requires at least 30 days.",
                "The DR copy bucket 'uploads-dr' locks objects in GOVERNANCE mode; this environment requires COMPLIANCE mode, which not even the account root can lift.",
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(storageDrObjectLock, rs, { minRetentionDays: 7, requireComplianceMode: false })),
                [],
            );
        });
        it("rejects a locked bucket without a default retention", async () => {
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, without(compliant(), "uploads-dr-l"))), [
                "The DR copy bucket 'uploads-dr' has no default Object Lock retention (an aws.s3.BucketObjectLockConfiguration); this environment requires at least 30 days.",
            ]);
        });
        it("counts a retention unknown at preview in the stack's favour", async () => {
            const rs = compliant().map((r) => (r.name === "uploads-dr-l" ? { ...r, props: { ...r.props, rule: UNKNOWN } } : r));
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), []);
        });
        it("counts retention in years as 365 days each, added to the days", async () => {
            const lock = (defaultRetention: Props) => patch(compliant(), "uploads-dr-l", { rule: { defaultRetention } });
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, lock({ mode: "COMPLIANCE", years: 1 }))), []);
            assert.deepStrictEqual(
                messages(await checkStack(storageDrObjectLock, lock({ mode: "COMPLIANCE", years: 1 }), { minRetentionDays: 400 })),
                ["The DR copy bucket 'uploads-dr' locks objects 365 days; this environment requires at least 400 days."],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(storageDrObjectLock, lock({ mode: "COMPLIANCE", years: 1, days: 35 }), { minRetentionDays: 400 }),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(storageDrObjectLock, lock({ mode: "COMPLIANCE", days: 1 }), { minRetentionDays: 1 })),
                [],
            );
        });
        it("rejects a retention without a mode or a period", async () => {
            const rs = patch(compliant(), "uploads-dr-l", { rule: { defaultRetention: {} } });
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), [
                "The DR copy bucket 'uploads-dr' locks objects 0 days; this environment requires at least 30 days.",
                "The DR copy bucket 'uploads-dr' locks objects in no mode; this environment requires COMPLIANCE mode, which not even the account root can lift.",
            ]);
        });
        it("rejects a lock configuration without a rule, and one whose rule has no default retention", async () => {
            const expected = [
                "The DR copy bucket 'uploads-dr' has no default Object Lock retention (an aws.s3.BucketObjectLockConfiguration); this environment requires at least 30 days.",
            ];
            assert.deepStrictEqual(
                messages(await checkStack(storageDrObjectLock, patch(compliant(), "uploads-dr-l", { rule: undefined }))),
                expected,
            );
            assert.deepStrictEqual(
                messages(await checkStack(storageDrObjectLock, patch(compliant(), "uploads-dr-l", { rule: {} }))),
                expected,
            );
            assert.deepStrictEqual(
                messages(await checkStack(storageDrObjectLock, patch(compliant(), "uploads-dr-l", { bucket: "another-bucket" }))),
                expected,
            );
        });
        it("rejects a copy bucket whose objectLockEnabled is not set, and counts an unknown one as enabled", async () => {
            assert.deepStrictEqual(
                messages(await checkStack(storageDrObjectLock, patch(compliant(), "uploads-dr", { objectLockEnabled: undefined }))),
                [
                    "The DR copy bucket 'uploads-dr' has no Object Lock (objectLockEnabled is not true); this environment requires it so that no one can delete the copies early.",
                ],
            );
            assert.deepStrictEqual(
                messages(await checkStack(storageDrObjectLock, patch(compliant(), "uploads-dr", { objectLockEnabled: UNKNOWN }))),
                [],
            );
            const noLock = without(patch(compliant(), "uploads-dr", { objectLockEnabled: UNKNOWN }), "uploads-dr-l");
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, noLock)), [
                "The DR copy bucket 'uploads-dr' has no default Object Lock retention (an aws.s3.BucketObjectLockConfiguration); this environment requires at least 30 days.",
            ]);
        });
        it("judges each copy bucket by its own lock configuration", async () => {
            const src = data("uploads");
            const good = copyBucket("uploads-dr");
            const weak = copyBucket("reports-dr");
            // The good bucket's lock comes first in the stack.
            const rs = [src, good, weak, ...settings(good, LOCK), ...settings(weak, { mode: "GOVERNANCE", days: 7 })];
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), [
                "The DR copy bucket 'reports-dr' locks objects 7 days; this environment requires at least 30 days.",
                "The DR copy bucket 'reports-dr' locks objects in GOVERNANCE mode; this environment requires COMPLIANCE mode, which not even the account root can lift.",
            ]);
        });
        it("knows the V2 lock configuration type, and lets a V2 bucket's compliant copy through", async () => {
            const v2 = compliant().map((r) =>
                r.name === "uploads-dr-l" ? { ...r, type: "aws:s3/bucketObjectLockConfigurationV2:BucketObjectLockConfigurationV2" } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, v2)), []);
            const v2Copy = compliant().map((r) => (r.name === "uploads-dr" ? { ...r, type: "aws:s3/bucketV2:BucketV2" } : r));
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, without(v2Copy, "uploads-dr-l"))), [
                "The DR copy bucket 'uploads-dr' has no default Object Lock retention (an aws.s3.BucketObjectLockConfiguration); this environment requires at least 30 days.",
            ]);
        });
        it("does not require Object Lock on data buckets or on untagged buckets nothing copies into", async () => {
            const rs = [...compliant(), bucket("scratch")];
            assert.deepStrictEqual(messages(await checkStack(storageDrObjectLock, rs)), []);
        });
    });

    describe("storage-replication-no-delete-markers", () => {
        const src = data("uploads");
        const dst = copyBucket("uploads-dr");
        it("rejects replicated delete markers", async () => {
            const r = replication(src, dst, { deleteMarkerReplication: { status: "Enabled" } });
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, r)), [
                "The S3 replication 'uploads-replication' replicates delete markers (rule 'dr'); a delete at the source would then hide the objects in the copy.",
            ]);
        });
        it("lets disabled delete-marker replication through", async () => {
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, replication(src, dst))), []);
        });
        it("is skipped at preview when the rules are unknown", async () => {
            const o = await checkResource(storageReplicationNoDeleteMarkers, {
                ...replication(src, dst),
                props: { bucket: "uploads", rules: UNKNOWN },
            });
            assert.deepStrictEqual(o.violations, []);
            assert.match(
                o.skipped!,
                /^can't run policy 'storage-replication-no-delete-markers' during preview: .* at \.rules can't be known during preview$/,
            );
        });
        it("lets a disabled rule that would replicate delete markers through, and reports each enabled one, '?' for a rule without id", async () => {
            const r = withProps(replication(src, dst), {
                rules: [
                    {
                        id: "off",
                        status: "Disabled",
                        deleteMarkerReplication: { status: "Enabled" },
                        destination: { bucket: "arn:aws:s3:::uploads-dr" },
                    },
                    { id: "plain", status: "Enabled", destination: { bucket: "arn:aws:s3:::uploads-dr" } },
                    {
                        status: "Enabled",
                        deleteMarkerReplication: { status: "Enabled" },
                        destination: { bucket: "arn:aws:s3:::uploads-dr" },
                    },
                    { id: "second", deleteMarkerReplication: { status: "Enabled" }, destination: { bucket: "arn:aws:s3:::uploads-dr" } },
                ],
            });
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, r)), [
                "The S3 replication 'uploads-replication' replicates delete markers (rule '?'); a delete at the source would then hide the objects in the copy.",
                "The S3 replication 'uploads-replication' replicates delete markers (rule 'second'); a delete at the source would then hide the objects in the copy.",
            ]);
        });
        it("lets a replication without rules through, and ignores other resource types", async () => {
            assert.deepStrictEqual(
                messages(await checkResource(storageReplicationNoDeleteMarkers, withProps(replication(src, dst), { rules: undefined }))),
                [],
            );
            const other = {
                ...replication(src, dst, { deleteMarkerReplication: { status: "Enabled" } }),
                type: "aws:s3/bucketReplicationConfigV2:BucketReplicationConfigV2",
            };
            assert.deepStrictEqual(messages(await checkResource(storageReplicationNoDeleteMarkers, other)), []);
        });
    });

    for (const stack of ["staging", "production"]) {
        it(`pass the ${stack} stack's buckets with its config file, in a preview where ARNs are unknown`, async () => {
            const rs = (await runStack(stack, { preview: true })).resources.map(fromRecorded);
            assert.deepStrictEqual(await runPolicies(storagePolicies, rs, path.join(ROOT, "policies", "config", `${stack}.json`)), []);
        });
    }

    it("hold staging's copies (data and search snapshots) to production's file: 30 days in compliance mode", async () => {
        const rs = (await runStack("staging", { preview: true })).resources.map(fromRecorded);
        const weak = (copy: string) => [
            {
                policy: "storage-dr-object-lock",
                message: `The DR copy bucket '${copy}' locks objects 7 days; this environment requires at least 30 days.`,
            },
            {
                policy: "storage-dr-object-lock",
                message: `The DR copy bucket '${copy}' locks objects in GOVERNANCE mode; this environment requires COMPLIANCE mode, which not even the account root can lift.`,
            },
        ];
        assert.deepStrictEqual(await runPolicies(storagePolicies, rs, path.join(ROOT, "policies", "config", "production.json")), [
            ...weak("continuity-staging-uploads-dr-bucket"),
            ...weak("continuity-staging-search-snapshots-dr-bucket"),
        ]);
    });
});
