// What the DR plan reads from the resource graph besides the data stores: alarms and alerts and where
// they go, the contacts subscribed to them, and the services' fault tolerance (tasks, zones, grace
// periods, rollback). Read from the resources as the pack's stack policies see them (PolicyResource),
// links through property dependencies first, as the guard links them; a value unknown at preview is
// shown as such, never guessed.
import { PolicyResource } from "@pulumi/policy";
import { MonitoringTypes } from "../../policies/monitoring";
import { regionOf } from "../../policies/scope";
import { readProps, UNKNOWN } from "../../policies/util";

export const AT_PREVIEW = "unknown at preview";
export const SECRET = "[secret]";

export const ServiceTypes = {
    ecsService: "aws:ecs/service:Service",
    scalingTarget: "aws:appautoscaling/target:Target",
    targetGroup: "aws:lb/targetGroup:TargetGroup",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
} as const;

/** The graph with the lookups the plan needs. `secret(urn, path)`: whether that value is a secret. */
export class Graph {
    private readonly byUrn: Map<string, PolicyResource>;
    constructor(
        readonly resources: readonly PolicyResource[],
        private readonly secretPaths: ReadonlySet<string> = new Set(),
    ) {
        this.byUrn = new Map(resources.map((r) => [r.urn, r]));
    }

    get(urn: string): PolicyResource | undefined {
        return this.byUrn.get(urn);
    }

    ofType(...types: string[]): PolicyResource[] {
        return this.resources.filter((r) => types.includes(r.type));
    }

    /** Whether the value at `path` ("endpoint", "notifications[0].emailAddress") of a resource is, or lies in, a secret. */
    secret(urn: string, path: string): boolean {
        for (let p = path; p.length > 0; p = p.replace(/(\.[^.[\]]+|\[\d+\])$/, "")) {
            if (this.secretPaths.has(`${urn}#${p}`)) return true;
            if (!/[.[]/.test(p)) break;
        }
        return false;
    }

    /** The name a person finds in the console: the bucket, domain, cluster or service name when known, else the resource's name. */
    nameOf(urn: string): string {
        const r = this.byUrn.get(urn);
        if (!r) return urn.split("::").pop() ?? urn;
        for (const key of ["bucket", "domainName", "clusterIdentifier", "identifier", "name"]) {
            const v = read(r, (p) => p[key]);
            if (typeof v === "string" && v.length > 0) return v;
        }
        return r.name;
    }

    /** The resources a property of `r` was built from, among those of `types`. */
    linked(r: PolicyResource, property: string, ...types: string[]): PolicyResource[] {
        return (r.propertyDependencies[property] ?? []).filter((d) => types.includes(d.type)).map((d) => this.byUrn.get(d.urn) ?? d);
    }
}

/** A property read that may be unknown at preview (the pack's own reader, under the name the report uses). */
export const read = readProps;

/** Resources by name (then URN): the plan lists them in an order that does not depend on how the program registered them. */
const byName = (rs: PolicyResource[]) => [...rs].sort((a, b) => a.name.localeCompare(b.name) || a.urn.localeCompare(b.urn));

const show = (v: unknown): string => (v === UNKNOWN ? AT_PREVIEW : v === undefined || v === null ? "—" : String(v));

/** Where a list of SNS topic references goes: topics of the stack by name, other ARNs by their last part. */
/** "Lambda function" for aws:lambda/function:Function; the type's own name for the others. */
function resourceLabel(urn: string): string {
    const type = urn.split("::")[2]?.split("$").pop() ?? "";
    if (type === "aws:lambda/function:Function") return "Lambda function";
    if (type === "aws:sqs/queue:Queue") return "SQS queue";
    return type.split(":").pop() ?? type;
}

function destinations(g: Graph, r: PolicyResource, property: string): string[] {
    const topics = g.linked(r, property, MonitoringTypes.topic);
    if (topics.length > 0) return topics.map((t) => `SNS topic ${g.nameOf(t.urn)}`);
    // Anything else the property was built from (a Lambda function, a queue): named by its resource, even at preview.
    const others = (r.propertyDependencies[property] ?? []).map((d) => d.urn);
    if (others.length > 0) return others.map((urn) => `${resourceLabel(urn)} ${g.nameOf(urn)}`);
    const v = read(r, (p) => p[property] as unknown);
    if (v === UNKNOWN) return [AT_PREVIEW];
    const list = (Array.isArray(v) ? v : v === undefined || v === null ? [] : [v]).map((x) => (x === UNKNOWN ? AT_PREVIEW : String(x)));
    return list.map((arn) => {
        const m = /^arn:aws[\w-]*:sns:[^:]*:[^:]*:(.+)$/.exec(arn);
        return m ? `SNS topic ${m[1]} (not in this stack)` : arn;
    });
}

const OPERATORS: Record<string, string> = {
    GreaterThanOrEqualToThreshold: "≥",
    GreaterThanThreshold: ">",
    LessThanThreshold: "<",
    LessThanOrEqualToThreshold: "≤",
    LessThanLowerOrGreaterThanUpperThreshold: "outside the band",
    LessThanLowerThreshold: "below the band",
    GreaterThanUpperThreshold: "above the band",
};

export interface AlarmInfo {
    readonly name: string;
    readonly region: string;
    /** "OpenSearch domain x: a primary shard is unassigned (`AWS/ES ClusterStatus.red`)". */
    readonly watches: string;
    /** "≥ 1 for 1 × 60 s". */
    readonly condition: string;
    readonly notifies: string[];
}

function metricOf(r: PolicyResource): string {
    const single = read(r, (p) => (p.metricName ? `${p.namespace ?? "?"} ${p.metricName}` : undefined));
    if (typeof single === "string") return single;
    const queries = read(r, (p) => (p.metricQueries ?? []) as Record<string, any>[]);
    if (queries === UNKNOWN) return AT_PREVIEW;
    const metrics = queries.filter((q) => q.metric).map((q) => `${q.metric.namespace} ${q.metric.metricName}`);
    const expression = queries.find((q) => q.expression && q.returnData !== false)?.expression as string | undefined;
    return [metrics.join(", "), expression].filter(Boolean).join(": ") || "—";
}

export function alarmsOf(g: Graph): AlarmInfo[] {
    return byName(g.ofType(MonitoringTypes.alarm)).map((r) => {
        const description = read(r, (p) => p.alarmDescription as string | undefined);
        const metric = metricOf(r);
        const op = read(r, (p) => p.comparisonOperator as string | undefined);
        const threshold = read(r, (p) => p.threshold as number | undefined);
        const periods = read(r, (p) => p.evaluationPeriods as number | undefined);
        const period = read(
            r,
            (p) => (p.period ?? (p.metricQueries ?? []).find((q: any) => q.metric)?.metric?.period) as number | undefined,
        );
        const missing = read(r, (p) => p.treatMissingData as string | undefined);
        const opText = typeof op === "string" ? (OPERATORS[op] ?? op) : show(op);
        const condition =
            `${opText} ${show(threshold)} for ${show(periods)} × ${show(period)} ` +
            `s${typeof missing === "string" && missing !== "missing" ? `; missing data: ${missing}` : ""}`;
        const enabled = read(r, (p) => p.actionsEnabled);
        return {
            name: r.name,
            region: show(regionOf(r)),
            watches: typeof description === "string" && description ? `${description} (\`${metric}\`)` : `\`${metric}\``,
            condition,
            notifies: enabled === false ? ["no one (actionsEnabled false)"] : destinationsOrNone(g, r, "alarmActions"),
        };
    });
}

const destinationsOrNone = (g: Graph, r: PolicyResource, property: string) => {
    const d = destinations(g, r, property);
    return d.length > 0 ? d : ["no one"];
};

/** "source: aws.datasync; detail.State: ERROR" from an EventBridge pattern. */
export function patternSummary(pattern: string): string {
    let parsed: unknown;
    try {
        parsed = JSON.parse(pattern);
    } catch {
        return "a pattern that is not JSON";
    }
    const parts: string[] = [];
    const walk = (v: unknown, at: string) => {
        if (Array.isArray(v)) parts.push(`${at}: ${v.map((x) => (typeof x === "object" ? JSON.stringify(x) : String(x))).join(", ")}`);
        else if (v !== null && typeof v === "object") for (const [k, x] of Object.entries(v)) walk(x, at ? `${at}.${k}` : k);
        else parts.push(`${at}: ${String(v)}`);
    };
    walk(parsed, "");
    return parts.join("; ");
}

export interface RuleInfo {
    readonly name: string;
    readonly matches: string;
    readonly notifies: string[];
}

export function eventRulesOf(g: Graph): RuleInfo[] {
    const rules = byName(g.ofType(MonitoringTypes.eventRule));
    const targets = byName(g.ofType(MonitoringTypes.eventTarget));
    return rules.map((rule) => {
        const pattern = read(rule, (p) => p.eventPattern as string | undefined);
        const schedule = read(rule, (p) => p.scheduleExpression as string | undefined);
        const off = read(rule, (p) => p.state === "DISABLED" || p.isEnabled === false) === true;
        const matches =
            pattern === UNKNOWN
                ? AT_PREVIEW
                : typeof pattern === "string"
                  ? patternSummary(pattern)
                  : typeof schedule === "string"
                    ? `schedule ${schedule}`
                    : "—";
        const ruleName = read(rule, (p) => p.name as string | undefined);
        const mine = targets.filter((t) => {
            if ((t.propertyDependencies.rule ?? []).some((d) => d.urn === rule.urn)) return true;
            const v = read(t, (p) => p.rule as string | undefined);
            return typeof v === "string" && v === ruleName;
        });
        const notifies = mine.flatMap((t) => destinations(g, t, "arn"));
        return {
            name: rule.name,
            matches: off ? `${matches} (disabled: matches nothing)` : matches,
            notifies: notifies.length > 0 ? notifies : ["no target"],
        };
    });
}

/** An Atlas notification as a contact: "email devops@example.com"; secrets and tokens never shown. */
function atlasTarget(g: Graph, urn: string, n: Record<string, any>, i: number): string {
    const at = (field: string) => (g.secret(urn, `notifications[${i}].${field}`) ? SECRET : show(n[field]));
    switch (n.typeName) {
        case "EMAIL":
            return `email ${at("emailAddress")}`;
        case "SMS":
            return `SMS ${at("mobileNumber")}`;
        case "USER":
            return `Atlas user ${at("username")}`;
        case "TEAM":
            return `Atlas team ${n.teamName ? at("teamName") : at("teamId")}`;
        case "GROUP":
        case "ORG":
            return (
                `${n.typeName === "GROUP" ? "project" : "organization"} ` +
                `members${Array.isArray(n.roles) ? ` with ${n.roles.join(", ")}` : ""}`
            );
        case "SLACK":
            return `Slack ${n.channelName ? at("channelName") : "channel"}`;
        default:
            return String(n.typeName ?? "unknown notification");
    }
}

export interface AtlasAlertInfo {
    readonly name: string;
    readonly event: string;
    readonly enabled: boolean | "unknown";
    readonly notifies: string[];
}

export function atlasAlertsOf(g: Graph): AtlasAlertInfo[] {
    return byName(g.ofType(MonitoringTypes.atlasAlert)).map((r) => {
        const event = read(r, (p) => (p.eventType ?? p.eventTypeName) as string | undefined);
        const enabled = read(r, (p) => p.enabled as boolean | undefined);
        const notifications = read(r, (p) => (p.notifications ?? []) as Record<string, any>[]);
        return {
            name: r.name,
            event: show(event),
            enabled: enabled === UNKNOWN ? "unknown" : enabled !== false,
            notifies:
                notifications === UNKNOWN
                    ? [AT_PREVIEW]
                    : notifications.length === 0
                      ? ["no one"]
                      : notifications.map((n, i) => atlasTarget(g, r.urn, n, i)),
        };
    });
}

export interface ChannelInfo {
    readonly name: string;
    readonly kind: string;
    readonly notifies: string[];
}

/** OpenSearch notification channels and AWS Backup vault notifications: where failures of those mechanisms go. */
export function channelsOf(g: Graph): ChannelInfo[] {
    const search = byName(g.ofType(MonitoringTypes.channel)).map((c) => {
        const topics = g.linked(c, "body", MonitoringTypes.topic).map((t) => `SNS topic ${g.nameOf(t.urn)}`);
        const arn = read(c, (p) => p.body?.sns?.topic_arn as string | undefined);
        return {
            name: show(read(c, (p) => p.name)),
            kind: "OpenSearch notification channel",
            notifies: topics.length > 0 ? topics : [show(arn)],
        };
    });
    const vaults = byName(g.ofType(MonitoringTypes.vaultNotifications)).map((n) => {
        const events = read(n, (p) => (p.backupVaultEvents ?? []) as string[]);
        const kind = `AWS Backup vault notifications (${events === UNKNOWN ? AT_PREVIEW : events.join(", ")})`;
        return { name: n.name, kind, notifies: destinationsOrNone(g, n, "snsTopicArn") };
    });
    return [...search, ...vaults];
}

export interface UptimeInfo {
    readonly name: string;
    readonly checks: string;
}

export function uptimeChecksOf(g: Graph): UptimeInfo[] {
    return byName(g.ofType(ServiceTypes.healthCheck)).map((h) => {
        const v = read(h, (p) => p as Record<string, any>);
        if (v === UNKNOWN) return { name: h.name, checks: AT_PREVIEW };
        const where = `${v.type ?? "?"} ${v.fqdn ?? v.ipAddress ?? "?"}${v.port ? `:${v.port}` : ""}${v.resourcePath ?? ""}`;
        return {
            name: h.name,
            checks: `${where} every ${show(v.requestInterval ?? 30)} s, unhealthy after ${show(v.failureThreshold ?? 3)} failures`,
        };
    });
}

export interface ContactInfo {
    /** "SNS topic continuity-staging-alerts-topic", "Atlas alerts". */
    readonly channel: string;
    readonly protocol: string;
    readonly endpoint: string;
    /** What reaches it: "13 alarms, 1 EventBridge rule". */
    readonly receives: string;
}

/** An endpoint as the plan may show it: secrets hidden, a URL cut to its host (a webhook's path often holds a token). */
function endpointText(g: Graph, s: PolicyResource): string {
    if (g.secret(s.urn, "endpoint")) return SECRET;
    const v = read(s, (p) => p.endpoint as string | undefined);
    if (v === UNKNOWN) return AT_PREVIEW;
    if (typeof v !== "string") return "—";
    const url = /^(https?):\/\/([^/?#@]+@)?([^/?#]+)/i.exec(v);
    if (url) return `${url[1]}://${url[3]}/…`;
    return v;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function contactsOf(g: Graph): ContactInfo[] {
    const alarms = g.ofType(MonitoringTypes.alarm);
    const rules = eventRulesOf(g);
    const channels = channelsOf(g);
    const topicContacts = byName(g.ofType(MonitoringTypes.subscription)).map((s) => {
        const topics = g.linked(s, "topic", MonitoringTypes.topic);
        const topic = topics[0];
        const channel = topic ? `SNS topic ${g.nameOf(topic.urn)}` : `SNS topic ${show(read(s, (p) => p.topic))}`;
        const fromAlarms = topic
            ? alarms.filter((a) => (a.propertyDependencies.alarmActions ?? []).some((d) => d.urn === topic.urn)).length
            : 0;
        const fromRules = rules.filter((r) => r.notifies.includes(channel)).length;
        const fromChannels = channels.filter((c) => c.notifies.includes(channel)).length;
        const receives = [
            fromAlarms > 0 ? plural(fromAlarms, "alarm") : "",
            fromRules > 0 ? plural(fromRules, "EventBridge rule") : "",
            fromChannels > 0 ? plural(fromChannels, "notification channel") : "",
        ].filter(Boolean);
        return {
            channel,
            protocol: show(read(s, (p) => p.protocol)),
            endpoint: endpointText(g, s),
            receives: receives.join(", ") || "nothing in this stack",
        };
    });
    // Atlas notifications: one line per address, with the events that reach it.
    const byTarget = new Map<string, string[]>();
    for (const a of atlasAlertsOf(g)) {
        if (a.enabled === false) continue;
        for (const n of a.notifies) byTarget.set(n, [...(byTarget.get(n) ?? []), a.event]);
    }
    const atlas = [...byTarget.entries()].map(([target, events]) => {
        const [protocol, ...rest] = target.split(" ");
        return { channel: "Atlas alerts", protocol, endpoint: rest.join(" ") || "—", receives: events.map((e) => `\`${e}\``).join(", ") };
    });
    return [...topicContacts, ...atlas];
}

export interface ServiceInfo {
    readonly name: string;
    readonly region: string;
    readonly tasks: string;
    readonly desired: number | "unknown";
    /** Subnets the tasks may run in (one per zone in a usual VPC). */
    readonly subnets: number | "unknown";
    readonly grace: string;
    readonly rollback: string;
    readonly healthCheck: string;
    readonly scaling: string;
}

export function servicesOf(g: Graph): ServiceInfo[] {
    return byName(g.ofType(ServiceTypes.ecsService)).map((s) => {
        const name = read(s, (p) => p.name as string | undefined);
        const desired = read(s, (p) => p.desiredCount as number | undefined);
        const minHealthy = read(s, (p) => p.deploymentMinimumHealthyPercent as number | undefined);
        const subnets = read(s, (p) => (p.networkConfiguration?.subnets ?? []).length as number);
        const grace = read(s, (p) => p.healthCheckGracePeriodSeconds as number | undefined);
        const breaker = read(s, (p) => p.deploymentCircuitBreaker as { enable?: boolean; rollback?: boolean } | undefined);
        const rollback =
            breaker === UNKNOWN
                ? AT_PREVIEW
                : breaker?.enable
                  ? breaker.rollback
                      ? "circuit breaker on, rolls back a failed deployment"
                      : "circuit breaker on, no rollback (a failed deployment stops)"
                  : "no circuit breaker: a failing deployment keeps replacing tasks";
        const groups = byName(g.linked(s, "loadBalancers", ServiceTypes.targetGroup));
        const checks = groups.map((tg) => {
            const hc = read(tg, (p) => (p.healthCheck ?? {}) as Record<string, any>);
            if (hc === UNKNOWN) return AT_PREVIEW;
            return (
                `${hc.protocol ?? "HTTP"} ${hc.path ?? "/"} every ${hc.interval ?? 30} s, unhealthy after ` +
                `${hc.unhealthyThreshold ?? 3}, healthy after ${hc.healthyThreshold ?? 5}`
            );
        });
        const scaling = byName(g.ofType(ServiceTypes.scalingTarget)).filter((t) => {
            if ((t.propertyDependencies.resourceId ?? []).some((d) => d.urn === s.urn)) return true;
            const id = read(t, (p) => p.resourceId as string | undefined);
            return typeof id === "string" && typeof name === "string" && id.endsWith(`/${name}`);
        });
        const scalingText =
            scaling.map((t) => `${show(read(t, (p) => p.minCapacity))}–${show(read(t, (p) => p.maxCapacity))} tasks`).join(", ") || "none";
        return {
            name: typeof name === "string" ? name : s.name,
            region: show(regionOf(s)),
            desired: typeof desired === "number" ? desired : "unknown",
            tasks: `${show(desired)} desired${typeof minHealthy === "number" ? `, ≥ ${minHealthy} % healthy during deployments` : ""}`,
            subnets: subnets === UNKNOWN ? "unknown" : subnets,
            grace: typeof grace === "number" ? `${grace} s` : grace === UNKNOWN ? AT_PREVIEW : "none",
            rollback,
            healthCheck: checks.join("; ") || "no load balancer",
            scaling: scalingText,
        };
    });
}

/** The public host names the uptime checks probe: what a regional failover moves. */
export function publicNamesOf(g: Graph): string[] {
    return [
        ...new Set(
            byName(g.ofType(ServiceTypes.healthCheck))
                .map((h) => read(h, (p) => p.fqdn as string | undefined))
                .filter((v): v is string => typeof v === "string"),
        ),
    ];
}
