import * as assert from "assert";
import * as https from "https";
import * as os from "os";
import * as path from "path";
import {
    IndexTemplate,
    NotificationChannel,
    OpenSearchObjectInputs,
    OpenSearchApiError,
    OpenSearchProvider,
    SnapshotPolicy,
    SnapshotRepository,
} from "../../../infra/providers/opensearch";
import { runProgram } from "../../../tools/check/engine";
import { RecordedRequest, TEST_CA } from "../../helpers/opensearch-server";
import {
    ROOT,
    REGION,
    CREDENTIALS,
    ROLE,
    repositoryBody,
    repositoryAnswer,
    policyBody,
    templateBody,
    templateAnswer,
    notFound,
    server,
    endpoint,
    provider,
    repository,
    template,
    outputs,
    sent,
    apiError,
    assertSigned,
    serveFakeOpenSearch,
} from "./fixtures";

describe("OpenSearch dynamic provider (infra/providers/opensearch.ts)", () => {
    serveFakeOpenSearch();

    describe("transport: https only, bounded answers, no secret in a message", () => {
        const HTTPS_ONLY =
            "endpoint must start with https://: every request carries a SigV4 signature (and a session token, with temporary credentials), which must not travel in clear text";

        it("refuses an http:// endpoint in every method, sending nothing, and in check()", async () => {
            const plain = endpoint.replace("https://", "http://");
            const inputs = repository({ endpoint: plain });
            const expected = apiError(`OpenSearch snapshot-repository 'continuity-snapshots': ${HTTPS_ONLY}; found "${plain}".`);
            await assert.rejects(provider.create(inputs), expected);
            await assert.rejects(provider.read("x", outputs(inputs)), expected);
            await assert.rejects(
                provider.update("x", outputs(inputs), {
                    ...inputs,
                    body: { ...repositoryBody(), settings: { ...repositoryBody().settings, base_path: "p" } },
                }),
                expected,
            );
            await assert.rejects(provider.delete("x", outputs(inputs)), expected);
            assert.deepStrictEqual(server.requests, []);
            assert.deepStrictEqual((await provider.check({} as never, inputs)).failures, [
                { property: "endpoint", reason: `${HTTPS_ONLY}; found "${plain}".` },
            ]);
        });

        it("refuses a user name or password in the endpoint without showing the password", async () => {
            const withUser = endpoint.replace("https://", "https://deployer:hunter2-password@");
            const shown = endpoint.replace("https://", "https://***@");
            const reason = `endpoint must not hold a user name or password: requests are signed with AWS credentials, and a URL shows in logs and in the stack's state; found "${shown}".`;
            const inputs = repository({ endpoint: withUser });
            assert.deepStrictEqual((await provider.check({} as never, inputs)).failures, [{ property: "endpoint", reason }]);
            await assert.rejects(provider.create(inputs), apiError(`OpenSearch snapshot-repository 'continuity-snapshots': ${reason}`));
            await assert.rejects(
                provider.delete("x", outputs(inputs)),
                apiError(`OpenSearch snapshot-repository 'continuity-snapshots': ${reason}`),
            );
            const bad = (
                await provider.check({} as never, repository({ endpoint: "http://u:hunter2-password@search-x.es.amazonaws.com/" }))
            ).failures!;
            assert.deepStrictEqual(bad, [
                { property: "endpoint", reason: `${HTTPS_ONLY}; found "http://***@search-x.es.amazonaws.com/".` },
            ]);
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
            assert.deepStrictEqual(
                server.requests.map((r) => r.method),
                ["GET", "GET"],
            );
        });

        it("reads at most 1 MiB by default", async () => {
            server.on("GET", "/_index_template/orders", {
                status: 200,
                body: { ...templateAnswer(), padding: "x".repeat(1_100_000) },
                chunked: true,
            });
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
            server.on("PUT", "/_index_template/orders?create=true", {
                status: 400,
                body: { error: { type: "mapper_parsing_exception", reason }, status: 400 },
            });
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
            const echo = (r: RecordedRequest) =>
                `<html><body>Bad request. authorization: ${r.headers.authorization} x-amz-security-token: ${r.headers["x-amz-security-token"]}</body></html>`;
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
            for (const secret of [session.sessionToken, session.accessKeyId, signature])
                assert.ok(!everything.includes(secret), `the error shows ${secret}`);
        });

        it("waits as long as Retry-After asks before retrying", async () => {
            server.on(
                "GET",
                "/_snapshot/continuity-snapshots",
                {
                    status: 429,
                    headers: { "retry-after": "1" },
                    body: { error: { type: "too_many_requests", reason: "slow down" }, status: 429 },
                },
                {
                    status: 200,
                    body: repositoryAnswer(),
                },
            );
            const started = Date.now();
            assert.deepStrictEqual(await provider.read("x", outputs(repository())), { id: "x", props: outputs(repository()) });
            assert.ok(Date.now() - started >= 950, `retried after ${Date.now() - started} ms`);
            assert.strictEqual(server.requests.length, 2);
        });

        it("stops at once when Retry-After asks for longer than maxRetryAfterMs, and says so", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", {
                status: 503,
                headers: { "retry-after": "120" },
                body: { Message: "Service Unavailable" },
            });
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
                apiError(
                    `OpenSearch snapshot-repository 'continuity-snapshots': no TLS connection with ${endpoint} (DEPTH_ZERO_SELF_SIGNED_CERT: self-signed certificate).`,
                ),
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
        const CHANNEL = {
            name: "alerts",
            config_type: "sns" as const,
            sns: { topic_arn: "arn:aws:sns:eu-west-1:123456789012:alerts", role_arn: ROLE },
        };
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
                    const repo = new SnapshotRepository("repo", {
                        endpoint,
                        region: REGION,
                        name: "continuity-snapshots",
                        body: repositoryBody(),
                    });
                    const sm = new SnapshotPolicy(
                        "policy",
                        { endpoint, region: REGION, name: "continuity-daily", body: policyBody() },
                        { dependsOn: [repo] },
                    );
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
            assert.deepStrictEqual(props(TYPES.repository), {
                endpoint,
                region: REGION,
                kind: "snapshot-repository",
                name: "continuity-snapshots",
                body: repositoryBody(),
            });
            assert.deepStrictEqual(props(TYPES.policy), {
                endpoint,
                region: REGION,
                kind: "snapshot-policy",
                name: "continuity-daily",
                body: policyBody(),
            });
            assert.deepStrictEqual(props(TYPES.template), {
                endpoint,
                region: REGION,
                kind: "index-template",
                name: "orders",
                body: templateBody(),
            });
            assert.deepStrictEqual(props(TYPES.channel), {
                endpoint,
                region: REGION,
                kind: "notification-channel",
                name: "alerts",
                body: CHANNEL,
            });
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
            assert.deepStrictEqual(run.outputs, {
                repoName: "continuity-snapshots",
                policyKind: "snapshot-policy",
                templateBody: templateBody(),
            });
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
            const env = [
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "AWS_PROFILE",
                "AWS_EC2_METADATA_DISABLED",
            ] as const;
            const saved = Object.fromEntries(env.map((k) => [k, process.env[k]]));
            Object.assign(process.env, {
                AWS_ACCESS_KEY_ID: "AKIDENV",
                AWS_SECRET_ACCESS_KEY: "secret-env-key",
                AWS_EC2_METADATA_DISABLED: "true",
            });
            // The program's provider takes no options: the stand-in's certificate is trusted through the agent it uses.
            const savedCa = https.globalAgent.options.ca;
            https.globalAgent.options.ca = TEST_CA;
            delete process.env.AWS_SESSION_TOKEN;
            delete process.env.AWS_PROFILE;
            try {
                // As @pulumi/pulumi/cmd/dynamic-provider does: the text is a module whose handler() is the provider.
                const host = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
                const requireFromString = require(require.resolve("require-from-string", { paths: [host] })) as (code: string) => {
                    handler(): OpenSearchProvider;
                };
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
                server.on("GET", "/_index_template/orders", {
                    status: 403,
                    body: { error: { type: "security_exception", reason }, status: 403 },
                });
                const error = await loaded.read("x", outputs(template())).then(
                    () => assert.fail("read succeeded"),
                    (e: unknown) => e,
                );
                assert.ok(error instanceof OpenSearchApiError);
                assert.ok(error instanceof Error);
                assert.strictEqual(
                    String(error),
                    `OpenSearchApiError: OpenSearch index-template 'orders' on ${endpoint}: GET /_index_template/orders answered 403 security_exception: ${reason}`,
                );
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
            const env = [
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_SESSION_TOKEN",
                "AWS_PROFILE",
                "AWS_EC2_METADATA_DISABLED",
            ] as const;
            const saved = Object.fromEntries(env.map((k) => [k, process.env[k]]));
            Object.assign(process.env, {
                AWS_ACCESS_KEY_ID: "AKIDENV",
                AWS_SECRET_ACCESS_KEY: "secret-env-key",
                AWS_EC2_METADATA_DISABLED: "true",
            });
            // The program's provider takes no options: the stand-in's certificate is trusted through the agent it uses.
            const savedCa = https.globalAgent.options.ca;
            https.globalAgent.options.ca = TEST_CA;
            delete process.env.AWS_SESSION_TOKEN;
            delete process.env.AWS_PROFILE;
            try {
                const host = path.dirname(require.resolve("@pulumi/pulumi/package.json"));
                const requireFromString = require(require.resolve("require-from-string", { paths: [host] })) as (code: string) => {
                    handler(): OpenSearchProvider;
                };
                const loaded = requireFromString(one(TYPES.channel).properties.__provider as string).handler();
                const collection = "/_plugins/_notifications/configs";
                const inputs: OpenSearchObjectInputs = {
                    endpoint,
                    region: REGION,
                    kind: "notification-channel",
                    name: "alerts",
                    body: CHANNEL,
                };
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
