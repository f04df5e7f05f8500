import * as assert from "assert";
import { searchSnapshotDrCopy } from "../../../policies/search";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { UNKNOWN as UNKNOWN_AT_PREVIEW } from "../../../policies/util";
import {
    Props,
    domain,
    rest,
    policyBody,
    smPolicy,
    repository,
    bucket,
    replication,
    compliant,
    without,
    snapshotsOf,
    noCopy,
} from "./fixtures";

describe("search policies (policies/search.ts)", () => {
    describe("search-snapshot-dr-copy", () => {
        it("rejects a repository bucket without a DR copy, with the repository's URN", async () => {
            const o = await checkStack(searchSnapshotDrCopy, without(compliant(), "search-snapshots-replication"));
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The snapshot policy 'daily' of OpenSearch domain 'search' writes to the repository 'snapshots', whose bucket 'search-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.",
                    urn: urnOf(repository()),
                },
            ]);
        });
        it("rejects a copy in the bucket's own region", async () => {
            const rs = compliant().map((r) => (r.name === "search-snapshots-dr" ? bucket("search-snapshots-dr", "us-west-2") : r));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), [
                "The snapshot policy 'daily' of OpenSearch domain 'search' writes to the repository 'snapshots', whose bucket 'search-snapshots' is copied only within its own region us-west-2; the copy must be in another region.",
            ]);
        });
        it("rejects a repository that is not registered on the domain, and a bucket outside the stack", async () => {
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, without(compliant(), "repo"))), [
                "The snapshot policy 'daily' of OpenSearch domain 'search' writes to the repository 'snapshots', which this stack does not register on that domain, so where its snapshots go cannot be verified.",
            ]);
            const elsewhere = [...without(compliant(), "repo"), repository("someone-elses-bucket")];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, elsewhere)), [
                "The snapshot policy 'daily' of OpenSearch domain 'search' writes to the repository 'snapshots', whose bucket 'someone-elses-bucket' is not declared in this stack, so its copy in another region cannot be verified.",
            ]);
        });
        it("rejects a policy that names no repository", async () => {
            const rs = [...without(compliant(), "daily"), smPolicy({ snapshot_config: { indices: "*" } })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), [
                "The snapshot policy 'daily' of OpenSearch domain 'search' names no repository (snapshot_config.repository), so its snapshots have no copy in another region.",
            ]);
        });
        const writesTo = "The snapshot policy 'daily' of OpenSearch domain 'search' writes to the repository 'snapshots'";
        const repoWith = (
            props: Props,
            propertyDependencies: Record<string, string[]> = { endpoint: [urnOf(domain())] },
        ): TestResource => ({
            ...repository(),
            props: { ...repository().props, ...props },
            propertyDependencies,
        });
        it("rejects a policy without a body or without a snapshot_config, and skips one whose body is unknown", async () => {
            const names =
                "The snapshot policy 'daily' of OpenSearch domain 'search' names no repository (snapshot_config.repository), so its snapshots have no copy in another region.";
            const noBody = [...without(compliant(), "daily"), { ...smPolicy(), props: { ...smPolicy().props, body: undefined } }];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, noBody)), [names]);
            const noConfig = [...without(compliant(), "daily"), smPolicy({ snapshot_config: undefined })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, noConfig)), [names]);
            const unknownBody = [...without(compliant(), "daily"), { ...smPolicy(), props: { ...smPolicy().props, body: UNKNOWN } }];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, unknownBody)), []);
        });
        it("does not take a repository of the same name on another domain, or of another name on this one", async () => {
            const notRegistered = `${writesTo}, which this stack does not register on that domain, so where its snapshots go cannot be verified.`;
            const other = { ...domain({ domainName: "other" }), name: "other" };
            const onOther = [...without(compliant(), "repo"), other, repoWith({}, { endpoint: [urnOf(other)] })];
            // 'other' runs no snapshot policy: it has no copy at all.
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, onOther)), [notRegistered, noCopy("other")]);
            const renamed = [...without(compliant(), "repo"), repoWith({ name: "archive" })];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, renamed)), [notRegistered]);
        });
        it("takes a repository whose endpoint is unknown at preview as possibly the domain's", async () => {
            const maybe = [...without(compliant(), "repo"), repoWith({}, {})];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, maybe)), []);
            const maybeUncopied = without(maybe, "search-snapshots-replication");
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, maybeUncopied)), [
                `${writesTo}, whose bucket 'search-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.`,
            ]);
        });
        it("lets the policy through when one of the candidate repositories is copied, and reports the first one otherwise", async () => {
            const uncopied = { ...repoWith({ name: UNKNOWN, body: { type: "s3", settings: { bucket: "search-other" } } }), name: "repo-2" };
            const rs = [...compliant(), bucket("search-other", "us-west-2"), uncopied];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), []);
            const o = await checkStack(searchSnapshotDrCopy, without(rs, "search-snapshots-replication"));
            assert.deepStrictEqual(o.violations, [
                {
                    message: `${writesTo}, whose bucket 'search-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.`,
                    urn: urnOf(repository()),
                },
            ]);
        });
        it("passes a bucket with one copy in another region even when another copy stays in its region", async () => {
            const twoRules = {
                ...replication("search-snapshots", "search-snapshots-dr"),
                props: {
                    bucket: "search-snapshots",
                    rules: [
                        { id: "local", status: "Enabled", destination: { bucket: "arn:aws:s3:::search-snapshots-local" } },
                        { id: "dr", status: "Enabled", destination: { bucket: "arn:aws:s3:::search-snapshots-dr" } },
                    ],
                },
            };
            const rs = [...without(compliant(), "search-snapshots-replication"), bucket("search-snapshots-local", "us-west-2"), twoRules];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), []);
        });
        it("takes only repositories for the repository, not other REST objects of the same or an unknown name", async () => {
            const namedLikeRepo = rest("IndexTemplate", "snapshots-template", "snapshots", { index_patterns: ["snapshots-*"] });
            const unnamed = rest("IndexTemplate", "unnamed-template", UNKNOWN, { index_patterns: ["x-*"] });
            assert.deepStrictEqual(
                messages(await checkStack(searchSnapshotDrCopy, [...without(compliant(), "repo"), namedLikeRepo, unnamed])),
                [`${writesTo}, which this stack does not register on that domain, so where its snapshots go cannot be verified.`],
            );
        });
        it("judges the policies of OpenSearch domains only, not of other resources a policy depends on", async () => {
            // Its endpoint is unknown and it depends on a bucket, not on the domain: no domain is known to be its.
            const onBucket: TestResource = {
                ...smPolicy({ snapshot_config: undefined }),
                name: "stray",
                propertyDependencies: {},
                dependencies: [urnOf(bucket("search-snapshots", "us-west-2"))],
            };
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, [...compliant(), onBucket])), []);
        });
        it("names the bucket '?' for a repository that sets none", async () => {
            const notDeclared = `${writesTo}, whose bucket '?' is not declared in this stack, so its copy in another region cannot be verified.`;
            for (const body of [undefined, { type: "s3" }, { type: "s3", settings: {} }]) {
                const rs = [...without(compliant(), "repo"), repoWith({ body })];
                assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), [notDeclared], JSON.stringify(body));
            }
        });
        it("finds the repository's bucket by its one body dependency on a bucket when the bucket's name is unknown", async () => {
            const unnamed = (name: string): TestResource => ({
                ...bucket(name, "us-west-2"),
                props: { bucket: UNKNOWN, region: "us-west-2" },
            });
            // The body also takes the role's ARN: only bucket dependencies count.
            const role: TestResource = { type: "aws:iam/role:Role", name: "snapshot-role", props: { name: "snapshot-role" } };
            const byDependency = repoWith({}, { endpoint: [urnOf(domain())], body: [urnOf(unnamed("a")), urnOf(role)] });
            const rs = [domain(), smPolicy(), byDependency, unnamed("a"), role];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, rs)), [
                `${writesTo}, whose bucket 'search-snapshots' has no copy in another region (S3 replication or a DataSync task); this environment requires one.`,
            ]);
            const twoDependencies = repoWith({}, { endpoint: [urnOf(domain())], body: [urnOf(unnamed("a")), urnOf(unnamed("b"))] });
            assert.deepStrictEqual(
                messages(await checkStack(searchSnapshotDrCopy, [domain(), smPolicy(), twoDependencies, unnamed("a"), unnamed("b")])),
                [
                    `${writesTo}, whose bucket 'search-snapshots' is not declared in this stack, so its copy in another region cannot be verified.`,
                ],
            );
        });
        it("counts unknown repository names, buckets and copy sources in the stack's favour at preview", async () => {
            const unknownName = compliant().map((r) => (r.name === "repo" ? { ...r, props: { ...r.props, name: UNKNOWN } } : r));
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, unknownName)), []);
            const unknownBucket = [
                ...without(compliant(), "repo"),
                { ...repository(), props: { ...repository().props, body: { type: "s3", settings: { bucket: UNKNOWN } } } },
            ];
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, unknownBucket)), []);
            const unknownSource = compliant().map((r) =>
                r.name === "search-snapshots-replication" ? { ...r, props: { ...r.props, bucket: UNKNOWN } } : r,
            );
            assert.deepStrictEqual(messages(await checkStack(searchSnapshotDrCopy, unknownSource)), []);
        });
    });

    describe("domainSnapshots (what the resilience model reads of a domain's snapshot policies)", () => {
        const sm = (body: unknown, name = "daily") => ({ ...smPolicy(), name, props: { ...smPolicy().props, body } });
        const stackWith = (...rs: TestResource[]) => [...without(without(compliant(), "daily"), "repo"), ...rs];
        const seenAs = (policy: string, everyHours: unknown, kept: unknown, bucketName: unknown) => ({
            policy,
            everyHours,
            keptDays: kept,
            bucket: bucketName,
        });
        it("gives a linked policy's longest gap, the days it keeps each snapshot, and its repository's bucket by name", async () => {
            // A replication config carries the bucket's name too: only buckets count.
            const rs = [replication("search-snapshots", "search-snapshots-dr"), ...compliant()];
            assert.deepStrictEqual(await snapshotsOf(rs), [seenAs("daily", 24, 14, "search-snapshots")]);
            const weekly = policyBody({
                creation: { schedule: { cron: { expression: "0 2 * * SUN" } } },
                deletion: { condition: { max_age: "30d" } },
            });
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(weekly, "weekly"), repository())), [
                seenAs("weekly", 168, 30, "search-snapshots"),
            ]);
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(policyBody({ deletion: undefined })), repository())), [
                seenAs("daily", 24, Number.POSITIVE_INFINITY, "search-snapshots"),
            ]);
        });
        it("leaves out policies on another domain and policies whose endpoint is unknown", async () => {
            const other = { ...domain({ domainName: "other" }), name: "other" };
            const elsewhere = { ...smPolicy(), propertyDependencies: { endpoint: [urnOf(other)] } };
            const unknownEndpoint = { ...smPolicy(), name: "maybe", propertyDependencies: {} };
            assert.deepStrictEqual(await snapshotsOf(stackWith(other, elsewhere, unknownEndpoint, repository())), []);
            assert.deepStrictEqual(await snapshotsOf(stackWith(other, elsewhere, repository()), "other"), [
                seenAs("daily", 24, 14, undefined),
            ]);
        });
        it("gives UNKNOWN for all three when the body is unknown at preview, and undefined when there is none or the policy is off", async () => {
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(UNKNOWN), repository())), [
                seenAs("daily", UNKNOWN_AT_PREVIEW, UNKNOWN_AT_PREVIEW, UNKNOWN_AT_PREVIEW),
            ]);
            for (const body of [undefined, null, "{not json", "[]", policyBody({ enabled: false })]) {
                assert.deepStrictEqual(
                    await snapshotsOf(stackWith(sm(body), repository())),
                    [seenAs("daily", undefined, undefined, undefined)],
                    JSON.stringify(body),
                );
            }
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(policyBody({ enabled: UNKNOWN })), repository())), [
                seenAs("daily", 24, 14, "search-snapshots"),
            ]);
        });
        it("gives UNKNOWN schedule and retention for an unknown expression or time zone, and undefined for none or an unreadable one", async () => {
            const cron = (c: unknown) => policyBody({ creation: { schedule: { cron: c } } });
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(cron({ expression: UNKNOWN })), repository())), [
                seenAs("daily", UNKNOWN_AT_PREVIEW, UNKNOWN_AT_PREVIEW, "search-snapshots"),
            ]);
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(cron({ expression: "0 2 * * *", timezone: UNKNOWN })), repository())), [
                seenAs("daily", UNKNOWN_AT_PREVIEW, UNKNOWN_AT_PREVIEW, "search-snapshots"),
            ]);
            assert.deepStrictEqual(
                await snapshotsOf(stackWith(sm(cron({ expression: "0 2 * * *", timezone: "America/New_York" })), repository())),
                [seenAs("daily", 25, 14, "search-snapshots")],
            );
            for (const creation of [undefined, {}, { schedule: {} }, { schedule: { cron: { expression: "@daily" } } }]) {
                assert.deepStrictEqual(
                    await snapshotsOf(stackWith(sm(policyBody({ creation })), repository())),
                    [seenAs("daily", undefined, undefined, "search-snapshots")],
                    JSON.stringify(creation),
                );
            }
            const unreadableAge = policyBody({ deletion: { condition: { max_age: "two weeks" } } });
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(unreadableAge), repository())), [
                seenAs("daily", 24, undefined, "search-snapshots"),
            ]);
        });
        it("gives no bucket without a repository name or a registered repository, and UNKNOWN for an unknown name", async () => {
            const repoWithoutName = { ...repository(), props: { ...repository().props, name: undefined } };
            assert.deepStrictEqual(await snapshotsOf(stackWith(sm(policyBody({ snapshot_config: undefined })), repoWithoutName)), [
                seenAs("daily", 24, 14, undefined),
            ]);
            assert.deepStrictEqual(
                await snapshotsOf(stackWith(sm(policyBody({ snapshot_config: { repository: UNKNOWN } })), repository())),
                [seenAs("daily", 24, 14, UNKNOWN_AT_PREVIEW)],
            );
            assert.deepStrictEqual(await snapshotsOf(stackWith(smPolicy())), [seenAs("daily", 24, 14, undefined)]);
            // A REST object of another kind named like the repository, and the repository of another domain, are not it.
            const other = { ...domain({ domainName: "other" }), name: "other" };
            const namedLikeRepo = rest("IndexTemplate", "snapshots-template", "snapshots", {
                index_patterns: ["snapshots-*"],
                settings: { bucket: "search-snapshots" },
            });
            const othersRepo = { ...repository(), propertyDependencies: { endpoint: [urnOf(other)] } };
            assert.deepStrictEqual(await snapshotsOf(stackWith(namedLikeRepo, other, othersRepo, smPolicy())), [
                seenAs("daily", 24, 14, undefined),
            ]);
            // A repository whose REST name is unknown at preview may be it.
            const unnamedRepo = { ...repository(), props: { ...repository().props, name: UNKNOWN } };
            assert.deepStrictEqual(await snapshotsOf(stackWith(unnamedRepo, smPolicy())), [seenAs("daily", 24, 14, "search-snapshots")]);
        });
        it("finds the bucket by name first, else by the repository's one dependency on a bucket; UNKNOWN while the name is", async () => {
            const repoWith = (body: unknown, dependencies: string[] = []) => ({
                ...repository(),
                props: { ...repository().props, body },
                propertyDependencies: { endpoint: [urnOf(domain())], body: dependencies },
            });
            const unnamed = (name: string): TestResource => ({
                ...bucket(name, "us-west-2"),
                props: { bucket: UNKNOWN, region: "us-west-2" },
            });
            const role: TestResource = { type: "aws:iam/role:Role", name: "snapshot-role", props: { name: "snapshot-role" } };
            const settings = (b: unknown) => ({ type: "s3", settings: { bucket: b, region: "us-west-2" } });
            const rs = (...more: TestResource[]) => [
                domain(),
                smPolicy(),
                bucket("logs", "us-west-2"),
                bucket("search-snapshots", "us-west-2"),
                ...more,
            ];
            assert.deepStrictEqual(await snapshotsOf(rs(repoWith(settings("search-snapshots")))), [
                seenAs("daily", 24, 14, "search-snapshots"),
            ]);
            assert.deepStrictEqual(await snapshotsOf(rs(repoWith(settings("elsewhere")))), [seenAs("daily", 24, 14, undefined)]);
            assert.deepStrictEqual(
                await snapshotsOf(rs(repoWith(settings("elsewhere"), [urnOf(unnamed("a")), urnOf(role)]), unnamed("a"), role)),
                [seenAs("daily", 24, 14, "a")],
            );
            assert.deepStrictEqual(
                await snapshotsOf(rs(repoWith(settings(UNKNOWN), [urnOf(unnamed("a")), urnOf(role)]), unnamed("a"), role)),
                [seenAs("daily", 24, 14, "a")],
            );
            assert.deepStrictEqual(
                await snapshotsOf(rs(repoWith(settings(UNKNOWN), [urnOf(unnamed("a")), urnOf(unnamed("b"))]), unnamed("a"), unnamed("b"))),
                [seenAs("daily", 24, 14, UNKNOWN_AT_PREVIEW)],
            );
            // An unknown name is no match for a bucket whose name is unknown too.
            assert.deepStrictEqual(await snapshotsOf(rs(repoWith(settings(UNKNOWN)), unnamed("a"))), [
                seenAs("daily", 24, 14, UNKNOWN_AT_PREVIEW),
            ]);
            for (const body of [undefined, { type: "s3" }]) {
                assert.deepStrictEqual(await snapshotsOf(rs(repoWith(body))), [seenAs("daily", 24, 14, undefined)], JSON.stringify(body));
            }
        });
    });
});
