import * as assert from "assert";
import {
    REGION,
    repositoryBody,
    repositoryAnswer,
    policyBody,
    policyAnswer,
    notFound,
    server,
    endpoint,
    provider,
    repository,
    policy,
    outputs,
    sent,
    apiError,
    serveFakeOpenSearch,
} from "./fixtures";

describe("OpenSearch dynamic provider (infra/providers/opensearch.ts)", () => {
    serveFakeOpenSearch();

    describe("snapshot-repository", () => {
        it("creates a missing repository with PUT /_snapshot/{name} and the body as given", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", notFound("repository_missing_exception", "[continuity-snapshots] missing"));
            server.on("PUT", "/_snapshot/continuity-snapshots", { status: 200, body: { acknowledged: true } });
            const result = await provider.create(repository());
            assert.deepStrictEqual(result, { id: "snapshot-repository/continuity-snapshots", outs: outputs(repository()) });
            assert.deepStrictEqual(sent(), [
                ["GET", "/_snapshot/continuity-snapshots", undefined],
                ["PUT", "/_snapshot/continuity-snapshots", repositoryBody()],
            ]);
        });

        it("adopts an identical repository without writing (settings answered as strings, defaults added)", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", { status: 200, body: repositoryAnswer() });
            const result = await provider.create(repository());
            assert.deepStrictEqual(result, { id: "snapshot-repository/continuity-snapshots", outs: outputs(repository(), true) });
            assert.deepStrictEqual(sent(), [["GET", "/_snapshot/continuity-snapshots", undefined]]);
        });

        it("refuses to take over a repository of the same name with another body", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", {
                status: 200,
                body: repositoryAnswer({ bucket: "someone-elses-bucket" }),
            });
            await assert.rejects(
                provider.create(repository()),
                apiError(
                    `OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint} already exists with another body ` +
                        `(body.settings.bucket is "continuity-production-search-snapshots" here and "someone-elses-bucket" there); ` +
                        `it was not created by this stack. Remove it from the domain, or choose another name.`,
                ),
            );
            assert.deepStrictEqual(sent(), [["GET", "/_snapshot/continuity-snapshots", undefined]]);
        });

        it("reads the repository in the shape of its inputs, so the domain's strings and defaults are no drift", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", { status: 200, body: repositoryAnswer() });
            const state = outputs(repository(), true);
            const read = await provider.read("snapshot-repository/continuity-snapshots", state);
            assert.deepStrictEqual(read, { id: "snapshot-repository/continuity-snapshots", props: state });
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, repository()), {
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("reads a changed setting back in the type it was given, and a missing one as absent", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", {
                status: 200,
                body: {
                    "continuity-snapshots": {
                        type: "s3",
                        settings: { bucket: "continuity-production-search-snapshots", region: REGION, server_side_encryption: "false" },
                    },
                },
            });
            const read = await provider.read("snapshot-repository/continuity-snapshots", outputs(repository()));
            assert.deepStrictEqual(read.props.body, {
                type: "s3",
                settings: { bucket: "continuity-production-search-snapshots", region: REGION, server_side_encryption: false },
            });
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, repository()), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("reads a repository that is gone as no id, which the engine takes as deleted", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", notFound("repository_missing_exception", "[continuity-snapshots] missing"));
            assert.deepStrictEqual(await provider.read("snapshot-repository/continuity-snapshots", outputs(repository())), {});
        });

        it("updates a repository it created with PUT", async () => {
            server.on("PUT", "/_snapshot/continuity-snapshots", { status: 200, body: { acknowledged: true } });
            const news = repository({ body: { ...repositoryBody(), settings: { ...repositoryBody().settings, base_path: "production" } } });
            const result = await provider.update("snapshot-repository/continuity-snapshots", outputs(repository()), news);
            assert.deepStrictEqual(result, { outs: outputs(news, false) });
            assert.deepStrictEqual(sent(), [["PUT", "/_snapshot/continuity-snapshots", news.body]]);
        });

        it("never writes over an adopted repository: a new body is an error, at preview (diff) and at update, saying how to take it over", async () => {
            const news = repository({ body: { ...repositoryBody(), settings: { ...repositoryBody().settings, base_path: "production" } } });
            const refusal = apiError(
                `OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint} was on the domain before this stack and was adopted, so this stack never changes ` +
                    `nor deletes it, and the program gives it another body than the one it has (body.settings.base_path is "production" here and absent there). To take it over deliberately, ` +
                    "delete it from the domain (DELETE /_snapshot/continuity-snapshots), run `pulumi refresh` so that the stack forgets it, then `pulumi up` creates it " +
                    "with this body as the stack's own. Otherwise give it its body on the domain back in the program.",
            );
            await assert.rejects(provider.diff("snapshot-repository/continuity-snapshots", outputs(repository(), true), news), refusal);
            await assert.rejects(provider.update("snapshot-repository/continuity-snapshots", outputs(repository(), true), news), refusal);
            assert.deepStrictEqual(server.requests, []);
            // Another name is another object: the adopted one stays (delete leaves it), the new one is created.
            assert.deepStrictEqual(await provider.diff("x", outputs(repository(), true), repository({ name: "continuity-snapshots-v2" })), {
                changes: true,
                replaces: ["name"],
                deleteBeforeReplace: false,
            });
        });

        it("writes nothing when only the signing region changed, and an adopted repository stays adopted", async () => {
            const news = repository({ region: "eu-central-1" });
            assert.deepStrictEqual(await provider.update("snapshot-repository/continuity-snapshots", outputs(repository(), true), news), {
                outs: outputs(news, true),
            });
            assert.deepStrictEqual(server.requests, []);
        });

        it("deletes (unregisters) with DELETE, leaves an adopted one alone, and takes 404 as done", async () => {
            server.on("DELETE", "/_snapshot/continuity-snapshots", { status: 200, body: { acknowledged: true } });
            await provider.delete("snapshot-repository/continuity-snapshots", outputs(repository()));
            assert.deepStrictEqual(sent(), [["DELETE", "/_snapshot/continuity-snapshots", undefined]]);

            server.reset();
            await provider.delete("snapshot-repository/continuity-snapshots", outputs(repository(), true));
            assert.deepStrictEqual(server.requests, []);

            server.on(
                "DELETE",
                "/_snapshot/continuity-snapshots",
                notFound("repository_missing_exception", "[continuity-snapshots] missing"),
            );
            await provider.delete("snapshot-repository/continuity-snapshots", outputs(repository()));
            assert.deepStrictEqual(sent(), [["DELETE", "/_snapshot/continuity-snapshots", undefined]]);
        });
    });

    describe("snapshot-policy (snapshot management)", () => {
        const at = "/_plugins/_sm/policies/continuity-daily";

        it("creates a missing policy with POST /_plugins/_sm/policies/{name}", async () => {
            server.on("GET", at, notFound("status_exception", "SM policy [continuity-daily] not found"));
            server.on("POST", at, {
                status: 201,
                body: { _id: "continuity-daily-sm-policy", _version: 1, _seq_no: 0, _primary_term: 1, sm_policy: {} },
            });
            assert.deepStrictEqual(await provider.create(policy()), { id: "snapshot-policy/continuity-daily", outs: outputs(policy()) });
            assert.deepStrictEqual(sent(), [
                ["GET", at, undefined],
                ["POST", at, policyBody()],
            ]);
        });

        it("adopts an identical policy, ignoring what the plugin adds (name, schema_version, schedule, times, defaults)", async () => {
            server.on("GET", at, { status: 200, body: policyAnswer() });
            assert.deepStrictEqual(await provider.create(policy()), {
                id: "snapshot-policy/continuity-daily",
                outs: outputs(policy(), true),
            });
            assert.deepStrictEqual(sent(), [["GET", at, undefined]]);
        });

        it("refuses to take over a policy of the same name with another schedule", async () => {
            server.on("GET", at, { status: 200, body: policyAnswer("0 5 * * *") });
            await assert.rejects(
                provider.create(policy()),
                apiError(
                    `OpenSearch snapshot-policy 'continuity-daily' on ${endpoint} already exists with another body ` +
                        `(body.creation.schedule.cron.expression is "0 2 * * *" here and "0 5 * * *" there); ` +
                        `it was not created by this stack. Remove it from the domain, or choose another name.`,
                ),
            );
        });

        it("reads the policy in the shape of its inputs; a changed schedule shows as a change", async () => {
            server.on("GET", at, { status: 200, body: policyAnswer() });
            const same = await provider.read("snapshot-policy/continuity-daily", outputs(policy()));
            assert.deepStrictEqual(same, { id: "snapshot-policy/continuity-daily", props: outputs(policy()) });

            server.on("GET", at, { status: 200, body: policyAnswer("0 5 * * *") });
            const changed = await provider.read("snapshot-policy/continuity-daily", outputs(policy()));
            assert.strictEqual((changed.props.body as any).creation.schedule.cron.expression, "0 5 * * *");
            assert.deepStrictEqual(await provider.diff(changed.id!, changed.props, policy()), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("adopts a policy that notifies a channel, SM's filled-in conditions being no drift; another channel is a change", async () => {
            const notifying = policy({
                body: { ...policyBody(), notification: { channel: { id: "continuity-production-alerts" }, conditions: { failure: true } } },
            });
            // SM answers every condition, those left out filled in (creation true, the others false).
            const answer = (id: string) => {
                const a = policyAnswer();
                return {
                    ...a,
                    sm_policy: {
                        ...a.sm_policy,
                        notification: {
                            channel: { id },
                            conditions: { creation: true, deletion: false, failure: true, time_limit_exceeded: false },
                        },
                    },
                };
            };
            server.on("GET", at, { status: 200, body: answer("continuity-production-alerts") });
            assert.deepStrictEqual(await provider.create(notifying), {
                id: "snapshot-policy/continuity-daily",
                outs: outputs(notifying, true),
            });
            assert.deepStrictEqual(await provider.read("snapshot-policy/continuity-daily", outputs(notifying)), {
                id: "snapshot-policy/continuity-daily",
                props: outputs(notifying),
            });

            server.on("GET", at, { status: 200, body: answer("someone-elses-channel") });
            const read = await provider.read("snapshot-policy/continuity-daily", outputs(notifying));
            assert.deepStrictEqual((read.props.body as any).notification, {
                channel: { id: "someone-elses-channel" },
                conditions: { failure: true },
            });
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, notifying), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("updates with PUT ?if_seq_no&if_primary_term of the version it read first", async () => {
            server.on("GET", at, { status: 200, body: policyAnswer() });
            server.on("PUT", `${at}?if_seq_no=7&if_primary_term=2`, { status: 200, body: { _seq_no: 8, _primary_term: 2 } });
            const news = policy({
                body: { ...policyBody(), creation: { schedule: { cron: { expression: "0 4 * * *", timezone: "UTC" } }, time_limit: "1h" } },
            });
            assert.deepStrictEqual(await provider.update("snapshot-policy/continuity-daily", outputs(policy()), news), {
                outs: outputs(news, false),
            });
            assert.deepStrictEqual(sent(), [
                ["GET", at, undefined],
                ["PUT", `${at}?if_seq_no=7&if_primary_term=2`, news.body],
            ]);
        });

        it("fails an update when the policy changed in between (409), naming the conflict", async () => {
            const reason =
                "[continuity-daily-sm-policy]: version conflict, required seqNo [7], primary term [2]. current document has seqNo [8] and primary term [2]";
            server.on("GET", at, { status: 200, body: policyAnswer() });
            server.on("PUT", `${at}?if_seq_no=7&if_primary_term=2`, {
                status: 409,
                body: {
                    error: {
                        root_cause: [{ type: "version_conflict_engine_exception", reason }],
                        type: "version_conflict_engine_exception",
                        reason,
                    },
                    status: 409,
                },
            });
            await assert.rejects(
                provider.update(
                    "snapshot-policy/continuity-daily",
                    outputs(policy()),
                    policy({ body: { ...policyBody(), enabled: false } }),
                ),
                apiError(
                    `OpenSearch snapshot-policy 'continuity-daily' on ${endpoint}: PUT ${at}?if_seq_no=7&if_primary_term=2 answered 409 version_conflict_engine_exception: ${reason}`,
                ),
            );
        });

        it("fails an update of a policy deleted outside the stack (404), saying how to recover", async () => {
            server.on("GET", at, notFound("status_exception", "SM policy [continuity-daily] not found"));
            await assert.rejects(
                provider.update(
                    "snapshot-policy/continuity-daily",
                    outputs(policy()),
                    policy({ body: { ...policyBody(), enabled: false } }),
                ),
                apiError(
                    `OpenSearch snapshot-policy 'continuity-daily' on ${endpoint}: GET ${at} answered 404 status_exception: SM policy [continuity-daily] not found ` +
                        "The object is gone from the domain: `pulumi refresh` drops it from the stack's state, and the next `pulumi up` creates it again.",
                ),
            );
            assert.deepStrictEqual(sent(), [["GET", at, undefined]]);
        });

        it("does not repeat a POST the gateway timed out on (502): it may have been applied", async () => {
            server.on("GET", at, notFound("status_exception", "SM policy [continuity-daily] not found"));
            server.on("POST", at, { status: 502 });
            await assert.rejects(
                provider.create(policy()),
                apiError(`OpenSearch snapshot-policy 'continuity-daily' on ${endpoint}: POST ${at} answered 502 with an empty body`),
            );
            assert.deepStrictEqual(sent(), [
                ["GET", at, undefined],
                ["POST", at, policyBody()],
            ]);
        });

        it("deletes with DELETE /_plugins/_sm/policies/{name}", async () => {
            server.on("DELETE", at, { status: 200, body: { _id: "continuity-daily-sm-policy", result: "deleted" } });
            await provider.delete("snapshot-policy/continuity-daily", outputs(policy()));
            assert.deepStrictEqual(sent(), [["DELETE", at, undefined]]);
        });
    });
});
