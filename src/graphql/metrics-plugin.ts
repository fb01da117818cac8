import type { ApolloServerPlugin } from '@apollo/server';
import type { Metrics } from '../observability/metrics.js';
import type { RequestContext } from './request-context.js';

/** Counts HTTP GraphQL requests by operation and outcome, and observes their latency. */
export function metricsPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operationName, errors }) {
          const operation = operationName ?? 'anonymous';
          metrics.graphqlRequests.inc({ operation, outcome: errors && errors.length > 0 ? 'error' : 'ok' });
          metrics.graphqlDuration.observe({ operation }, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
