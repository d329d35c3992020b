/**
 * Observations → series. Runs synchronously inside every `emit` (shared/observations.ts), so it
 * only increments in-memory counters; every label value passes the bounding rules of labels.ts.
 */
import type { Observation, ObservationListener } from '../shared/observations.js';
import { interfaceLabel, reasonLabel, resultCodeLabel, shortName, type LabelPolicy } from './labels.js';
import type { MetricSet } from './registry.js';

export function metricsListener(m: MetricSet, labels: LabelPolicy): ObservationListener {
  /** Adds the tenant label when the operator opted in. */
  const withTenant = <L extends Record<string, string>>(values: L, tenantId: string | undefined): L => {
    const tenant = labels.tenant(tenantId);
    return tenant === undefined ? values : { ...values, tenant };
  };
  return (o: Observation) => {
    switch (o.kind) {
      case 'webhook': {
        const iface = interfaceLabel(o.interface);
        m.webhookRequests.inc(withTenant({ interface: iface, result_code: resultCodeLabel(o.resultCode) }, o.tenantId));
        m.webhookDuration.observe({ interface: iface }, o.durationMs / 1000);
        return;
      }
      case 'login':
        m.logins.inc(withTenant({ method: o.method, outcome: o.outcome, reason: reasonLabel(o.reason) }, o.tenantId));
        return;
      case 'idp_call':
        m.idpCalls.inc(withTenant({ call: o.call, outcome: o.outcome }, o.tenantId));
        m.idpDuration.observe({ call: o.call }, o.durationMs / 1000);
        return;
      case 'token':
        m.tokens.inc(withTenant({ protocol: o.protocol, client: labels.client(o.clientId), action: o.action, reason: reasonLabel(o.reason) }, o.tenantId));
        return;
      case 'backchannel':
        m.backchannel.inc({ protocol: o.protocol, client: labels.client(o.clientId), outcome: o.outcome });
        return;
      case 'session_end':
        m.sessionEnds.inc(withTenant({ cause: o.cause }, o.tenantId), o.count);
        return;
      case 'admin_action':
        m.adminActions.inc({ action: shortName(o.action), outcome: o.outcome });
        return;
      case 'rate_limited':
        m.rateLimited.inc({ limit: shortName(o.limit), scope: o.scope });
        return;
    }
  };
}
