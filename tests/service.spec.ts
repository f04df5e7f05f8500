import * as assert from "assert";
import { splitCidr } from "../infra/config";
import { SSL_POLICY, WebService, WebServiceArgs } from "../infra/components/service";
import { runProgram } from "../tools/check/engine";
import { CHECK_ACCOUNT_ID } from "../tools/check/invokes";
import { readStackConfig } from "../tools/check/stackConfig";
import { ROOT, runStack, StackRun, under } from "./helpers/program";

const T = {
    vpc: "aws:ec2/vpc:Vpc",
    subnet: "aws:ec2/subnet:Subnet",
    nat: "aws:ec2/natGateway:NatGateway",
    routeTable: "aws:ec2/routeTable:RouteTable",
    sg: "aws:ec2/securityGroup:SecurityGroup",
    lb: "aws:lb/loadBalancer:LoadBalancer",
    tg: "aws:lb/targetGroup:TargetGroup",
    listener: "aws:lb/listener:Listener",
    cluster: "aws:ecs/cluster:Cluster",
    service: "aws:ecs/service:Service",
    taskDefinition: "aws:ecs/taskDefinition:TaskDefinition",
    scalingTarget: "aws:appautoscaling/target:Target",
    scalingPolicy: "aws:appautoscaling/policy:Policy",
    alarm: "aws:cloudwatch/metricAlarm:MetricAlarm",
    healthCheck: "aws:route53/healthCheck:HealthCheck",
    bucket: "aws:s3/bucket:Bucket",
    bucketPolicy: "aws:s3/bucketPolicy:BucketPolicy",
    topic: "aws:sns/topic:Topic",
    rolePolicy: "aws:iam/rolePolicy:RolePolicy",
};
const arn = (service: string, region: string, name: string) => `arn:aws:${service}:${region}:${CHECK_ACCOUNT_ID}:${name}`;
const serviceOnly = async (stack: string, opts?: Parameters<typeof runStack>[1]) =>
    under(await runStack(stack, opts), "continuity:service:WebService");
const named = (run: StackRun, type: string, name: string) => run.resources.find((r) => r.type === type && r.name === name)!;

describe("WebService (infra/components/service.ts)", () => {
    describe("staging: a new VPC over three zones, two tasks behind an HTTPS load balancer", () => {
        let run: StackRun;
        before(async () => (run = await serviceOnly("staging")));

        it("creates a VPC with a public and a private subnet in each of three zones, and one NAT gateway", () => {
            assert.strictEqual(run.one(T.vpc).properties.cidrBlock, "10.20.0.0/16");
            assert.deepStrictEqual(
                run.all(T.subnet).map((s) => [s.name, s.properties.availabilityZone, s.properties.cidrBlock]),
                [
                    ["continuity-staging-web-public-1", "us-west-2a", "10.20.0.0/19"],
                    ["continuity-staging-web-public-2", "us-west-2b", "10.20.32.0/19"],
                    ["continuity-staging-web-public-3", "us-west-2c", "10.20.64.0/19"],
                    ["continuity-staging-web-private-1", "us-west-2a", "10.20.128.0/19"],
                    ["continuity-staging-web-private-2", "us-west-2b", "10.20.160.0/19"],
                    ["continuity-staging-web-private-3", "us-west-2c", "10.20.192.0/19"],
                ],
            );
            assert.deepStrictEqual(
                run.all(T.nat).map((n) => n.properties.subnetId),
                ["continuity-staging-web-public-1-id"],
            );
            const privateRoutes = run.all(T.routeTable).filter((r) => r.name.includes("-private-"));
            assert.deepStrictEqual(
                privateRoutes.map((r) => (r.properties.routes as any)[0].natGatewayId),
                Array(3).fill("continuity-staging-web-nat-1-id"),
            );
        });

        it("puts the load balancer in the public subnets of all three zones, without deletion protection, logging to its bucket", () => {
            const lb = run.one(T.lb).properties;
            assert.deepStrictEqual(
                [lb.internal, lb.loadBalancerType, lb.enableDeletionProtection, lb.dropInvalidHeaderFields],
                [false, "application", false, true],
            );
            assert.deepStrictEqual(lb.subnets, [
                "continuity-staging-web-public-1-id",
                "continuity-staging-web-public-2-id",
                "continuity-staging-web-public-3-id",
            ]);
            assert.deepStrictEqual(lb.accessLogs, { bucket: "continuity-staging-web-alb-logs", prefix: "web", enabled: true });
        });

        it("lets the region's ELB account and the log-delivery service write the access logs, and nothing else", () => {
            assert.deepStrictEqual(JSON.parse(run.one(T.bucketPolicy).properties.policy as string).Statement, [
                {
                    Sid: "AlbAccessLogs1",
                    Effect: "Allow",
                    Principal: { Service: "logdelivery.elasticloadbalancing.amazonaws.com" },
                    Action: "s3:PutObject",
                    Resource: `arn:aws:s3:::continuity-staging-web-alb-logs/web/AWSLogs/${CHECK_ACCOUNT_ID}/*`,
                },
                {
                    Sid: "AlbAccessLogs2",
                    Effect: "Allow",
                    Principal: { AWS: "arn:aws:iam::797873946194:root" },
                    Action: "s3:PutObject",
                    Resource: `arn:aws:s3:::continuity-staging-web-alb-logs/web/AWSLogs/${CHECK_ACCOUNT_ID}/*`,
                },
            ]);
            assert.strictEqual((run.one(T.bucket).properties.tags as any).role, "access-logs");
        });

        it("serves HTTPS with the configured certificate and TLS 1.3 policy, and redirects HTTP to it", () => {
            const https = named(run, T.listener, "continuity-staging-web-https").properties;
            assert.deepStrictEqual(
                [https.port, https.protocol, https.sslPolicy, https.certificateArn],
                [443, "HTTPS", SSL_POLICY, "arn:aws:acm:us-west-2:123456789012:certificate/00000000-0000-0000-0000-000000000001"],
            );
            assert.deepStrictEqual(https.defaultActions, [
                { type: "forward", targetGroupArn: arn("lb", "us-west-2", "continuity-staging-web-tg") },
            ]);
            const http = named(run, T.listener, "continuity-staging-web-http").properties;
            assert.deepStrictEqual(
                [http.port, http.protocol, http.defaultActions],
                [80, "HTTP", [{ type: "redirect", redirect: { port: "443", protocol: "HTTPS", statusCode: "HTTP_301" } }]],
            );
        });

        it("health-checks /health every 30 s, healthy after 3, unhealthy after 3, on 200-399", () => {
            const tg = run.one(T.tg).properties;
            assert.deepStrictEqual([tg.targetType, tg.protocol, tg.port], ["ip", "HTTP", 8080]);
            assert.deepStrictEqual(tg.healthCheck, {
                enabled: true,
                protocol: "HTTP",
                path: "/health",
                interval: 30,
                timeout: 5,
                healthyThreshold: 3,
                unhealthyThreshold: 3,
                matcher: "200-399",
            });
        });

        it("runs 2 Fargate tasks in the private subnets of three zones with a 300 s grace, rolling back failed deployments", () => {
            const s = run.one(T.service).properties;
            assert.deepStrictEqual([s.launchType, s.desiredCount, s.healthCheckGracePeriodSeconds], ["FARGATE", 2, 300]);
            assert.deepStrictEqual(s.deploymentCircuitBreaker, { enable: true, rollback: true });
            assert.deepStrictEqual([s.deploymentMinimumHealthyPercent, s.deploymentMaximumPercent], [100, 200]);
            assert.deepStrictEqual(s.networkConfiguration, {
                subnets: [
                    "continuity-staging-web-private-1-id",
                    "continuity-staging-web-private-2-id",
                    "continuity-staging-web-private-3-id",
                ],
                securityGroups: ["continuity-staging-web-tasks-id"],
                assignPublicIp: false,
            });
            assert.deepStrictEqual(s.loadBalancers, [
                { targetGroupArn: arn("lb", "us-west-2", "continuity-staging-web-tg"), containerName: "web", containerPort: 8080 },
            ]);
            assert.deepStrictEqual(run.one(T.service).options.ignoreChanges, ["desiredCount"]);
        });

        it("opens the task port to the load balancer only", () => {
            const tasks = named(run, T.sg, "continuity-staging-web-tasks").properties;
            assert.deepStrictEqual(tasks.ingress, [
                { protocol: "tcp", fromPort: 8080, toPort: 8080, securityGroups: ["continuity-staging-web-alb-id"] },
            ]);
        });

        it("defines the task from config: image, cpu, memory, port, environment, logs", () => {
            const td = run.one(T.taskDefinition).properties;
            assert.deepStrictEqual([td.cpu, td.memory, td.networkMode, td.requiresCompatibilities], ["512", "1024", "awsvpc", ["FARGATE"]]);
            assert.deepStrictEqual(JSON.parse(td.containerDefinitions as string), [
                {
                    name: "web",
                    image: "123456789012.dkr.ecr.us-west-2.amazonaws.com/web:staging",
                    essential: true,
                    portMappings: [{ containerPort: 8080, protocol: "tcp" }],
                    environment: [{ name: "APP_ENV", value: "staging" }],
                    logConfiguration: {
                        logDriver: "awslogs",
                        options: {
                            "awslogs-group": "/ecs/continuity-staging-web",
                            "awslogs-region": "us-west-2",
                            "awslogs-stream-prefix": "web",
                        },
                    },
                },
            ]);
        });

        it("scales between 2 and 4 tasks on 60 % CPU", () => {
            const t = run.one(T.scalingTarget).properties;
            assert.deepStrictEqual(
                [t.minCapacity, t.maxCapacity, t.resourceId, t.scalableDimension],
                [2, 4, "service/continuity-staging-web/web", "ecs:service:DesiredCount"],
            );
            assert.deepStrictEqual(run.one(T.scalingPolicy).properties.targetTrackingScalingPolicyConfiguration, {
                targetValue: 60,
                predefinedMetricSpecification: { predefinedMetricType: "ECSServiceAverageCPUUtilization" },
                scaleOutCooldown: 60,
                scaleInCooldown: 300,
            });
        });

        it("alarms on unhealthy hosts, the ELB 5xx rate, response time and missing tasks, to the alert topic", () => {
            const topic = arn("sns", "us-west-2", "continuity-staging-alerts-topic");
            // Registration order follows when each alarm's inputs resolve; compare by name.
            const alarms = run
                .all(T.alarm)
                .filter((a) => a.properties.region === "us-west-2")
                .sort((a, b) => a.name.localeCompare(b.name));
            assert.deepStrictEqual(
                alarms.map((a) => [a.name, a.properties.comparisonOperator, a.properties.threshold, a.properties.evaluationPeriods]),
                [
                    ["continuity-staging-web-elb-5xx-rate", "GreaterThanThreshold", 5, 1],
                    ["continuity-staging-web-response-time", "GreaterThanThreshold", 1, 2],
                    ["continuity-staging-web-tasks-below-desired", "GreaterThanThreshold", 0, 5],
                    ["continuity-staging-web-unhealthy-hosts", "GreaterThanThreshold", 0, 2],
                ],
            );
            for (const a of alarms) assert.deepStrictEqual(a.properties.alarmActions, [topic], a.name);
            const lb = "app/continuity-staging-web-alb/0123456789abcdef";
            const tg = "targetgroup/continuity-staging-web-tg/0123456789abcdef";
            assert.deepStrictEqual(named(run, T.alarm, "continuity-staging-web-unhealthy-hosts").properties.dimensions, {
                LoadBalancer: lb,
                TargetGroup: tg,
            });
            const rate = named(run, T.alarm, "continuity-staging-web-elb-5xx-rate").properties.metricQueries as any[];
            assert.deepStrictEqual(
                rate.map((q) => q.metric?.metricName ?? q.expression),
                ["HTTPCode_ELB_5XX_Count", "RequestCount", "IF(requests > 0, 100 * errors / requests, 0)"],
            );
            assert.deepStrictEqual(named(run, T.alarm, "continuity-staging-web-response-time").properties.extendedStatistic, "p90");
            const missing = named(run, T.alarm, "continuity-staging-web-tasks-below-desired").properties.metricQueries as any[];
            assert.deepStrictEqual(
                missing.map((q) => q.metric?.metricName ?? q.expression),
                ["RunningTaskCount", "DesiredTaskCount", "desired - running"],
            );
            assert.deepStrictEqual(missing[0].metric.dimensions, { ClusterName: "continuity-staging-web", ServiceName: "web" });
        });

        it("checks the public URL's /health from Route 53, with an alarm in us-east-1 to an alert topic there", () => {
            const hc = run.one(T.healthCheck);
            assert.deepStrictEqual(
                [
                    hc.properties.type,
                    hc.properties.fqdn,
                    hc.properties.port,
                    hc.properties.resourcePath,
                    hc.properties.failureThreshold,
                    hc.properties.requestInterval,
                ],
                ["HTTPS", "staging.app.example.com", 443, "/health", 3, 30],
            );
            assert.ok(hc.dependencies.includes(run.one(T.lb).urn), "the check depends on the load balancer it watches");
            const uptime = named(run, T.alarm, "continuity-staging-web-uptime").properties;
            assert.deepStrictEqual(
                [
                    uptime.region,
                    uptime.namespace,
                    uptime.metricName,
                    uptime.dimensions,
                    uptime.comparisonOperator,
                    uptime.threshold,
                    uptime.treatMissingData,
                ],
                [
                    "us-east-1",
                    "AWS/Route53",
                    "HealthCheckStatus",
                    { HealthCheckId: "continuity-staging-web-uptime-id" },
                    "LessThanThreshold",
                    1,
                    "breaching",
                ],
            );
            assert.deepStrictEqual(uptime.alarmActions, [arn("sns", "us-east-1", "continuity-staging-uptime-alerts-topic")]);
        });

        it("exports the URL and the load balancer's DNS name", () => {
            assert.strictEqual(run.outputs.serviceUrl, "https://staging.app.example.com");
            assert.strictEqual(run.outputs.loadBalancerDnsName, "continuity-staging-web-alb-1234567890.us-west-2.elb.amazonaws.com");
        });
    });

    describe("production: three tasks, a NAT gateway per zone, deletion protection", () => {
        let run: StackRun;
        before(async () => (run = await serviceOnly("production")));

        it("runs 3 tasks of 1 vCPU / 2 GiB, scaling between 3 and 9", () => {
            assert.strictEqual(run.one(T.service).properties.desiredCount, 3);
            assert.deepStrictEqual(
                [run.one(T.taskDefinition).properties.cpu, run.one(T.taskDefinition).properties.memory],
                ["1024", "2048"],
            );
            assert.deepStrictEqual(
                [run.one(T.scalingTarget).properties.minCapacity, run.one(T.scalingTarget).properties.maxCapacity],
                [3, 9],
            );
        });

        it("gives each private subnet the NAT gateway of its own zone", () => {
            assert.deepStrictEqual(
                run.all(T.nat).map((n) => n.properties.subnetId),
                [1, 2, 3].map((i) => `continuity-production-web-public-${i}-id`),
            );
            const privateRoutes = run.all(T.routeTable).filter((r) => r.name.includes("-private-"));
            assert.deepStrictEqual(
                privateRoutes.map((r) => (r.properties.routes as any)[0].natGatewayId),
                [1, 2, 3].map((i) => `continuity-production-web-nat-${i}-id`),
            );
        });

        it("protects the load balancer from deletion and the log bucket from `pulumi destroy`", () => {
            assert.strictEqual(run.one(T.lb).properties.enableDeletionProtection, true);
            assert.strictEqual(run.one(T.bucket).options.protect, true);
        });

        it("checks https://app.example.com/health and alarms in us-east-1", () => {
            assert.strictEqual(run.one(T.healthCheck).properties.fqdn, "app.example.com");
            assert.deepStrictEqual(named(run, T.alarm, "continuity-production-web-uptime").properties.alarmActions, [
                arn("sns", "us-east-1", "continuity-production-uptime-alerts-topic"),
            ]);
        });
    });

    it("uses an existing VPC's subnets as they are, creating no network", async () => {
        const run = await serviceOnly("staging", {
            edit: (c) =>
                (c.service.network = {
                    vpcId: "vpc-0abc",
                    publicSubnetIds: ["subnet-0a1", "subnet-0b1"],
                    privateSubnetIds: ["subnet-0a2", "subnet-0b2"],
                }),
        });
        assert.deepStrictEqual([run.all(T.vpc).length, run.all(T.subnet).length, run.all(T.nat).length], [0, 0, 0]);
        assert.deepStrictEqual(run.one(T.lb).properties.subnets, ["subnet-0a1", "subnet-0b1"]);
        assert.deepStrictEqual((run.one(T.service).properties.networkConfiguration as any).subnets, ["subnet-0a2", "subnet-0b2"]);
        assert.strictEqual(run.one(T.tg).properties.vpcId, "vpc-0abc");
    });

    describe("container secrets: by ARN from Secrets Manager and SSM, read by the execution role", () => {
        const DB = "arn:aws:secretsmanager:us-west-2:123456789012:secret:app/db-AbCdEf";
        const TOKEN = "arn:aws:ssm:us-west-2:123456789012:parameter/app/api-token";
        let run: StackRun;
        before(
            async () =>
                (run = await serviceOnly("staging", {
                    edit: (c) =>
                        (c.service.task.secrets = { DB_PASSWORD: `${DB}:password::`, DB_USER: `${DB}:username::`, API_TOKEN: TOKEN }),
                })),
        );

        it("passes each secret to the container by its ARN, never its value", () => {
            const [container] = JSON.parse(run.one(T.taskDefinition).properties.containerDefinitions as string);
            assert.deepStrictEqual(container.environment, [{ name: "APP_ENV", value: "staging" }]);
            assert.deepStrictEqual(container.secrets, [
                { name: "DB_PASSWORD", valueFrom: `${DB}:password::` },
                { name: "DB_USER", valueFrom: `${DB}:username::` },
                { name: "API_TOKEN", valueFrom: TOKEN },
            ]);
        });

        it("lets the execution role read exactly those secrets and parameters, before any task starts", () => {
            const policy = run.one(T.rolePolicy);
            assert.strictEqual(policy.name, "continuity-staging-web-execution-secrets");
            assert.strictEqual(policy.properties.role, "continuity-staging-web-execution-id");
            assert.deepStrictEqual(JSON.parse(policy.properties.policy as string), {
                Version: "2012-10-17",
                Statement: [
                    { Sid: "ReadTaskSecrets", Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: [DB] },
                    { Sid: "ReadTaskParameters", Effect: "Allow", Action: "ssm:GetParameters", Resource: [TOKEN] },
                ],
            });
            assert.ok(run.one(T.taskDefinition).dependencies.includes(policy.urn), "the task definition waits for the policy");
        });

        it("adds no policy and no secrets list when the task has none", async () => {
            const plain = await serviceOnly("staging");
            assert.strictEqual(plain.all(T.rolePolicy).length, 0);
            assert.ok(!("secrets" in JSON.parse(plain.one(T.taskDefinition).properties.containerDefinitions as string)[0]));
        });
    });

    it("refuses a secure value in the service settings and never prints it, as the CLI hands it over", async () => {
        const service = JSON.parse(readStackConfig(ROOT, "staging").config["continuity:service"]);
        service.task.environment.DB_PASSWORD = "hunter2-Sup3rS3cret";
        // The engine marks the key secret as a whole when a secure value sits anywhere inside it.
        const error: Error = await runStack("staging", { secrets: { "continuity:service": JSON.stringify(service) } }).then(
            () => assert.fail("expected the config to be refused"),
            (e) => e,
        );
        assert.ok(error.message.includes("continuity:service holds a secret (a `secure:` value inside it)"), error.message);
        assert.ok(!error.message.includes("Sup3r"), error.message);
    });

    it("checks the load balancer's own DNS name when no domain is configured", async () => {
        const run = await serviceOnly("staging", { edit: (c) => delete c.service.domainName });
        const hc = run.one(T.healthCheck);
        assert.strictEqual(hc.properties.fqdn, "continuity-staging-web-alb-1234567890.us-west-2.elb.amazonaws.com");
        assert.deepStrictEqual(hc.propertyDependencies.fqdn, [run.one(T.lb).urn]);
        assert.strictEqual(run.outputs.serviceUrl, "https://continuity-staging-web-alb-1234567890.us-west-2.elb.amazonaws.com");
    });

    it("splits a CIDR block into equal subnets", () => {
        assert.deepStrictEqual(splitCidr("10.0.0.0/16", 2), ["10.0.0.0/18", "10.0.64.0/18", "10.0.128.0/18", "10.0.192.0/18"]);
        assert.deepStrictEqual(splitCidr("192.168.4.0/24", 3).slice(-1), ["192.168.4.224/27"]);
    });

    describe("argument checks", () => {
        const base: WebServiceArgs = {
            name: "web",
            network: {
                mode: "existing",
                vpcId: "vpc-1",
                publicSubnetIds: ["subnet-1", "subnet-2"],
                privateSubnetIds: ["subnet-3", "subnet-4"],
            },
            certificateArn: "arn:aws:acm:us-west-2:123456789012:certificate/1",
            desiredCount: 2,
            healthCheckGracePeriodSeconds: 300,
            healthCheck: {
                path: "/health",
                intervalSeconds: 30,
                timeoutSeconds: 5,
                healthyThreshold: 3,
                unhealthyThreshold: 3,
                matcher: "200",
            },
            autoscaling: { minCount: 2, maxCount: 4, cpuTargetPercent: 60 },
            task: { image: "app", cpu: 256, memory: 512, port: 80, environment: {}, secrets: {}, logRetentionDays: 7 },
            accessLogsBucket: "logs",
            alarms: { elb5xxPercent: 5, responseTimeSeconds: 1 },
            region: "us-west-2",
            environment: "staging",
            alertTopicArn: "arn:aws:sns:us-west-2:123456789012:alerts",
            uptimeTopicArn: "arn:aws:sns:us-east-1:123456789012:alerts",
            tags: {},
        };
        const construct = (args: Partial<WebServiceArgs>) => () =>
            runProgram({ project: "p", stack: "s", config: {}, preview: false, program: () => new WebService("w", { ...base, ...args }) });

        it("rejects a desired count outside the autoscaling bounds", async () => {
            await assert.rejects(construct({ desiredCount: 5 }), {
                message: "WebService 'w': desiredCount (5) must lie between autoscaling.minCount (2) and autoscaling.maxCount (4).",
            });
        });
        it("rejects a task secret that is not an ARN, without printing it", async () => {
            const task = { ...base.task, secrets: { DB_PASSWORD: "hunter2-Sup3rS3cret" } };
            await assert.rejects(construct({ task }), {
                message:
                    "WebService 'w': task.secrets.DB_PASSWORD must be the ARN of a Secrets Manager secret or an SSM parameter; the value given is not one (not shown).",
            });
        });
        it("rejects a grace period shorter than the time to a first healthy check", async () => {
            await assert.rejects(construct({ healthCheckGracePeriodSeconds: 60 }), {
                message:
                    "WebService 'w': healthCheckGracePeriodSeconds (60) must be at least healthCheck.intervalSeconds × healthyThreshold (90).",
            });
        });
    });
});
