import * as assert from "assert";
import * as path from "path";
import { servicePolicies, serviceUptimeCheck } from "../../../policies/service";
import { checkStack, fromRecorded, messages, runPolicies, TestResource, UNKNOWN, urnOf } from "../../helpers/policy";
import { ROOT, runStack } from "../../helpers/program";
import { Props, pubA, lb, healthCheck, uptimeAlarm, compliant, replace } from "./fixtures";

const without = (rs: TestResource[], ...names: string[]) => rs.filter((r) => !names.includes(r.name));

describe("service policies (policies/service.ts)", () => {
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
            assert.deepStrictEqual((await checkStack(serviceUptimeCheck, without(compliant(), "uptime-alarm"))).violations, [
                { message, urn: urnOf(healthCheck()) },
            ]);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), uptimeAlarm([])))), [message]);
        });
        it("does not count an alarm on another check, or on another namespace", async () => {
            const otherLb = { ...lb(), name: "other-alb" };
            const otherCheck = healthCheck({
                name: "other-uptime",
                propertyDependencies: { fqdn: [urnOf(otherLb)] },
            } as Partial<TestResource>);
            const o = await checkStack(serviceUptimeCheck, [
                ...without(compliant(), "uptime-alarm"),
                otherLb,
                otherCheck,
                { ...uptimeAlarm(), propertyDependencies: { dimensions: [urnOf(otherCheck)] } },
            ]);
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
            const metric = {
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                dimensions: { HealthCheckId: UNKNOWN },
                period: 60,
                stat: "Minimum",
            };
            const math: TestResource = {
                type: "aws:cloudwatch/metricAlarm:MetricAlarm",
                name: "uptime-alarm",
                props: {
                    region: "us-east-1",
                    metricQueries: [{ id: "m1", metric, returnData: true }],
                    alarmActions: ["arn:aws:sns:us-east-1:123456789012:alerts"],
                },
                propertyDependencies: { metricQueries: [urnOf(healthCheck())] },
            };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), math))), []);
        });
        it("accepts a custom domain's check that depends on the load balancer, and a canary", async () => {
            const custom = healthCheck({
                dependencies: [urnOf(lb())],
                props: { type: "HTTPS", fqdn: "app.example.com" },
            } as Partial<TestResource>);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, replace(compliant(), custom))), []);
            const canary: TestResource = { type: "aws:synthetics/canary:Canary", name: "canary", props: {}, dependencies: [urnOf(lb())] };
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, [...without(compliant(), "uptime", "uptime-alarm"), canary])),
                [],
            );
        });
        it("judges a load balancer whose internal flag is unknown, and leaves network load balancers alone", async () => {
            const noCheck =
                "The internet-facing load balancer 'alb' has no uptime check (a Route 53 health check of its DNS name, or one that depends on it); an outage would go unnoticed.";
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb({ internal: UNKNOWN })])), [noCheck]);
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, [lb({ internal: undefined, loadBalancerType: undefined })])),
                [noCheck],
            );
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, [{ ...lb(), type: "aws:alb/loadBalancer:LoadBalancer" }])),
                [noCheck],
            );
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb({ loadBalancerType: "network" })])), []);
            const elsewhere: TestResource = {
                type: "aws:synthetics/canary:Canary",
                name: "canary",
                props: {},
                dependencies: [urnOf(pubA)],
            };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb(), pubA, elsewhere])), [noCheck]);
        });
        it("counts only health checks and canaries that watch this load balancer", async () => {
            const noCheck =
                "The internet-facing load balancer 'alb' has no uptime check (a Route 53 health check of its DNS name, or one that depends on it); an outage would go unnoticed.";
            const record: TestResource = {
                type: "aws:route53/record:Record",
                name: "www",
                props: { name: "www.example.com" },
                dependencies: [urnOf(lb())],
            };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb(), record])), [noCheck]);
            const elsewhere = healthCheck({ propertyDependencies: {}, dependencies: [urnOf(pubA)] } as Partial<TestResource>);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [lb(), pubA, elsewhere])), [noCheck]);
            const role: TestResource = { type: "aws:iam/role:Role", name: "canary-role", props: {} };
            const canary: TestResource = {
                type: "aws:synthetics/canary:Canary",
                name: "canary",
                props: {},
                dependencies: [urnOf(role), urnOf(lb())],
            };
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
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, stack(alarm({ ...status, dimensions: { HealthCheckId: "hc-1" } })))),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, stack(alarm({ ...status, dimensions: { HealthCheckId: "hc-2" } })))),
                [noAlarm],
            );
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, stack(alarm({ ...status, dimensions: {} })))), [noAlarm]);
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, stack(alarm({ ...status })))), [noAlarm]);
            // Neither the check's id nor the alarm's dimension is set: nothing links them.
            const stackWithoutId = (a: TestResource) => [...without(compliant(), "uptime-alarm"), a];
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, stackWithoutId(alarm({ ...status, dimensions: {} })))), [
                noAlarm,
            ]);
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, stack(alarm({ ...status, dimensions: { HealthCheckId: UNKNOWN } })))),
                [],
            );
            // A dimension built from a resource that is not a health check says nothing: the id decides.
            assert.deepStrictEqual(
                messages(
                    await checkStack(serviceUptimeCheck, [
                        ...stack(alarm({ ...status, dimensions: { HealthCheckId: "hc-2" } }, { dimensions: [urnOf(pubA)] })),
                    ]),
                ),
                [noAlarm],
            );
        });
        it("counts an unknown namespace or metric name in favour, and not another metric name", async () => {
            const withDeps = (props: Props) =>
                alarm({ dimensions: { HealthCheckId: UNKNOWN }, ...props }, { dimensions: [urnOf(healthCheck())] });
            assert.deepStrictEqual(
                messages(
                    await checkStack(
                        serviceUptimeCheck,
                        replace(compliant(), withDeps({ namespace: UNKNOWN, metricName: "HealthCheckStatus" })),
                    ),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(serviceUptimeCheck, replace(compliant(), withDeps({ namespace: "AWS/Route53", metricName: UNKNOWN }))),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(
                        serviceUptimeCheck,
                        replace(compliant(), withDeps({ namespace: "AWS/Route53", metricName: "HealthCheckPercentageHealthy" })),
                    ),
                ),
                [noAlarm],
            );
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, replace(compliant(), withDeps({ namespace: "AWS/Route53" })))),
                [noAlarm],
            );
        });
        it("judges metric queries: unknown ones count unless built from another check", async () => {
            const otherCheck: TestResource = { ...healthCheck(), name: "other-uptime", propertyDependencies: {} };
            const queried = (metricQueries: unknown, deps: string[]) =>
                alarm({ metricQueries }, deps.length ? { metricQueries: deps } : {});
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, [...replace(compliant(), queried(UNKNOWN, [])), otherCheck])),
                [],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(serviceUptimeCheck, [...replace(compliant(), queried(UNKNOWN, [urnOf(healthCheck())])), otherCheck]),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(
                    await checkStack(serviceUptimeCheck, [...replace(compliant(), queried(UNKNOWN, [urnOf(otherCheck)])), otherCheck]),
                ),
                [noAlarm],
            );
            const other = [{ id: "m1", metric: { ...status, dimensions: { HealthCheckId: UNKNOWN } } }];
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, [...replace(compliant(), queried(other, [urnOf(otherCheck)])), otherCheck])),
                [noAlarm],
            );
            const expression = [{ id: "e1", expression: "m1 * 2" }];
            assert.deepStrictEqual(
                messages(await checkStack(serviceUptimeCheck, replace(compliant(), queried(expression, [urnOf(healthCheck())])))),
                [noAlarm],
            );
        });
        it("names the first of two checks that lack an alarm, and accepts either check's alarm", async () => {
            const second = healthCheck({ name: "uptime-2", propertyDependencies: { fqdn: [urnOf(lb())] } } as Partial<TestResource>);
            const o = await checkStack(serviceUptimeCheck, [...without(compliant(), "uptime-alarm"), second]);
            assert.deepStrictEqual(o.violations, [{ message: noAlarm, urn: urnOf(healthCheck()) }]);
            const onSecond = { ...uptimeAlarm(), propertyDependencies: { dimensions: [urnOf(second)] } };
            assert.deepStrictEqual(messages(await checkStack(serviceUptimeCheck, [...replace(compliant(), onSecond), second])), []);
            assert.deepStrictEqual(
                messages(
                    await checkStack(
                        serviceUptimeCheck,
                        replace(compliant(), { ...uptimeAlarm(), props: { ...uptimeAlarm().props, alarmActions: undefined } }),
                    ),
                ),
                [noAlarm],
            );
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
                message:
                    "The ECS service 'continuity-staging-web-service' runs 2 tasks; this environment requires at least 3 behind a load balancer, so that one task's failure does not take the site down.",
            },
        ]);
    });
});
