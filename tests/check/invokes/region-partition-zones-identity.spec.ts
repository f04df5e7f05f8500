import * as assert from "assert";
import { CHECK_ACCOUNT_ID, CHECK_PARTITION } from "../../../tools/check/awsRegions";
import { invokeResult } from "../../../tools/check/invokes";
import { ctx, noRegion, REGION, PARTITION, AZS, CALLER, ELB, lines, assertInvokeError } from "./fixtures";

describe("the check's invoke answers (tools/check/invokes.ts)", () => {
    describe("aws.getRegion", () => {
        it("describes the Region of the call's region argument", () => {
            assert.deepStrictEqual(invokeResult(REGION, { region: "us-west-2" }, ctx({ providerRegion: "eu-west-1" })), {
                description: "US West (Oregon)",
                endpoint: "ec2.us-west-2.amazonaws.com",
                id: "us-west-2",
                name: "us-west-2",
                region: "us-west-2",
            });
        });

        it("takes the legacy name, an EC2 endpoint, or else the provider's region", () => {
            assert.strictEqual(invokeResult(REGION, { name: "eu-central-1" }, ctx()).description, "Europe (Frankfurt)");
            assert.deepStrictEqual(invokeResult(REGION, { endpoint: "ec2.cn-north-1.amazonaws.com.cn" }, ctx()), {
                description: "China (Beijing)",
                endpoint: "ec2.cn-north-1.amazonaws.com.cn",
                id: "cn-north-1",
                name: "cn-north-1",
                region: "cn-north-1",
            });
            assert.deepStrictEqual(invokeResult(REGION, {}, ctx({ providerRegion: "sa-east-1" })), {
                description: "South America (Sao Paulo)",
                endpoint: "ec2.sa-east-1.amazonaws.com",
                id: "sa-east-1",
                name: "sa-east-1",
                region: "sa-east-1",
            });
        });

        it("fails without any region, telling how to set aws:region and how to answer it", () => {
            assertInvokeError(
                () => invokeResult(REGION, {}, noRegion),
                lines(
                    "The offline check cannot answer the invoke 'aws:index/getRegion:getRegion' (arguments: none): the AWS provider has no region: set the stack's aws:region (pulumi config set aws:region <region>), give the provider a region, or pass the call a region argument. A real preview fails the same way.",
                    "If the real provider answers this call, give the check its answer in /proj/Pulumi.dev.invokes.yaml (an entry there replaces the check's own answer for this function):",
                    "",
                    "aws:index/getRegion:getRegion:",
                    "  - result: {} # the outputs the program reads, by their Pulumi names",
                ),
            );
        });

        it("refuses an unknown Region, a name with a region, and an endpoint of another Region", () => {
            assertInvokeError(
                () => invokeResult(REGION, { region: "us-north-9" }, ctx()),
                /there is no AWS Region 'us-north-9' \(the provider: finding Region by name \(us-north-9\): couldn't find resource\)/,
            );
            assertInvokeError(
                () => invokeResult(REGION, { region: "us-east-1", name: "us-east-1" }, ctx()),
                /'name' and 'region' cannot both be given/,
            );
            assertInvokeError(
                () => invokeResult(REGION, { endpoint: "ec2.us-east-1.amazonaws.com", region: "us-east-2" }, ctx()),
                /the endpoint 'ec2\.us-east-1\.amazonaws\.com' is the one of us-east-1, not of us-east-2 \(the provider: multiple Regions matched\)/,
            );
        });
    });

    describe("aws.getPartition", () => {
        it("answers the partition of the provider's region", () => {
            assert.deepStrictEqual(invokeResult(PARTITION, {}, ctx()), {
                dnsSuffix: "amazonaws.com",
                id: "aws",
                partition: "aws",
                reverseDnsPrefix: "com.amazonaws",
            });
            assert.deepStrictEqual(invokeResult(PARTITION, {}, ctx({ providerRegion: "cn-northwest-1" })), {
                dnsSuffix: "amazonaws.com.cn",
                id: "aws-cn",
                partition: "aws-cn",
                reverseDnsPrefix: "cn.com.amazonaws",
            });
            assert.deepStrictEqual(invokeResult(PARTITION, {}, ctx({ providerRegion: "us-gov-west-1" })), {
                dnsSuffix: "amazonaws.com",
                id: "aws-us-gov",
                partition: "aws-us-gov",
                reverseDnsPrefix: "com.amazonaws",
            });
        });

        it("fails without a region", () => {
            assertInvokeError(
                () => invokeResult(PARTITION, {}, noRegion),
                /^The offline check cannot answer the invoke 'aws:index\/getPartition:getPartition' \(arguments: none\): the AWS provider has no region/,
            );
        });
    });

    describe("aws.getAvailabilityZones", () => {
        it("lists the zone names and zone ids of the call's region, sorted by name", () => {
            assert.deepStrictEqual(invokeResult(AZS, { region: "us-east-1", state: "available" }, ctx()), {
                groupNames: ["us-east-1-zg-1"],
                id: "us-east-1",
                names: ["us-east-1a", "us-east-1b", "us-east-1c", "us-east-1d", "us-east-1e", "us-east-1f"],
                region: "us-east-1",
                state: "available",
                zoneIds: ["use1-az1", "use1-az2", "use1-az3", "use1-az4", "use1-az5", "use1-az6"],
            });
        });

        it("uses the provider's region without a region argument, with the real mapping where it is uniform", () => {
            const r = invokeResult(AZS, {}, ctx({ providerRegion: "eu-central-1" }));
            assert.deepStrictEqual(
                [r.names, r.zoneIds],
                [
                    ["eu-central-1a", "eu-central-1b", "eu-central-1c"],
                    ["euc1-az2", "euc1-az3", "euc1-az1"],
                ],
            );
            assert.deepStrictEqual(invokeResult(AZS, { region: "ca-central-1" }, ctx()).zoneIds, ["cac1-az1", "cac1-az2", "cac1-az4"]);
            assert.deepStrictEqual(invokeResult(AZS, { region: "ap-south-1" }, ctx()).zoneIds, ["aps1-az1", "aps1-az3", "aps1-az2"]);
            assert.deepStrictEqual(invokeResult(AZS, { region: "us-west-2" }, ctx()).names, [
                "us-west-2a",
                "us-west-2b",
                "us-west-2c",
                "us-west-2d",
            ]);
        });

        it("knows the zones of the 15 Regions it lists", () => {
            const counts = Object.fromEntries(
                [
                    "us-east-1",
                    "us-east-2",
                    "us-west-1",
                    "us-west-2",
                    "ca-central-1",
                    "eu-west-1",
                    "eu-west-2",
                    "eu-west-3",
                    "eu-central-1",
                    "eu-north-1",
                    "ap-southeast-1",
                    "ap-southeast-2",
                    "ap-northeast-1",
                    "ap-south-1",
                    "sa-east-1",
                ].map((r) => [r, (invokeResult(AZS, { region: r }, ctx()).zoneIds as string[]).join(",")]),
            );
            assert.deepStrictEqual(counts, {
                "us-east-1": "use1-az1,use1-az2,use1-az3,use1-az4,use1-az5,use1-az6",
                "us-east-2": "use2-az1,use2-az2,use2-az3",
                "us-west-1": "usw1-az1,usw1-az3",
                "us-west-2": "usw2-az1,usw2-az2,usw2-az3,usw2-az4",
                "ca-central-1": "cac1-az1,cac1-az2,cac1-az4",
                "eu-west-1": "euw1-az1,euw1-az2,euw1-az3",
                "eu-west-2": "euw2-az2,euw2-az3,euw2-az1",
                "eu-west-3": "euw3-az1,euw3-az2,euw3-az3",
                "eu-central-1": "euc1-az2,euc1-az3,euc1-az1",
                "eu-north-1": "eun1-az1,eun1-az2,eun1-az3",
                "ap-southeast-1": "apse1-az1,apse1-az2,apse1-az3",
                "ap-southeast-2": "apse2-az1,apse2-az2,apse2-az3",
                "ap-northeast-1": "apne1-az1,apne1-az2,apne1-az4",
                "ap-south-1": "aps1-az1,aps1-az3,aps1-az2",
                "sa-east-1": "sae1-az1,sae1-az2,sae1-az3",
            });
        });

        it("honours excludeNames, excludeZoneIds, filters (with wildcards) and state", () => {
            const r = invokeResult(
                AZS,
                {
                    region: "us-east-1",
                    excludeNames: ["us-east-1a"],
                    excludeZoneIds: ["use1-az3"],
                    filters: [
                        { name: "zone-id", values: ["use1-az?"] },
                        { name: "zone-name", values: ["*1[bcd]", "us-east-1*"] },
                    ],
                },
                ctx(),
            );
            assert.deepStrictEqual(
                [r.names, r.zoneIds, r.excludeNames, r.excludeZoneIds],
                [
                    ["us-east-1b", "us-east-1d", "us-east-1e", "us-east-1f"],
                    ["use1-az2", "use1-az4", "use1-az5", "use1-az6"],
                    ["us-east-1a"],
                    ["use1-az3"],
                ],
            );
            assert.deepStrictEqual(invokeResult(AZS, { region: "eu-west-3", state: "impaired" }, ctx()), {
                groupNames: [],
                id: "eu-west-3",
                names: [],
                region: "eu-west-3",
                state: "impaired",
                zoneIds: [],
            });
            assert.deepStrictEqual(
                invokeResult(AZS, { region: "eu-west-3", filters: [{ name: "opt-in-status", values: ["opt-in-not-required"] }] }, ctx())
                    .names,
                ["eu-west-3a", "eu-west-3b", "eu-west-3c"],
            );
        });

        it("answers allAvailabilityZones only when a zone-type filter keeps the Availability Zones", () => {
            assert.deepStrictEqual(
                invokeResult(
                    AZS,
                    { region: "eu-north-1", allAvailabilityZones: true, filters: [{ name: "zone-type", values: ["availability-zone"] }] },
                    ctx(),
                ).names,
                ["eu-north-1a", "eu-north-1b", "eu-north-1c"],
            );
            assertInvokeError(
                () => invokeResult(AZS, { region: "eu-north-1", allAvailabilityZones: true }, ctx()),
                /allAvailabilityZones also lists the Local Zones and Wavelength Zones of eu-north-1, which the check does not know/,
            );
        });

        it("refuses an unknown Region, an unknown filter and an invalid state", () => {
            assertInvokeError(
                () => invokeResult(AZS, { region: "ap-east-1" }, ctx()),
                /the check knows the Availability Zones of ap-northeast-1, ap-south-1, .* only, not of 'ap-east-1'\./,
            );
            assertInvokeError(
                () => invokeResult(AZS, { filters: [{ name: "zone", values: ["x"] }] }, ctx()),
                /EC2 has no Availability Zone filter 'zone'/,
            );
            assertInvokeError(
                () => invokeResult(AZS, { state: "up" }, ctx()),
                /'state' must be one of available, information, impaired, unavailable, constrained/,
            );
        });
    });

    describe("aws.getCallerIdentity and aws.elb.getServiceAccount", () => {
        it("answers the placeholder account", () => {
            assert.deepStrictEqual(invokeResult(CALLER, {}, noRegion), {
                accountId: "123456789012",
                arn: "arn:aws:sts::123456789012:assumed-role/continuity-check/offline",
                id: "123456789012",
                userId: "AROACONTINUITYCHECK:offline",
            });
            assert.strictEqual(CHECK_ACCOUNT_ID, "123456789012");
            assert.strictEqual(CHECK_PARTITION, "aws");
            assert.strictEqual(
                invokeResult(CALLER, {}, ctx({ providerRegion: "us-gov-east-1" })).arn,
                "arn:aws-us-gov:sts::123456789012:assumed-role/continuity-check/offline",
            );
        });

        it("answers the ELB log-delivery account of the call's region, else the provider's", () => {
            assert.deepStrictEqual(invokeResult(ELB, { region: "us-west-2" }, noRegion), {
                arn: "arn:aws:iam::797873946194:root",
                id: "797873946194",
                region: "us-west-2",
            });
            assert.deepStrictEqual(invokeResult(ELB, {}, ctx({ providerRegion: "eu-west-3" })), {
                arn: "arn:aws:iam::009996457667:root",
                id: "009996457667",
                region: "eu-west-3",
            });
            assert.deepStrictEqual(invokeResult(ELB, { region: "cn-north-1" }, ctx()), {
                arn: "arn:aws-cn:iam::638102146993:root",
                id: "638102146993",
                region: "cn-north-1",
            });
        });

        it("refuses a Region the provider has no ELB account for, as the provider does", () => {
            assertInvokeError(
                () => invokeResult(ELB, { region: "ap-south-2" }, ctx()),
                /the provider has no ELB log-delivery account for 'ap-south-2' \(the provider: unsupported AWS Region: ap-south-2\)/,
            );
            assertInvokeError(() => invokeResult(ELB, {}, noRegion), /the AWS provider has no region/);
        });
    });
});
