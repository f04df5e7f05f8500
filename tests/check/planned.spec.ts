import * as assert from "assert";
import { RecordedResource } from "../../tools/check/engine";
import { computedOutputs, plannedState } from "../../tools/check/planned";
import { analyzerView } from "../../tools/check/wire";
import { ROOT } from "../helpers/program";

const UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9";
const SIG = "4dabf18193072939515e22adb298388d";
const RESOURCE = "5cf8f73096256a8f31e491e813e4eb8e";
const SECRET = "1b47061264138c4ac30d75fd1eb44270";

function record(type: string, properties: Record<string, unknown>, extra: Partial<RecordedResource> = {}): RecordedResource {
    return {
        type,
        name: "x",
        urn: `urn:pulumi:s::p::${type}::x`,
        custom: true,
        properties,
        dependencies: [],
        propertyDependencies: {},
        options: {},
        ...extra,
    };
}

describe("the planned state AnalyzeStack gets (tools/check/planned.ts)", () => {
    it("reads a type's computed outputs from its generated SDK (the /*out*/ marker)", () => {
        assert.deepStrictEqual(computedOutputs("aws:acm/certificate:Certificate", ROOT), [
            "arn",
            "domainValidationOptions",
            "notAfter",
            "notBefore",
            "pendingRenewal",
            "renewalEligibility",
            "renewalSummaries",
            "status",
            "tagsAll",
            "type",
            "validationEmails",
        ]);
        assert.ok(computedOutputs("mongodbatlas:index/advancedCluster:AdvancedCluster", ROOT).includes("clusterId"));
        // A package or module that is not installed: nothing is claimed.
        assert.deepStrictEqual(computedOutputs("acme:widgets/widget:Widget", ROOT), []);
        assert.deepStrictEqual(computedOutputs("aws:nosuch/module:Thing", ROOT), []);
    });

    it("a custom resource being created: inputs, id and computed outputs unknown, region from its provider, tagsAll merged over default tags", () => {
        const provider = record(
            "pulumi:providers:aws",
            { region: "eu-west-1", defaultTags: '{"tags":{"team":"data","env":"dev"}}' },
            { urn: "urn:pulumi:s::p::pulumi:providers:aws::eu" },
        );
        const bucket = record(
            "aws:s3/bucket:Bucket",
            { bucket: "acme", tags: { env: "prod" } },
            { provider: `${provider.urn}::${UNKNOWN}` },
        );
        const state = plannedState(bucket, ROOT, (ref) => (ref?.startsWith(provider.urn) ? provider : undefined), {})!;
        assert.strictEqual(state.id, UNKNOWN);
        assert.strictEqual(state.arn, UNKNOWN);
        assert.strictEqual(state.bucket, "acme");
        assert.strictEqual(state.region, "eu-west-1");
        assert.deepStrictEqual(state.tagsAll, { team: "data", env: "prod" });
    });

    it("the default provider: region and default tags from the stack config; unknown tags make tagsAll unknown", () => {
        const bucket = record("aws:s3/bucket:Bucket", { tags: UNKNOWN, region: "us-east-1" });
        const state = plannedState(bucket, ROOT, () => undefined, {
            "aws:region": "us-west-2",
            "aws:defaultTags": '{"tags":{"owner":"ops"}}',
        })!;
        assert.deepStrictEqual([state.region, state.tagsAll], ["us-east-1", UNKNOWN]);
        const plain = plannedState(record("aws:s3/bucket:Bucket", {}), ROOT, () => undefined, {
            "aws:region": "us-west-2",
            "aws:defaultTags": '{"tags":{"owner":"ops"}}',
        })!;
        assert.deepStrictEqual([plain.region, plain.tagsAll], ["us-west-2", { owner: "ops" }]);
    });

    it("components and providers: their inputs (undefined: no separate state)", () => {
        assert.strictEqual(
            plannedState(record("acme:net:Network", { a: 1 }, { custom: false }), ROOT, () => undefined, {}),
            undefined,
        );
        assert.strictEqual(
            plannedState(record("pulumi:providers:aws", { region: "x" }), ROOT, () => undefined, {}),
            undefined,
        );
    });
});

describe("resource references as the engine marshals them for analyzers (analyzerView)", () => {
    it("a custom resource becomes its id, a component its URN, nested in lists, objects and secrets", () => {
        const custom = { [SIG]: RESOURCE, urn: "urn:pulumi:s::p::aws:iam/role:Role::r", id: UNKNOWN, packageVersion: "7.0.0" };
        const created = { [SIG]: RESOURCE, urn: "urn:pulumi:s::p::aws:iam/role:Role::r2", id: "r2-id" };
        const component = { [SIG]: RESOURCE, urn: "urn:pulumi:s::p::acme:net:Network::n", packageVersion: "" };
        assert.deepStrictEqual(
            analyzerView({
                role: custom,
                roles: [created, component],
                env: { vars: { NET: component } },
                hidden: { [SIG]: SECRET, value: custom },
            }),
            {
                role: UNKNOWN,
                roles: ["r2-id", "urn:pulumi:s::p::acme:net:Network::n"],
                env: { vars: { NET: "urn:pulumi:s::p::acme:net:Network::n" } },
                hidden: { [SIG]: SECRET, value: UNKNOWN },
            },
        );
    });
});
