// Service: a web application behind a load balancer survives the loss of a task or a zone and tells
// someone when it is down. An ECS service behind a load balancer runs at least N tasks in subnets of
// at least N zones, gives new tasks a health-check grace period of at least N seconds, and rolls back
// a deployment that does not become healthy; its target group checks a health path; the load
// balancer spans at least N zones; an internet-facing load balancer has an uptime check with an alarm
// that notifies someone.
//
// Links at preview go through property dependencies (a service's subnets, a health check's fqdn, an
// alarm's dimensions) or ids we know; a link or a value unknown at preview counts in the stack's
// favour and is judged again at `pulumi up`. Subnets that the stack does not declare (an existing
// VPC's ids) cannot show their zone: fewer ids than zones required is a violation, more count in favour.
import { PolicyResource, ResourceValidationPolicy, StackValidationPolicy, validateResourceOfType } from "@pulumi/policy";
import { resourceType } from "./types";
import { is, known, Maybe, plural, settingsOf, settingsSchema, UNKNOWN } from "./util";

export const ServiceTypes = {
    service: "aws:ecs/service:Service",
    loadBalancer: ["aws:lb/loadBalancer:LoadBalancer", "aws:alb/loadBalancer:LoadBalancer"],
    targetGroup: ["aws:lb/targetGroup:TargetGroup", "aws:alb/targetGroup:TargetGroup"],
    subnet: "aws:ec2/subnet:Subnet",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    canary: "aws:synthetics/canary:Canary",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
} as const;

interface ServiceProps {
    desiredCount?: number;
    healthCheckGracePeriodSeconds?: number;
    deploymentCircuitBreaker?: { enable?: boolean; rollback?: boolean };
    loadBalancers?: { targetGroupArn?: string }[];
    networkConfiguration?: { subnets?: string[] };
}
const EcsService = resourceType<ServiceProps>(ServiceTypes.service);

interface TargetGroupProps {
    protocol?: string;
    targetType?: string;
    healthCheck?: { enabled?: boolean; path?: string };
}
const TargetGroup = resourceType<TargetGroupProps>(ServiceTypes.targetGroup[0]);
const LegacyTargetGroup = resourceType<TargetGroupProps>(ServiceTypes.targetGroup[1]);

const behindLoadBalancer = (s: ServiceProps) => (s.loadBalancers ?? []).length > 0;

const desiredSchema = settingsSchema({ properties: { minDesiredCount: { type: "integer" as const, minimum: 1, default: 2 } } });

/** An unknown count is skipped at preview by the SDK and judged at `pulumi up`; unset means AWS's 0. */
export const serviceDesiredCount: ResourceValidationPolicy = {
    name: "service-desired-count",
    description:
        "ECS services behind a load balancer run at least N tasks, so that one task's failure or replacement does not take the site down.",
    enforcementLevel: "mandatory",
    configSchema: desiredSchema,
    validateResource: validateResourceOfType(EcsService, (service, args, report) => {
        if (!behindLoadBalancer(service)) return;
        const { minDesiredCount } = settingsOf<{ minDesiredCount: number }>(desiredSchema, args.getConfig());
        const count = service.desiredCount ?? 0;
        if (count < minDesiredCount) {
            report(
                `The ECS service '${args.name}' runs ${plural(count, "task")}; this environment requires at least ${minDesiredCount} behind a load balancer, so that one task's failure does not take the site down.`,
            );
        }
    }),
};

const graceSchema = settingsSchema({ properties: { minGracePeriodSeconds: { type: "integer" as const, minimum: 0, default: 300 } } });

export const serviceHealthCheckGrace: ResourceValidationPolicy = {
    name: "service-health-check-grace",
    description: "ECS services behind a load balancer give a new task at least N seconds before failed health checks count against it.",
    enforcementLevel: "mandatory",
    configSchema: graceSchema,
    validateResource: validateResourceOfType(EcsService, (service, args, report) => {
        if (!behindLoadBalancer(service)) return;
        const { minGracePeriodSeconds } = settingsOf<{ minGracePeriodSeconds: number }>(graceSchema, args.getConfig());
        const grace = service.healthCheckGracePeriodSeconds ?? 0;
        if (grace < minGracePeriodSeconds) {
            report(
                `The ECS service '${args.name}' gives new tasks a health-check grace period of ${plural(grace, "second")}; this environment requires at least ${minGracePeriodSeconds}, or slow-starting tasks are killed before they serve.`,
            );
        }
    }),
};

export const serviceCircuitBreaker: ResourceValidationPolicy = {
    name: "service-circuit-breaker",
    description: "ECS services stop a deployment that does not become healthy and roll it back (deployment circuit breaker with rollback).",
    enforcementLevel: "mandatory",
    validateResource: validateResourceOfType(EcsService, (service, args, report) => {
        const breaker = service.deploymentCircuitBreaker;
        if (breaker?.enable !== true || breaker.rollback !== true) {
            report(
                `The ECS service '${args.name}' has no deployment circuit breaker with rollback (deploymentCircuitBreaker enable and rollback true); a failing deployment would not be rolled back by itself.`,
            );
        }
    }),
};

/** A target group whose health-check settings are unknown is skipped at preview by the SDK. */
const targetGroupCheck = (group: TargetGroupProps, args: { name: string }, report: (m: string) => void) => {
    const protocol = group.protocol ?? "HTTP";
    if (!["HTTP", "HTTPS"].includes(protocol) || group.targetType === "lambda") return;
    if (group.healthCheck?.enabled === false) {
        report(
            `The target group '${args.name}' has its health check turned off; the load balancer would keep sending requests to a failed task.`,
        );
    } else if (!group.healthCheck?.path) {
        // AWS would check "/", which rarely says whether the application works.
        report(`The target group '${args.name}' sets no health check path; give the application's health endpoint (such as /health).`);
    }
};

export const serviceTargetGroupHealthCheck: ResourceValidationPolicy = {
    name: "service-target-group-health-check",
    description: "HTTP(S) target groups check an explicit health path, so a failed task is taken out of service.",
    enforcementLevel: "mandatory",
    validateResource: [validateResourceOfType(TargetGroup, targetGroupCheck), validateResourceOfType(LegacyTargetGroup, targetGroupCheck)],
};

// --- stack policies ----------------------------------------------------------------------------

/**
 * The zones of the subnets a resource names through `property` (a list of ids, or objects whose
 * `key` is an id): a count, UNKNOWN when they may be enough, or the ids' count when undeclared.
 */
function zoneCount(
    r: PolicyResource,
    read: () => unknown,
    property: string,
    subnets: PolicyResource[],
    min: number,
): Maybe<{ zones: number; declared: boolean }> {
    const linked = (r.propertyDependencies[property] ?? []).filter((d) => subnets.includes(d));
    const zonesOf = (list: PolicyResource[]) => {
        const zones = list.map((s) => known(() => (s.props.availabilityZone ?? s.props.availabilityZoneId) as string | undefined));
        if (zones.some((z) => z === UNKNOWN || z === undefined)) return UNKNOWN;
        return new Set(zones).size;
    };
    if (linked.length > 0) {
        const n = zonesOf(linked);
        return n === UNKNOWN ? UNKNOWN : { zones: n, declared: true };
    }
    // The list and each id read inside known(): one unknown id must not make the SDK skip the policy
    // for the whole stack.
    const list = known(() =>
        ((read() as unknown[] | undefined) ?? []).map((x) =>
            typeof x === "string" ? x : (x as Record<string, unknown> | undefined)?.subnetId,
        ),
    );
    if (list === UNKNOWN) return UNKNOWN;
    const declared = subnets.filter((s) => list.includes(known(() => s.props.id as string | undefined) as string));
    if (declared.length === list.length && declared.length > 0) {
        const n = zonesOf(declared);
        return n === UNKNOWN ? UNKNOWN : { zones: n, declared: true };
    }
    // Ids of subnets outside the stack: their zones cannot be seen, but fewer ids than zones is too few.
    const distinct = new Set(list).size;
    return distinct < min ? { zones: distinct, declared: false } : UNKNOWN;
}

const zonesSchema = settingsSchema({ properties: { minZones: { type: "integer" as const, minimum: 1, default: 2 } } });

export const serviceSubnetZones: StackValidationPolicy = {
    name: "service-subnet-zones",
    description:
        "ECS services behind a load balancer run in subnets of at least N availability zones, so that one zone's loss leaves tasks running.",
    enforcementLevel: "mandatory",
    configSchema: zonesSchema,
    validateStack: (args, report) => {
        const { minZones } = settingsOf<{ minZones: number }>(zonesSchema, args.getConfig());
        const subnets = args.resources.filter(is(ServiceTypes.subnet));
        for (const service of args.resources.filter(is(ServiceTypes.service))) {
            const lbs = known(() => (service.props.loadBalancers ?? []) as unknown[]);
            if (lbs !== UNKNOWN && lbs.length === 0) continue;
            const n = zoneCount(
                service,
                () => (service.props.networkConfiguration as ServiceProps["networkConfiguration"])?.subnets,
                "networkConfiguration",
                subnets,
                minZones,
            );
            if (n === UNKNOWN || n.zones >= minZones) continue;
            report(
                `The ECS service '${service.name}' runs in subnets of ${n.declared ? plural(n.zones, "availability zone") : plural(n.zones, "subnet")}; this environment requires subnets in at least ${minZones} zones, so that one zone's loss leaves tasks running.`,
                service.urn,
            );
        }
    },
};

export const serviceLoadBalancerZones: StackValidationPolicy = {
    name: "service-load-balancer-zones",
    description: "Application load balancers span at least N availability zones.",
    enforcementLevel: "mandatory",
    configSchema: zonesSchema,
    validateStack: (args, report) => {
        const { minZones } = settingsOf<{ minZones: number }>(zonesSchema, args.getConfig());
        const subnets = args.resources.filter(is(ServiceTypes.subnet));
        for (const lb of args.resources.filter(is(...ServiceTypes.loadBalancer))) {
            if ((known(() => lb.props.loadBalancerType as string | undefined) ?? "application") !== "application") continue;
            const mappings = known(() => lb.props.subnetMappings as unknown[] | undefined);
            const viaMappings = mappings !== UNKNOWN && mappings !== undefined && mappings.length > 0;
            const n = viaMappings
                ? zoneCount(lb, () => lb.props.subnetMappings, "subnetMappings", subnets, minZones)
                : zoneCount(lb, () => lb.props.subnets, "subnets", subnets, minZones);
            if (n === UNKNOWN || n.zones >= minZones) continue;
            report(
                `The load balancer '${lb.name}' spans ${n.declared ? plural(n.zones, "availability zone") : plural(n.zones, "subnet")}; this environment requires at least ${minZones} zones.`,
                lb.urn,
            );
        }
    },
};

/** Whether `check` watches `lb`: its fqdn built from the load balancer's DNS name, or a dependency on it. */
const watches = (check: PolicyResource, lb: PolicyResource) =>
    (check.propertyDependencies.fqdn ?? []).some((d) => d.urn === lb.urn) || check.dependencies.some((d) => d.urn === lb.urn);

interface AlarmMetric {
    namespace?: string;
    metricName?: string;
    dimensions?: Record<string, unknown>;
}

/** Through property dependencies: built from this health check (true), from another one (false), or neither. */
function builtFrom(from: PolicyResource[], check: PolicyResource): boolean | undefined {
    if (from.some((d) => d.urn === check.urn)) return true;
    return from.some(is(ServiceTypes.healthCheck)) ? false : undefined;
}

/**
 * Whether a metric (an alarm's own, or one of its metricQueries') is this health check's
 * HealthCheckStatus: its HealthCheckId built from the check, or equal to the check's known id. An
 * unknown name, namespace or id counts in the stack's favour; one built from another check does not.
 */
function watchesStatus(read: () => AlarmMetric | undefined, from: PolicyResource[], check: PolicyResource): boolean {
    const namespace = known(() => read()?.namespace);
    const name = known(() => read()?.metricName);
    if ((namespace !== UNKNOWN && namespace !== "AWS/Route53") || (name !== UNKNOWN && name !== "HealthCheckStatus")) return false;
    const link = builtFrom(from, check);
    if (link !== undefined) return link;
    const id = known(() => read()?.dimensions?.HealthCheckId);
    const ownId = known(() => check.props.id);
    return id === UNKNOWN || (id !== undefined && id === ownId);
}

/** Whether an alarm on this health check's status notifies someone (alarm actions set). */
function alarmed(check: PolicyResource, alarms: PolicyResource[]): boolean {
    return alarms.some((a) => {
        const viaQueries = a.propertyDependencies.metricQueries ?? [];
        const queries = known(() => [...((a.props.metricQueries ?? []) as { metric?: AlarmMetric }[])]);
        const watched =
            watchesStatus(() => a.props as AlarmMetric, a.propertyDependencies.dimensions ?? [], check) ||
            (queries === UNKNOWN
                ? builtFrom(viaQueries, check) !== false
                : queries.some((q) => watchesStatus(() => q.metric, viaQueries, check)));
        if (!watched) return false;
        const actions = known(() => (a.props.alarmActions ?? []) as unknown[]);
        return actions === UNKNOWN || actions.length > 0;
    });
}

export const serviceUptimeCheck: StackValidationPolicy = {
    name: "service-uptime-check",
    description:
        "Internet-facing application load balancers have an uptime check (a Route 53 health check or a Synthetics canary watching them) whose alarm notifies someone.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        const checks = args.resources.filter(is(ServiceTypes.healthCheck));
        const canaries = args.resources.filter(is(ServiceTypes.canary));
        const alarms = args.resources.filter(is(ServiceTypes.alarm));
        for (const lb of args.resources.filter(is(...ServiceTypes.loadBalancer))) {
            if (known(() => lb.props.internal) === true) continue;
            if ((known(() => lb.props.loadBalancerType as string | undefined) ?? "application") !== "application") continue;
            const mine = checks.filter((c) => watches(c, lb));
            if (canaries.some((c) => c.dependencies.some((d) => d.urn === lb.urn))) continue;
            if (mine.length === 0) {
                report(
                    `The internet-facing load balancer '${lb.name}' has no uptime check (a Route 53 health check of its DNS name, or one that depends on it); an outage would go unnoticed.`,
                    lb.urn,
                );
                continue;
            }
            if (mine.some((c) => alarmed(c, alarms))) continue;
            report(
                `The uptime check '${mine[0].name}' of load balancer '${lb.name}' has no CloudWatch alarm on its HealthCheckStatus that notifies anyone (in us-east-1, where Route 53 publishes it).`,
                mine[0].urn,
            );
        }
    },
};

export const servicePolicies = [
    serviceDesiredCount,
    serviceSubnetZones,
    serviceHealthCheckGrace,
    serviceCircuitBreaker,
    serviceTargetGroupHealthCheck,
    serviceLoadBalancerZones,
    serviceUptimeCheck,
];
