import * as assert from "assert";
import { createHash } from "crypto";
import * as https from "https";
import * as net from "net";
import * as os from "os";
import * as path from "path";
import { Hash } from "@smithy/hash-node";
import { SignatureV4 } from "@smithy/signature-v4";
import {
    IndexTemplate,
    NotificationChannel,
    OpenSearchObjectInputs,
    OpenSearchApiError,
    OpenSearchObjectOutputs,
    OpenSearchProvider,
    SnapshotPolicy,
    SnapshotRepository,
} from "../../infra/providers/opensearch";
import { runProgram } from "../../tools/check/engine";
import { FakeOpenSearch, RecordedRequest, TEST_CA } from "../helpers/opensearch-server";

const ROOT = path.join(__dirname, "..", "..");
const REGION = "eu-west-1";
const CREDENTIALS = { accessKeyId: "AKIDTEST", secretAccessKey: "secret-test-key" };
const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const VPC_HINT = "A domain in a VPC answers only from inside that VPC, so the deployment must run from a runner inside the VPC (or a network peered with it).";
const ROLE = "arn:aws:iam::123456789012:role/continuity-production-search-snapshot-role";

const repositoryBody = () => ({
    type: "s3" as const,
    settings: { bucket: "continuity-production-search-snapshots", region: REGION, role_arn: ROLE, server_side_encryption: true },
});
/** As GET /_snapshot/{name} answers: settings as strings, and what the domain adds. */
const repositoryAnswer = (settings: Record<string, string> = {}) => ({
    "continuity-snapshots": {
        type: "s3",
        settings: {
            bucket: "continuity-production-search-snapshots",
            region: REGION,
            role_arn: ROLE,
            server_side_encryption: "true",
            max_restore_bytes_per_sec: "40mb",
            ...settings,
        },
    },
});

const policyBody = () => ({
    description: "continuity: daily snapshot of continuity-production into continuity-snapshots, kept 7 days",
    enabled: true,
    creation: { schedule: { cron: { expression: "0 2 * * *", timezone: "UTC" } }, time_limit: "1h" },
    deletion: {
        schedule: { cron: { expression: "0 3 * * *", timezone: "UTC" } },
        condition: { max_age: "7d", min_count: 7 },
        time_limit: "1h",
    },
    snapshot_config: { repository: "continuity-snapshots", indices: "*", include_global_state: false, partial: false, ignore_unavailable: true },
});
/** As GET /_plugins/_sm/policies/{name} answers: the policy under sm_policy with what the plugin adds. */
const policyAnswer = (expression = "0 2 * * *") => {
    const body = policyBody();
    return {
        _id: "continuity-daily-sm-policy",
        _version: 3,
        _seq_no: 7,
        _primary_term: 2,
        sm_policy: {
            name: "continuity-daily",
            ...body,
            creation: { ...body.creation, schedule: { cron: { expression, timezone: "UTC" } } },
            deletion: { ...body.deletion, condition: { ...body.deletion.condition, max_count: 400 } },
            snapshot_config: { ...body.snapshot_config, date_format: "yyyy-MM-dd'T'HH:mm:ss", timezone: "UTC" },
            schema_version: 21,
            schedule: { interval: { start_time: 1764300000000, period: 1, unit: "Minutes" } },
            enabled_time: 1764300000000,
            last_updated_time: 1764300000000,
        },
    };
};

const templateBody = () => ({ index_patterns: ["orders-*"], priority: 100, template: { settings: { number_of_shards: 3, number_of_replicas: 1 } } });
/** As GET /_index_template/{name} answers: settings nested under `index`, as strings. */
const templateAnswer = (replicas = "1") => ({
    index_templates: [
        {
            name: "orders",
            index_template: {
                index_patterns: ["orders-*"],
                template: { settings: { index: { number_of_shards: "3", number_of_replicas: replicas, refresh_interval: "1s" } } },
                composed_of: [],
                priority: 100,
            },
        },
    ],
});

const notFound = (type: string, reason: string) => ({ status: 404, body: { error: { root_cause: [{ type, reason }], type, reason }, status: 404 } });
const sha256 = (text: string) => createHash("sha256").update(text).digest("hex");

describe("OpenSearch dynamic provider (infra/providers/opensearch.ts)", () => {
    const server = new FakeOpenSearch();
    let endpoint: string;
    let provider: OpenSearchProvider;

    const repository = (over: Partial<OpenSearchObjectInputs> = {}): OpenSearchObjectInputs => ({
        endpoint,
        region: REGION,
        kind: "snapshot-repository",
        name: "continuity-snapshots",
        body: repositoryBody(),
        ...over,
    });
    const policy = (over: Partial<OpenSearchObjectInputs> = {}): OpenSearchObjectInputs => ({
        endpoint,
        region: REGION,
        kind: "snapshot-policy",
        name: "continuity-daily",
        body: policyBody(),
        ...over,
    });
    const template = (over: Partial<OpenSearchObjectInputs> = {}): OpenSearchObjectInputs => ({
        endpoint,
        region: REGION,
        kind: "index-template",
        name: "orders",
        body: templateBody(),
        ...over,
    });
    const outputs = (i: OpenSearchObjectInputs, adopted = false): OpenSearchObjectOutputs => ({ ...i, adopted });
    const sent = () => server.requests.map((r) => [r.method, r.path, r.body]);
    const apiError = (message: string) => ({ name: "OpenSearchApiError", message });

    /** Re-signs what arrived with the same date: any difference in host, path, query or body breaks it. */
    async function assertSigned(r: RecordedRequest, credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string } = CREDENTIALS) {
        const auth = String(r.headers.authorization);
        const date = String(r.headers["x-amz-date"]);
        assert.match(date, /^\d{8}T\d{6}Z$/);
        const signedAt = new Date(date.replace(/^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/, "$1-$2-$3T$4:$5:$6Z"));
        assert.ok(Math.abs(signedAt.getTime() - Date.now()) < 60_000);
        const token = credentials.sessionToken ? ";x-amz-security-token" : "";
        const signedHeaders = r.raw ? `content-length;content-type;host;x-amz-content-sha256;x-amz-date${token}` : `content-type;host;x-amz-content-sha256;x-amz-date${token}`;
        const prefix = `AWS4-HMAC-SHA256 Credential=${credentials.accessKeyId}/${date.slice(0, 8)}/${REGION}/es/aws4_request, SignedHeaders=${signedHeaders}, Signature=`;
        assert.strictEqual(auth.slice(0, prefix.length), prefix);
        assert.match(auth.slice(prefix.length), /^[0-9a-f]{64}$/);
        assert.strictEqual(r.headers["x-amz-content-sha256"], sha256(r.raw));
        assert.strictEqual(r.headers["content-type"], "application/json");
        assert.ok(!JSON.stringify(r.headers).includes(credentials.secretAccessKey));

        const url = new URL(r.path, endpoint);
        const headers = Object.fromEntries(signedHeaders.split(";").filter((h) => h.startsWith("content-") || h === "host").map((h) => [h, String(r.headers[h])]));
        const signer = new SignatureV4({ service: "es", region: REGION, credentials, sha256: Hash.bind(null, "sha256") });
        const again = await signer.sign(
            { method: r.method, protocol: "https:", hostname: url.hostname, port: Number(url.port), path: url.pathname, query: Object.fromEntries(url.searchParams), headers, body: r.raw || undefined },
            { signingDate: signedAt },
        );
        assert.strictEqual(auth, again.headers.authorization);
    }

    before(async () => {
        endpoint = await server.start();
        provider = new OpenSearchProvider({ credentials: async () => CREDENTIALS, retryDelayMs: 1, ca: TEST_CA });
    });
    beforeEach(() => server.reset());
    after(() => server.close());

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
            server.on("GET", "/_snapshot/continuity-snapshots", { status: 200, body: repositoryAnswer({ bucket: "someone-elses-bucket" }) });
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
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, repository()), { changes: false, replaces: [], deleteBeforeReplace: false });
        });

        it("reads a changed setting back in the type it was given, and a missing one as absent", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", {
                status: 200,
                body: { "continuity-snapshots": { type: "s3", settings: { bucket: "continuity-production-search-snapshots", region: REGION, server_side_encryption: "false" } } },
            });
            const read = await provider.read("snapshot-repository/continuity-snapshots", outputs(repository()));
            assert.deepStrictEqual(read.props.body, { type: "s3", settings: { bucket: "continuity-production-search-snapshots", region: REGION, server_side_encryption: false } });
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, repository()), { changes: true, replaces: [], deleteBeforeReplace: false });
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
            assert.deepStrictEqual(await provider.update("snapshot-repository/continuity-snapshots", outputs(repository(), true), news), { outs: outputs(news, true) });
            assert.deepStrictEqual(server.requests, []);
        });

        it("deletes (unregisters) with DELETE, leaves an adopted one alone, and takes 404 as done", async () => {
            server.on("DELETE", "/_snapshot/continuity-snapshots", { status: 200, body: { acknowledged: true } });
            await provider.delete("snapshot-repository/continuity-snapshots", outputs(repository()));
            assert.deepStrictEqual(sent(), [["DELETE", "/_snapshot/continuity-snapshots", undefined]]);

            server.reset();
            await provider.delete("snapshot-repository/continuity-snapshots", outputs(repository(), true));
            assert.deepStrictEqual(server.requests, []);

            server.on("DELETE", "/_snapshot/continuity-snapshots", notFound("repository_missing_exception", "[continuity-snapshots] missing"));
            await provider.delete("snapshot-repository/continuity-snapshots", outputs(repository()));
            assert.deepStrictEqual(sent(), [["DELETE", "/_snapshot/continuity-snapshots", undefined]]);
        });
    });

    describe("snapshot-policy (snapshot management)", () => {
        const at = "/_plugins/_sm/policies/continuity-daily";

        it("creates a missing policy with POST /_plugins/_sm/policies/{name}", async () => {
            server.on("GET", at, notFound("status_exception", "SM policy [continuity-daily] not found"));
            server.on("POST", at, { status: 201, body: { _id: "continuity-daily-sm-policy", _version: 1, _seq_no: 0, _primary_term: 1, sm_policy: {} } });
            assert.deepStrictEqual(await provider.create(policy()), { id: "snapshot-policy/continuity-daily", outs: outputs(policy()) });
            assert.deepStrictEqual(sent(), [
                ["GET", at, undefined],
                ["POST", at, policyBody()],
            ]);
        });

        it("adopts an identical policy, ignoring what the plugin adds (name, schema_version, schedule, times, defaults)", async () => {
            server.on("GET", at, { status: 200, body: policyAnswer() });
            assert.deepStrictEqual(await provider.create(policy()), { id: "snapshot-policy/continuity-daily", outs: outputs(policy(), true) });
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
            assert.deepStrictEqual(await provider.diff(changed.id!, changed.props, policy()), { changes: true, replaces: [], deleteBeforeReplace: false });
        });

        it("adopts a policy that notifies a channel, SM's filled-in conditions being no drift; another channel is a change", async () => {
            const notifying = policy({ body: { ...policyBody(), notification: { channel: { id: "continuity-production-alerts" }, conditions: { failure: true } } } });
            // SM answers every condition, those left out filled in (creation true, the others false).
            const answer = (id: string) => {
                const a = policyAnswer();
                return { ...a, sm_policy: { ...a.sm_policy, notification: { channel: { id }, conditions: { creation: true, deletion: false, failure: true, time_limit_exceeded: false } } } };
            };
            server.on("GET", at, { status: 200, body: answer("continuity-production-alerts") });
            assert.deepStrictEqual(await provider.create(notifying), { id: "snapshot-policy/continuity-daily", outs: outputs(notifying, true) });
            assert.deepStrictEqual(await provider.read("snapshot-policy/continuity-daily", outputs(notifying)), { id: "snapshot-policy/continuity-daily", props: outputs(notifying) });

            server.on("GET", at, { status: 200, body: answer("someone-elses-channel") });
            const read = await provider.read("snapshot-policy/continuity-daily", outputs(notifying));
            assert.deepStrictEqual((read.props.body as any).notification, { channel: { id: "someone-elses-channel" }, conditions: { failure: true } });
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, notifying), { changes: true, replaces: [], deleteBeforeReplace: false });
        });

        it("updates with PUT ?if_seq_no&if_primary_term of the version it read first", async () => {
            server.on("GET", at, { status: 200, body: policyAnswer() });
            server.on("PUT", `${at}?if_seq_no=7&if_primary_term=2`, { status: 200, body: { _seq_no: 8, _primary_term: 2 } });
            const news = policy({ body: { ...policyBody(), creation: { schedule: { cron: { expression: "0 4 * * *", timezone: "UTC" } }, time_limit: "1h" } } });
            assert.deepStrictEqual(await provider.update("snapshot-policy/continuity-daily", outputs(policy()), news), { outs: outputs(news, false) });
            assert.deepStrictEqual(sent(), [
                ["GET", at, undefined],
                ["PUT", `${at}?if_seq_no=7&if_primary_term=2`, news.body],
            ]);
        });

        it("fails an update when the policy changed in between (409), naming the conflict", async () => {
            const reason = "[continuity-daily-sm-policy]: version conflict, required seqNo [7], primary term [2]. current document has seqNo [8] and primary term [2]";
            server.on("GET", at, { status: 200, body: policyAnswer() });
            server.on("PUT", `${at}?if_seq_no=7&if_primary_term=2`, {
                status: 409,
                body: { error: { root_cause: [{ type: "version_conflict_engine_exception", reason }], type: "version_conflict_engine_exception", reason }, status: 409 },
            });
            await assert.rejects(
                provider.update("snapshot-policy/continuity-daily", outputs(policy()), policy({ body: { ...policyBody(), enabled: false } })),
                apiError(
                    `OpenSearch snapshot-policy 'continuity-daily' on ${endpoint}: PUT ${at}?if_seq_no=7&if_primary_term=2 answered 409 version_conflict_engine_exception: ${reason}`,
                ),
            );
        });

        it("fails an update of a policy deleted outside the stack (404), saying how to recover", async () => {
            server.on("GET", at, notFound("status_exception", "SM policy [continuity-daily] not found"));
            await assert.rejects(
                provider.update("snapshot-policy/continuity-daily", outputs(policy()), policy({ body: { ...policyBody(), enabled: false } })),
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

    describe("index-template", () => {
        const at = "/_index_template/orders";

        it("creates a missing template with PUT /_index_template/{name}?create=true, which never replaces one that appeared since", async () => {
            server.on("GET", at, notFound("resource_not_found_exception", "index template matching [orders] not found"));
            server.on("PUT", `${at}?create=true`, { status: 200, body: { acknowledged: true } });
            assert.deepStrictEqual(await provider.create(template()), { id: "index-template/orders", outs: outputs(template()) });
            assert.deepStrictEqual(sent(), [
                ["GET", at, undefined],
                ["PUT", `${at}?create=true`, templateBody()],
            ]);

            server.reset();
            const reason = "index template [orders] already exists";
            server.on("GET", at, notFound("resource_not_found_exception", "index template matching [orders] not found"));
            server.on("PUT", `${at}?create=true`, { status: 400, body: { error: { root_cause: [{ type: "illegal_argument_exception", reason }], type: "illegal_argument_exception", reason }, status: 400 } });
            await assert.rejects(
                provider.create(template()),
                apiError(`OpenSearch index-template 'orders' on ${endpoint}: PUT ${at}?create=true answered 400 illegal_argument_exception: ${reason}`),
            );
        });

        it("adopts an identical template: flat settings match the domain's nested index.* strings", async () => {
            server.on("GET", at, { status: 200, body: templateAnswer() });
            assert.deepStrictEqual(await provider.create(template()), { id: "index-template/orders", outs: outputs(template(), true) });
            assert.deepStrictEqual(sent(), [["GET", at, undefined]]);
        });

        it("also matches settings given nested or dotted", async () => {
            server.on("GET", at, { status: 200, body: templateAnswer() });
            const nested = template({ body: { ...templateBody(), template: { settings: { index: { number_of_shards: 3, number_of_replicas: 1 } } } } });
            assert.strictEqual((await provider.create(nested)).outs.adopted, true);
            const dotted = template({ body: { ...templateBody(), template: { settings: { "index.number_of_shards": 3, number_of_replicas: 1 } } } });
            assert.strictEqual((await provider.create(dotted)).outs.adopted, true);
        });

        it("refuses to take over a template of the same name with fewer replicas", async () => {
            server.on("GET", at, { status: 200, body: templateAnswer("0") });
            await assert.rejects(
                provider.create(template()),
                apiError(
                    `OpenSearch index-template 'orders' on ${endpoint} already exists with another body ` +
                        `(body.template.settings.number_of_replicas is 1 here and 0 there); ` +
                        `it was not created by this stack. Remove it from the domain, or choose another name.`,
                ),
            );
        });

        it("reads the template flat as given; a changed replica count shows up as a number and a change", async () => {
            server.on("GET", at, { status: 200, body: templateAnswer() });
            assert.deepStrictEqual(await provider.read("index-template/orders", outputs(template())), { id: "index-template/orders", props: outputs(template()) });

            server.on("GET", at, { status: 200, body: templateAnswer("2") });
            const read = await provider.read("index-template/orders", outputs(template()));
            assert.deepStrictEqual(read.props.body, { index_patterns: ["orders-*"], priority: 100, template: { settings: { number_of_shards: 3, number_of_replicas: 2 } } });
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, template()), { changes: true, replaces: [], deleteBeforeReplace: false });
        });

        it("reads a template as gone only on OpenSearch's 404; a 200 that does not list it is an error, not \"gone\"", async () => {
            server.on("GET", at, notFound("resource_not_found_exception", "index template matching [orders] not found"));
            assert.deepStrictEqual(await provider.read("index-template/orders", outputs(template())), {});
            server.on("GET", at, { status: 200, body: { index_templates: [] } });
            await assert.rejects(
                provider.read("index-template/orders", outputs(template())),
                apiError(
                    `OpenSearch index-template 'orders' on ${endpoint}: GET ${at} answered 200 with JSON that does not hold it ({"index_templates":[]}); ` +
                        "whether the object exists cannot be told from that, so nothing was changed. Run the deployment again once the domain answers as OpenSearch does.",
                ),
            );
        });

        it("updates with PUT", async () => {
            server.on("PUT", at, { status: 200, body: { acknowledged: true } });
            const news = template({ body: { ...templateBody(), template: { settings: { number_of_shards: 3, number_of_replicas: 2 } } } });
            assert.deepStrictEqual(await provider.update("index-template/orders", outputs(template()), news), { outs: outputs(news) });
            assert.deepStrictEqual(sent(), [["PUT", at, news.body]]);
        });

        it("deletes with DELETE and takes 404 as already done", async () => {
            server.on("DELETE", at, notFound("index_template_missing_exception", "index_template [orders] missing"));
            await provider.delete("index-template/orders", outputs(template()));
            assert.deepStrictEqual(sent(), [["DELETE", at, undefined]]);
        });
    });

    describe("notification-channel", () => {
        const collection = "/_plugins/_notifications/configs";
        const at = `${collection}/continuity-production-alerts`;
        const channelBody = () => ({
            name: "continuity-production alerts",
            description: "continuity: snapshot failures of this domain, to the alert topic",
            config_type: "sns",
            is_enabled: true,
            sns: { topic_arn: "arn:aws:sns:eu-west-1:123456789012:alerts", role_arn: "arn:aws:iam::123456789012:role/notifications" },
        });
        /** As GET answers: the channel in a config_list, with the plugin's timestamps. */
        const channelAnswer = (topic = "arn:aws:sns:eu-west-1:123456789012:alerts") => ({
            config_list: [
                {
                    config_id: "continuity-production-alerts",
                    last_updated_time_ms: 1764300000000,
                    created_time_ms: 1764300000000,
                    config: { ...channelBody(), sns: { ...channelBody().sns, topic_arn: topic } },
                },
            ],
            total_hits: 1,
        });
        const channel = (over: Partial<OpenSearchObjectInputs> = {}): OpenSearchObjectInputs => ({
            endpoint,
            region: REGION,
            kind: "notification-channel",
            name: "continuity-production-alerts",
            body: channelBody(),
            ...over,
        });

        it("creates a missing channel with POST to the collection, its id and body in one document", async () => {
            server.on("GET", at, notFound("status_exception", "NotificationConfig continuity-production-alerts not found"));
            server.on("POST", collection, { status: 200, body: { config_id: "continuity-production-alerts" } });
            assert.deepStrictEqual(await provider.create(channel()), { id: "notification-channel/continuity-production-alerts", outs: outputs(channel()) });
            assert.deepStrictEqual(sent(), [
                ["GET", at, undefined],
                ["POST", collection, { config_id: "continuity-production-alerts", config: channelBody() }],
            ]);
            for (const r of server.requests) await assertSigned(r);
        });

        it("adopts an identical channel without writing, ignoring the plugin's timestamps", async () => {
            server.on("GET", at, { status: 200, body: channelAnswer() });
            assert.deepStrictEqual(await provider.create(channel()), { id: "notification-channel/continuity-production-alerts", outs: outputs(channel(), true) });
            assert.deepStrictEqual(sent(), [["GET", at, undefined]]);
        });

        it("refuses to take over a channel of the same id that sends elsewhere", async () => {
            server.on("GET", at, { status: 200, body: channelAnswer("arn:aws:sns:eu-west-1:123456789012:other") });
            await assert.rejects(
                provider.create(channel()),
                apiError(
                    `OpenSearch notification-channel 'continuity-production-alerts' on ${endpoint} already exists with another body ` +
                        `(body.sns.topic_arn is "arn:aws:sns:eu-west-1:123456789012:alerts" here and "arn:aws:sns:eu-west-1:123456789012:other" there); ` +
                        `it was not created by this stack. Remove it from the domain, or choose another name.`,
                ),
            );
        });

        it("reads the channel from the config list; a changed topic shows as a change; OpenSearch's 404 as gone", async () => {
            server.on("GET", at, { status: 200, body: channelAnswer("arn:aws:sns:eu-west-1:123456789012:other") });
            const read = await provider.read("notification-channel/continuity-production-alerts", outputs(channel()));
            assert.strictEqual((read.props.body as any).sns.topic_arn, "arn:aws:sns:eu-west-1:123456789012:other");
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, channel()), { changes: true, replaces: [], deleteBeforeReplace: false });
            server.on("GET", at, notFound("status_exception", "NotificationConfig continuity-production-alerts not found"));
            assert.deepStrictEqual(await provider.read("notification-channel/continuity-production-alerts", outputs(channel())), {});
        });

        it("reads an unchanged channel as its inputs: the plugin's defaults (description \"\", is_enabled true) are no drift", async () => {
            const { description, is_enabled, ...bare } = channelBody();
            server.on("GET", at, {
                status: 200,
                body: { ...channelAnswer(), config_list: [{ ...channelAnswer().config_list[0], config: { ...bare, description: "", is_enabled: true } }] },
            });
            const state = outputs(channel({ body: bare }), true);
            const read = await provider.read("notification-channel/continuity-production-alerts", state);
            assert.deepStrictEqual(read, { id: "notification-channel/continuity-production-alerts", props: state });
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, channel({ body: bare })), { changes: false, replaces: [], deleteBeforeReplace: false });
        });

        it("fails a create when a channel of that id appeared since it looked (409), naming the POST", async () => {
            const reason = "[continuity-production-alerts]: version conflict, document already exists (current version [1])";
            server.on("GET", at, notFound("status_exception", "NotificationConfig continuity-production-alerts not found"));
            server.on("POST", collection, {
                status: 409,
                body: { error: { root_cause: [{ type: "version_conflict_engine_exception", reason }], type: "version_conflict_engine_exception", reason }, status: 409 },
            });
            await assert.rejects(
                provider.create(channel()),
                apiError(
                    `OpenSearch notification-channel 'continuity-production-alerts' on ${endpoint}: POST ${collection} answered 409 version_conflict_engine_exception: ${reason}`,
                ),
            );
        });

        it("updates with PUT of the body wrapped in config", async () => {
            server.on("PUT", at, { status: 200, body: { config_id: "continuity-production-alerts" } });
            const news = channel({ body: { ...channelBody(), is_enabled: false } });
            assert.deepStrictEqual(await provider.update("notification-channel/continuity-production-alerts", outputs(channel()), news), { outs: outputs(news) });
            assert.deepStrictEqual(sent(), [["PUT", at, { config: news.body }]]);
        });

        it("fails an update of a channel deleted outside the stack (404), saying how to recover", async () => {
            server.on("PUT", at, notFound("status_exception", "NotificationConfig continuity-production-alerts not found"));
            await assert.rejects(
                provider.update("notification-channel/continuity-production-alerts", outputs(channel()), channel({ body: { ...channelBody(), is_enabled: false } })),
                apiError(
                    `OpenSearch notification-channel 'continuity-production-alerts' on ${endpoint}: PUT ${at} answered 404 status_exception: NotificationConfig continuity-production-alerts not found ` +
                        "The object is gone from the domain: `pulumi refresh` drops it from the stack's state, and the next `pulumi up` creates it again.",
                ),
            );
        });

        it("deletes with DELETE, leaves an adopted one alone, and takes 404 as done", async () => {
            server.on("DELETE", at, notFound("status_exception", "NotificationConfig continuity-production-alerts not found"));
            await provider.delete("notification-channel/continuity-production-alerts", outputs(channel()));
            await provider.delete("notification-channel/continuity-production-alerts", outputs(channel(), true));
            assert.deepStrictEqual(sent(), [["DELETE", at, undefined]]);
        });
    });

    describe("check", () => {
        it("passes valid inputs through unchanged, the engine's __provider included", async () => {
            const news = { ...repository(), __provider: "exports.handler = ..." };
            assert.deepStrictEqual(await provider.check({} as never, news), { inputs: news, failures: [] });
        });

        it("names each invalid input with what was found and what is allowed", async () => {
            const news = { endpoint: "search-x.eu-west-1.es.amazonaws.com", region: "", kind: "snapshot", name: " ", body: [] } as never;
            assert.deepStrictEqual((await provider.check({} as never, news)).failures, [
                {
                    property: "endpoint",
                    reason: `endpoint must be the domain's base URL, such as https://search-x.eu-west-1.es.amazonaws.com (a domain's endpoint attribute is a bare host name: prefix it with https://); found "search-x.eu-west-1.es.amazonaws.com".`,
                },
                { property: "region", reason: `region must be the domain's AWS region, such as eu-west-1; found "".` },
                { property: "kind", reason: `kind must be one of snapshot-repository, snapshot-policy, index-template, notification-channel; found "snapshot".` },
                { property: "name", reason: `name must be a non-empty string; found " ".` },
                { property: "body", reason: `body must be an object (the REST body OpenSearch takes); found [].` },
            ]);
        });

        it("rejects endpoints that are not a base URL, and a missing one", async () => {
            for (const bad of ["ftp://search-x.es.amazonaws.com", "https://search-x.es.amazonaws.com/_snapshot", "https://search-x.es.amazonaws.com/?x=1", undefined]) {
                const failures = (await provider.check({} as never, repository({ endpoint: bad as never }))).failures!;
                assert.deepStrictEqual(failures.map((f) => [f.property, f.reason.endsWith(`found ${bad === undefined ? "nothing" : JSON.stringify(bad)}.`)]), [["endpoint", true]]);
            }
            assert.deepStrictEqual((await provider.check({} as never, repository({ endpoint: "https://search-x.es.amazonaws.com/" }))).failures, []);
        });

        it("accepts values unknown at preview (a new domain's endpoint)", async () => {
            const news = repository({ endpoint: UNKNOWN, name: UNKNOWN, body: UNKNOWN as never });
            assert.deepStrictEqual(await provider.check({} as never, news), { inputs: news, failures: [] });
        });
    });

    describe("diff", () => {
        it("sees no change between equal bodies, whatever the scalars' types", async () => {
            const olds = outputs(template({ body: { ...templateBody(), template: { settings: { number_of_shards: "3", number_of_replicas: "1" } } } }));
            assert.deepStrictEqual(await provider.diff("index-template/orders", olds, template()), { changes: false, replaces: [], deleteBeforeReplace: false });
        });

        it("updates in place on a body or region change", async () => {
            const body = { ...repositoryBody(), settings: { ...repositoryBody().settings, base_path: "p" } };
            assert.deepStrictEqual(await provider.diff("x", outputs(repository()), repository({ body })), { changes: true, replaces: [], deleteBeforeReplace: false });
            assert.deepStrictEqual(await provider.diff("x", outputs(repository()), repository({ region: "eu-central-1" })), { changes: true, replaces: [], deleteBeforeReplace: false });
        });

        it("replaces on another name, endpoint or kind, creating the new one first", async () => {
            const olds = outputs(policy());
            assert.deepStrictEqual(await provider.diff("x", olds, policy({ name: "continuity-hourly" })), { changes: true, replaces: ["name"], deleteBeforeReplace: false });
            assert.deepStrictEqual(await provider.diff("x", olds, policy({ endpoint: "https://search-y.eu-west-1.es.amazonaws.com" })), {
                changes: true,
                replaces: ["endpoint"],
                deleteBeforeReplace: false,
            });
            assert.deepStrictEqual(await provider.diff("x", olds, repository({ name: "continuity-daily" })), { changes: true, replaces: ["kind"], deleteBeforeReplace: false });
        });

        it("deletes a renamed index template before creating its successor: the domain refuses two with the same patterns and priority", async () => {
            assert.deepStrictEqual(await provider.diff("x", outputs(template()), template({ name: "orders-v2" })), { changes: true, replaces: ["name"], deleteBeforeReplace: true });
            assert.deepStrictEqual(await provider.diff("x", outputs(template()), template({ endpoint: "https://search-y.eu-west-1.es.amazonaws.com" })), {
                changes: true,
                replaces: ["endpoint"],
                deleteBeforeReplace: false,
            });
        });

        it("replaces when the endpoint is unknown at preview (the domain itself is being created or replaced)", async () => {
            assert.deepStrictEqual(await provider.diff("x", outputs(repository()), repository({ endpoint: UNKNOWN })), { changes: true, replaces: ["endpoint"], deleteBeforeReplace: false });
        });
    });

    describe("signing and errors", () => {
        it("signs every request with SigV4 for service es in the domain's region", async () => {
            server.on("GET", "/_plugins/_sm/policies/continuity-daily", { status: 200, body: policyAnswer() });
            server.on("PUT", "/_plugins/_sm/policies/continuity-daily?if_seq_no=7&if_primary_term=2", { status: 200, body: {} });
            server.on("DELETE", "/_plugins/_sm/policies/continuity-daily", { status: 200, body: {} });
            await provider.update("x", outputs(policy()), policy({ body: { ...policyBody(), enabled: false } }));
            await provider.delete("x", outputs(policy()));
            assert.deepStrictEqual(server.requests.map((r) => r.method), ["GET", "PUT", "DELETE"]);
            for (const r of server.requests) await assertSigned(r);
        });

        it("encodes the name in the path and signs the encoded path", async () => {
            server.on("GET", "/_index_template/orders%20%C3%A9t%C3%A9", notFound("resource_not_found_exception", "not found"));
            server.on("PUT", "/_index_template/orders%20%C3%A9t%C3%A9?create=true", { status: 200, body: { acknowledged: true } });
            await provider.create(template({ name: "orders été" }));
            assert.deepStrictEqual(server.requests.map((r) => r.path), ["/_index_template/orders%20%C3%A9t%C3%A9", "/_index_template/orders%20%C3%A9t%C3%A9?create=true"]);
            for (const r of server.requests) await assertSigned(r);
        });

        it("sends a session token as x-amz-security-token, signed", async () => {
            const session = { ...CREDENTIALS, sessionToken: "session-token-test" };
            server.on("DELETE", "/_snapshot/continuity-snapshots", { status: 200, body: {} });
            await new OpenSearchProvider({ credentials: async () => session, ca: TEST_CA }).delete("x", outputs(repository()));
            assert.strictEqual(server.requests[0].headers["x-amz-security-token"], "session-token-test");
            await assertSigned(server.requests[0], session);
        });

        it("reports credentials it could not load before sending anything", async () => {
            const none = new OpenSearchProvider({
                credentials: async () => {
                    throw new Error("Could not load credentials from any providers");
                },
            });
            await assert.rejects(
                none.read("x", outputs(repository())),
                apiError(`OpenSearch snapshot-repository 'continuity-snapshots': could not sign the request to ${endpoint} with AWS credentials (Could not load credentials from any providers).`),
            );
            assert.deepStrictEqual(server.requests, []);
        });

        it("reports a 400 with the API's error type and reason", async () => {
            const reason = "[continuity-snapshots] Could not determine repository generation from root blobs";
            server.on("GET", "/_snapshot/continuity-snapshots", notFound("repository_missing_exception", "[continuity-snapshots] missing"));
            server.on("PUT", "/_snapshot/continuity-snapshots", {
                status: 400,
                body: { error: { root_cause: [{ type: "repository_exception", reason }], type: "repository_exception", reason }, status: 400 },
            });
            await assert.rejects(
                provider.create(repository()),
                apiError(`OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint}: PUT /_snapshot/continuity-snapshots answered 400 repository_exception: ${reason}`),
            );
        });

        it("reports a 403 of the security plugin", async () => {
            const reason = "no permissions for [cluster:admin/repository/put] and User [name=arn:aws:iam::123456789012:role/deployer, backend_roles=[], requestedTenant=null]";
            server.on("GET", "/_snapshot/continuity-snapshots", notFound("repository_missing_exception", "[continuity-snapshots] missing"));
            server.on("PUT", "/_snapshot/continuity-snapshots", {
                status: 403,
                body: { error: { root_cause: [{ type: "security_exception", reason }], type: "security_exception", reason }, status: 403 },
            });
            await assert.rejects(
                provider.create(repository()),
                apiError(`OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint}: PUT /_snapshot/continuity-snapshots answered 403 security_exception: ${reason}`),
            );
        });

        it("reports a 403 of the AWS gateway (Message, x-amzn-errortype), without leaking credentials", async () => {
            const message = "User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: es:ESHttpGet because no identity-based policy allows the es:ESHttpGet action";
            server.on("GET", "/_snapshot/continuity-snapshots", {
                status: 403,
                body: { Message: message },
                headers: { "x-amzn-errortype": "AccessDeniedException:http://internal.amazon.com/coral/com.amazon.coral.service/" },
            });
            const error = await provider.create(repository()).then(
                () => assert.fail("create succeeded"),
                (e: unknown) => e,
            );
            assert.ok(error instanceof OpenSearchApiError);
            assert.strictEqual(error.message, `OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint}: GET /_snapshot/continuity-snapshots answered 403 AccessDeniedException: ${message}`);
            assert.deepStrictEqual([error.status, error.type, error.reason], [403, "AccessDeniedException", message]);
            assert.ok(!JSON.stringify({ ...error, message: error.message, stack: error.stack }).includes(CREDENTIALS.secretAccessKey));
        });

        it("reports a 404 on an update, with an error given as a plain string", async () => {
            server.on("PUT", "/_index_template/orders", { status: 404, body: { error: "no handler found for uri [/_index_template/orders] and method [PUT]" } });
            await assert.rejects(
                provider.update("x", outputs(template()), template({ body: { ...templateBody(), priority: 200 } })),
                apiError(
                    `OpenSearch index-template 'orders' on ${endpoint}: PUT /_index_template/orders answered 404: no handler found for uri [/_index_template/orders] and method [PUT] ` +
                        "The object is gone from the domain: `pulumi refresh` drops it from the stack's state, and the next `pulumi up` creates it again.",
                ),
            );
        });

        it("reports a 500 that is not JSON with its first 300 characters, saying it was cut", async () => {
            const page = `<html>\n<head><title>500 Internal Server Error</title></head>\n<body>${"x".repeat(300)}</body>\n</html>`;
            const collapsed = "<html> <head><title>500 Internal Server Error</title></head> <body>";
            server.on("GET", "/_index_template/orders", { status: 500, body: page });
            await assert.rejects(
                provider.read("x", outputs(template())),
                apiError(
                    `OpenSearch index-template 'orders' on ${endpoint}: GET /_index_template/orders answered 500: ` +
                        `${collapsed}${"x".repeat(300 - collapsed.length)}… (cut; 382 characters in all)`,
                ),
            );
        });

        it("retries a 503 with backoff, then succeeds", async () => {
            server.on("GET", "/_index_template/orders", notFound("resource_not_found_exception", "not found"));
            const busy = { status: 503, body: { Message: "Service Unavailable" } };
            server.on("PUT", "/_index_template/orders?create=true", busy, busy, { status: 200, body: { acknowledged: true } });
            assert.deepStrictEqual(await provider.create(template()), { id: "index-template/orders", outs: outputs(template()) });
            assert.deepStrictEqual(server.requests.map((r) => r.method), ["GET", "PUT", "PUT", "PUT"]);
        });

        it("gives up after the configured retries and reports the last answer", async () => {
            const twice = new OpenSearchProvider({ credentials: async () => CREDENTIALS, retries: 2, retryDelayMs: 1, ca: TEST_CA });
            server.on("GET", "/_index_template/orders", { status: 429, body: { error: { type: "rejected_execution_exception", reason: "rejected execution of coordinating operation" }, status: 429 } });
            await assert.rejects(
                twice.read("x", outputs(template())),
                apiError(`OpenSearch index-template 'orders' on ${endpoint}: GET /_index_template/orders answered 429 rejected_execution_exception: rejected execution of coordinating operation`),
            );
            assert.strictEqual(server.requests.length, 3);
        });

        it("says where it must run from when nothing listens at the endpoint", async () => {
            const closed = net.createServer();
            await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
            const port = (closed.address() as net.AddressInfo).port;
            await new Promise((resolve) => closed.close(resolve));
            await assert.rejects(
                provider.read("x", outputs(repository({ endpoint: `https://127.0.0.1:${port}` }))),
                apiError(`OpenSearch snapshot-repository 'continuity-snapshots': could not reach https://127.0.0.1:${port} (ECONNREFUSED). ${VPC_HINT}`),
            );
        });

        it("gives up on a domain that does not answer within the timeout, without the VPC hint: the connection was made", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", { status: 200, hang: true });
            const impatient = new OpenSearchProvider({ credentials: async () => CREDENTIALS, timeoutMs: 200, ca: TEST_CA });
            const started = Date.now();
            await assert.rejects(
                impatient.read("x", outputs(repository())),
                apiError(`OpenSearch snapshot-repository 'continuity-snapshots': ${endpoint} did not answer GET /_snapshot/continuity-snapshots (no answer within 0.2 s).`),
            );
            assert.ok(Date.now() - started < 2000);
        });
    });

    describe("answers it cannot read: an error naming the object, never \"absent\"", () => {
        const UNREADABLE = "whether the object exists cannot be told from that, so nothing was changed. Run the deployment again once the domain answers as OpenSearch does.";
        const channel = (): OpenSearchObjectInputs => ({
            endpoint,
            region: REGION,
            kind: "notification-channel",
            name: "alerts",
            body: { name: "alerts", config_type: "sns", sns: { topic_arn: "arn:aws:sns:eu-west-1:123456789012:alerts", role_arn: ROLE } },
        });
        const cases: [string, () => OpenSearchObjectInputs, string][] = [
            ["snapshot-repository", repository, "/_snapshot/continuity-snapshots"],
            ["snapshot-policy", policy, "/_plugins/_sm/policies/continuity-daily"],
            ["index-template", template, "/_index_template/orders"],
            ["notification-channel", channel, "/_plugins/_notifications/configs/alerts"],
        ];
        const answers: [string, { status: number; body?: unknown }, string][] = [
            ["malformed JSON", { status: 200, body: '{"index_templates":[{"name":"orders",' }, `answered 200 with a body that is not JSON ({"index_templates":[{"name":"orders",); ${UNREADABLE}`],
            ["an HTML page", { status: 200, body: "<html><body>Sign in to continue</body></html>" }, `answered 200 with a body that is not JSON (<html><body>Sign in to continue</body></html>); ${UNREADABLE}`],
            ["{}", { status: 200, body: {} }, `answered 200 with JSON that does not hold it ({}); ${UNREADABLE}`],
            ["an empty body", { status: 200 }, `answered 200 with an empty body; ${UNREADABLE}`],
            [
                "a 404 that is not OpenSearch's",
                { status: 404, body: "<html><body>404 Not Found</body></html>" },
                "answered 404: <html><body>404 Not Found</body></html> That is not OpenSearch's answer for a missing object, so whether it exists cannot be told; nothing was changed.",
            ],
        ];
        for (const [kind, inputs, at] of cases) {
            for (const [label, answer, said] of answers) {
                it(`${kind}: a GET answering ${label} fails create and read, and writes nothing`, async () => {
                    server.on("GET", at, answer);
                    const expected = apiError(`OpenSearch ${kind} '${inputs().name}' on ${endpoint}: GET ${at} ${said}`);
                    await assert.rejects(provider.create(inputs()), expected);
                    await assert.rejects(provider.read(`${kind}/${inputs().name}`, outputs(inputs())), expected);
                    assert.deepStrictEqual(sent(), [
                        ["GET", at, undefined],
                        ["GET", at, undefined],
                    ]);
                });
            }
            it(`${kind}: a GET whose body is cut short fails create and read, without the VPC hint, and writes nothing`, async () => {
                server.on("GET", at, { status: 200, body: { acknowledged: true, padding: "x".repeat(100) }, cut: 10 });
                const expected = apiError(`OpenSearch ${kind} '${inputs().name}' on ${endpoint}: the answer to GET ${at} was cut short after 10 bytes (ECONNRESET).`);
                await assert.rejects(provider.create(inputs()), expected);
                await assert.rejects(provider.read(`${kind}/${inputs().name}`, outputs(inputs())), expected);
                assert.deepStrictEqual(server.requests.map((r) => r.method), ["GET", "GET"]);
            });
        }

        it("index-template: a live template answered as {} is not overwritten", async () => {
            server.on("GET", "/_index_template/orders", { status: 200, body: {} });
            server.on("PUT", "/_index_template/orders", { status: 200, body: { acknowledged: true } });
            server.on("PUT", "/_index_template/orders?create=true", { status: 200, body: { acknowledged: true } });
            await assert.rejects(provider.create(template()), { name: "OpenSearchApiError", code: "unreadable", status: 200 });
            assert.deepStrictEqual(server.requests.map((r) => r.method), ["GET"]);
        });

        it("notification-channel: a channel answered without its config is not posted again", async () => {
            const at = "/_plugins/_notifications/configs/alerts";
            server.on("GET", at, { status: 200, body: { config_list: [{ config_id: "alerts" }], total_hits: 1 } });
            server.on("POST", "/_plugins/_notifications/configs", { status: 200, body: { config_id: "alerts" } });
            await assert.rejects(
                provider.create(channel()),
                apiError(`OpenSearch notification-channel 'alerts' on ${endpoint}: GET ${at} answered 200 with JSON that does not hold it ({"config_list":[{"config_id":"alerts"}],"total_hits":1}); ${UNREADABLE}`),
            );
            assert.deepStrictEqual(server.requests.map((r) => r.method), ["GET"]);
        });

        it("snapshot-policy: an update does not PUT without the sequence number it must send", async () => {
            const at = "/_plugins/_sm/policies/continuity-daily";
            const { _seq_no, ...answer } = policyAnswer();
            server.on("GET", at, { status: 200, body: answer });
            await assert.rejects(provider.update("x", outputs(policy()), policy({ body: { ...policyBody(), enabled: false } })), { name: "OpenSearchApiError", code: "unreadable" });
            assert.deepStrictEqual(server.requests.map((r) => r.method), ["GET"]);
        });

        it("takes a DELETE's 404 as done only when OpenSearch says so", async () => {
            server.on("DELETE", "/_index_template/orders", { status: 404, body: "<html><body>404 Not Found</body></html>" });
            await assert.rejects(
                provider.delete("index-template/orders", outputs(template())),
                apiError(
                    `OpenSearch index-template 'orders' on ${endpoint}: DELETE /_index_template/orders answered 404: <html><body>404 Not Found</body></html> ` +
                        "That is not OpenSearch's answer for a missing object, so whether it exists cannot be told; nothing was changed.",
                ),
            );
        });
    });

    describe("transport: https only, bounded answers, no secret in a message", () => {
        const HTTPS_ONLY =
            "endpoint must start with https://: every request carries a SigV4 signature (and a session token, with temporary credentials), which must not travel in clear text";

        it("refuses an http:// endpoint in every method, sending nothing, and in check()", async () => {
            const plain = endpoint.replace("https://", "http://");
            const inputs = repository({ endpoint: plain });
            const expected = apiError(`OpenSearch snapshot-repository 'continuity-snapshots': ${HTTPS_ONLY}; found "${plain}".`);
            await assert.rejects(provider.create(inputs), expected);
            await assert.rejects(provider.read("x", outputs(inputs)), expected);
            await assert.rejects(provider.update("x", outputs(inputs), { ...inputs, body: { ...repositoryBody(), settings: { ...repositoryBody().settings, base_path: "p" } } }), expected);
            await assert.rejects(provider.delete("x", outputs(inputs)), expected);
            assert.deepStrictEqual(server.requests, []);
            assert.deepStrictEqual((await provider.check({} as never, inputs)).failures, [{ property: "endpoint", reason: `${HTTPS_ONLY}; found "${plain}".` }]);
        });

        it("refuses a user name or password in the endpoint without showing the password", async () => {
            const withUser = endpoint.replace("https://", "https://deployer:hunter2-password@");
            const shown = endpoint.replace("https://", "https://***@");
            const reason = `endpoint must not hold a user name or password: requests are signed with AWS credentials, and a URL shows in logs and in the stack's state; found "${shown}".`;
            const inputs = repository({ endpoint: withUser });
            assert.deepStrictEqual((await provider.check({} as never, inputs)).failures, [{ property: "endpoint", reason }]);
            await assert.rejects(provider.create(inputs), apiError(`OpenSearch snapshot-repository 'continuity-snapshots': ${reason}`));
            await assert.rejects(provider.delete("x", outputs(inputs)), apiError(`OpenSearch snapshot-repository 'continuity-snapshots': ${reason}`));
            const bad = (await provider.check({} as never, repository({ endpoint: "http://u:hunter2-password@search-x.es.amazonaws.com/" }))).failures!;
            assert.deepStrictEqual(bad, [{ property: "endpoint", reason: `${HTTPS_ONLY}; found "http://***@search-x.es.amazonaws.com/".` }]);
            assert.deepStrictEqual(server.requests, []);
        });

        it("stops reading an answer past maxResponseBytes, announced or streamed, with a named error", async () => {
            const small = new OpenSearchProvider({ credentials: async () => CREDENTIALS, maxResponseBytes: 1000, ca: TEST_CA });
            const big = { ...repositoryAnswer(), padding: "x".repeat(200_000) };
            const expected = apiError(
                `OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint}: GET /_snapshot/continuity-snapshots answered 200 with a body of more than 1000 bytes, more than the provider reads; nothing was changed on its account.`,
            );
            server.on("GET", "/_snapshot/continuity-snapshots", { status: 200, body: big });
            await assert.rejects(small.create(repository()), expected);
            server.on("GET", "/_snapshot/continuity-snapshots", { status: 200, body: big, chunked: true });
            await assert.rejects(small.read("x", outputs(repository())), expected);
            assert.deepStrictEqual(server.requests.map((r) => r.method), ["GET", "GET"]);
        });

        it("reads at most 1 MiB by default", async () => {
            server.on("GET", "/_index_template/orders", { status: 200, body: { ...templateAnswer(), padding: "x".repeat(1_100_000) }, chunked: true });
            const error = await provider.read("x", outputs(template())).then(
                () => assert.fail("read succeeded"),
                (e: unknown) => e as OpenSearchApiError,
            );
            assert.deepStrictEqual([error.code, error.status], ["too-large", 200]);
            assert.match(error.message, /answered 200 with a body of more than 1048576 bytes/);
        });

        it("cuts a long error reason", async () => {
            const reason = `failed to parse: ${"y".repeat(5000)}`;
            server.on("GET", "/_index_template/orders", notFound("resource_not_found_exception", "not found"));
            server.on("PUT", "/_index_template/orders?create=true", { status: 400, body: { error: { type: "mapper_parsing_exception", reason }, status: 400 } });
            await assert.rejects(
                provider.create(template()),
                apiError(
                    `OpenSearch index-template 'orders' on ${endpoint}: PUT /_index_template/orders?create=true answered 400 mapper_parsing_exception: ` +
                        `${reason.slice(0, 300)}… (cut; ${reason.length} characters in all)`,
                ),
            );
        });

        it("never copies credentials or the signature into a message, even when a proxy echoes the request", async () => {
            const session = { ...CREDENTIALS, sessionToken: "session-token-test-0123456789" };
            const withToken = new OpenSearchProvider({ credentials: async () => session, ca: TEST_CA });
            const echo = (r: RecordedRequest) => `<html><body>Bad request. authorization: ${r.headers.authorization} x-amz-security-token: ${r.headers["x-amz-security-token"]}</body></html>`;
            server.on("GET", "/_snapshot/continuity-snapshots", { status: 400, body: echo });
            const error = await withToken.read("x", outputs(repository())).then(
                () => assert.fail("read succeeded"),
                (e: unknown) => e as OpenSearchApiError,
            );
            const auth = String(server.requests[0].headers.authorization);
            const signature = auth.slice(auth.indexOf("Signature=") + "Signature=".length);
            const date = String(server.requests[0].headers["x-amz-date"]).slice(0, 8);
            assert.strictEqual(
                error.message,
                `OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint}: GET /_snapshot/continuity-snapshots answered 400: <html><body>Bad request. authorization: ` +
                    `AWS4-HMAC-SHA256 Credential=[redacted]/${date}/${REGION}/es/aws4_request, SignedHeaders=content-type;host;x-amz-content-sha256;x-amz-date;x-amz-security-token, ` +
                    "Signature=[redacted] x-amz-security-token: [redacted]</body></html>",
            );
            const everything = JSON.stringify({ ...error, message: error.message });
            for (const secret of [session.sessionToken, session.accessKeyId, signature]) assert.ok(!everything.includes(secret), `the error shows ${secret}`);
        });

        it("waits as long as Retry-After asks before retrying", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", { status: 429, headers: { "retry-after": "1" }, body: { error: { type: "too_many_requests", reason: "slow down" }, status: 429 } }, {
                status: 200,
                body: repositoryAnswer(),
            });
            const started = Date.now();
            assert.deepStrictEqual(await provider.read("x", outputs(repository())), { id: "x", props: outputs(repository()) });
            assert.ok(Date.now() - started >= 950, `retried after ${Date.now() - started} ms`);
            assert.strictEqual(server.requests.length, 2);
        });

        it("stops at once when Retry-After asks for longer than maxRetryAfterMs, and says so", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", { status: 503, headers: { "retry-after": "120" }, body: { Message: "Service Unavailable" } });
            const started = Date.now();
            await assert.rejects(
                provider.read("x", outputs(repository())),
                apiError(
                    `OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint}: GET /_snapshot/continuity-snapshots answered 503: Service Unavailable ` +
                        "It asked to be retried after 120 s, longer than the provider waits (60 s): run the deployment again later.",
                ),
            );
            assert.ok(Date.now() - started < 2000);
            assert.strictEqual(server.requests.length, 1);
        });

        it("says TLS, not VPC, when the connection was made but its certificate is not trusted", async () => {
            const strict = new OpenSearchProvider({ credentials: async () => CREDENTIALS });
            await assert.rejects(
                strict.read("x", outputs(repository())),
                apiError(`OpenSearch snapshot-repository 'continuity-snapshots': no TLS connection with ${endpoint} (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate).`),
            );
            assert.deepStrictEqual(server.requests, []);
        });
    });

    describe("the resources under Pulumi's mocks, and the serialized provider", () => {
        const TYPES = {
            repository: "pulumi-nodejs:dynamic/opensearch:SnapshotRepository",
            policy: "pulumi-nodejs:dynamic/opensearch:SnapshotPolicy",
            template: "pulumi-nodejs:dynamic/opensearch:IndexTemplate",
            channel: "pulumi-nodejs:dynamic/opensearch:NotificationChannel",
        };
        const CHANNEL = { name: "alerts", config_type: "sns" as const, sns: { topic_arn: "arn:aws:sns:eu-west-1:123456789012:alerts", role_arn: ROLE } };
        let run: Awaited<ReturnType<typeof runProgram>>;
        const one = (type: string) => run.resources.find((r) => r.type === type)!;

        before(async () => {
            run = await runProgram({
                project: "continuity",
                stack: "unit",
                config: {},
                preview: false,
                program: () => {
                    const endpoint = "https://search-continuity-production-0123.eu-west-1.es.amazonaws.com";
                    const repo = new SnapshotRepository("repo", { endpoint, region: REGION, name: "continuity-snapshots", body: repositoryBody() });
                    const sm = new SnapshotPolicy("policy", { endpoint, region: REGION, name: "continuity-daily", body: policyBody() }, { dependsOn: [repo] });
                    const tpl = new IndexTemplate("template", { endpoint, region: REGION, name: "orders", body: templateBody() });
                    new NotificationChannel("channel", { endpoint, region: REGION, name: "alerts", body: CHANNEL });
                    return { repoName: repo.name, policyKind: sm.kind, templateBody: tpl.body };
                },
            });
        });

        it("registers the four resource types with their kind, name, endpoint, region and body", () => {
            const props = (type: string) => {
                const { __provider, ...rest } = one(type).properties;
                return rest;
            };
            const endpoint = "https://search-continuity-production-0123.eu-west-1.es.amazonaws.com";
            assert.deepStrictEqual(props(TYPES.repository), { endpoint, region: REGION, kind: "snapshot-repository", name: "continuity-snapshots", body: repositoryBody() });
            assert.deepStrictEqual(props(TYPES.policy), { endpoint, region: REGION, kind: "snapshot-policy", name: "continuity-daily", body: policyBody() });
            assert.deepStrictEqual(props(TYPES.template), { endpoint, region: REGION, kind: "index-template", name: "orders", body: templateBody() });
            assert.deepStrictEqual(props(TYPES.channel), { endpoint, region: REGION, kind: "notification-channel", name: "alerts", body: CHANNEL });
            assert.deepStrictEqual(
                // Sorted: registrations complete in no fixed order (the policy waits for the repository).
                run.resources
                    .filter((r) => r.custom)
                    .map((r) => [r.type, r.name])
                    .sort(),
                [
                    [TYPES.template, "template"],
                    [TYPES.channel, "channel"],
                    [TYPES.policy, "policy"],
                    [TYPES.repository, "repo"],
                ],
            );
            assert.deepStrictEqual(run.outputs, { repoName: "continuity-snapshots", policyKind: "snapshot-policy", templateBody: templateBody() });
        });

        it("ships one small provider text, not secret, requiring its SDK modules and no local file", () => {
            const texts = new Set(Object.values(TYPES).map((t) => one(t).properties.__provider));
            assert.strictEqual(texts.size, 1);
            const text = [...texts][0];
            // A secret would arrive as the engine's secret wrapper, not as a string.
            assert.strictEqual(typeof text, "string");
            const source = text as string;
            // Measured 31.7 kB (ROUTES' per-kind functions come to 1.5 kB); a helper dragging in a module by value would multiply it.
            assert.ok(source.length > 20_000 && source.length < 40_000, `serialized provider is ${source.length} characters`);
            assert.match(source, /^exports\.handler = __f0;/);
            assert.match(source, /require\("@smithy\/signature-v4[^"]*"\)/);
            assert.match(source, /require\("@smithy\/hash-node[^"]*"\)/);
            assert.ok(!source.includes("@pulumi/"), "the provider text refers to a @pulumi package");
            const paths = [ROOT, os.homedir(), os.tmpdir()].filter((p) => p.length > 1);
            for (const forbidden of [CREDENTIALS.secretAccessKey, "node_modules/", ...paths]) {
                assert.ok(!source.includes(forbidden), `the provider text contains ${forbidden}`);
            }
        });

        it("runs a create when loaded as the dynamic provider host loads it, signing with the default credential chain", async () => {
            const env = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_EC2_METADATA_DISABLED"] as const;
            const saved = Object.fromEntries(env.map((k) => [k, process.env[k]]));
            Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "secret-env-key", AWS_EC2_METADATA_DISABLED: "true" });
            // The program's provider takes no options: the stand-in's certificate is trusted through the agent it uses.
            const savedCa = https.globalAgent.options.ca;
            https.globalAgent.options.ca = TEST_CA;
            delete process.env.AWS_SESSION_TOKEN;
            delete process.env.AWS_PROFILE;
            try {
                // As @pulumi/pulumi/cmd/dynamic-provider does: the text is a module whose handler() is the provider.
                const host = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
                const requireFromString = require(require.resolve("require-from-string", { paths: [host] })) as (code: string) => { handler(): OpenSearchProvider };
                const loaded = requireFromString(one(TYPES.template).properties.__provider as string).handler();
                server.on("GET", "/_index_template/orders", notFound("resource_not_found_exception", "not found"));
                server.on("PUT", "/_index_template/orders?create=true", { status: 200, body: { acknowledged: true } });
                assert.deepStrictEqual(await loaded.create(template()), { id: "index-template/orders", outs: outputs(template()) });
                assert.deepStrictEqual(sent(), [
                    ["GET", "/_index_template/orders", undefined],
                    ["PUT", "/_index_template/orders?create=true", templateBody()],
                ]);
                for (const r of server.requests) await assertSigned(r, { accessKeyId: "AKIDENV", secretAccessKey: "secret-env-key" });

                // Its errors keep their message through serialization (a subclass of Error would not).
                const reason = "no permissions for [indices:admin/index_template/get]";
                server.on("GET", "/_index_template/orders", { status: 403, body: { error: { type: "security_exception", reason }, status: 403 } });
                const error = await loaded.read("x", outputs(template())).then(() => assert.fail("read succeeded"), (e: unknown) => e);
                assert.ok(error instanceof OpenSearchApiError);
                assert.ok(error instanceof Error);
                assert.strictEqual(String(error), `OpenSearchApiError: OpenSearch index-template 'orders' on ${endpoint}: GET /_index_template/orders answered 403 security_exception: ${reason}`);
                assert.deepStrictEqual([error.status, error.type, error.reason], [403, "security_exception", reason]);
            } finally {
                https.globalAgent.options.ca = savedCa;
                for (const k of env) {
                    if (saved[k] === undefined) delete process.env[k];
                    else process.env[k] = saved[k];
                }
            }
        });

        it("creates and updates a notification channel when loaded that way: ROUTES' functions travel with the text", async () => {
            const env = ["AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "AWS_PROFILE", "AWS_EC2_METADATA_DISABLED"] as const;
            const saved = Object.fromEntries(env.map((k) => [k, process.env[k]]));
            Object.assign(process.env, { AWS_ACCESS_KEY_ID: "AKIDENV", AWS_SECRET_ACCESS_KEY: "secret-env-key", AWS_EC2_METADATA_DISABLED: "true" });
            // The program's provider takes no options: the stand-in's certificate is trusted through the agent it uses.
            const savedCa = https.globalAgent.options.ca;
            https.globalAgent.options.ca = TEST_CA;
            delete process.env.AWS_SESSION_TOKEN;
            delete process.env.AWS_PROFILE;
            try {
                const host = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
                const requireFromString = require(require.resolve("require-from-string", { paths: [host] })) as (code: string) => { handler(): OpenSearchProvider };
                const loaded = requireFromString(one(TYPES.channel).properties.__provider as string).handler();
                const collection = "/_plugins/_notifications/configs";
                const inputs: OpenSearchObjectInputs = { endpoint, region: REGION, kind: "notification-channel", name: "alerts", body: CHANNEL };
                server.on("GET", `${collection}/alerts`, notFound("status_exception", "NotificationConfig alerts not found"));
                server.on("POST", collection, { status: 200, body: { config_id: "alerts" } });
                assert.deepStrictEqual(await loaded.create(inputs), { id: "notification-channel/alerts", outs: outputs(inputs) });
                const news = { ...inputs, body: { ...CHANNEL, is_enabled: false } };
                server.on("PUT", `${collection}/alerts`, { status: 200, body: { config_id: "alerts" } });
                assert.deepStrictEqual(await loaded.update("notification-channel/alerts", outputs(inputs), news), { outs: outputs(news) });
                assert.deepStrictEqual(sent(), [
                    ["GET", `${collection}/alerts`, undefined],
                    ["POST", collection, { config_id: "alerts", config: CHANNEL }],
                    ["PUT", `${collection}/alerts`, { config: news.body }],
                ]);
                for (const r of server.requests) await assertSigned(r, { accessKeyId: "AKIDENV", secretAccessKey: "secret-env-key" });
            } finally {
                https.globalAgent.options.ca = savedCa;
                for (const k of env) {
                    if (saved[k] === undefined) delete process.env[k];
                    else process.env[k] = saved[k];
                }
            }
        });
    });
});
