// The stack the service policies judge in these specs (policies/service.ts), written as another team writes it with
// plain @pulumi/aws resources: subnets in two zones, a load balancer, an ECS service, a target group and an uptime check.
import { TestResource, UNKNOWN, urnOf } from "../../helpers/policy";

export type Props = Record<string, unknown>;

export const subnet = (name: string, zone: unknown): TestResource => ({
    type: "aws:ec2/subnet:Subnet",
    name,
    props: { availabilityZone: zone, vpcId: UNKNOWN },
});
export const [pubA, pubB, privA, privB] = [
    subnet("public-a", "us-west-2a"),
    subnet("public-b", "us-west-2b"),
    subnet("private-a", "us-west-2a"),
    subnet("private-b", "us-west-2b"),
];

export const lb = (props: Props = {}, subnets = [pubA, pubB]): TestResource => ({
    type: "aws:lb/loadBalancer:LoadBalancer",
    name: "alb",
    props: { internal: false, loadBalancerType: "application", subnets: subnets.map(() => UNKNOWN), ...props },
    propertyDependencies: { subnets: subnets.map(urnOf) },
});
export const service = (props: Props = {}, subnets = [privA, privB]): TestResource => ({
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
export const targetGroup = (healthCheck: unknown = { enabled: true, path: "/health" }, props: Props = {}): TestResource => ({
    type: "aws:lb/targetGroup:TargetGroup",
    name: "tg",
    props: { protocol: "HTTP", targetType: "ip", healthCheck, ...props },
});
export const healthCheck = (deps: Partial<TestResource> = { propertyDependencies: { fqdn: [urnOf(lb())] } }): TestResource => ({
    type: "aws:route53/healthCheck:HealthCheck",
    name: "uptime",
    props: { type: "HTTPS", fqdn: UNKNOWN, resourcePath: "/health" },
    ...deps,
});
export const uptimeAlarm = (actions: unknown = ["arn:aws:sns:us-east-1:123456789012:alerts"]): TestResource => ({
    type: "aws:cloudwatch/metricAlarm:MetricAlarm",
    name: "uptime-alarm",
    props: {
        region: "us-east-1",
        namespace: "AWS/Route53",
        metricName: "HealthCheckStatus",
        dimensions: { HealthCheckId: UNKNOWN },
        alarmActions: actions,
    },
    propertyDependencies: { dimensions: [urnOf(healthCheck())] },
});

export function compliant(): TestResource[] {
    return [pubA, pubB, privA, privB, lb(), service(), targetGroup(), healthCheck(), uptimeAlarm()];
}
export const replace = (rs: TestResource[], r: TestResource) => rs.map((x) => (x.name === r.name ? r : x));
