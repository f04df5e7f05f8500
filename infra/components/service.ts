import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { firstHealthySeconds, isTaskSecretArn, SECRETS_MANAGER_ARN, ServiceSettings } from "../config/service";
import { AwsRegion } from "../regions";
import { monitorService } from "./service-monitoring";
import { assumedBy } from "./iam";
import { accessLogsBucket, createNetwork, Network } from "./service-network";

export interface WebServiceArgs extends ServiceSettings {
    readonly region: AwsRegion;
    readonly environment: string;
    /** Alarms of the primary region go here. */
    readonly alertTopicArn: pulumi.Input<string>;
    /** Route 53 publishes health-check metrics in us-east-1 only, and an alarm notifies a topic of its own region. */
    readonly uptimeTopicArn: pulumi.Input<string>;
    readonly tags: Record<string, string>;
    readonly protect?: boolean;
}

/** TLS 1.3 with TLS 1.2 fallback, the ALB policy AWS recommends. */
export const SSL_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The web application as the plan has it: several containers over two or more availability zones
 * behind a load balancer, so one failure does not interrupt the service. ECS Fargate tasks in private
 * subnets, an Application Load Balancer (HTTPS, HTTP redirected) in public ones, a 300 s grace before
 * the health check counts against a new task, deployments that roll back on their own when they do
 * not become healthy, target-tracking autoscaling, alarms and an uptime check. No automated regional
 * failover: the README has the manual procedure.
 */
export class WebService extends pulumi.ComponentResource {
    readonly vpcId: pulumi.Output<string>;
    readonly loadBalancer: aws.lb.LoadBalancer;
    readonly targetGroup: aws.lb.TargetGroup;
    readonly cluster: aws.ecs.Cluster;
    readonly service: aws.ecs.Service;
    readonly healthCheck: aws.route53.HealthCheck;
    readonly url: pulumi.Output<string>;

    constructor(name: string, args: WebServiceArgs, opts?: pulumi.ComponentResourceOptions) {
        super("continuity:service:WebService", name, {}, opts);
        // A program may build this component without infra/config (it is exported): the rules that keep
        // the service up are checked here too, with the config's definitions; the config reports them first.
        const { autoscaling, desiredCount } = args;
        if (desiredCount < autoscaling.minCount || desiredCount > autoscaling.maxCount) {
            throw new Error(
                `WebService '${name}': desiredCount (${desiredCount}) must lie between autoscaling.minCount (${autoscaling.minCount}) and autoscaling.maxCount (${autoscaling.maxCount}).`,
            );
        }
        const firstHealthy = firstHealthySeconds(args.healthCheck);
        if (args.healthCheckGracePeriodSeconds < firstHealthy) {
            throw new Error(
                `WebService '${name}': healthCheckGracePeriodSeconds (${args.healthCheckGracePeriodSeconds}) must be at least healthCheck.intervalSeconds × healthyThreshold (${firstHealthy}).`,
            );
        }
        for (const key of Object.keys(args.task.secrets)) {
            const arn = args.task.secrets[key];
            if (!isTaskSecretArn(arn)) {
                // The value is not printed: what is not an ARN may be the secret itself.
                throw new Error(
                    `WebService '${name}': task.secrets.${key} must be the ARN of a Secrets Manager secret or an SSM parameter; the value given is not one (not shown).`,
                );
            }
        }
        const parent = { parent: this };
        const tags = args.tags;
        const account = aws.getCallerIdentityOutput({}, parent).accountId;

        const network =
            args.network.mode === "existing"
                ? {
                      ...args.network,
                      publicSubnetIds: [...args.network.publicSubnetIds],
                      privateSubnetIds: [...args.network.privateSubnetIds],
                  }
                : createNetwork(this, name, args);
        this.vpcId = pulumi.output(network.vpcId);

        const albSg = new aws.ec2.SecurityGroup(
            `${name}-alb`,
            {
                region: args.region,
                vpcId: network.vpcId,
                description: `continuity: ${args.name} load balancer, HTTPS and HTTP from anywhere`,
                ingress: [443, 80].map((port) => ({
                    protocol: "tcp",
                    fromPort: port,
                    toPort: port,
                    cidrBlocks: ["0.0.0.0/0"],
                    ipv6CidrBlocks: ["::/0"],
                })),
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
                tags,
            },
            parent,
        );
        const taskSg = new aws.ec2.SecurityGroup(
            `${name}-tasks`,
            {
                region: args.region,
                vpcId: network.vpcId,
                description: `continuity: ${args.name} tasks, their port from the load balancer only`,
                ingress: [{ protocol: "tcp", fromPort: args.task.port, toPort: args.task.port, securityGroups: [albSg.id] }],
                // Tasks pull their image and reach Atlas and OpenSearch through the NAT gateways.
                egress: [{ protocol: "-1", fromPort: 0, toPort: 0, cidrBlocks: ["0.0.0.0/0"] }],
                tags,
            },
            parent,
        );

        const logsPolicy = accessLogsBucket(this, name, args, account);
        this.loadBalancer = new aws.lb.LoadBalancer(
            `${name}-alb`,
            {
                region: args.region,
                loadBalancerType: "application",
                internal: false,
                subnets: network.publicSubnetIds,
                securityGroups: [albSg.id],
                enableDeletionProtection: args.protect ?? false,
                dropInvalidHeaderFields: true,
                accessLogs: { bucket: args.accessLogsBucket, prefix: args.name, enabled: true },
                tags,
            },
            // AWS tests that it may write the logs when the load balancer is created.
            { ...parent, dependsOn: [logsPolicy] },
        );
        const hc = args.healthCheck;
        this.targetGroup = new aws.lb.TargetGroup(
            `${name}-tg`,
            {
                region: args.region,
                vpcId: network.vpcId,
                targetType: "ip",
                protocol: "HTTP",
                port: args.task.port,
                deregistrationDelay: 30,
                healthCheck: {
                    enabled: true,
                    protocol: "HTTP",
                    path: hc.path,
                    interval: hc.intervalSeconds,
                    timeout: hc.timeoutSeconds,
                    healthyThreshold: hc.healthyThreshold,
                    unhealthyThreshold: hc.unhealthyThreshold,
                    matcher: hc.matcher,
                },
                tags,
            },
            parent,
        );
        const https = new aws.lb.Listener(
            `${name}-https`,
            {
                region: args.region,
                loadBalancerArn: this.loadBalancer.arn,
                port: 443,
                protocol: "HTTPS",
                sslPolicy: SSL_POLICY,
                certificateArn: args.certificateArn,
                defaultActions: [{ type: "forward", targetGroupArn: this.targetGroup.arn }],
                tags,
            },
            parent,
        );
        new aws.lb.Listener(
            `${name}-http`,
            {
                region: args.region,
                loadBalancerArn: this.loadBalancer.arn,
                port: 80,
                protocol: "HTTP",
                defaultActions: [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }],
                tags,
            },
            parent,
        );

        this.cluster = new aws.ecs.Cluster(
            `${name}-cluster`,
            // Container Insights publishes the running and desired task counts the alarms compare.
            { region: args.region, name: `${name}`, settings: [{ name: "containerInsights", value: "enabled" }], tags },
            parent,
        );
        this.service = this.fargateService(name, args, network, taskSg, https);

        const resourceId = pulumi.interpolate`service/${this.cluster.name}/${this.service.name}`;
        const target = new aws.appautoscaling.Target(
            `${name}-scaling`,
            {
                region: args.region,
                serviceNamespace: "ecs",
                scalableDimension: "ecs:service:DesiredCount",
                resourceId,
                minCapacity: autoscaling.minCount,
                maxCapacity: autoscaling.maxCount,
                tags,
            },
            parent,
        );
        new aws.appautoscaling.Policy(
            `${name}-cpu`,
            {
                region: args.region,
                policyType: "TargetTrackingScaling",
                serviceNamespace: target.serviceNamespace,
                scalableDimension: target.scalableDimension,
                resourceId: target.resourceId,
                targetTrackingScalingPolicyConfiguration: {
                    targetValue: autoscaling.cpuTargetPercent,
                    predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                    scaleOutCooldown: 60,
                    scaleInCooldown: 300,
                },
            },
            parent,
        );

        this.url = pulumi.interpolate`https://${args.domainName ?? this.loadBalancer.dnsName}`;
        this.healthCheck = monitorService(this, name, args);
        this.registerOutputs({ url: this.url, loadBalancerDnsName: this.loadBalancer.dnsName });
    }

    private fargateService(
        name: string,
        args: WebServiceArgs,
        network: Network,
        taskSg: aws.ec2.SecurityGroup,
        after: pulumi.Resource,
    ): aws.ecs.Service {
        const opts = { parent: this };
        const region = args.region;
        const tags = args.tags;
        const logs = new aws.cloudwatch.LogGroup(
            `${name}-logs`,
            { region, name: `/ecs/${name}`, retentionInDays: args.task.logRetentionDays, tags },
            opts,
        );
        const assumedByTasks = assumedBy("ecs-tasks.amazonaws.com");
        const executionRole = new aws.iam.Role(`${name}-execution`, { assumeRolePolicy: assumedByTasks, tags }, opts);
        new aws.iam.RolePolicyAttachment(
            `${name}-execution`,
            { role: executionRole.name, policyArn: "arn:aws:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy" },
            opts,
        );
        const task = args.task;
        const secretsPolicy = this.secretsAccess(name, executionRole, task.secrets);
        // The application's own permissions: none until it needs some.
        const taskRole = new aws.iam.Role(`${name}-task`, { assumeRolePolicy: assumedByTasks, tags }, opts);
        const definition = new aws.ecs.TaskDefinition(
            `${name}-task`,
            {
                region,
                family: name,
                requiresCompatibilities: ["FARGATE"],
                networkMode: "awsvpc",
                cpu: String(task.cpu),
                memory: String(task.memory),
                executionRoleArn: executionRole.arn,
                taskRoleArn: taskRole.arn,
                runtimePlatform: { operatingSystemFamily: "LINUX", cpuArchitecture: "X86_64" },
                containerDefinitions: pulumi.jsonStringify([
                    {
                        name: args.name,
                        image: task.image,
                        essential: true,
                        portMappings: [{ containerPort: task.port, protocol: "tcp" }],
                        environment: Object.entries(task.environment).map(([k, v]) => ({ name: k, value: v })),
                        // Only ARNs here: ECS fetches each value when a task starts, so none is in the definition.
                        ...(secretsPolicy
                            ? { secrets: Object.entries(task.secrets).map(([k, arn]) => ({ name: k, valueFrom: arn })) }
                            : {}),
                        logConfiguration: {
                            logDriver: "awslogs",
                            options: { "awslogs-group": logs.name, "awslogs-region": region, "awslogs-stream-prefix": args.name },
                        },
                    },
                ]),
                tags,
            },
            // A task started before the execution role may read its secrets fails, and the circuit breaker would roll back.
            secretsPolicy ? { ...opts, dependsOn: [secretsPolicy] } : opts,
        );
        return new aws.ecs.Service(
            `${name}-service`,
            {
                region,
                name: args.name,
                cluster: this.cluster.arn,
                taskDefinition: definition.arn,
                launchType: "FARGATE",
                desiredCount: args.desiredCount,
                // Fargate spreads a service's tasks over the subnets' zones.
                networkConfiguration: { subnets: network.privateSubnetIds, securityGroups: [taskSg.id], assignPublicIp: false },
                loadBalancers: [{ targetGroupArn: this.targetGroup.arn, containerName: args.name, containerPort: task.port }],
                healthCheckGracePeriodSeconds: args.healthCheckGracePeriodSeconds,
                // A deployment whose tasks do not become healthy is stopped and rolled back by ECS.
                deploymentCircuitBreaker: { enable: true, rollback: true },
                deploymentMinimumHealthyPercent: 100,
                deploymentMaximumPercent: 200,
                propagateTags: "SERVICE",
                enableEcsManagedTags: true,
                waitForSteadyState: true,
                tags,
            },
            // Autoscaling owns the running count once the service exists.
            { ...opts, dependsOn: [after], ignoreChanges: ["desiredCount"] },
        );
    }

    /**
     * Lets the execution role read the container's secrets, each by its own ARN: the ECS agent fetches
     * them with `secretsmanager:GetSecretValue` or `ssm:GetParameters` as the task execution role
     * (docs.aws.amazon.com/AmazonECS/latest/developerguide/task_execution_IAM_role.html, "Required IAM
     * permissions for Amazon ECS secrets"). A Secrets Manager reference may end in
     * `:<json key>:<version stage>:<version id>`; IAM matches the secret's ARN without it. A customer
     * managed KMS key also needs `kms:Decrypt` for this role, which its key policy grants (README).
     */
    private secretsAccess(name: string, role: aws.iam.Role, secrets: Readonly<Record<string, string>>): aws.iam.RolePolicy | undefined {
        const arns = Object.values(secrets);
        if (arns.length === 0) return undefined;
        const unique = (xs: string[]) => [...new Set(xs)].sort();
        const secretArns = unique(arns.flatMap((a) => SECRETS_MANAGER_ARN.exec(a)?.[1] ?? []));
        const parameterArns = unique(arns.filter((a) => !SECRETS_MANAGER_ARN.test(a)));
        return new aws.iam.RolePolicy(
            `${name}-execution-secrets`,
            {
                role: role.id,
                policy: JSON.stringify({
                    Version: "2012-10-17",
                    Statement: [
                        ...(secretArns.length > 0
                            ? [{ Sid: "ReadTaskSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns }]
                            : []),
                        ...(parameterArns.length > 0
                            ? [{ Sid: "ReadTaskParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: parameterArns }]
                            : []),
                    ],
                }),
            },
            { parent: this },
        );
    }
}
