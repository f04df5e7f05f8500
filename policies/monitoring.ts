// Monitoring across tiers: no backup or copy may fail silently. Every mechanism the stack declares —
// an Atlas backup schedule, an OpenSearch snapshot-management policy, a DataSync task, an S3
// replication, an AWS Backup plan — has a failure signal (an Atlas alert, an OpenSearch notification
// channel, an EventBridge rule, a CloudWatch alarm, Backup vault notifications) that reaches someone:
// an SNS topic of this stack with at least one subscription, or an Atlas notification with an address.
//
// Links at preview go through property dependencies (an alarm's dimensions built from the bucket, a
// rule's pattern from the task, a target's rule from the rule, a subscription's topic from the topic)
// or through values we set and know at preview (names, project ids). An alarm whose actions are
// disabled, or an EventBridge rule that is disabled, is no signal. A link or a value unknown at
// preview counts in the stack's favour; the policy runs again at `pulumi up`. A topic that is not
// declared in the stack (a literal ARN) cannot show its subscribers, and is reported as such.
import { PolicyResource, StackValidationPolicy } from "@pulumi/policy";
import { AtlasTypes } from "./atlas";
import { resilienceOf } from "./resilience/model";
import { ConfiguredExemption, DATA_STORE_TYPES, exemptionsSetting, StoreKindName, StoreKinds, storesInScope } from "./scope";
import { PolicyReference } from "./types";
import { SearchTypes } from "./search";
import { StorageTypes } from "./storage";
import { is, known, Maybe, perStack, readProps, settingsOf, settingsSchema, shareSource, UNKNOWN } from "./util";
import { frameworkCovers, LAST_RECOVERY_POINT_CONTROL, namesStore, watchedThings, watchVerdict, WatchTypes } from "./monitoring/watch";

export { LAST_RECOVERY_POINT_CONTROL, WatchTypes } from "./monitoring/watch";

export const MonitoringTypes = {
    atlasAlert: "mongodbatlas:index/alertConfiguration:AlertConfiguration",
    eventRule: "aws:cloudwatch/eventRule:EventRule",
    eventTarget: "aws:cloudwatch/eventTarget:EventTarget",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    topic: "aws:sns/topic:Topic",
    subscription: "aws:sns/topicSubscription:TopicSubscription",
    channel: "pulumi-nodejs:dynamic/opensearch:NotificationChannel",
    backupPlan: "aws:backup/plan:Plan",
    vaultNotifications: "aws:backup/vaultNotifications:VaultNotifications",
} as const;

/** What a mechanism's failure signal comes to: reaches someone, may (unknown at preview), or a problem. */
type Verdict = "ok" | "maybe" | { problem: string };
const best = (verdicts: Verdict[]): Verdict | undefined =>
    verdicts.find((v) => v === "ok") ?? verdicts.find((v) => v === "maybe") ?? verdicts[0];

/**
 * The resource a property points at among `candidates`: by property dependency, else by the value
 * (an ARN or a name) when it is known and one candidate has it. UNKNOWN: unknown at preview;
 * a string: a known value no candidate of the stack has.
 */
function pointsAt(
    r: PolicyResource,
    property: string,
    candidates: PolicyResource[],
    read: (c: PolicyResource) => Maybe<unknown>,
): PolicyResource[] | typeof UNKNOWN | string {
    const deps = (r.propertyDependencies[property] ?? []).filter((d) => candidates.includes(d));
    if (deps.length > 0) return deps;
    const v = known(() => r.props[property] as unknown);
    if (v === UNKNOWN) return UNKNOWN;
    const values = (Array.isArray(v) ? v : [v]).filter((x) => x !== undefined && x !== null);
    if (values.length === 0) return [];
    const found = candidates.filter((c) => values.includes(read(c)));
    return found.length > 0 ? found : String(values[0]);
}

const arnOf = (r: PolicyResource) => known(() => r.props.arn as string | undefined);

/** Whether an SNS topic of the stack has a subscriber; unknown links count as yes. */
function subscribed(topic: PolicyResource, resources: PolicyResource[]): boolean {
    const topics = resources.filter(is(MonitoringTypes.topic));
    return resources.filter(is(MonitoringTypes.subscription)).some((s) => {
        const to = pointsAt(s, "topic", topics, arnOf);
        return to === UNKNOWN || (Array.isArray(to) && to.includes(topic));
    });
}

/** The verdict for a signal sent to what `property` of `sender` names, which must be a subscribed topic. */
function reaches(sender: PolicyResource, property: string, resources: PolicyResource[], what: string): Verdict {
    const topics = pointsAt(sender, property, resources.filter(is(MonitoringTypes.topic)), arnOf);
    if (topics === UNKNOWN) return "maybe";
    if (typeof topics === "string") {
        return {
            problem: `${what} sends to ${topics}, a topic this stack does not declare, so whether anyone subscribes cannot be verified`,
        };
    }
    if (topics.length === 0) return { problem: `${what} notifies no SNS topic` };
    if (topics.some((t) => subscribed(t, resources))) return "ok";
    return { problem: `${what} sends to the SNS topic '${topics[0].name}', which has no subscription, so a failure would reach no one` };
}

// --- per mechanism ---------------------------------------------------------------------------

/**
 * Atlas alerts on snapshots, their copies to another region, and oplogs (not restores): what fails
 * when a backup does. Copies are "Cps Backup Event Types" of their own in the Atlas Administration
 * API (CPS_COPY_SNAPSHOT_FAILED, CPS_COPY_SNAPSHOT_FAILED_WILL_RETRY), not CPS_SNAPSHOT_*.
 */
const isBackupEvent = (eventType: string) => /^CPS_(SNAPSHOT|COPY_SNAPSHOT|OPLOG)_/.test(eventType);

/** An Atlas notification that reaches a person or a system: an address, a user, a team, a role group, an integration. */
function addressed(n: Record<string, any>): boolean {
    switch (n.typeName) {
        case "EMAIL":
            return Boolean(n.emailAddress);
        case "SMS":
            return Boolean(n.mobileNumber);
        case "USER":
            return Boolean(n.username);
        case "TEAM":
            return Boolean(n.teamId || n.teamName);
        default:
            return typeof n.typeName === "string" && n.typeName.length > 0;
    }
}

interface AtlasAlertFacts {
    project: Maybe<string | undefined>;
    /** The URNs projectId depends on. */
    projectSources: string[];
    /**
     * What the alert says of a schedule in its project; undefined: nothing (not an enabled backup alert);
     * UNKNOWN: a value nested in it is unknown at preview, which leaves such a schedule unjudged.
     */
    verdict: Maybe<Verdict | undefined>;
}
// Each schedule is judged against every alert of the stack: what an alert says is read once per
// AnalyzeStack, not once per schedule (each read goes through the SDK's unknown-checking proxy; 1,667
// schedules and alerts in one project took 5.5 s of the pack's time before).
const atlasAlerts = perStack((resources): AtlasAlertFacts[] =>
    resources.filter(is(MonitoringTypes.atlasAlert)).map((alert) => ({
        project: readProps(alert, (p) => p.projectId as string | undefined),
        projectSources: (alert.propertyDependencies.projectId ?? []).map((d) => d.urn),
        verdict: known(() => atlasAlertVerdict(alert)),
    })),
);

function atlasAlertVerdict(alert: PolicyResource): Verdict | undefined {
    const event = readProps(alert, (p) => p.eventType as string | undefined);
    const enabled = readProps(alert, (p) => p.enabled as boolean | undefined);
    const notifications = readProps(alert, (p) => (p.notifications ?? []) as Record<string, any>[]);
    if (event === UNKNOWN || enabled === UNKNOWN || notifications === UNKNOWN) return "maybe";
    if (!event || !isBackupEvent(event) || enabled === false) return undefined;
    return notifications.some(addressed) ? "ok" : { problem: `its Atlas alert '${alert.name}' (${event}) notifies no address` };
}

function atlasSchedule(schedule: PolicyResource, resources: PolicyResource[]): Verdict {
    const project = readProps(schedule, (p) => p.projectId as string | undefined);
    const sources = new Set((schedule.propertyDependencies.projectId ?? []).map((d) => d.urn));
    const verdicts: Verdict[] = [];
    for (const { project: theirs, projectSources, verdict } of atlasAlerts(resources)) {
        // In its project: projectId from the same resource, or the same id.
        if (!projectSources.some((urn) => sources.has(urn)) && !(typeof project === "string" && project === theirs)) {
            if (project === UNKNOWN || theirs === UNKNOWN) verdicts.push("maybe");
            continue;
        }
        if (verdict === UNKNOWN) return "maybe";
        if (verdict !== undefined) verdicts.push(verdict);
    }
    return (
        best(verdicts) ?? {
            problem:
                "no enabled Atlas alert on snapshot, copy or oplog failures (CPS_SNAPSHOT_*, CPS_COPY_SNAPSHOT_*, CPS_OPLOG_*) in its project notifies anyone",
        }
    );
}

/**
 * How an EventBridge rule is switched off, if it is: `state: "DISABLED"` (aws v7), or the deprecated
 * `isEnabled: false` (cloudwatch/eventRule.d.ts: "Conflicts with `state`"). Unknown counts as on.
 */
function disabledRule(rule: PolicyResource): string | undefined {
    if (readProps(rule, (p) => p.state) === "DISABLED") return "state DISABLED";
    if (readProps(rule, (p) => p.isEnabled) === false) return "isEnabled false";
    return undefined;
}

function dataSyncTask(task: PolicyResource, resources: PolicyResource[]): Verdict {
    const rules = resources.filter(is(MonitoringTypes.eventRule)).filter((rule) => {
        const pattern = readProps(rule, (p) => p.eventPattern as string | undefined);
        if ((rule.propertyDependencies.eventPattern ?? []).some((d) => d.urn === task.urn)) return true;
        const arn = arnOf(task);
        return typeof pattern === "string" && typeof arn === "string" && pattern.includes(arn);
    });
    const verdicts = rules.map((rule): Verdict => {
        const off = disabledRule(rule);
        if (off) return { problem: `its EventBridge rule '${rule.name}' is disabled (${off}), so it matches nothing` };
        const pattern = readProps(rule, (p) => p.eventPattern as string | undefined);
        if (typeof pattern === "string") {
            try {
                const states = JSON.parse(pattern)?.detail?.State as string[] | undefined;
                if (states && !states.includes("ERROR"))
                    return { problem: `its EventBridge rule '${rule.name}' does not match failed executions (State ERROR)` };
            } catch {
                return { problem: `its EventBridge rule '${rule.name}' has a pattern that is not JSON` };
            }
        }
        const allRules = resources.filter(is(MonitoringTypes.eventRule));
        const targets = resources.filter(is(MonitoringTypes.eventTarget)).filter((t) => {
            const to = pointsAt(t, "rule", allRules, (r) => known(() => r.props.name as string | undefined));
            return to === UNKNOWN || (Array.isArray(to) && to.includes(rule));
        });
        if (targets.length === 0) return { problem: `its EventBridge rule '${rule.name}' has no target` };
        return best(targets.map((t) => reaches(t, "arn", resources, `its EventBridge rule '${rule.name}'`)))!;
    });
    return best(verdicts) ?? { problem: "no EventBridge rule on its failed executions (State ERROR) notifies an SNS topic" };
}

function replication(config: PolicyResource, resources: PolicyResource[]): Verdict {
    const buckets = resources.filter(is(...StorageTypes.bucket));
    const source = (config.propertyDependencies.bucket ?? []).filter((d) => buckets.includes(d));
    const sourceName = readProps(config, (p) => p.bucket as string | undefined);
    const alarms = resources.filter(is(MonitoringTypes.alarm)).filter((a) => {
        if (readProps(a, (p) => p.metricName) !== "OperationsFailedReplication") return false;
        if ((a.propertyDependencies.dimensions ?? []).some((d) => source.includes(d) || d.urn === config.urn)) return true;
        const dimension = readProps(a, (p) => p.dimensions?.SourceBucket as string | undefined);
        return dimension === UNKNOWN || sourceName === UNKNOWN || (dimension !== undefined && dimension === sourceName);
    });
    const verdicts = alarms.map((a): Verdict =>
        readProps(a, (p) => p.actionsEnabled) === false
            ? { problem: `its alarm '${a.name}' has its actions disabled (actionsEnabled false), so it notifies no one` }
            : reaches(a, "alarmActions", resources, `its alarm '${a.name}'`),
    );
    return (
        best(verdicts) ?? {
            problem: "no CloudWatch alarm on its failed operations (AWS/S3 OperationsFailedReplication) notifies an SNS topic",
        }
    );
}

function snapshotPolicy(policy: PolicyResource, resources: PolicyResource[]): Verdict {
    const notification = readProps(
        policy,
        (p) => p.body?.notification as { channel?: { id?: string }; conditions?: { failure?: boolean } } | undefined,
    );
    if (notification === UNKNOWN) return "maybe";
    if (!notification?.channel?.id || notification.conditions?.failure !== true) {
        return { problem: "its body has no notification on failure (notification.channel and conditions.failure true)" };
    }
    const id = notification.channel.id;
    const channels = resources.filter(is(MonitoringTypes.channel)).filter((c) => {
        const name = readProps(c, (p) => p.name as string | undefined);
        const sameDomain = shareSource(policy, c, "endpoint") || readProps(c, (p) => p.endpoint) === readProps(policy, (p) => p.endpoint);
        return sameDomain && (name === UNKNOWN || name === id);
    });
    if (channels.length === 0) return { problem: `its notification channel '${id}' is not declared on the same domain in this stack` };
    return best(
        channels.map((c) => {
            const topics = resources.filter(is(MonitoringTypes.topic));
            const viaDependency = (c.propertyDependencies.body ?? []).filter((d) => topics.includes(d));
            const arn = readProps(c, (p) => p.body?.sns?.topic_arn as string | undefined);
            const linked = viaDependency.length > 0 ? viaDependency : topics.filter((t) => typeof arn === "string" && arnOf(t) === arn);
            if (linked.length === 0) {
                if (arn === UNKNOWN) return "maybe";
                return {
                    problem: `its notification channel '${id}' sends to ${arn ?? "no SNS topic"}, which this stack does not declare, so whether anyone subscribes cannot be verified`,
                };
            }
            return linked.some((t) => subscribed(t, resources))
                ? "ok"
                : {
                      problem: `its notification channel '${id}' sends to the SNS topic '${linked[0].name}', which has no subscription, so a failure would reach no one`,
                  };
        }),
    )!;
}

function backupPlan(plan: PolicyResource, resources: PolicyResource[]): Verdict {
    const vaults = readProps(plan, (p) => ((p.rules ?? []) as { targetVaultName?: string }[]).map((r) => r.targetVaultName));
    const notifications = resources.filter(is(MonitoringTypes.vaultNotifications)).filter((n) => {
        const vault = readProps(n, (p) => p.backupVaultName as string | undefined);
        return (
            vault === UNKNOWN ||
            vaults === UNKNOWN ||
            vaults.includes(vault) ||
            (n.propertyDependencies.backupVaultName ?? []).some((d) => (plan.propertyDependencies.rules ?? []).includes(d))
        );
    });
    const verdicts = notifications.map((n): Verdict => {
        const events = readProps(n, (p) => (p.backupVaultEvents ?? []) as string[]);
        if (events !== UNKNOWN && !events.some((e) => e === "BACKUP_JOB_FAILED" || e === "COPY_JOB_FAILED")) {
            return { problem: `its vault notifications '${n.name}' leave out BACKUP_JOB_FAILED and COPY_JOB_FAILED` };
        }
        return reaches(n, "snsTopicArn", resources, `its vault notifications '${n.name}'`);
    });
    return best(verdicts) ?? { problem: "its vault has no notifications of failed backup or copy jobs to an SNS topic" };
}

const MECHANISMS: { types: readonly string[]; what: string; check: (r: PolicyResource, all: PolicyResource[]) => Verdict }[] = [
    { types: [AtlasTypes.backupSchedule], what: "Atlas backup schedule", check: atlasSchedule },
    { types: SearchTypes.snapshotPolicy, what: "OpenSearch snapshot policy", check: snapshotPolicy },
    { types: StorageTypes.task, what: "DataSync task", check: dataSyncTask },
    { types: StorageTypes.replication, what: "S3 replication", check: replication },
    { types: [MonitoringTypes.backupPlan], what: "AWS Backup plan", check: backupPlan },
];

export const monitoringBackupFailureAlerts: StackValidationPolicy = {
    name: "monitoring-backup-failure-alerts",
    description:
        "Every backup or copy mechanism (Atlas backup schedule, OpenSearch snapshot policy, DataSync task, S3 replication, AWS Backup plan) has a failure signal that reaches someone: an SNS topic with a subscription, or an Atlas notification with an address.",
    enforcementLevel: "mandatory",
    validateStack: (args, report) => {
        for (const { types, what, check } of MECHANISMS) {
            for (const mechanism of args.resources.filter(is(...types))) {
                // A nested value unknown at preview (an alert's address, a channel id) counts for this
                // mechanism alone, instead of making the SDK skip the policy for the whole stack.
                const verdict = known(() => check(mechanism, args.resources));
                if (verdict === UNKNOWN || verdict === "ok" || verdict === "maybe") continue;
                report(`The ${what} '${mechanism.name}' can fail silently: ${verdict.problem}.`, mechanism.urn);
            }
        }
    },
};

// --- the watch on each DR copy's age: which alarm or framework watches a store is in ./monitoring/watch.ts.

const WATCH_POLICY = "monitoring-recovery-point-watch";
const watchSchema = settingsSchema({ properties: { ...exemptionsSetting } });

export const monitoringRecoveryPointWatch: StackValidationPolicy = {
    name: WATCH_POLICY,
    description:
        "Every data store with recovery points in another region has a watch on the age of its newest copy there: " +
        "a CloudWatch alarm whose dimensions name the store, with missing data breaching and an alarm action, or, " +
        "where AWS Backup makes the copy, an AWS Backup Audit Manager framework " +
        "with the BACKUP_LAST_RECOVERY_POINT_CREATED control covering it.",
    enforcementLevel: "mandatory",
    configSchema: watchSchema,
    validateStack: (args, report) => {
        const settings = settingsOf<{ exemptions: ConfiguredExemption[] }>(watchSchema, args.getConfig());
        const kinds = Object.keys(StoreKinds) as StoreKindName[];
        const judged = new Set(storesInScope(args, report, WATCH_POLICY, kinds, settings.exemptions).map((r) => r.urn));
        const byUrn = new Map(args.resources.map((r) => [r.urn, r]));
        const alarms = args.resources.filter(is(MonitoringTypes.alarm));
        const frameworks = args.resources.filter(is(WatchTypes.framework));
        for (const store of resilienceOf(args.resources)) {
            const resource = byUrn.get(store.urn);
            if (!resource || !judged.has(store.urn)) continue;
            const copies = store.protections.filter((p) => p.kind === "points" && p.elsewhere === true);
            if (copies.length === 0) continue;
            const things = watchedThings(store, byUrn);
            const backup = copies.some((c) => c.mechanism === "aws-backup-copy");
            const verdict = known((): Verdict | undefined => {
                const verdicts = alarms.flatMap((a): Verdict[] => {
                    const named = namesStore(a, things);
                    if (named === "no") return [];
                    const v = watchVerdict(a);
                    return [v === "ok" && named === "maybe" ? "maybe" : v];
                });
                if (backup) {
                    const covered = frameworks.map((f) => frameworkCovers(f, resource, things));
                    if (covered.includes("yes")) verdicts.push("ok");
                    else if (covered.includes("maybe")) verdicts.push("maybe");
                }
                return best(verdicts);
            });
            if (verdict === UNKNOWN || verdict === "ok" || verdict === "maybe") continue;
            const names = things.names.filter((n): n is string => n !== UNKNOWN).map((n) => `'${n}'`);
            const named = names.length > 0 ? ` (${names.join(", ")})` : "";
            const problem = verdict?.problem ?? `no CloudWatch alarm names it${named} in its dimensions`;
            report(
                `The ${store.label} '${store.name}' keeps copies in ${copies[0].region} (${copies[0].what}) ` +
                    `but nothing watches their age: ${problem}. ` +
                    "Add a CloudWatch alarm on the age of its newest copy whose dimensions name the store, " +
                    'with treatMissingData "breaching" and an alarm action' +
                    (backup ? `, or an AWS Backup framework whose ${LAST_RECOVERY_POINT_CONTROL} control covers it` : "") +
                    ".",
                store.urn,
            );
        }
    },
};

export const monitoringPolicies = [monitoringBackupFailureAlerts, monitoringRecoveryPointWatch];

/** The reference entry of the watch rule (policies/pack.ts assembles the reference). */
export const monitoringReference: Record<string, PolicyReference> = {
    [WATCH_POLICY]: {
        resources: [...DATA_STORE_TYPES, MonitoringTypes.alarm, WatchTypes.framework],
        unknown:
            "a copy's region, a store's name, an alarm's dimensions (built from nothing the stack shows), treatMissingData or actions, " +
            "and a framework's controls or scope count in the stack's favour when unknown; judged again at `pulumi up`",
        protectsData: true,
        anchors:
            "AWS Backup Audit Manager BACKUP_LAST_RECOVERY_POINT_CREATED and AWS Config *_LAST_BACKUP_RECOVERY_POINT_CREATED " +
            "(AWS Backup only, after deploy); beyond: every store with a copy, Atlas and OpenSearch included, before deploy",
    },
};
