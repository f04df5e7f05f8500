import * as assert from "assert";
import { OpenSearchObjectInputs } from "../../../infra/providers/opensearch";
import {
    REGION,
    UNKNOWN,
    repositoryBody,
    templateBody,
    templateAnswer,
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
            server.on("PUT", `${at}?create=true`, {
                status: 400,
                body: {
                    error: { root_cause: [{ type: "illegal_argument_exception", reason }], type: "illegal_argument_exception", reason },
                    status: 400,
                },
            });
            await assert.rejects(
                provider.create(template()),
                apiError(
                    `OpenSearch index-template 'orders' on ${endpoint}: PUT ${at}?create=true answered 400 illegal_argument_exception: ${reason}`,
                ),
            );
        });

        it("adopts an identical template: flat settings match the domain's nested index.* strings", async () => {
            server.on("GET", at, { status: 200, body: templateAnswer() });
            assert.deepStrictEqual(await provider.create(template()), { id: "index-template/orders", outs: outputs(template(), true) });
            assert.deepStrictEqual(sent(), [["GET", at, undefined]]);
        });

        it("also matches settings given nested or dotted", async () => {
            server.on("GET", at, { status: 200, body: templateAnswer() });
            const nested = template({
                body: { ...templateBody(), template: { settings: { index: { number_of_shards: 3, number_of_replicas: 1 } } } },
            });
            assert.strictEqual((await provider.create(nested)).outs.adopted, true);
            const dotted = template({
                body: { ...templateBody(), template: { settings: { "index.number_of_shards": 3, number_of_replicas: 1 } } },
            });
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
            assert.deepStrictEqual(await provider.read("index-template/orders", outputs(template())), {
                id: "index-template/orders",
                props: outputs(template()),
            });

            server.on("GET", at, { status: 200, body: templateAnswer("2") });
            const read = await provider.read("index-template/orders", outputs(template()));
            assert.deepStrictEqual(read.props.body, {
                index_patterns: ["orders-*"],
                priority: 100,
                template: { settings: { number_of_shards: 3, number_of_replicas: 2 } },
            });
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, template()), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it('reads a template as gone only on OpenSearch\'s 404; a 200 that does not list it is an error, not "gone"', async () => {
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
            assert.deepStrictEqual(await provider.create(channel()), {
                id: "notification-channel/continuity-production-alerts",
                outs: outputs(channel()),
            });
            assert.deepStrictEqual(sent(), [
                ["GET", at, undefined],
                ["POST", collection, { config_id: "continuity-production-alerts", config: channelBody() }],
            ]);
            for (const r of server.requests) await assertSigned(r);
        });

        it("adopts an identical channel without writing, ignoring the plugin's timestamps", async () => {
            server.on("GET", at, { status: 200, body: channelAnswer() });
            assert.deepStrictEqual(await provider.create(channel()), {
                id: "notification-channel/continuity-production-alerts",
                outs: outputs(channel(), true),
            });
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
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, channel()), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
            server.on("GET", at, notFound("status_exception", "NotificationConfig continuity-production-alerts not found"));
            assert.deepStrictEqual(await provider.read("notification-channel/continuity-production-alerts", outputs(channel())), {});
        });

        it('reads an unchanged channel as its inputs: the plugin\'s defaults (description "", is_enabled true) are no drift', async () => {
            const { description, is_enabled, ...bare } = channelBody();
            server.on("GET", at, {
                status: 200,
                body: {
                    ...channelAnswer(),
                    config_list: [{ ...channelAnswer().config_list[0], config: { ...bare, description: "", is_enabled: true } }],
                },
            });
            const state = outputs(channel({ body: bare }), true);
            const read = await provider.read("notification-channel/continuity-production-alerts", state);
            assert.deepStrictEqual(read, { id: "notification-channel/continuity-production-alerts", props: state });
            assert.deepStrictEqual(await provider.diff(read.id!, read.props, channel({ body: bare })), {
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("fails a create when a channel of that id appeared since it looked (409), naming the POST", async () => {
            const reason = "[continuity-production-alerts]: version conflict, document already exists (current version [1])";
            server.on("GET", at, notFound("status_exception", "NotificationConfig continuity-production-alerts not found"));
            server.on("POST", collection, {
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
                provider.create(channel()),
                apiError(
                    `OpenSearch notification-channel 'continuity-production-alerts' on ${endpoint}: POST ${collection} answered 409 version_conflict_engine_exception: ${reason}`,
                ),
            );
        });

        it("updates with PUT of the body wrapped in config", async () => {
            server.on("PUT", at, { status: 200, body: { config_id: "continuity-production-alerts" } });
            const news = channel({ body: { ...channelBody(), is_enabled: false } });
            assert.deepStrictEqual(await provider.update("notification-channel/continuity-production-alerts", outputs(channel()), news), {
                outs: outputs(news),
            });
            assert.deepStrictEqual(sent(), [["PUT", at, { config: news.body }]]);
        });

        it("fails an update of a channel deleted outside the stack (404), saying how to recover", async () => {
            server.on("PUT", at, notFound("status_exception", "NotificationConfig continuity-production-alerts not found"));
            await assert.rejects(
                provider.update(
                    "notification-channel/continuity-production-alerts",
                    outputs(channel()),
                    channel({ body: { ...channelBody(), is_enabled: false } }),
                ),
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
                {
                    property: "kind",
                    reason: `kind must be one of snapshot-repository, snapshot-policy, index-template, notification-channel; found "snapshot".`,
                },
                { property: "name", reason: `name must be a non-empty string; found " ".` },
                { property: "body", reason: `body must be an object (the REST body OpenSearch takes); found [].` },
            ]);
        });

        it("rejects endpoints that are not a base URL, and a missing one", async () => {
            for (const bad of [
                "ftp://search-x.es.amazonaws.com",
                "https://search-x.es.amazonaws.com/_snapshot",
                "https://search-x.es.amazonaws.com/?x=1",
                undefined,
            ]) {
                const failures = (await provider.check({} as never, repository({ endpoint: bad as never }))).failures!;
                assert.deepStrictEqual(
                    failures.map((f) => [f.property, f.reason.endsWith(`found ${bad === undefined ? "nothing" : JSON.stringify(bad)}.`)]),
                    [["endpoint", true]],
                );
            }
            assert.deepStrictEqual(
                (await provider.check({} as never, repository({ endpoint: "https://search-x.es.amazonaws.com/" }))).failures,
                [],
            );
        });

        it("accepts values unknown at preview (a new domain's endpoint)", async () => {
            const news = repository({ endpoint: UNKNOWN, name: UNKNOWN, body: UNKNOWN as never });
            assert.deepStrictEqual(await provider.check({} as never, news), { inputs: news, failures: [] });
        });
    });

    describe("diff", () => {
        it("sees no change between equal bodies, whatever the scalars' types", async () => {
            const olds = outputs(
                template({ body: { ...templateBody(), template: { settings: { number_of_shards: "3", number_of_replicas: "1" } } } }),
            );
            assert.deepStrictEqual(await provider.diff("index-template/orders", olds, template()), {
                changes: false,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("updates in place on a body or region change", async () => {
            const body = { ...repositoryBody(), settings: { ...repositoryBody().settings, base_path: "p" } };
            assert.deepStrictEqual(await provider.diff("x", outputs(repository()), repository({ body })), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
            assert.deepStrictEqual(await provider.diff("x", outputs(repository()), repository({ region: "eu-central-1" })), {
                changes: true,
                replaces: [],
                deleteBeforeReplace: false,
            });
        });

        it("replaces on another name, endpoint or kind, creating the new one first", async () => {
            const olds = outputs(policy());
            assert.deepStrictEqual(await provider.diff("x", olds, policy({ name: "continuity-hourly" })), {
                changes: true,
                replaces: ["name"],
                deleteBeforeReplace: false,
            });
            assert.deepStrictEqual(await provider.diff("x", olds, policy({ endpoint: "https://search-y.eu-west-1.es.amazonaws.com" })), {
                changes: true,
                replaces: ["endpoint"],
                deleteBeforeReplace: false,
            });
            assert.deepStrictEqual(await provider.diff("x", olds, repository({ name: "continuity-daily" })), {
                changes: true,
                replaces: ["kind"],
                deleteBeforeReplace: false,
            });
        });

        it("deletes a renamed index template before creating its successor: the domain refuses two with the same patterns and priority", async () => {
            assert.deepStrictEqual(await provider.diff("x", outputs(template()), template({ name: "orders-v2" })), {
                changes: true,
                replaces: ["name"],
                deleteBeforeReplace: true,
            });
            assert.deepStrictEqual(
                await provider.diff("x", outputs(template()), template({ endpoint: "https://search-y.eu-west-1.es.amazonaws.com" })),
                {
                    changes: true,
                    replaces: ["endpoint"],
                    deleteBeforeReplace: false,
                },
            );
        });

        it("replaces when the endpoint is unknown at preview (the domain itself is being created or replaced)", async () => {
            assert.deepStrictEqual(await provider.diff("x", outputs(repository()), repository({ endpoint: UNKNOWN })), {
                changes: true,
                replaces: ["endpoint"],
                deleteBeforeReplace: false,
            });
        });
    });
});
