// bench:cas's floor: the work a validation cannot skip, in a bare Koa app on the same Redis — the
// query checked (the bridge's zod schema), the ticket hashed and taken by GETDEL, its record read
// (the bridge's own ticket code), an XML answer with the same attributes written the ordinary Koa
// way (ctx.query, ctx.type, ctx.body) — and nothing else (no session, no service registry, no
// request id or log line). Its tickets are issued at start by the bridge's own ticket code straight
// into Redis and written to OUT; it sends 'ready' when listening.
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import Koa from 'koa';
import { successBody } from '../dist/cas-server/responses.js';
import { createTickets } from '../dist/cas-server/tickets.js';
import { validateQuery } from '../dist/cas-server/validate.js';
import { validate } from '../dist/http/guard.js';
import { createKeys } from '../dist/store/keys.js';
import { createRedisStore } from '../dist/store/redis.js';
import { createSecretBox } from '../dist/store/secret-box.js';

const store = createRedisStore({ url: process.env.REDIS_URL });
const keys = createKeys(`floor${randomBytes(3).toString('hex')}:`);
const tickets = createTickets({ store, keys, secretBox: createSecretBox([randomBytes(32).toString('base64')]), ttlMs: 300_000, now: Date.now });
const issued = [];
for (let i = 0; i < Number(process.env.N); i++) {
  issued.push((await tickets.issue({ service: process.env.SERVICE, serviceId: 'bench-app', sidHash: randomBytes(32).toString('base64url'), tenantId: 'acme', userName: 'zhang.san', fromNewLogin: false })).ticket);
}
writeFileSync(process.env.OUT, JSON.stringify(issued));

const attributes = [['tenant_id', 'acme'], ['tenant_code', 'ACME'], ['tenant_name', 'Acme'], ['userName', 'zhang.san'], ['name', 'Zhang San'], ['role', 'user'], ['org_code', 'rd'], ['email', 'zhang.san@example.com']];
const app = new Koa();
app.use(async (ctx) => {
  const query = validate(validateQuery, ctx.query);
  const record = await tickets.take(query.ticket ?? '');
  const ok = record !== null && record.service === query.service;
  ctx.type = 'application/xml; charset=utf-8';
  ctx.body = ok
    ? successBody('XML', { user: record.userName, attributes: [['authenticationDate', new Date(record.issuedAt).toISOString()], ['isFromNewLogin', 'false'], ['longTermAuthenticationRequestTokenUsed', 'false'], ...attributes] })
    : '<cas:serviceResponse><cas:authenticationFailure code="INVALID_TICKET"/></cas:serviceResponse>';
});
app.listen(Number(process.env.PORT), '127.0.0.1', () => process.send?.('ready'));
