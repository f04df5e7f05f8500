import * as assert from "assert";
import { serviceLoadBalancerZones, serviceSubnetZones } from "../../../policies/service";
import { checkStack, messages, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { subnet, pubA, privA, privB, lb, service, compliant, replace } from "./fixtures";

describe("service policies (policies/service.ts)", () => {
    describe("service-subnet-zones", () => {
        it("rejects a service in one subnet, with its URN", async () => {
            const o = await checkStack(serviceSubnetZones, replace(compliant(), service({}, [privA])));
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The ECS service 'web' runs in subnets of 1 availability zone; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
                    urn: urnOf(service()),
                },
            ]);
        });
        it("counts zones, not subnets, and takes the minimum from config", async () => {
            const sameZone = subnet("private-a2", "us-west-2a");
            assert.deepStrictEqual(
                messages(await checkStack(serviceSubnetZones, [...replace(compliant(), service({}, [privA, sameZone])), sameZone])).length,
                1,
            );
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, compliant(), { minZones: 3 })), [
                "The ECS service 'web' runs in subnets of 2 availability zones; this environment requires subnets in at least 3 zones, so that one zone's loss leaves tasks running.",
            ]);
        });
        it("judges an existing VPC's subnet ids by their number only", async () => {
            const existing = (ids: string[]) => ({ ...service({ networkConfiguration: { subnets: ids } }), propertyDependencies: {} });
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [existing(["subnet-1"])])), [
                "The ECS service 'web' runs in subnets of 1 subnet; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [existing(["subnet-1", "subnet-2"])])), []);
        });
        it("counts an unknown zone in the stack's favour at preview", async () => {
            const unknownZone = subnet("private-x", UNKNOWN);
            assert.deepStrictEqual(
                messages(await checkStack(serviceSubnetZones, [...replace(compliant(), service({}, [unknownZone])), unknownZone])),
                [],
            );
        });
        const oneZone =
            "The ECS service 'web' runs in subnets of 1 availability zone; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.";
        it("counts a subnet without a zone, and unknown subnet ids, in the stack's favour", async () => {
            const noZone = subnet("private-x", undefined);
            assert.deepStrictEqual(
                messages(await checkStack(serviceSubnetZones, [...replace(compliant(), service({}, [privA, noZone])), noZone])),
                [],
            );
            const unknownIds = { ...service({ networkConfiguration: UNKNOWN }), propertyDependencies: {} };
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [unknownIds])), []);
            const oneUnknownId = { ...service({ networkConfiguration: { subnets: ["subnet-1", UNKNOWN] } }), propertyDependencies: {} };
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [oneUnknownId])), []);
        });
        it("reads a zone id when the zone name is unset", async () => {
            const byId = (name: string, id: string): TestResource => ({
                type: "aws:ec2/subnet:Subnet",
                name,
                props: { availabilityZoneId: id },
            });
            const [a, b] = [byId("a", "usw2-az1"), byId("b", "usw2-az1")];
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [service({}, [a, b]), a, b])), [oneZone]);
            const c = byId("c", "usw2-az2");
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [service({}, [a, c]), a, c])), []);
        });
        it("ignores dependencies on resources other than subnets, and a service's network configuration when it has no load balancer", async () => {
            const sg: TestResource = { type: "aws:ec2/securityGroup:SecurityGroup", name: "sg", props: {} };
            const viaSg = {
                ...service({ networkConfiguration: { subnets: ["subnet-1"] } }),
                propertyDependencies: { networkConfiguration: [urnOf(sg)] },
            };
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [viaSg, sg])), [
                "The ECS service 'web' runs in subnets of 1 subnet; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(serviceSubnetZones, [...replace(compliant(), service({ loadBalancers: [] }, [privA]))])),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(serviceSubnetZones, [...replace(compliant(), service({ loadBalancers: UNKNOWN }, [privA]))])),
                [oneZone],
            );
        });
        it("finds declared subnets by their known ids, and counts their zones", async () => {
            const withId = (s: TestResource, id: string): TestResource => ({ ...s, props: { ...s.props, id } });
            const [a, a2, b] = [
                withId(privA, "subnet-a"),
                withId(subnet("private-a2", "us-west-2a"), "subnet-a2"),
                withId(privB, "subnet-b"),
            ];
            const byIds = (ids: string[]) => ({ ...service({ networkConfiguration: { subnets: ids } }), propertyDependencies: {} });
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds(["subnet-a", "subnet-a2"]), a, a2, b])), [oneZone]);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds(["subnet-a", "subnet-b"]), a, a2, b])), []);
            // One id outside the stack: the zones cannot all be seen, so the ids are counted.
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds(["subnet-a", "subnet-a"]), a, a2, b])), [
                "The ECS service 'web' runs in subnets of 1 subnet; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds(["subnet-a", "subnet-x"]), a, a2, b])), []);
            const declaredUnknownZone = withId(subnet("private-u", UNKNOWN), "subnet-u");
            assert.deepStrictEqual(
                messages(await checkStack(serviceSubnetZones, [byIds(["subnet-a", "subnet-u"]), a, declaredUnknownZone])),
                [],
            );
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds([])])), [
                "The ECS service 'web' runs in subnets of 0 subnets; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
            ]);
            assert.deepStrictEqual(
                messages(
                    await checkStack(serviceSubnetZones, [{ ...service({ networkConfiguration: undefined }), propertyDependencies: {} }]),
                ),
                [
                    "The ECS service 'web' runs in subnets of 0 subnets; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
                ],
            );
        });
        it("judges the other services when one service's subnet id is unknown at preview", async () => {
            const byIds = (name: string, ids: unknown[]) => ({
                ...service({ networkConfiguration: { subnets: ids } }),
                name,
                propertyDependencies: {},
            });
            assert.deepStrictEqual(
                await checkStack(serviceSubnetZones, [byIds("api", ["subnet-1", UNKNOWN]), byIds("web", ["subnet-1"])]),
                {
                    violations: [
                        {
                            message:
                                "The ECS service 'web' runs in subnets of 1 subnet; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
                            urn: urnOf(service()),
                        },
                    ],
                },
            );
        });
        it("lets a subnet of unknown or unset zone count as any zone: never fewer zones than required", async () => {
            const noZone = subnet("private-x", undefined);
            const unknownZone = subnet("private-u", UNKNOWN);
            assert.deepStrictEqual(
                messages(await checkStack(serviceSubnetZones, [service({}, [privA, noZone]), privA, noZone], { minZones: 3 })),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(serviceSubnetZones, [service({}, [privA, unknownZone]), privA, unknownZone], { minZones: 3 })),
                [],
            );
        });
        it("judges only ECS services: another resource with load balancers is not one", async () => {
            const group: TestResource = {
                type: "aws:autoscaling/group:Group",
                name: "workers",
                props: { loadBalancers: ["classic"], vpcZoneIdentifiers: ["subnet-1"] },
            };
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [...compliant(), group])), []);
        });
    });

    describe("service-load-balancer-zones", () => {
        it("rejects a load balancer in one zone, through subnets or subnet mappings", async () => {
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, replace(compliant(), lb({}, [pubA])))), [
                "The load balancer 'alb' spans 1 availability zone; this environment requires at least 2 zones.",
            ]);
            const mapped = {
                ...lb({ subnets: undefined, subnetMappings: [{ subnetId: UNKNOWN }] }),
                propertyDependencies: { subnetMappings: [urnOf(pubA)] },
            };
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, replace(compliant(), mapped))), [
                "The load balancer 'alb' spans 1 availability zone; this environment requires at least 2 zones.",
            ]);
        });
        it("judges an existing VPC's subnet ids by their number, and leaves network load balancers alone", async () => {
            const existing = { ...lb({ subnets: ["subnet-1"] }), propertyDependencies: {} };
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [existing])), [
                "The load balancer 'alb' spans 1 subnet; this environment requires at least 2 zones.",
            ]);
            assert.deepStrictEqual(
                messages(
                    await checkStack(serviceLoadBalancerZones, [
                        { ...existing, props: { ...existing.props, loadBalancerType: "network" } },
                    ]),
                ),
                [],
            );
        });
        it("counts unknown subnets in the stack's favour at preview", async () => {
            assert.deepStrictEqual(
                messages(await checkStack(serviceLoadBalancerZones, [{ ...lb({ subnets: UNKNOWN }), propertyDependencies: {} }])),
                [],
            );
        });
        it("reads subnet ids from mappings of an existing VPC, and falls back to subnets when mappings are empty or unknown", async () => {
            const mapped = (subnetMappings: unknown, subnets: unknown = undefined) => ({
                ...lb({ subnets, subnetMappings }),
                propertyDependencies: {},
            });
            const oneSubnet = "The load balancer 'alb' spans 1 subnet; this environment requires at least 2 zones.";
            assert.deepStrictEqual(
                messages(await checkStack(serviceLoadBalancerZones, [mapped([{ subnetId: "subnet-1" }, { subnetId: "subnet-1" }])])),
                [oneSubnet],
            );
            assert.deepStrictEqual(
                messages(await checkStack(serviceLoadBalancerZones, [mapped([{ subnetId: "subnet-1" }, { subnetId: "subnet-2" }])])),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(serviceLoadBalancerZones, [mapped([{ subnetId: "subnet-1" }, { subnetId: UNKNOWN }])])),
                [],
            );
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [mapped([], ["subnet-1"])])), [oneSubnet]);
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [mapped(UNKNOWN, ["subnet-1"])])), [oneSubnet]);
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [mapped(undefined, ["subnet-1", "subnet-2"])])), []);
        });
        it("judges the legacy alb type and an unset type as application load balancers, and skips an unknown type", async () => {
            const existing = { ...lb({ subnets: ["subnet-1"] }), propertyDependencies: {} };
            const oneSubnet = "The load balancer 'alb' spans 1 subnet; this environment requires at least 2 zones.";
            assert.deepStrictEqual(
                messages(await checkStack(serviceLoadBalancerZones, [{ ...existing, type: "aws:alb/loadBalancer:LoadBalancer" }])),
                [oneSubnet],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(serviceLoadBalancerZones, [
                        { ...existing, props: { ...existing.props, loadBalancerType: undefined } },
                    ]),
                ),
                [oneSubnet],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(serviceLoadBalancerZones, [{ ...existing, props: { ...existing.props, loadBalancerType: UNKNOWN } }]),
                ),
                [],
            );
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [existing], { minZones: 1 })), []);
        });
        it("ignores dependencies of the subnets on resources other than subnets", async () => {
            const sg: TestResource = { type: "aws:ec2/securityGroup:SecurityGroup", name: "sg", props: {} };
            const viaSg = { ...lb({ subnets: ["subnet-1"] }), propertyDependencies: { subnets: [urnOf(sg)] } };
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [viaSg, sg])), [
                "The load balancer 'alb' spans 1 subnet; this environment requires at least 2 zones.",
            ]);
        });
    });
});
