import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { SECRETS_MANAGER_ARN, ServiceSettings, splitCidr, SSM_PARAMETER_ARN } from "../config";
import { AwsRegion } from "../regions";
import { TagKeys } from "../tags";

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
 * Regions opened before August 2022 deliver ALB access logs as an ELB account of the region; newer
 * ones as the log-delivery service principal, which the bucket policy always allows too.
 */
const ELB_ACCOUNT_REGIONS: readonly string[] = [
    "us-east-1", "us-east-2", "us-west-1", "us-west-2", "ca-central-1", "sa-east-1",
    "eu-west-1", "eu-west-2", "eu-west-3", "eu-central-1", "eu-north-1", "eu-south-1",
    "me-south-1", "af-south-1", "ap-east-1", "ap-south-1",
    "ap-northeast-1", "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2",
];

interface Network {
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<string>[];
    privateSubnetIds: pulumi.Input<string>[];
}

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
        const { autoscaling, desiredCount } = args;
        if (desiredCount < autoscaling.minCount || desiredCount > autoscaling.maxCount) {
            throw new Error(
                `WebService '${name}': desiredCount (${desiredCount}) must lie between autoscaling.minCount (${autoscaling.minCount}) and autoscaling.maxCount (${autoscaling.maxCount}).`,
            );
        }
        const firstHealthy = args.healthCheck.intervalSeconds * args.healthCheck.healthyThreshold;
        if (args.healthCheckGracePeriodSeconds < firstHealthy) {
            throw new Error(
                `WebService '${name}': healthCheckGracePeriodSeconds (${args.healthCheckGracePeriodSeconds}) must be at least healthCheck.intervalSeconds × healthyThreshold (${firstHealthy}).`,
            );
        }
        for (const key of Object.keys(args.task.secrets)) {
            const arn = args.task.secrets[key];
            if (!SECRETS_MANAGER_ARN.test(arn) && !SSM_PARAMETER_ARN.test(arn)) {
                // The value is not printed: what is not an ARN may be the secret itself.
                throw new Error(`WebService '${name}': task.secrets.${key} must be the ARN of a Secrets Manager secret or an SSM parameter; the value given is not one (not shown).`);
            }
        }
        const parent = { parent: this };
        const tags = args.tags;
        const account = aws.getCallerIdentityOutput({}, parent).accountId;

        const network = args.network.mode === "existing" ? { ...args.network, publicSubnetIds: [...args.network.publicSubnetIds], privateSubnetIds: [...args.network.privateSubnetIds] } : this.createNetwork(name, args);
        this.vpcId = pulumi.output(network.vpcId);

        const albSg = new aws.ec2.SecurityGroup(
            `${name}-alb`,
            {
                region: args.region,
                vpcId: network.vpcId,
                description: `continuity: ${args.name} load balancer, HTTPS and HTTP from anywhere`,
                ingress: [443, 80].map((port) => ({ protocol: "tcp", fromPort: port, toPort: port, cidrBlocks: ["0.0.0.0/0"], ipv6CidrBlocks: ["::/0"] })),
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

        const logsPolicy = this.accessLogsBucket(name, args, account);
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
        this.healthCheck = this.monitor(name, args);
        this.registerOutputs({ url: this.url, loadBalancerDnsName: this.loadBalancer.dnsName });
    }

    /** A VPC over `zones` zones: a public and a private subnet in each, NAT in one zone or in every zone. */
    private createNetwork(name: string, args: WebServiceArgs): Network {
        if (args.network.mode !== "create") throw new Error("unreachable");
        const { cidr, zones, natGateways } = args.network;
        const opts = { parent: this };
        const tags = args.tags;
        const region = args.region;
        const zoneNames = aws.getAvailabilityZonesOutput({ region, state: "available" }, opts).names;
        // Eight equal blocks: public subnets first, private ones from the fifth on.
        const blocks = splitCidr(cidr, 3);
        const vpc = new aws.ec2.Vpc(`${name}-vpc`, { region, cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags }, opts);
        const igw = new aws.ec2.InternetGateway(`${name}-igw`, { region, vpcId: vpc.id, tags }, opts);
        const publicRoutes = new aws.ec2.RouteTable(`${name}-public`, { region, vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags }, opts);

        const subnet = (kind: "public" | "private", i: number) =>
            new aws.ec2.Subnet(
                `${name}-${kind}-${i + 1}`,
                {
                    region,
                    vpcId: vpc.id,
                    cidrBlock: blocks[kind === "public" ? i : 4 + i],
                    availabilityZone: zoneNames.apply((n) => {
                        if (n.length < zones) throw new Error(`WebService '${name}': ${region} has ${n.length} availability zones; network.zones asks for ${zones}.`);
                        return n[i];
                    }),
                    mapPublicIpOnLaunch: false,
                    tags: { ...tags, Name: `${name}-${kind}-${i + 1}`, "subnet-type": kind },
                },
                opts,
            );
        const publicSubnets = Array.from({ length: zones }, (_, i) => subnet("public", i));
        const privateSubnets = Array.from({ length: zones }, (_, i) => subnet("private", i));
        publicSubnets.forEach((s, i) => new aws.ec2.RouteTableAssociation(`${name}-public-${i + 1}`, { region, subnetId: s.id, routeTableId: publicRoutes.id }, opts));

        // One NAT per zone keeps the other zones' tasks online when a zone goes down; staging saves on one.
        const natCount = natGateways === "per-zone" ? zones : 1;
        const nats = Array.from({ length: natCount }, (_, i) => {
            const eip = new aws.ec2.Eip(`${name}-nat-${i + 1}`, { region, domain: "vpc", tags }, opts);
            return new aws.ec2.NatGateway(`${name}-nat-${i + 1}`, { region, allocationId: eip.id, subnetId: publicSubnets[i].id, tags }, { ...opts, dependsOn: [igw] });
        });
        privateSubnets.forEach((s, i) => {
            const routes = new aws.ec2.RouteTable(
                `${name}-private-${i + 1}`,
                { region, vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", natGatewayId: nats[natCount === 1 ? 0 : i].id }], tags },
                opts,
            );
            new aws.ec2.RouteTableAssociation(`${name}-private-${i + 1}`, { region, subnetId: s.id, routeTableId: routes.id }, opts);
        });
        return { vpcId: vpc.id, publicSubnetIds: publicSubnets.map((s) => s.id), privateSubnetIds: privateSubnets.map((s) => s.id) };
    }

    /** The access-log bucket: SSE-S3 (the only encryption ALB log delivery supports), private, expiring after 90 days. */
    private accessLogsBucket(name: string, args: WebServiceArgs, account: pulumi.Output<string>): aws.s3.BucketPolicy {
        const opts = { parent: this };
        const region = args.region;
        const bucket = new aws.s3.Bucket(
            `${name}-access-logs`,
            { region, bucket: args.accessLogsBucket, tags: { ...args.tags, [TagKeys.role]: "access-logs" } },
            { ...opts, protect: args.protect ?? false },
        );
        new aws.s3.BucketServerSideEncryptionConfiguration(
            `${name}-access-logs`,
            { region, bucket: bucket.bucket, rules: [{ applyServerSideEncryptionByDefault: { sseAlgorithm: "AES256" } }] },
            opts,
        );
        new aws.s3.BucketPublicAccessBlock(
            `${name}-access-logs`,
            { region, bucket: bucket.bucket, blockPublicAcls: true, blockPublicPolicy: true, ignorePublicAcls: true, restrictPublicBuckets: true },
            opts,
        );
        new aws.s3.BucketOwnershipControls(`${name}-access-logs`, { region, bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } }, opts);
        new aws.s3.BucketLifecycleConfiguration(
            `${name}-access-logs`,
            { region, bucket: bucket.bucket, rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 90 } }] },
            opts,
        );
        const writers: pulumi.Input<unknown>[] = [{ Service: "logdelivery.elasticloadbalancing.amazonaws.com" }];
        if (ELB_ACCOUNT_REGIONS.includes(region)) {
            writers.push({ AWS: aws.elb.getServiceAccountOutput({ region }, { parent: this }).arn });
        }
        return new aws.s3.BucketPolicy(
            `${name}-access-logs`,
            {
                region,
                bucket: bucket.bucket,
                policy: pulumi.jsonStringify({
                    Version: "2012-10-17",
                    Statement: writers.map((principal, i) => ({
                        Sid: `AlbAccessLogs${i + 1}`,
                        Effect: "Allow",
                        Principal: principal,
                        Action: "s3:PutObject",
                        Resource: pulumi.interpolate`arn:aws:s3:::${bucket.bucket}/${args.name}/AWSLogs/${account}/*`,
                    })),
                }),
            },
            { parent: this },
        );
    }

    private fargateService(name: string, args: WebServiceArgs, network: Network, taskSg: aws.ec2.SecurityGroup, after: pulumi.Resource): aws.ecs.Service {
        const opts = { parent: this };
        const region = args.region;
        const tags = args.tags;
        const logs = new aws.cloudwatch.LogGroup(`${name}-logs`, { region, name: `/ecs/${name}`, retentionInDays: args.task.logRetentionDays, tags }, opts);
        const assumedByTasks = JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { Service: "ecs-tasks.amazonaws.com" }, Action: "sts:AssumeRole" }],
        });
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
                        ...(secretsPolicy ? { secrets: Object.entries(task.secrets).map(([k, arn]) => ({ name: k, valueFrom: arn })) } : {}),
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
                        ...(secretArns.length > 0 ? [{ Sid: "ReadTaskSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: secretArns }] : []),
                        ...(parameterArns.length > 0 ? [{ Sid: "ReadTaskParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: parameterArns }] : []),
                    ],
                }),
            },
            { parent: this },
        );
    }

    /** Alarms to the alert topic, an uptime check of the public URL and its alarm, and a dashboard. */
    private monitor(name: string, args: WebServiceArgs): aws.route53.HealthCheck {
        const opts = { parent: this };
        const region = args.region;
        const lb = this.loadBalancer.arnSuffix;
        const tg = this.targetGroup.arnSuffix;
        const alarm = (part: string, description: string, spec: Partial<aws.cloudwatch.MetricAlarmArgs>) =>
            new aws.cloudwatch.MetricAlarm(
                `${name}-${part}`,
                {
                    region,
                    alarmDescription: `${args.name}: ${description}`,
                    treatMissingData: "notBreaching",
                    alarmActions: [args.alertTopicArn],
                    okActions: [args.alertTopicArn],
                    tags: args.tags,
                    ...spec,
                } as aws.cloudwatch.MetricAlarmArgs,
                opts,
            );
        alarm("unhealthy-hosts", "a target failed the load balancer's health check", {
            namespace: "AWS/ApplicationELB",
            metricName: "UnHealthyHostCount",
            dimensions: { LoadBalancer: lb, TargetGroup: tg },
            statistic: "Maximum",
            period: 60,
            evaluationPeriods: 2,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
        });
        const elbMetric = (id: string, metricName: string) => ({
            id,
            metric: { namespace: "AWS/ApplicationELB", metricName, dimensions: { LoadBalancer: lb }, stat: "Sum", period: 300 },
        });
        alarm("elb-5xx-rate", `more than ${args.alarms.elb5xxPercent} % of requests answered 5xx by the load balancer`, {
            metricQueries: [
                elbMetric("errors", "HTTPCode_ELB_5XX_Count"),
                elbMetric("requests", "RequestCount"),
                { id: "rate", expression: "IF(requests > 0, 100 * errors / requests, 0)", label: "ELB 5xx %", returnData: true },
            ],
            evaluationPeriods: 1,
            threshold: args.alarms.elb5xxPercent,
            comparisonOperator: "GreaterThanThreshold",
        });
        alarm("response-time", `the 90th percentile response time is above ${args.alarms.responseTimeSeconds} s`, {
            namespace: "AWS/ApplicationELB",
            metricName: "TargetResponseTime",
            dimensions: { LoadBalancer: lb, TargetGroup: tg },
            extendedStatistic: "p90",
            period: 300,
            evaluationPeriods: 2,
            threshold: args.alarms.responseTimeSeconds,
            comparisonOperator: "GreaterThanThreshold",
        });
        const taskMetric = (id: string, metricName: string) => ({
            id,
            metric: {
                namespace: "ECS/ContainerInsights",
                metricName,
                dimensions: { ClusterName: this.cluster.name, ServiceName: this.service.name },
                stat: "Average",
                period: 60,
            },
        });
        alarm("tasks-below-desired", "fewer tasks run than the service wants", {
            metricQueries: [
                taskMetric("running", "RunningTaskCount"),
                taskMetric("desired", "DesiredTaskCount"),
                { id: "missing", expression: "desired - running", label: "tasks missing", returnData: true },
            ],
            // A deployment or a replaced task dips for a minute or two; five minutes is an outage.
            evaluationPeriods: 5,
            threshold: 0,
            comparisonOperator: "GreaterThanThreshold",
            treatMissingData: "breaching",
        });

        // Route 53 checks from several places in the world, outside the region it watches.
        const healthCheck = new aws.route53.HealthCheck(
            `${name}-uptime`,
            {
                type: "HTTPS",
                fqdn: args.domainName ?? this.loadBalancer.dnsName,
                port: 443,
                resourcePath: args.healthCheck.path,
                enableSni: true,
                requestInterval: 30,
                failureThreshold: 3,
                measureLatency: true,
                tags: { ...args.tags, Name: `${args.name} uptime` },
            },
            // With a custom domain the check names the host, not the load balancer: the dependency says which one it watches.
            { ...opts, dependsOn: [this.loadBalancer] },
        );
        new aws.cloudwatch.MetricAlarm(
            `${name}-uptime`,
            {
                region: "us-east-1",
                alarmDescription: `${args.name}: the public URL fails Route 53's health checks`,
                namespace: "AWS/Route53",
                metricName: "HealthCheckStatus",
                dimensions: { HealthCheckId: healthCheck.id },
                statistic: "Minimum",
                period: 60,
                evaluationPeriods: 2,
                threshold: 1,
                comparisonOperator: "LessThanThreshold",
                treatMissingData: "breaching",
                alarmActions: [args.uptimeTopicArn],
                okActions: [args.uptimeTopicArn],
                tags: args.tags,
            },
            opts,
        );
        // The uptime report: the share of checkers that found the URL healthy, beside the service's own figures.
        new aws.cloudwatch.Dashboard(
            `${name}-uptime`,
            {
                region,
                dashboardName: `${name}-uptime`,
                dashboardBody: pulumi.jsonStringify({
                    widgets: [
                        {
                            type: "metric",
                            x: 0, y: 0, width: 12, height: 6,
                            properties: {
                                title: "Uptime (% of Route 53 checkers healthy)",
                                region: "us-east-1",
                                stat: "Average",
                                period: 3600,
                                metrics: [["AWS/Route53", "HealthCheckPercentageHealthy", "HealthCheckId", healthCheck.id]],
                            },
                        },
                        {
                            type: "metric",
                            x: 12, y: 0, width: 12, height: 6,
                            properties: {
                                title: "Requests, 5xx and p90 response time",
                                region,
                                period: 300,
                                metrics: [
                                    ["AWS/ApplicationELB", "RequestCount", "LoadBalancer", lb, { stat: "Sum" }],
                                    ["AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", "LoadBalancer", lb, { stat: "Sum" }],
                                    ["AWS/ApplicationELB", "TargetResponseTime", "LoadBalancer", lb, { stat: "p90", yAxis: "right" }],
                                ],
                            },
                        },
                    ],
                }),
            },
            opts,
        );
        return healthCheck;
    }
}
