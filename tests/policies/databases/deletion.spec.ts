import * as assert from "assert";
import { databaseDeletionProtection, databaseFinalSnapshot } from "../../../policies/databases";
import { checkStack, messages, UNKNOWN, urnOf } from "../../helpers/policy";
import { instance, orders, docdb, compliant, patch, EXEMPT, reasonless, REASONLESS } from "./fixtures";

describe("database policies (policies/databases.ts)", () => {
    describe("database-deletion-protection", () => {
        it("rejects an unprotected RDS instance and a replica, with their URNs", async () => {
            const replica = instance("orders-replica", { replicateSourceDb: "orders", deletionProtection: false });
            const o = await checkStack(databaseDeletionProtection, [orders({ deletionProtection: undefined }), replica]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The RDS instance 'orders' has no deletion protection (deletionProtection is unset, which AWS reads as false); this environment requires it.",
                    urn: urnOf(orders()),
                },
                {
                    message:
                        "The RDS instance 'orders-replica' (a read replica) has no deletion protection (deletionProtection is false); this environment requires it.",
                    urn: urnOf(replica),
                },
            ]);
        });
        it("judges a global secondary and every kind of cluster", async () => {
            const rs = patch(patch(compliant(), "catalog-dr", { deletionProtection: false }), "profiles", {
                deletionProtection: undefined,
            });
            assert.deepStrictEqual(messages(await checkStack(databaseDeletionProtection, rs)), [
                "The RDS cluster 'catalog-dr' (a secondary cluster) has no deletion protection (deletionProtection is false); this environment requires it.",
                "The DocumentDB cluster 'profiles' has no deletion protection (deletionProtection is unset, which AWS reads as false); this environment requires it.",
            ]);
        });
        it("at preview, counts an unknown flag in the stack's favour; an Aurora instance's own flag is not judged", async () => {
            assert.deepStrictEqual(
                await checkStack(databaseDeletionProtection, [
                    orders({ deletionProtection: UNKNOWN }),
                    instance("member", { engine: "aurora-mysql" }),
                ]),
                { violations: [] },
            );
        });
        it("requires nothing where the environment does not", async () => {
            assert.deepStrictEqual(
                messages(await checkStack(databaseDeletionProtection, [orders({ deletionProtection: false })], { required: false })),
                [],
            );
        });
        it("exempts a database tagged with a reason; a config entry without one is a violation and exempts nothing", async () => {
            assert.deepStrictEqual(
                messages(await checkStack(databaseDeletionProtection, [orders({ deletionProtection: false, tags: EXEMPT })])),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(databaseDeletionProtection, [orders({ deletionProtection: false })], REASONLESS)),
                [
                    reasonless("database-deletion-protection"),
                    "The RDS instance 'orders' has no deletion protection (deletionProtection is false); this environment requires it.",
                ],
            );
        });
    });

    describe("database-final-snapshot", () => {
        it("rejects skipFinalSnapshot: true on an instance and a cluster, with their URNs", async () => {
            const profiles = docdb({ skipFinalSnapshot: true });
            const o = await checkStack(databaseFinalSnapshot, [orders({ skipFinalSnapshot: true }), profiles]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The RDS instance 'orders' is deleted without a final snapshot (skipFinalSnapshot: true); this environment requires one, so that deleting the database keeps its data.",
                    urn: urnOf(orders()),
                },
                {
                    message:
                        "The DocumentDB cluster 'profiles' is deleted without a final snapshot (skipFinalSnapshot: true); this environment requires one, so that deleting the database keeps its data.",
                    urn: urnOf(profiles),
                },
            ]);
        });
        it("accepts the provider's default (false), a replica that skips it, and skipping where the environment allows it", async () => {
            const replica = instance("orders-replica", { replicateSourceDb: "orders", skipFinalSnapshot: true });
            assert.deepStrictEqual(messages(await checkStack(databaseFinalSnapshot, [instance("orders"), replica])), []);
            assert.deepStrictEqual(
                messages(await checkStack(databaseFinalSnapshot, [orders({ skipFinalSnapshot: true })], { allowSkipFinalSnapshot: true })),
                [],
            );
        });
        it("at preview, counts an unknown flag in the stack's favour", async () => {
            assert.deepStrictEqual(await checkStack(databaseFinalSnapshot, [orders({ skipFinalSnapshot: UNKNOWN })]), { violations: [] });
        });
        it("exempts a database tagged with a reason; a config entry without one is a violation and exempts nothing", async () => {
            assert.deepStrictEqual(
                messages(await checkStack(databaseFinalSnapshot, [orders({ skipFinalSnapshot: true, tags: EXEMPT })])),
                [],
            );
            assert.deepStrictEqual(messages(await checkStack(databaseFinalSnapshot, [orders({ skipFinalSnapshot: true })], REASONLESS)), [
                reasonless("database-final-snapshot"),
                "The RDS instance 'orders' is deleted without a final snapshot (skipFinalSnapshot: true); this environment requires one, so that deleting the database keeps its data.",
            ]);
        });
    });
});
