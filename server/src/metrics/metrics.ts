import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The server's Prometheus metrics (prom-client), one registry per app so tests and several apps in one
 * process never share counters. Default process metrics include open and maximum file descriptors.
 */
export class Metrics {
  readonly registry = new Registry();

  readonly httpRequests = new Counter({
    name: 'posface_http_requests_total',
    help: 'HTTP requests answered, by method, route template and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [this.registry],
  });

  readonly httpDuration = new Histogram({
    name: 'posface_http_request_duration_seconds',
    help: 'Time from request to answer, by method and route template',
    labelNames: ['method', 'route'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });

  readonly connectionsRefused = new Counter({
    name: 'posface_http_connections_refused_total',
    help: 'Connections refused at accept: max_connections (HTTP_MAX_CONNECTIONS) or per_ip (HTTP_MAX_CONNECTIONS_PER_IP)',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  readonly rateLimited = new Counter({
    name: 'posface_rate_limited_total',
    help: 'Requests refused with 429 RATE_LIMITED, by route template',
    labelNames: ['route'] as const,
    registers: [this.registry],
  });

  readonly authinfoRequests = new Counter({
    name: 'posface_authinfo_requests_total',
    help: 'Authinfo requests by how they were served: hit (cache or another request\'s call) or miss (this request called WeChat)',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly upstreamDuration = new Histogram({
    name: 'posface_wxpay_upstream_duration_seconds',
    help: 'get_wxpayface_authinfo calls to WeChat (with retries), by outcome: ok or the error code',
    labelNames: ['outcome'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
    registers: [this.registry],
  });

  readonly orders = new Counter({
    name: 'posface_orders_total',
    help: 'POST /orders outcomes: created, replayed (idempotent retry) or the error code',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });

  readonly up = new Gauge({
    name: 'posface_dependency_up',
    help: '1 when the dependency answered its probe at scrape time (as /readyz), else 0',
    labelNames: ['dependency'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }
}
