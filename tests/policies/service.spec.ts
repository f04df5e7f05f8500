import * as assert from "assert";
import * as path from "path";
import {
    serviceCircuitBreaker,
    serviceDesiredCount,
    serviceHealthCheckGrace,
    serviceLoadBalancerZones,
    servicePolicies,
    serviceSubnetZones,
    serviceTargetGroupHealthCheck,
    serviceUptimeCheck,
} from "../../policies/service";
import { checkResource, checkStack, fromRecorded, messages, runPolicies, TestResource, UNKNOWN, urnOf } from "../helpers/policy";
import { ROOT, runStack } from "../helpers/program";

type Props = Record<string, unknown>;

const subnet = (name: string, zone: unknown): TestResource => ({ type: "aws:ec2/subnet:Subnet", name, props: { availabilityZone: zone, vpcId: UNKNOWN } });
const [pubA, pubB, privA, privB] = [subnet("public-a", "us-west-2a"), subnet("public-b", "us-west-2b"), subnet("private-a", "us-west-2a"), subnet("private-b", "us-west-2b")];

const lb = (props: Props = {}, subnets = [pubA, pubB]): TestResource => ({
    type: "aws:lb/loadBalancer:LoadBalancer",
    name: "alb",
    props: { internal: false, loadBalancerType: "application", subnets: subnets.map(() => UNKNOWN), ...props },
    propertyDependencies: { subnets: subnets.map(urnOf) },
});
const service = (props: Props = {}, subnets = [privA, privB]): TestResource => ({
    type: "aws:ecs/service:Service",
    name: "web",
    props: {
        desiredCount: 2,
        healthCheckGracePeriodSeconds: 300,
        deploymentCircuitBreaker: { enable: true, rollback: true },
        loadBalancers: [{ targetGroupArn: UNKNOWN, containerName: "web", containerPort: 8080 }],
        networkConfiguration: { subnets: subnets.map(() => UNKNOWN), assignPublicIp: false },
        ...props,
    },
    propertyDependencies: { networkConfiguration: subnets.map(urnOf) },
});
const targetGroup = (healthCheck: unknown = { enabled: true, path: "/health" }, props: Props = {}): TestResource => ({
    type: "aws:lb/targetGroup:TargetGroup",
    name: "tg",
    props: { protocol: "HTTP", targetType: "ip", healthCheck, ...props },
});
const healthCheck = (deps: Partial<TestResource> = { propertyDependencies: { fqdn: [urnOf(lb())] } }): TestResource => ({
    type: "aws:route53/healthCheck:HealthCheck",
    name: "uptime",
    props: { type: "HTTPS", fqdn: UNKNOWN, resourcePath: "/health" },
    ...deps,
});
const uptimeAlarm = (actions: unknown = ["arn:aws:sns:us-east-1:123456789012:alerts"]): TestResource => ({
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    name: "uptime-alarm",
    props: { region: "us-east-1", namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: UNKNOWN }, alarmActions: actions },
    propertyDependencies: { dimensions: [urnOf(healthCheck())] },
});

function compliant(): TestResource[] {
    return [pubA, pubB, privA, privB, lb(), service(), targetGroup(), healthCheck(), uptimeAlarm()];
}
const replace = (rs: TestResource[], r: TestResource) => rs.map((x) => (x.name === r.name ? r : x));
const without = (rs: TestResource[], ...names: string[]) => rs.filter((r) => !names.includes(r.name));

describe("service policies (policies/service.ts)", () => {
    it("let two tasks in two zones behind a watched load balancer through, every one", async () => {
        for (const p of servicePolicies) {
            const outcomes = "validateStack" in p ? [await checkStack(p, compliant())] : await Promise.all(compliant().map((r) => checkResource(p, r)));
            assert.deepStrictEqual(outcomes.flatMap(messages), [], p.name);
        }
    });

    describe("service-desired-count", () => {
        it("rejects one task, and an unset count (AWS's 0)", async () => {
            assert.deepStrictEqual(messages(await checkResource(serviceDesiredCount, service({ desiredCount: 1 }))), [
                "The ECS service 'web' runs 1 task; this environment requires at least 2 behind a load balancer, so that one task's failure does not take the site down.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(serviceDesiredCount, service({ desiredCount: undefined }))), [
                "The ECS service 'web' runs 0 tasks; this environment requires at least 2 behind a load balancer, so that one task's failure does not take the site down.",
            ]);
        });
        it("takes the minimum from config, and leaves services without a load balancer alone", async () => {
            assert.deepStrictEqual(messages(await checkResource(serviceDesiredCount, service(), { minDesiredCount: 3 })), [
                "The ECS service 'web' runs 2 tasks; this environment requires at least 3 behind a load balancer, so that one task's failure does not take the site down.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(serviceDesiredCount, service({ desiredCount: 1, loadBalancers: [] }))), []);
            assert.deepStrictEqual(messages(await checkResource(serviceDesiredCount, service({ desiredCount: 0, loadBalancers: undefined }))), []);
            assert.deepStrictEqual(messages(await checkResource(serviceDesiredCount, service({ desiredCount: 3 }), { minDesiredCount: 3 })), []);
        });
        it("is skipped at preview when the count is unknown", async () => {
            const o = await checkResource(serviceDesiredCount, service({ desiredCount: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'service-desired-count' during preview: .*desiredCount can't be known during preview$/);
        });
    });

    describe("service-health-check-grace", () => {
        it("rejects a grace of 60 s, and none", async () => {
            assert.deepStrictEqual(messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 60 }))), [
                "The ECS service 'web' gives new tasks a health-check grace period of 60 seconds; this environment requires at least 300, or slow-starting tasks are killed before they serve.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: undefined }))), [
                "The ECS service 'web' gives new tasks a health-check grace period of 0 seconds; this environment requires at least 300, or slow-starting tasks are killed before they serve.",
            ]);
        });
        it("takes the minimum from config", async () => {
            assert.deepStrictEqual(messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 60 }), { minGracePeriodSeconds: 60 })), []);
            assert.deepStrictEqual(messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 1 }), { minGracePeriodSeconds: 2 })), [
                "The ECS service 'web' gives new tasks a health-check grace period of 1 second; this environment requires at least 2, or slow-starting tasks are killed before they serve.",
            ]);
        });
        it("leaves services without a load balancer alone, and lets exactly the minimum through", async () => {
            assert.deepStrictEqual(messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 0, loadBalancers: [] }))), []);
            assert.deepStrictEqual(messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 0, loadBalancers: undefined }))), []);
            assert.deepStrictEqual(messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 300 }))), []);
            assert.deepStrictEqual(messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 299 }))).length, 1);
        });
        it("is skipped at preview when the grace is unknown", async () => {
            const o = await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'service-health-check-grace' during preview: /);
        });
    });

    describe("service-circuit-breaker", () => {
        const message =
            "The ECS service 'web' has no deployment circuit breaker with rollback (deploymentCircuitBreaker enable and rollback true); a failing deployment would not be rolled back by itself.";
        it("rejects no circuit breaker, and one that does not roll back", async () => {
            assert.deepStrictEqual(messages(await checkResource(serviceCircuitBreaker, service({ deploymentCircuitBreaker: undefined }))), [message]);
            assert.deepStrictEqual(messages(await checkResource(serviceCircuitBreaker, service({ deploymentCircuitBreaker: { enable: true, rollback: false } }))), [message]);
        });
        it("rejects a rollback without the breaker enabled, and judges services without a load balancer too", async () => {
            assert.deepStrictEqual(messages(await checkResource(serviceCircuitBreaker, service({ deploymentCircuitBreaker: { enable: false, rollback: true } }))), [message]);
            assert.deepStrictEqual(messages(await checkResource(serviceCircuitBreaker, service({ deploymentCircuitBreaker: { rollback: true } }))), [message]);
            assert.deepStrictEqual(messages(await checkResource(serviceCircuitBreaker, service({ loadBalancers: [], deploymentCircuitBreaker: undefined }))), [message]);
            assert.deepStrictEqual(messages(await checkResource(serviceCircuitBreaker, service({ loadBalancers: [] }))), []);
        });
        it("is skipped at preview when the breaker is unknown", async () => {
            const o = await checkResource(serviceCircuitBreaker, service({ deploymentCircuitBreaker: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'service-circuit-breaker' during preview: /);
        });
    });

    describe("service-target-group-health-check", () => {
        it("rejects a health check turned off, and one without a path", async () => {
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ enabled: false }))), [
                "The target group 'tg' has its health check turned off; the load balancer would keep sending requests to a failed task.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ enabled: true }))), [
                "The target group 'tg' sets no health check path; give the application's health endpoint (such as /health).",
            ]);
        });
        it("judges an unset protocol as HTTP, HTTPS groups, an unset health check and the legacy alb type", async () => {
            const noPath = "The target group 'tg' sets no health check path; give the application's health endpoint (such as /health).";
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ enabled: true }, { protocol: undefined }))), [noPath]);
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ enabled: true }, { protocol: "HTTPS" }))), [noPath]);
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, { ...targetGroup(), props: { protocol: "HTTP", targetType: "ip" } })), [noPath]);
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ path: "" }))), [noPath]);
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ path: "/health" }))), []);
            const legacy = (hc: unknown): TestResource => ({ ...targetGroup(hc), type: "aws:alb/targetGroup:TargetGroup" });
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, legacy({ enabled: false }))), [
                "The target group 'tg' has its health check turned off; the load balancer would keep sending requests to a failed task.",
            ]);
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, legacy({ enabled: true, path: "/health" }))), []);
        });
        it("leaves TCP and Lambda target groups alone", async () => {
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ enabled: true }, { protocol: "TCP" }))), []);
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ enabled: true }, { targetType: "lambda" }))), []);
        });
        it("is skipped at preview when the health check is unknown", async () => {
            const o = await checkResource(serviceTargetGroupHealthCheck, targetGroup(UNKNOWN));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'service-target-group-health-check' during preview: /);
        });
    });

    describe("service-subnet-zones", () => {
        it("rejects a service in one subnet, with its URN", async () => {
            const o = await checkStack(serviceSubnetZones, replace(compliant(), service({}, [privA])));
            assert.deepStrictEqual(o.violations, [
                {
                    message: "The ECS service 'web' runs in subnets of 1 availability zone; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
                    urn: urnOf(service()),
                },
            ]);
        });
        it("counts zones, not subnets, and takes the minimum from config", async () => {
            const sameZone = subnet("private-a2", "us-west-2a");
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [...replace(compliant(), service({}, [privA, sameZone])), sameZone])).length, 1);
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
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [...replace(compliant(), service({}, [unknownZone])), unknownZone])), []);
        });
        const oneZone = "The ECS service 'web' runs in subnets of 1 availability zone; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.";
        it("counts a subnet without a zone, and unknown subnet ids, in the stack's favour", async () => {
            const noZone = subnet("private-x", undefined);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [...replace(compliant(), service({}, [privA, noZone])), noZone])), []);
            const unknownIds = { ...service({ networkConfiguration: UNKNOWN }), propertyDependencies: {} };
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [unknownIds])), []);
            const oneUnknownId = { ...service({ networkConfiguration: { subnets: ["subnet-1", UNKNOWN] } }), propertyDependencies: {} };
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [oneUnknownId])), []);
        });
        it("reads a zone id when the zone name is unset", async () => {
            const byId = (name: string, id: string): TestResource => ({ type: "aws:ec2/subnet:Subnet", name, props: { availabilityZoneId: id } });
            const [a, b] = [byId("a", "usw2-az1"), byId("b", "usw2-az1")];
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [service({}, [a, b]), a, b])), [oneZone]);
            const c = byId("c", "usw2-az2");
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [service({}, [a, c]), a, c])), []);
        });
        it("ignores dependencies on resources other than subnets, and a service's network configuration when it has no load balancer", async () => {
            const sg: TestResource = { type: "aws:ec2/securityGroup:SecurityGroup", name: "sg", props: {} };
            const viaSg = { ...service({ networkConfiguration: { subnets: ["subnet-1"] } }), propertyDependencies: { networkConfiguration: [urnOf(sg)] } };
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [viaSg, sg])), [
                "The ECS service 'web' runs in subnets of 1 subnet; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [...replace(compliant(), service({ loadBalancers: [] }, [privA]))])), []);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [...replace(compliant(), service({ loadBalancers: UNKNOWN }, [privA]))])), [oneZone]);
        });
        it("finds declared subnets by their known ids, and counts their zones", async () => {
            const withId = (s: TestResource, id: string): TestResource => ({ ...s, props: { ...s.props, id } });
            const [a, a2, b] = [withId(privA, "subnet-a"), withId(subnet("private-a2", "us-west-2a"), "subnet-a2"), withId(privB, "subnet-b")];
            const byIds = (ids: string[]) => ({ ...service({ networkConfiguration: { subnets: ids } }), propertyDependencies: {} });
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds(["subnet-a", "subnet-a2"]), a, a2, b])), [oneZone]);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds(["subnet-a", "subnet-b"]), a, a2, b])), []);
            // One id outside the stack: the zones cannot all be seen, so the ids are counted.
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds(["subnet-a", "subnet-a"]), a, a2, b])), [
                "The ECS service 'web' runs in subnets of 1 subnet; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds(["subnet-a", "subnet-x"]), a, a2, b])), []);
            const declaredUnknownZone = withId(subnet("private-u", UNKNOWN), "subnet-u");
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds(["subnet-a", "subnet-u"]), a, declaredUnknownZone])), []);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [byIds([])])), [
                "The ECS service 'web' runs in subnets of 0 subnets; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [{ ...service({ networkConfiguration: undefined }), propertyDependencies: {} }])), [
                "The ECS service 'web' runs in subnets of 0 subnets; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
            ]);
        });
        it("judges the other services when one service's subnet id is unknown at preview", async () => {
            const byIds = (name: string, ids: unknown[]) => ({ ...service({ networkConfiguration: { subnets: ids } }), name, propertyDependencies: {} });
            assert.deepStrictEqual(await checkStack(serviceSubnetZones, [byIds("api", ["subnet-1", UNKNOWN]), byIds("web", ["subnet-1"])]), {
                violations: [
                    {
                        message: "The ECS service 'web' runs in subnets of 1 subnet; this environment requires subnets in at least 2 zones, so that one zone's loss leaves tasks running.",
                        urn: urnOf(service()),
                    },
                ],
            });
        });
        it("lets a subnet of unknown or unset zone count as any zone: never fewer zones than required", async () => {
            const noZone = subnet("private-x", undefined);
            const unknownZone = subnet("private-u", UNKNOWN);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [service({}, [privA, noZone]), privA, noZone], { minZones: 3 })), []);
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [service({}, [privA, unknownZone]), privA, unknownZone], { minZones: 3 })), []);
        });
        it("judges only ECS services: another resource with load balancers is not one", async () => {
            const group: TestResource = { type: "aws:autoscaling/group:Group", name: "workers", props: { loadBalancers: ["classic"], vpcZoneIdentifiers: ["subnet-1"] } };
            assert.deepStrictEqual(messages(await checkStack(serviceSubnetZones, [...compliant(), group])), []);
        });
    });

    describe("service-load-balancer-zones", () => {
        it("rejects a load balancer in one zone, through subnets or subnet mappings", async () => {
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, replace(compliant(), lb({}, [pubA])))), [
                "The load balancer 'alb' spans 1 availability zone; this environment requires at least 2 zones.",
            ]);
            const mapped = { ...lb({ subnets: undefined, subnetMappings: [{ subnetId: UNKNOWN }] }), propertyDependencies: { subnetMappings: [urnOf(pubA)] } };
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, replace(compliant(), mapped))), [
                "The load balancer 'alb' spans 1 availability zone; this environment requires at least 2 zones.",
            ]);
        });
        it("judges an existing VPC's subnet ids by their number, and leaves network load balancers alone", async () => {
            const existing = { ...lb({ subnets: ["subnet-1"] }), propertyDependencies: {} };
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [existing])), [
                "The load balancer 'alb' spans 1 subnet; this environment requires at least 2 zones.",
            ]);
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [{ ...existing, props: { ...existing.props, loadBalancerType: "network" } }])), []);
        });
        it("counts unknown subnets in the stack's favour at preview", async () => {
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [{ ...lb({ subnets: UNKNOWN }), propertyDependencies: {} }])), []);
        });
        it("reads subnet ids from mappings of an existing VPC, and falls back to subnets when mappings are empty or unknown", async () => {
            const mapped = (subnetMappings: unknown, subnets: unknown = undefined) => ({ ...lb({ subnets, subnetMappings }), propertyDependencies: {} });
            const oneSubnet = "The load balancer 'alb' spans 1 subnet; this environment requires at least 2 zones.";
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [mapped([{ subnetId: "subnet-1" }, { subnetId: "subnet-1" }])])), [oneSubnet]);
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [mapped([{ subnetId: "subnet-1" }, { subnetId: "subnet-2" }])])), []);
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [mapped([{ subnetId: "subnet-1" }, { subnetId: UNKNOWN }])])), []);
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [mapped([], ["subnet-1"])])), [oneSubnet]);
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [mapped(UNKNOWN, ["subnet-1"])])), [oneSubnet]);
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [mapped(undefined, ["subnet-1", "subnet-2"])])), []);
        });
        it("judges the legacy alb type and an unset type as application load balancers, and skips an unknown type", async () => {
            const existing = { ...lb({ subnets: ["subnet-1"] }), propertyDependencies: {} };
            const oneSubnet = "The load balancer 'alb' spans 1 subnet; this environment requires at least 2 zones.";
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [{ ...existing, type: "aws:alb/loadBalancer:LoadBalancer" }])), [oneSubnet]);
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [{ ...existing, props: { ...existing.props, loadBalancerType: undefined } }])), [oneSubnet]);
            assert.deepStrictEqual(messages(await checkStack(serviceLoadBalancerZones, [{ ...existing, props: { ...existing.props, loadBalancerType: UNKNOWN } }])), []);
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

    describe("service-uptime-check", () => {
        it("rejects an internet-facing load balancer without an uptime check, with its URN", async () => {
            const o = await checkStack(serviceUptimeCheck, without(compliant(), "uptime", "uptime-alarm"));
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The internet-facing load balancer 'alb' has no uptime check (a Route 53 health check of its DNS name, or one that depends on it); an outage would go unnoticed.",
                    urn: urnOf(lb()),
                },
            ]);
        });
        it("rejects a check without an alarm that notifies, with the check's URN", async () => {
            const message =
                "The uptime check 'uptime' of load balancer 'alb' has no CloudWatch alarm on its HealthCheckStatus that notifies anyone (in us-east-1, where Route 53 publishes it).";
            assert.deepStrictEqual((await checkStack(serviceUptimeCheck, without(compliant(), "uptime-alarm"))).violations, [{ message, urn: urnOf(healthCheck()) }]);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), uptimeAlarm([])))), [message]);
        });
        it("does not count an alarm on another check, or on another namespace", async () => {
            const otherLb = { ...lb(), name: "other-alb" };
            const otherCheck = healthCheck({ name: "other-uptime", propertyDependencies: { fqdn: [urnOf(otherLb)] } } as Partial<TestResource>);
            const o = await checkStack(serviceUptimeCheck, [...without(compliant(), "uptime-alarm"), otherLb, otherCheck, { ...uptimeAlarm(), propertyDependencies: { dimensions: [urnOf(otherCheck)] } }]);
            assert.deepStrictEqual(o.violations, [
                {
                    message:
                        "The uptime check 'uptime' of load balancer 'alb' has no CloudWatch alarm on its HealthCheckStatus that notifies anyone (in us-east-1, where Route 53 publishes it).",
                    urn: urnOf(healthCheck()),
                },
            ]);
            const elb = { ...uptimeAlarm(), props: { ...uptimeAlarm().props, namespace: "AWS/ApplicationELB" } };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), elb))).length, 1);
        });
        it("accepts an alarm on the check's status through metric queries", async () => {
            const metric = { namespace: "AWS/Route53", metricName: "HealthCheckStatus", dimensions: { HealthCheckId: UNKNOWN }, period: 60, stat: "Minimum" };
            const math: TestResource = {
                type: "aws:cloudwatch/metricAlarm:MetricAlarm",
                name: "uptime-alarm",
                props: { region: "us-east-1", metricQueries: [{ id: "m1", metric, returnData: true }], alarmActions: ["arn:aws:sns:us-east-1:123456789012:alerts"] },
                propertyDependencies: { metricQueries: [urnOf(healthCheck())] },
            };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), math))), []);
        });
        it("accepts a custom domain's check that depends on the load balancer, and a canary", async () => {
            const custom = healthCheck({ dependencies: [urnOf(lb())], props: { type: "HTTPS", fqdn: "app.example.com" } } as Partial<TestResource>);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), custom))), []);
            const canary: TestResource = { type: "aws:synthetics/canary:Canary", name: "canary", props: {}, dependencies: [urnOf(lb())] };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [...without(compliant(), "uptime", "uptime-alarm"), canary])), []);
        });
        it("judges a load balancer whose internal flag is unknown, and leaves network load balancers alone", async () => {
            const noCheck =
                "The internet-facing load balancer 'alb' has no uptime check (a Route 53 health check of its DNS name, or one that depends on it); an outage would go unnoticed.";
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb({ internal: UNKNOWN })])), [noCheck]);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb({ internal: undefined, loadBalancerType: undefined })])), [noCheck]);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [{ ...lb(), type: "aws:alb/loadBalancer:LoadBalancer" }])), [noCheck]);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb({ loadBalancerType: "network" })])), []);
            const elsewhere: TestResource = { type: "aws:synthetics/canary:Canary", name: "canary", props: {}, dependencies: [urnOf(pubA)] };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb(), pubA, elsewhere])), [noCheck]);
        });
        it("counts only health checks and canaries that watch this load balancer", async () => {
            const noCheck =
                "The internet-facing load balancer 'alb' has no uptime check (a Route 53 health check of its DNS name, or one that depends on it); an outage would go unnoticed.";
            const record: TestResource = { type: "aws:route53/record:Record", name: "www", props: { name: "www.example.com" }, dependencies: [urnOf(lb())] };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb(), record])), [noCheck]);
            const elsewhere = healthCheck({ propertyDependencies: {}, dependencies: [urnOf(pubA)] } as Partial<TestResource>);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb(), pubA, elsewhere])), [noCheck]);
            const role: TestResource = { type: "aws:iam/role:Role", name: "canary-role", props: {} };
            const canary: TestResource = { type: "aws:synthetics/canary:Canary", name: "canary", props: {}, dependencies: [urnOf(role), urnOf(lb())] };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb(), role, canary])), []);
        });
        const noAlarm =
            "The uptime check 'uptime' of load balancer 'alb' has no CloudWatch alarm on its HealthCheckStatus that notifies anyone (in us-east-1, where Route 53 publishes it).";
        const alarm = (props: Props, propertyDependencies: Record<string, string[]> = {}): TestResource => ({
            type: "aws:cloudwatch/metricAlarm:MetricAlarm",
            name: "uptime-alarm",
            props: { region: "us-east-1", alarmActions: ["arn:aws:sns:us-east-1:123456789012:alerts"], ...props },
            propertyDependencies,
        });
        const status = { namespace: "AWS/Route53", metricName: "HealthCheckStatus" };
        it("matches an alarm to the check by the check's known id when no dependency links them", async () => {
            const known = { ...healthCheck(), props: { ...healthCheck().props, id: "hc-1" } };
            const stack = (a: TestResource) => [...without(compliant(), "uptime", "uptime-alarm"), known, a];
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, stack(alarm({ ...status, dimensions: { HealthCheckId: "hc-1" } })))), []);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, stack(alarm({ ...status, dimensions: { HealthCheckId: "hc-2" } })))), [noAlarm]);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, stack(alarm({ ...status, dimensions: {} })))), [noAlarm]);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, stack(alarm({ ...status })))), [noAlarm]);
            // Neither the check's id nor the alarm's dimension is set: nothing links them.
            const stackWithoutId = (a: TestResource) => [...without(compliant(), "uptime-alarm"), a];
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, stackWithoutId(alarm({ ...status, dimensions: {} })))), [noAlarm]);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, stack(alarm({ ...status, dimensions: { HealthCheckId: UNKNOWN } })))), []);
            // A dimension built from a resource that is not a health check says nothing: the id decides.
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, [...stack(alarm({ ...status, dimensions: { HealthCheckId: "hc-2" } }, { dimensions: [urnOf(pubA)] }))])),
                [noAlarm],
            );
        });
        it("counts an unknown namespace or metric name in favour, and not another metric name", async () => {
            const withDeps = (props: Props) => alarm({ dimensions: { HealthCheckId: UNKNOWN }, ...props }, { dimensions: [urnOf(healthCheck())] });
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), withDeps({ namespace: UNKNOWN, metricName: "HealthCheckStatus" })))), []);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), withDeps({ namespace: "AWS/Route53", metricName: UNKNOWN })))), []);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), withDeps({ namespace: "AWS/Route53", metricName: "HealthCheckPercentageHealthy" })))), [noAlarm]);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), withDeps({ namespace: "AWS/Route53" })))), [noAlarm]);
        });
        it("judges metric queries: unknown ones count unless built from another check", async () => {
            const otherCheck: TestResource = { ...healthCheck(), name: "other-uptime", propertyDependencies: {} };
            const queried = (metricQueries: unknown, deps: string[]) => alarm({ metricQueries }, deps.length ? { metricQueries: deps } : {});
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [...replace(compliant(), queried(UNKNOWN, [])), otherCheck])), []);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [...replace(compliant(), queried(UNKNOWN, [urnOf(healthCheck())])), otherCheck])), []);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [...replace(compliant(), queried(UNKNOWN, [urnOf(otherCheck)])), otherCheck])), [noAlarm]);
            const other = [{ id: "m1", metric: { ...status, dimensions: { HealthCheckId: UNKNOWN } } }];
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [...replace(compliant(), queried(other, [urnOf(otherCheck)])), otherCheck])), [noAlarm]);
            const expression = [{ id: "e1", expression: "m1 * 2" }];
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), queried(expression, [urnOf(healthCheck())])))), [noAlarm]);
        });
        it("names the first of two checks that lack an alarm, and accepts either check's alarm", async () => {
            const second = healthCheck({ name: "uptime-2", propertyDependencies: { fqdn: [urnOf(lb())] } } as Partial<TestResource>);
            const o = await checkStack(serviceUptimeCheck, [...without(compliant(), "uptime-alarm"), second]);
            assert.deepStrictEqual(o.violations, [{ message: noAlarm, urn: urnOf(healthCheck()) }]);
            const onSecond = { ...uptimeAlarm(), propertyDependencies: { dimensions: [urnOf(second)] } };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [...replace(compliant(), onSecond), second])), []);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), { ...uptimeAlarm(), props: { ...uptimeAlarm().props, alarmActions: undefined } }))), [noAlarm]);
        });
        it("leaves internal load balancers alone, and counts unknown alarm actions in favour", async () => {
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb({ internal: true })])), []);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), uptimeAlarm(UNKNOWN)))), []);
        });
    });

    for (const stack of ["staging", "production"]) {
        it(`pass the ${stack} stack's service tier with its config file, in a preview`, async () => {
            const rs = (await runStack(stack, { preview: true })).resources.map(fromRecorded);
            assert.deepStrictEqual(await runPolicies(servicePolicies, rs, path.join(ROOT, "policies", "config", `${stack}.json`)), []);
        });
    }

    it("hold staging's service to production's file: three tasks in three zones", async () => {
        const rs = (await runStack("staging", { preview: true })).resources.map(fromRecorded);
        assert.deepStrictEqual(await runPolicies(servicePolicies, rs, path.join(ROOT, "policies", "config", "production.json")), [
            {
                policy: "service-desired-count",
                message: "The ECS service 'continuity-staging-web-service' runs 2 tasks; this environment requires at least 3 behind a load balancer, so that one task's failure does not take the site down.",
            },
        ]);
    });
});
