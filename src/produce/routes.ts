/**
 * The production address KooGallery calls: `{PRODUCE_PATH}/produceAPI/v2/{interface}` for the
 * kit interfaces. Whatever happens, the answer is HTTP 200 with a KooGallery result code, and a
 * refused request has written nothing (every check runs before the first write).
 */
import Router from '@koa/router';
import { KbError } from '../shared/errors.js';
import { parseJsonObject } from '../koogallery/canonical.js';
import { readJsonText } from '../http/raw-body.js';
import type { AppState } from '../http/state.js';
import { failure, sendEnvelope, success } from './envelope.js';
import { handleKit, isKitInterface, type KitDeps } from './kit-handlers.js';
import type { ReplayGuard } from './replay-guard.js';

export interface ProduceDeps extends KitDeps {
  producePath: string;
  bodyLimit: number;
  accessKey: string;
  guard: ReplayGuard;
}

export function produceRoutes(deps: ProduceDeps): Router<AppState> {
  const router = new Router<AppState>();
  const kitPath = `${deps.producePath === '/' ? '' : deps.producePath}/produceAPI/v2/:name`;

  router.all(kitPath, async (ctx) => {
    const name = ctx.params.name ?? '';
    const context: Record<string, unknown> = { interface: name };
    try {
      if (ctx.method !== 'POST') throw new KbError('method_not_allowed', `${ctx.method} is not allowed: KooGallery interfaces are POST`);
      if (!isKitInterface(name)) throw new KbError('unknown_interface', `unknown interface ${JSON.stringify(name.slice(0, 40))}`);
      const rawBody = await readJsonText(ctx.req, deps.bodyLimit);
      const body = parseJsonObject(rawBody);
      await deps.guard.verify({
        family: 'kit',
        accessKey: deps.accessKey,
        sign: ctx.get('x-sign') || undefined,
        nonce: ctx.get('x-nonce') || undefined,
        timestamp: ctx.get('x-timestamp') || undefined,
        rawBody,
      });
      const summary = await handleKit(deps, name, body);
      ctx.state.log.info({ ...context, ...summary, resultCode: '000000' }, 'webhook applied');
      sendEnvelope(ctx, success());
    } catch (err) {
      sendEnvelope(ctx, failure(ctx, err, context));
    }
  });
  // The basic (instance lifecycle) interfaces of spec §6 are not served: joint-operation (联营)
  // products are provisioned through the kit interfaces. KooGallery still gets its envelope and a
  // message saying so, rather than a bare 404 it cannot read.
  router.all(deps.producePath, (ctx) => {
    const refusal = new KbError('unknown_interface', 'the basic (instance lifecycle) interfaces are not served by this bridge; joint-operation products use the kit interfaces under produceAPI/v2');
    sendEnvelope(ctx, failure(ctx, refusal, { interface: 'basic' }));
  });
  return router;
}
