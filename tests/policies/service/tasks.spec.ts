import * as assert from "assert";
import {
    serviceCircuitBreaker,
    serviceDesiredCount,
    serviceHealthCheckGrace,
    servicePolicies,
    serviceTargetGroupHealthCheck,
} from "../../../policies/service";
import { checkResource, checkStack, messages, TestResource, UNKNOWN } from "../../helpers/policy";
import { service, targetGroup, compliant } from "./fixtures";

describe("service policies (policies/service.ts)", () => {
    it("let two tasks in two zones behind a watched load balancer through, every one", async () => {
        for (const p of servicePolicies) {
            const outcomes =
                "validateStack" in p ? [await checkStack(p, compliant())] : await Promise.all(compliant().map((r) => checkResource(p, r)));
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
            assert.deepStrictEqual(
                messages(await checkResource(serviceDesiredCount, service({ desiredCount: 0, loadBalancers: undefined }))),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkResource(serviceDesiredCount, service({ desiredCount: 3 }), { minDesiredCount: 3 })),
                [],
            );
        });
        it("is skipped at preview when the count is unknown", async () => {
            const o = await checkResource(serviceDesiredCount, service({ desiredCount: UNKNOWN }));
            assert.deepStrictEqual(o.violations, []);
            assert.match(
                o.skipped!,
                /^can't run policy 'service-desired-count' during preview: .*desiredCount can't be known during preview$/,
            );
        });
    });

    describe("service-health-check-grace", () => {
        it("rejects a grace of 60 s, and none", async () => {
            assert.deepStrictEqual(messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 60 }))), [
                "The ECS service 'web' gives new tasks a health-check grace period of 60 seconds; this environment requires at least 300, or slow-starting tasks are killed before they serve.",
            ]);
            assert.deepStrictEqual(
                messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: undefined }))),
                [
                    "The ECS service 'web' gives new tasks a health-check grace period of 0 seconds; this environment requires at least 300, or slow-starting tasks are killed before they serve.",
                ],
            );
        });
        it("takes the minimum from config", async () => {
            assert.deepStrictEqual(
                messages(
                    await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 60 }), {
                        minGracePeriodSeconds: 60,
                    }),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(
                    await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 1 }), {
                        minGracePeriodSeconds: 2,
                    }),
                ),
                [
                    "The ECS service 'web' gives new tasks a health-check grace period of 1 second; this environment requires at least 2, or slow-starting tasks are killed before they serve.",
                ],
            );
        });
        it("leaves services without a load balancer alone, and lets exactly the minimum through", async () => {
            assert.deepStrictEqual(
                messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 0, loadBalancers: [] }))),
                [],
            );
            assert.deepStrictEqual(
                messages(
                    await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 0, loadBalancers: undefined })),
                ),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 300 }))),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkResource(serviceHealthCheckGrace, service({ healthCheckGracePeriodSeconds: 299 }))).length,
                1,
            );
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
            assert.deepStrictEqual(messages(await checkResource(serviceCircuitBreaker, service({ deploymentCircuitBreaker: undefined }))), [
                message,
            ]);
            assert.deepStrictEqual(
                messages(
                    await checkResource(serviceCircuitBreaker, service({ deploymentCircuitBreaker: { enable: true, rollback: false } })),
                ),
                [message],
            );
        });
        it("rejects a rollback without the breaker enabled, and judges services without a load balancer too", async () => {
            assert.deepStrictEqual(
                messages(
                    await checkResource(serviceCircuitBreaker, service({ deploymentCircuitBreaker: { enable: false, rollback: true } })),
                ),
                [message],
            );
            assert.deepStrictEqual(
                messages(await checkResource(serviceCircuitBreaker, service({ deploymentCircuitBreaker: { rollback: true } }))),
                [message],
            );
            assert.deepStrictEqual(
                messages(await checkResource(serviceCircuitBreaker, service({ loadBalancers: [], deploymentCircuitBreaker: undefined }))),
                [message],
            );
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
            assert.deepStrictEqual(
                messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ enabled: true }, { protocol: undefined }))),
                [noPath],
            );
            assert.deepStrictEqual(
                messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ enabled: true }, { protocol: "HTTPS" }))),
                [noPath],
            );
            assert.deepStrictEqual(
                messages(
                    await checkResource(serviceTargetGroupHealthCheck, { ...targetGroup(), props: { protocol: "HTTP", targetType: "ip" } }),
                ),
                [noPath],
            );
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ path: "" }))), [noPath]);
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ path: "/health" }))), []);
            const legacy = (hc: unknown): TestResource => ({ ...targetGroup(hc), type: "aws:alb/targetGroup:TargetGroup" });
            assert.deepStrictEqual(messages(await checkResource(serviceTargetGroupHealthCheck, legacy({ enabled: false }))), [
                "The target group 'tg' has its health check turned off; the load balancer would keep sending requests to a failed task.",
            ]);
            assert.deepStrictEqual(
                messages(await checkResource(serviceTargetGroupHealthCheck, legacy({ enabled: true, path: "/health" }))),
                [],
            );
        });
        it("leaves TCP and Lambda target groups alone", async () => {
            assert.deepStrictEqual(
                messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ enabled: true }, { protocol: "TCP" }))),
                [],
            );
            assert.deepStrictEqual(
                messages(await checkResource(serviceTargetGroupHealthCheck, targetGroup({ enabled: true }, { targetType: "lambda" }))),
                [],
            );
        });
        it("is skipped at preview when the health check is unknown", async () => {
            const o = await checkResource(serviceTargetGroupHealthCheck, targetGroup(UNKNOWN));
            assert.deepStrictEqual(o.violations, []);
            assert.match(o.skipped!, /^can't run policy 'service-target-group-health-check' during preview: /);
        });
    });
});
