/**
 * Made-up marketplace data for the demo, the end-to-end tests and the benchmarks: two enterprises,
 * each with its app credential, departments and users. Every name, address and secret here is
 * invented; `.example.com` addresses cannot reach anyone.
 */
import type { SimSeller, SimTenant } from './types.js';

/** The seller account's AK/SK for the order query (spec §9); the demo bridge signs with the same. */
export const DEMO_SELLER: SimSeller = { accessKey: 'DEMOSELLERAK0000EXAMPLE', secretKey: 'demo-seller-sk-not-real' };

export const DEMO_TENANTS: SimTenant[] = [
  {
    tenantId: 'acme',
    tenantCode: 'acme',
    name: 'Acme Trading Co.',
    clientId: 'acme-client-id',
    clientSecret: 'acme-client-secret-not-real',
    orgs: [
      { orgCode: 'acme-hq', orgName: 'Headquarters', parentCode: '' },
      { orgCode: 'acme-sales', orgName: 'Sales', parentCode: 'acme-hq' },
      { orgCode: 'acme-it', orgName: 'IT', parentCode: 'acme-hq' },
    ],
    users: [
      { userName: 'zhang.san', name: 'Zhang San', role: 'admin', orgCode: 'acme-it', email: 'zhang.san@acme.example.com', mobile: '+86-100-0000-0001' },
      { userName: 'li.si', name: 'Li Si', role: 'user', orgCode: 'acme-sales', email: 'li.si@acme.example.com' },
      // Disabled in authSync: the IdP still signs him in, and the bridge must refuse him.
      { userName: 'wang.wu', name: 'Wang Wu', role: 'user', orgCode: 'acme-sales', enable: false },
    ],
  },
  {
    tenantId: 'globex',
    tenantCode: 'globex',
    name: 'Globex Industries',
    clientId: 'globex-client-id',
    clientSecret: 'globex-client-secret-not-real',
    orgs: [
      { orgCode: 'globex-root', orgName: 'Globex', parentCode: '' },
      { orgCode: 'globex-rd', orgName: 'Research & Development', parentCode: 'globex-root' },
    ],
    users: [
      { userName: 'zhao.liu', name: 'Zhao Liu', role: 'admin', orgCode: 'globex-root', email: 'zhao.liu@globex.example.com' },
      // The same userName as in acme: `userName@tenantCode` is what is unique (spec §5.1).
      { userName: 'li.si', name: 'Li Si (Globex)', role: 'user', orgCode: 'globex-rd' },
    ],
  },
];
