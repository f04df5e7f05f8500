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
