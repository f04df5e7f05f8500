// continuity:service — the web application on ECS Fargate behind an Application Load Balancer, its
// network, health check, autoscaling and alarms.
import { z } from "zod";
import { restName } from "./search";
import { NAMESPACE, TierContext, bucketName, cidrProblem, int, list, report, settings, subnetId, text, tier, whenValid } from "./rules";

export const NAT_MODES = ["single", "per-zone"] as const;
export type NatMode = (typeof NAT_MODES)[number];

/** The retention periods CloudWatch Logs accepts, in days. */
export const LOG_RETENTION_DAYS = [
    1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

/** Fargate's task sizes: memory (MiB) allowed for each cpu (units). */
export const FARGATE_SIZES: Record<number, { min: number; max: number; step: number }> = {
    256: { min: 512, max: 2048, step: 512 },
    512: { min: 1024, max: 4096, step: 1024 },
    1024: { min: 2048, max: 8192, step: 1024 },
    2048: { min: 4096, max: 16384, step: 1024 },
    4096: { min: 8192, max: 30720, step: 1024 },
    8192: { min: 16384, max: 61440, step: 4096 },
    16384: { min: 32768, max: 122880, step: 8192 },
};

function fargateMemoryProblem(cpu: number, memory: number): string | undefined {
    const size = FARGATE_SIZES[cpu];
    if (!size) return undefined; // reported on cpu
    if (memory < size.min || memory > size.max || (memory - size.min) % size.step !== 0) {
        return `must be a Fargate memory size for ${cpu} cpu units: ${size.min} to ${size.max} MiB in steps of ${size.step}`;
    }
    return undefined;
}

/** A new task is healthy for the load balancer after `healthyThreshold` good checks at best. */
export const firstHealthySeconds = (hc: { readonly intervalSeconds: number; readonly healthyThreshold: number }) =>
    hc.intervalSeconds * hc.healthyThreshold;

const subnetIds = (what: string) =>
    z
        .array(subnetId(), { error: `must be a list of ${what} subnet ids` })
        .min(2, { error: `must list at least 2 ${what} subnets, in two availability zones: one zone's loss must not stop the service` });

// ECS takes a container secret as the full ARN of a Secrets Manager secret (a JSON key, version stage
// and version id may follow) or of an SSM parameter, and reads it when a task starts
// (docs.aws.amazon.com/AmazonECS/latest/developerguide/secrets-envvar-secrets-manager.html and
// secrets-envvar-ssm-paramstore.html; the Secret "valueFrom" field of the ECS API reference). Secret
// names: letters, digits and /_+=.@- (Secrets Manager CreateSecret); parameter names: letters, digits
// and _.-/ (SSM PutParameter).
export const SECRETS_MANAGER_ARN = /^(arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:\d{12}:secret:[A-Za-z0-9/_+=.@-]+)(:[^:]*:[^:]*:[^:]*)?$/;
export const SSM_PARAMETER_ARN = /^arn:aws[a-z-]*:ssm:[a-z0-9-]+:\d{12}:parameter\/[A-Za-z0-9_./-]+$/;
/** A reference ECS can read a container secret from. */
export const isTaskSecretArn = (v: string) => SECRETS_MANAGER_ARN.test(v) || SSM_PARAMETER_ARN.test(v);
const TASK_SECRET_ARN_PROBLEM =
    "must be the ARN of a Secrets Manager secret (arn:aws:secretsmanager:<region>:<account>:secret:<name>-<6 characters>, " +
    "optionally :<json key>:<version stage>:<version id>) or of an SSM parameter (arn:aws:ssm:<region>:<account>:parameter/<name>)";
const taskSecretArn = () => z.string({ error: TASK_SECRET_ARN_PROBLEM }).refine(isTaskSecretArn, { error: TASK_SECRET_ARN_PROBLEM });

const CERTIFICATE_ARN = "must be an ACM certificate ARN (arn:aws:acm:<region>:<account>:certificate/<id>)";
const HOST_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,}$/;

const serviceSettings = settings(
    {
        name: restName("a service name").max(32, { error: "must be a service name of at most 32 characters" }).default("web"),
        network: settings(
            {
                vpcId: z
                    .string({ error: "must be a VPC id" })
                    .regex(/^vpc-[0-9a-f]+$/, { error: "must be a VPC id (vpc-...)" })
                    .optional()
                    .meta({ allowed: "an existing VPC: vpcId, publicSubnetIds and privateSubnetIds together", defaultIs: "a new VPC" }),
                publicSubnetIds: subnetIds("public").optional().meta({ allowed: "≥ 2 subnets (an existing VPC)" }),
                privateSubnetIds: subnetIds("private").optional().meta({ allowed: "≥ 2 subnets (an existing VPC)" }),
                cidr: z
                    .string({ error: "must be an IPv4 CIDR block such as 10.20.0.0/16" })
                    .superRefine((v, ctx) => {
                        const problem = cidrProblem(v);
                        if (problem) ctx.addIssue({ code: "custom", message: problem });
                    })
                    .default("10.20.0.0/16")
                    .meta({ allowed: "a /16–/24 block (a new VPC)" }),
                zones: int(2, 4).default(3),
                natGateways: z
                    .enum(NAT_MODES, { error: `must be one of ${list(NAT_MODES)}` })
                    .optional()
                    .meta({ defaultIs: "single (staging), per-zone (production)" }),
            },
            "vpcId, publicSubnetIds, privateSubnetIds (an existing VPC) or cidr, zones, natGateways (a new one)",
        ).prefault({}),
        certificateArn: z
            .string({ error: CERTIFICATE_ARN })
            .regex(/^arn:aws[a-z-]*:acm:[a-z0-9-]+:\d{12}:certificate\/[0-9a-f-]+$/, { error: CERTIFICATE_ARN })
            .meta({ allowed: "an ACM certificate ARN of regions.primary" }),
        domainName: z
            .string({ error: "must be a host name such as app.example.com" })
            .regex(HOST_NAME, { error: "must be a host name such as app.example.com" })
            .optional()
            .meta({ allowed: "the public host name the uptime check calls", defaultIs: "the load balancer's DNS name" }),
        desiredCount: int(1, 1000)
            .optional()
            .meta({ allowed: "1–1000, ≥ 2, within the autoscaling bounds", defaultIs: "2 (staging), 3 (production)" }),
        healthCheckGracePeriodSeconds: int(0, 2147483647)
            .default(300)
            .meta({ allowed: "≥ healthCheck.intervalSeconds × healthyThreshold" }),
        healthCheck: settings(
            {
                path: z
                    .string({ error: 'must be a path such as "/health"' })
                    .regex(/^\/\S*$/, { error: 'must be a path such as "/health"' })
                    .default("/health")
                    .meta({ allowed: "a path" }),
                intervalSeconds: int(5, 300).default(30),
                timeoutSeconds: int(2, 120).default(5).meta({ allowed: "2–120, < intervalSeconds" }),
                healthyThreshold: int(2, 10).default(3),
                unhealthyThreshold: int(2, 10).default(3),
                matcher: z
                    .string({ error: 'must be HTTP codes such as "200" or "200-399"' })
                    .regex(/^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, { error: 'must be HTTP codes such as "200" or "200-399"' })
                    .default("200-399")
                    .meta({ allowed: "HTTP codes" }),
            },
            "path, intervalSeconds, timeoutSeconds, healthyThreshold, unhealthyThreshold and matcher",
        ).prefault({}),
        autoscaling: settings(
            {
                minCount: int(1, 1000).optional().meta({ allowed: "≥ 2", defaultIs: "desiredCount" }),
                maxCount: int(1, 1000).optional().meta({ allowed: "≥ minCount", defaultIs: "2 × desiredCount" }),
                cpuTargetPercent: int(10, 90).default(60),
            },
            "minCount, maxCount and cpuTargetPercent",
        ).prefault({}),
        task: settings(
            {
                image: text("a container image reference"),
                cpu: z
                    .literal(Object.keys(FARGATE_SIZES).map(Number) as [number, ...number[]], {
                        error: `must be one of ${list(Object.keys(FARGATE_SIZES))} (Fargate cpu units)`,
                    })
                    .default(512)
                    .meta({ allowed: `${list(Object.keys(FARGATE_SIZES))} (Fargate cpu units)` }),
                memory: int(512, 122880).default(1024).meta({ allowed: "the memory (MiB) Fargate allows for that cpu" }),
                port: int(1, 65535).default(8080),
                environment: z
                    .record(z.string(), z.string({ error: "must be a string" }), { error: "must be a map of names to strings" })
                    .default({})
                    .meta({ allowed: "name → string" }),
                secrets: z
                    .record(z.string(), taskSecretArn(), { error: "must be a map of variable names to secret ARNs" })
                    .default({})
                    .meta({ allowed: "name → ARN of a Secrets Manager secret or SSM parameter (never a value)" }),
                logRetentionDays: z
                    .literal(LOG_RETENTION_DAYS, { error: `must be one of CloudWatch's retention periods (${list(LOG_RETENTION_DAYS)})` })
                    .default(30)
                    .meta({ allowed: "a CloudWatch Logs retention period in days" }),
            },
            "image, cpu, memory, port, environment, secrets and logRetentionDays",
        ),
        accessLogsBucket: bucketName().optional().meta({ defaultIs: "`continuity-<environment>-<name>-alb-logs`" }),
        alarms: settings(
            {
                elb5xxPercent: int(1, 100).default(5),
                responseTimeSeconds: z
                    .number({ error: "must be a number of seconds" })
                    .positive({ error: "must be a positive number of seconds" })
                    .default(1)
                    .meta({ allowed: "> 0 seconds (p90)" }),
            },
            "elb5xxPercent and responseTimeSeconds",
        ).prefault({}),
    },
    "the web service, its load balancer and network",
);

const NETWORK_KEYS = ["vpcId", "publicSubnetIds", "privateSubnetIds"] as const;

export const serviceSchema = (ctx: TierContext) => {
    const production = ctx.production;
    const defaults = { desiredCount: production ? 3 : 2, natGateways: (production ? "per-zone" : "single") as NatMode };
    type Parsed = z.output<typeof serviceSettings>;
    const desiredOf = (service: Parsed) => service.desiredCount ?? defaults.desiredCount;
    const minOf = (service: Parsed) => service.autoscaling.minCount ?? desiredOf(service);
    const maxOf = (service: Parsed) => service.autoscaling.maxCount ?? Math.max(minOf(service), desiredOf(service)) * 2;
    return serviceSettings
        .superRefine((service, issues) => {
            const net = service.network;
            if (NETWORK_KEYS.some((k) => net[k] !== undefined) && NETWORK_KEYS.some((k) => net[k] === undefined)) {
                for (const k of NETWORK_KEYS.filter((k) => net[k] === undefined)) {
                    report(
                        issues,
                        ["network", k],
                        "is required with an existing VPC: " +
                            "give vpcId, publicSubnetIds and privateSubnetIds together, or none to create a VPC",
                        undefined,
                    );
                }
            }
            const primary = ctx.regions?.primary;
            if (primary !== undefined && service.certificateArn.split(":")[3] !== primary) {
                report(
                    issues,
                    ["certificateArn"],
                    `must be a certificate of continuity:regions.primary (${primary}): a load balancer uses certificates of its own region`,
                    service.certificateArn,
                );
            }
            const desired = desiredOf(service);
            if (desired < 2) {
                report(
                    issues,
                    ["desiredCount"],
                    `must be at least 2${production ? " in production" : ""}: ` +
                        "with one task, its failure or a deployment takes the site down",
                    desired,
                );
            }
            const hc = service.healthCheck;
            if (hc.timeoutSeconds >= hc.intervalSeconds) {
                report(
                    issues,
                    ["healthCheck", "timeoutSeconds"],
                    `must be less than continuity:service.healthCheck.intervalSeconds (${hc.intervalSeconds})`,
                    hc.timeoutSeconds,
                );
            }
            const firstHealthy = firstHealthySeconds(hc);
            if (service.healthCheckGracePeriodSeconds < firstHealthy) {
                report(
                    issues,
                    ["healthCheckGracePeriodSeconds"],
                    "must be at least the health check's time to a first healthy result, " +
                        `intervalSeconds × healthyThreshold = ${firstHealthy} s: ` +
                        "ECS would stop new tasks before the load balancer can find them healthy",
                    service.healthCheckGracePeriodSeconds,
                );
            }
            for (const [name, arn] of Object.entries(service.task.secrets)) {
                if (Object.prototype.hasOwnProperty.call(service.task.environment, name)) {
                    report(
                        issues,
                        ["task", "secrets", name],
                        "names a variable that continuity:service.task.environment already sets: " +
                            "a container variable comes from one or the other",
                        arn,
                    );
                }
            }
            const memoryProblem = fargateMemoryProblem(service.task.cpu, service.task.memory);
            if (memoryProblem) report(issues, ["task", "memory"], memoryProblem, service.task.memory);
            const min = minOf(service);
            const max = maxOf(service);
            if (min < 2) report(issues, ["autoscaling", "minCount"], "must be at least 2: scaling in must never leave a single task", min);
            if (max < min) {
                report(issues, ["autoscaling", "maxCount"], `must be at least continuity:service.autoscaling.minCount (${min})`, max);
            } else if (desired < min || desired > max) {
                report(
                    issues,
                    ["desiredCount"],
                    `must lie between continuity:service.autoscaling.minCount (${min}) and maxCount (${max})`,
                    desired,
                );
            }
        }, whenValid)
        .transform((service) => {
            const net = service.network;
            const network: ServiceNetwork =
                net.vpcId !== undefined
                    ? { mode: "existing", vpcId: net.vpcId, publicSubnetIds: net.publicSubnetIds!, privateSubnetIds: net.privateSubnetIds! }
                    : { mode: "create", cidr: net.cidr, zones: net.zones, natGateways: net.natGateways ?? defaults.natGateways };
            return {
                name: service.name,
                network,
                certificateArn: service.certificateArn,
                /** The public host name the uptime check calls; the load balancer's DNS name when absent. */
                ...({ domainName: service.domainName } as { domainName?: string }),
                desiredCount: desiredOf(service),
                healthCheckGracePeriodSeconds: service.healthCheckGracePeriodSeconds,
                healthCheck: service.healthCheck,
                autoscaling: { minCount: minOf(service), maxCount: maxOf(service), cpuTargetPercent: service.autoscaling.cpuTargetPercent },
                /** secrets: variable name → ARN of a Secrets Manager secret or SSM parameter that ECS reads at task start. */
                task: service.task,
                accessLogsBucket: service.accessLogsBucket ?? `${NAMESPACE}-${ctx.environment}-${service.name}-alb-logs`,
                alarms: service.alarms,
            };
        });
};

/** An existing VPC's subnets, or a new VPC over `zones` zones. */
export type ServiceNetwork =
    | {
          readonly mode: "existing";
          readonly vpcId: string;
          readonly publicSubnetIds: readonly string[];
          readonly privateSubnetIds: readonly string[];
      }
    | { readonly mode: "create"; readonly cidr: string; readonly zones: number; readonly natGateways: NatMode };

export type ServiceSettings = z.output<ReturnType<typeof serviceSchema>>;

export const serviceTier = tier({
    key: "service",
    schema: serviceSchema,
    absent: {
        problem: "is required: the web service's certificate and container image at least (service.certificateArn, service.task.image)",
    },
    // Where a secret belongs instead of inside continuity:service.
    secretHome:
        "Give the container a secret by its ARN in continuity:service.task.secrets.<NAME> " +
        "(a Secrets Manager secret or an SSM parameter): " +
        "ECS reads it when a task starts and its value never enters the stack. ",
    // A value under service.task.secrets that is not an ARN may be the secret itself: never printed.
    secretPaths: [["service", "task", "secrets"]],
});
