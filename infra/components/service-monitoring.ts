import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { topicAlarm, TopicAlarmArgs } from "./alarms";
import type { WebService, WebServiceArgs } from "./service";

// What watches the web service: its alarms to the alert topic, the uptime check of its public URL with the
// alarm in us-east-1, and its dashboard. Built as children of the WebService component (service.ts).

/** Alarms to the alert topic, an uptime check of the public URL and its alarm, and a dashboard. */
export function monitorService(service: WebService, name: string, args: WebServiceArgs): aws.route53.HealthCheck {
    const opts = { parent: service };
    const region = args.region;
    const lb = service.loadBalancer.arnSuffix;
    const tg = service.targetGroup.arnSuffix;
    const alarm = (part: string, description: string, spec: Omit<TopicAlarmArgs, "topicArn">) =>
        topicAlarm(
            `${name}-${part}`,
            {
                region,
                alarmDescription: `${args.name}: ${description}`,
                treatMissingData: "notBreaching",
                topicArn: args.alertTopicArn,
                tags: args.tags,
                ...spec,
            },
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
            dimensions: { ClusterName: service.cluster.name, ServiceName: service.service.name },
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
            fqdn: args.domainName ?? service.loadBalancer.dnsName,
            port: 443,
            resourcePath: args.healthCheck.path,
            enableSni: true,
            requestInterval: 30,
            failureThreshold: 3,
            measureLatency: true,
            tags: { ...args.tags, Name: `${args.name} uptime` },
        },
        // With a custom domain the check names the host, not the load balancer: the dependency says which one it watches.
        { ...opts, dependsOn: [service.loadBalancer] },
    );
    topicAlarm(
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
            topicArn: args.uptimeTopicArn,
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
                        x: 0,
                        y: 0,
                        width: 12,
                        height: 6,
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
                        x: 12,
                        y: 0,
                        width: 12,
                        height: 6,
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
