import * as assert from "assert";
import * as net from "net";
import { OpenSearchObjectInputs, OpenSearchApiError, OpenSearchProvider } from "../../../infra/providers/opensearch";
import { TEST_CA } from "../../helpers/opensearch-server";
import {
    REGION,
    CREDENTIALS,
    VPC_HINT,
    ROLE,
    policyBody,
    policyAnswer,
    templateBody,
    notFound,
    server,
    endpoint,
    provider,
    repository,
    policy,
    template,
    outputs,
    sent,
    apiError,
    assertSigned,
    serveFakeOpenSearch,
} from "./fixtures";

describe("OpenSearch dynamic provider (infra/providers/opensearch.ts)", () => {
    serveFakeOpenSearch();

    describe("signing and errors", () => {
        it("signs every request with SigV4 for service es in the domain's region", async () => {
            server.on("GET", "/_plugins/_sm/policies/continuity-daily", { status: 200, body: policyAnswer() });
            server.on("PUT", "/_plugins/_sm/policies/continuity-daily?if_seq_no=7&if_primary_term=2", { status: 200, body: {} });
            server.on("DELETE", "/_plugins/_sm/policies/continuity-daily", { status: 200, body: {} });
            await provider.update("x", outputs(policy()), policy({ body: { ...policyBody(), enabled: false } }));
            await provider.delete("x", outputs(policy()));
            assert.deepStrictEqual(
                server.requests.map((r) => r.method),
                ["GET", "PUT", "DELETE"],
            );
            for (const r of server.requests) await assertSigned(r);
        });

        it("encodes the name in the path and signs the encoded path", async () => {
            server.on("GET", "/_index_template/orders%20%C3%A9t%C3%A9", notFound("resource_not_found_exception", "not found"));
            server.on("PUT", "/_index_template/orders%20%C3%A9t%C3%A9?create=true", { status: 200, body: { acknowledged: true } });
            await provider.create(template({ name: "orders été" }));
            assert.deepStrictEqual(
                server.requests.map((r) => r.path),
                ["/_index_template/orders%20%C3%A9t%C3%A9", "/_index_template/orders%20%C3%A9t%C3%A9?create=true"],
            );
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
                apiError(
                    `OpenSearch snapshot-repository 'continuity-snapshots': could not sign the request to ${endpoint} with AWS credentials (Could not load credentials from any providers).`,
                ),
            );
            assert.deepStrictEqual(server.requests, []);
        });

        it("reports a 400 with the API's error type and reason", async () => {
            const reason = "[continuity-snapshots] Could not determine repository generation from root blobs";
            server.on("GET", "/_snapshot/continuity-snapshots", notFound("repository_missing_exception", "[continuity-snapshots] missing"));
            server.on("PUT", "/_snapshot/continuity-snapshots", {
                status: 400,
                body: {
                    error: { root_cause: [{ type: "repository_exception", reason }], type: "repository_exception", reason },
                    status: 400,
                },
            });
            await assert.rejects(
                provider.create(repository()),
                apiError(
                    `OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint}: PUT /_snapshot/continuity-snapshots answered 400 repository_exception: ${reason}`,
                ),
            );
        });

        it("reports a 403 of the security plugin", async () => {
            const reason =
                "no permissions for [cluster:admin/repository/put] and User [name=arn:aws:iam::123456789012:role/deployer, backend_roles=[], requestedTenant=null]";
            server.on("GET", "/_snapshot/continuity-snapshots", notFound("repository_missing_exception", "[continuity-snapshots] missing"));
            server.on("PUT", "/_snapshot/continuity-snapshots", {
                status: 403,
                body: { error: { root_cause: [{ type: "security_exception", reason }], type: "security_exception", reason }, status: 403 },
            });
            await assert.rejects(
                provider.create(repository()),
                apiError(
                    `OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint}: PUT /_snapshot/continuity-snapshots answered 403 security_exception: ${reason}`,
                ),
            );
        });

        it("reports a 403 of the AWS gateway (Message, x-amzn-errortype), without leaking credentials", async () => {
            const message =
                "User: arn:aws:sts::123456789012:assumed-role/deployer/ci is not authorized to perform: es:ESHttpGet because no identity-based policy allows the es:ESHttpGet action";
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
            assert.strictEqual(
                error.message,
                `OpenSearch snapshot-repository 'continuity-snapshots' on ${endpoint}: GET /_snapshot/continuity-snapshots answered 403 AccessDeniedException: ${message}`,
            );
            assert.deepStrictEqual([error.status, error.type, error.reason], [403, "AccessDeniedException", message]);
            assert.ok(!JSON.stringify({ ...error, message: error.message, stack: error.stack }).includes(CREDENTIALS.secretAccessKey));
        });

        it("reports a 404 on an update, with an error given as a plain string", async () => {
            server.on("PUT", "/_index_template/orders", {
                status: 404,
                body: { error: "no handler found for uri [/_index_template/orders] and method [PUT]" },
            });
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
            assert.deepStrictEqual(
                server.requests.map((r) => r.method),
                ["GET", "PUT", "PUT", "PUT"],
            );
        });

        it("gives up after the configured retries and reports the last answer", async () => {
            const twice = new OpenSearchProvider({ credentials: async () => CREDENTIALS, retries: 2, retryDelayMs: 1, ca: TEST_CA });
            server.on("GET", "/_index_template/orders", {
                status: 429,
                body: {
                    error: { type: "rejected_execution_exception", reason: "rejected execution of coordinating operation" },
                    status: 429,
                },
            });
            await assert.rejects(
                twice.read("x", outputs(template())),
                apiError(
                    `OpenSearch index-template 'orders' on ${endpoint}: GET /_index_template/orders answered 429 rejected_execution_exception: rejected execution of coordinating operation`,
                ),
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
                apiError(
                    `OpenSearch snapshot-repository 'continuity-snapshots': could not reach https://127.0.0.1:${port} (ECONNREFUSED). ${VPC_HINT}`,
                ),
            );
        });

        it("gives up on a domain that does not answer within the timeout, without the VPC hint: the connection was made", async () => {
            server.on("GET", "/_snapshot/continuity-snapshots", { status: 200, hang: true });
            const impatient = new OpenSearchProvider({ credentials: async () => CREDENTIALS, timeoutMs: 200, ca: TEST_CA });
            const started = Date.now();
            await assert.rejects(
                impatient.read("x", outputs(repository())),
                apiError(
                    `OpenSearch snapshot-repository 'continuity-snapshots': ${endpoint} did not answer GET /_snapshot/continuity-snapshots (no answer within 0.2 s).`,
                ),
            );
            assert.ok(Date.now() - started < 2000);
        });
    });

    describe('answers it cannot read: an error naming the object, never "absent"', () => {
        const UNREADABLE =
            "whether the object exists cannot be told from that, so nothing was changed. Run the deployment again once the domain answers as OpenSearch does.";
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
            [
                "malformed JSON",
                { status: 200, body: '{"index_templates":[{"name":"orders",' },
                `answered 200 with a body that is not JSON ({"index_templates":[{"name":"orders",); ${UNREADABLE}`,
            ],
            [
                "an HTML page",
                { status: 200, body: "<html><body>Sign in to continue</body></html>" },
                `answered 200 with a body that is not JSON (<html><body>Sign in to continue</body></html>); ${UNREADABLE}`,
            ],
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
                const expected = apiError(
                    `OpenSearch ${kind} '${inputs().name}' on ${endpoint}: the answer to GET ${at} was cut short after 10 bytes (ECONNRESET).`,
                );
                await assert.rejects(provider.create(inputs()), expected);
                await assert.rejects(provider.read(`${kind}/${inputs().name}`, outputs(inputs())), expected);
                assert.deepStrictEqual(
                    server.requests.map((r) => r.method),
                    ["GET", "GET"],
                );
            });
        }

        it("index-template: a live template answered as {} is not overwritten", async () => {
            server.on("GET", "/_index_template/orders", { status: 200, body: {} });
            server.on("PUT", "/_index_template/orders", { status: 200, body: { acknowledged: true } });
            server.on("PUT", "/_index_template/orders?create=true", { status: 200, body: { acknowledged: true } });
            await assert.rejects(provider.create(template()), { name: "OpenSearchApiError", code: "unreadable", status: 200 });
            assert.deepStrictEqual(
                server.requests.map((r) => r.method),
                ["GET"],
            );
        });

        it("notification-channel: a channel answered without its config is not posted again", async () => {
            const at = "/_plugins/_notifications/configs/alerts";
            server.on("GET", at, { status: 200, body: { config_list: [{ config_id: "alerts" }], total_hits: 1 } });
            server.on("POST", "/_plugins/_notifications/configs", { status: 200, body: { config_id: "alerts" } });
            await assert.rejects(
                provider.create(channel()),
                apiError(
                    `OpenSearch notification-channel 'alerts' on ${endpoint}: GET ${at} answered 200 with JSON that does not hold it ({"config_list":[{"config_id":"alerts"}],"total_hits":1}); ${UNREADABLE}`,
                ),
            );
            assert.deepStrictEqual(
                server.requests.map((r) => r.method),
                ["GET"],
            );
        });

        it("snapshot-policy: an update does not PUT without the sequence number it must send", async () => {
            const at = "/_plugins/_sm/policies/continuity-daily";
            const { _seq_no, ...answer } = policyAnswer();
            server.on("GET", at, { status: 200, body: answer });
            await assert.rejects(provider.update("x", outputs(policy()), policy({ body: { ...policyBody(), enabled: false } })), {
                name: "OpenSearchApiError",
                code: "unreadable",
            });
            assert.deepStrictEqual(
                server.requests.map((r) => r.method),
                ["GET"],
            );
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
});
