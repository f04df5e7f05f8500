import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";
import { splitCidr } from "../config/rules";
import { TagKeys } from "../tags";
import type { WebServiceArgs } from "./service";

// The web service's network and its load balancer's access-log bucket, built as children of the WebService
// component (infra/components/service.ts) that calls them.

/**
 * Regions opened before August 2022 deliver ALB access logs as an ELB account of the region; newer
 * ones as the log-delivery service principal, which the bucket policy always allows too.
 */
const ELB_ACCOUNT_REGIONS: readonly string[] = [
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
    "ca-central-1",
    "sa-east-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "eu-central-1",
    "eu-north-1",
    "eu-south-1",
    "me-south-1",
    "af-south-1",
    "ap-east-1",
    "ap-south-1",
    "ap-northeast-1",
    "ap-northeast-2",
    "ap-northeast-3",
    "ap-southeast-1",
    "ap-southeast-2",
];

export interface Network {
    vpcId: pulumi.Input<string>;
    publicSubnetIds: pulumi.Input<string>[];
    privateSubnetIds: pulumi.Input<string>[];
}

/** A VPC over `zones` zones: a public and a private subnet in each, NAT in one zone or in every zone. */
export function createNetwork(parent: pulumi.Resource, name: string, args: WebServiceArgs): Network {
    if (args.network.mode !== "create") throw new Error("unreachable");
    const { cidr, zones, natGateways } = args.network;
    const opts = { parent };
    const tags = args.tags;
    const region = args.region;
    const zoneNames = aws.getAvailabilityZonesOutput({ region, state: "available" }, opts).names;
    // Eight equal blocks: public subnets first, private ones from the fifth on.
    const blocks = splitCidr(cidr, 3);
    const vpc = new aws.ec2.Vpc(`${name}-vpc`, { region, cidrBlock: cidr, enableDnsHostnames: true, enableDnsSupport: true, tags }, opts);
    const igw = new aws.ec2.InternetGateway(`${name}-igw`, { region, vpcId: vpc.id, tags }, opts);
    const publicRoutes = new aws.ec2.RouteTable(
        `${name}-public`,
        { region, vpcId: vpc.id, routes: [{ cidrBlock: "0.0.0.0/0", gatewayId: igw.id }], tags },
        opts,
    );

    const subnet = (kind: "public" | "private", i: number) =>
        new aws.ec2.Subnet(
            `${name}-${kind}-${i + 1}`,
            {
                region,
                vpcId: vpc.id,
                cidrBlock: blocks[kind === "public" ? i : 4 + i],
                availabilityZone: zoneNames.apply((n) => {
                    if (n.length < zones)
                        throw new Error(
                            `WebService '${name}': ${region} has ${n.length} availability zones; network.zones asks for ${zones}.`,
                        );
                    return n[i];
                }),
                mapPublicIpOnLaunch: false,
                tags: { ...tags, Name: `${name}-${kind}-${i + 1}`, "subnet-type": kind },
            },
            opts,
        );
    const publicSubnets = Array.from({ length: zones }, (_, i) => subnet("public", i));
    const privateSubnets = Array.from({ length: zones }, (_, i) => subnet("private", i));
    publicSubnets.forEach(
        (s, i) =>
            new aws.ec2.RouteTableAssociation(`${name}-public-${i + 1}`, { region, subnetId: s.id, routeTableId: publicRoutes.id }, opts),
    );

    // One NAT per zone keeps the other zones' tasks online when a zone goes down; staging saves on one.
    const natCount = natGateways === "per-zone" ? zones : 1;
    const nats = Array.from({ length: natCount }, (_, i) => {
        const eip = new aws.ec2.Eip(`${name}-nat-${i + 1}`, { region, domain: "vpc", tags }, opts);
        return new aws.ec2.NatGateway(
            `${name}-nat-${i + 1}`,
            { region, allocationId: eip.id, subnetId: publicSubnets[i].id, tags },
            { ...opts, dependsOn: [igw] },
        );
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
export function accessLogsBucket(
    parent: pulumi.Resource,
    name: string,
    args: WebServiceArgs,
    account: pulumi.Output<string>,
): aws.s3.BucketPolicy {
    const opts = { parent };
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
        {
            region,
            bucket: bucket.bucket,
            blockPublicAcls: true,
            blockPublicPolicy: true,
            ignorePublicAcls: true,
            restrictPublicBuckets: true,
        },
        opts,
    );
    new aws.s3.BucketOwnershipControls(
        `${name}-access-logs`,
        { region, bucket: bucket.bucket, rule: { objectOwnership: "BucketOwnerEnforced" } },
        opts,
    );
    new aws.s3.BucketLifecycleConfiguration(
        `${name}-access-logs`,
        { region, bucket: bucket.bucket, rules: [{ id: "expire-access-logs", status: "Enabled", filter: {}, expiration: { days: 90 } }] },
        opts,
    );
    const writers: pulumi.Input<unknown>[] = [{ Service: "logdelivery.elasticloadbalancing.amazonaws.com" }];
    if (ELB_ACCOUNT_REGIONS.includes(region)) {
        writers.push({ AWS: aws.elb.getServiceAccountOutput({ region }, { parent }).arn });
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
        { parent },
    );
}
